"""The rule of return_deletion: return and/or erase the personal information at the end."""

from __future__ import annotations

import re

from clauses import analysis as A
from clauses.catalog import Clause
from clauses.context import STRONG, WEAK, Context, Finding
from clauses.facets.common import (
    context_text,
    contractor_bound,
    imposes,
    level,
)

_AT_THE_END = re.compile(r"終了|満了|解約|解除")
# Whom the information is handed over to: the municipality or whom it names (後任の受託者).
_DESIGNATED = re.compile(r"指定する者|指定した者|指定するもの|後任|次期|新たな受託者")
_HANDED_FROM = re.compile(r"から[^、。]{0,12}?引き?継")


def candidate(ctx: Context, clause: Clause, i: int) -> bool:
    return bool(clause.prefilter.search(ctx.norm[i]))


def rule(ctx: Context, clause: Clause, i: int) -> list[Finding]:
    out: list[Finding] = []
    pi = ctx.pi_level(i)
    text = ctx.norm[i]
    if not pi and not ctx.about_information(i):
        return []  # deliverables handed over (成果物の引渡し) are not information returned
    ret = clause.facet("return")
    # 発注者は、…資料の返還を求めることができる: the municipality's right, weak whatever the
    # papers hold (rule 3).
    if ret.rx("receive").search(text):
        for _p, mod, role, subj in ctx.hits(i, ret.rx("act")):
            if role == A.MAIN and subj == A.PRINCIPAL and mod in (*A.IMPOSING, A.PERMISSION):
                out.append(Finding(ret.id, WEAK, i, "返還を委託者が受け、又は求める定めのみです。"))
    if "retrieve" in ret.patterns and pi and _AT_THE_END.search(text):
        for _p, mod, role, subj in ctx.hits(i, ret.rx("retrieve")):
            if role == A.MAIN and subj == A.PRINCIPAL and mod in (*A.IMPOSING, A.PERMISSION):
                note = (
                    "委託者が自らデータを取り出す定めのみで、受託者の返還・消去の義務がありません。"
                )
                out.append(Finding(ret.id, WEAK, i, note))
    if ctx.pi_level(i) >= 2:
        # 個人情報を甲又は甲が指定する者に引き継ぐ: handing the information over to the
        # municipality or its successor is its return (an effort to do so is weak).
        for p, mod, role, subj in ctx.hits(i, ret.rx("handover")):
            words = text[: p.start + len(p.tail)]  # the sentence up to the handover
            if _HANDED_FROM.search(words) or not (
                ctx.principal_rx.search(words.split("は、", 1)[-1]) or _DESIGNATED.search(words)
            ):
                continue  # 前受託者から引き継ぐ: the contractor receives, it returns nothing
            if role == A.MAIN and contractor_bound(subj) and mod in A.IMPOSING:
                out.append(Finding(ret.id, STRONG, i))
            elif role == A.MAIN and contractor_bound(subj) and mod == A.EFFORT:
                note = "個人情報の引継ぎが努力義務にとどまっています。"
                out.append(Finding(ret.id, WEAK, i, note))
    for facet in clause.facets:
        for _p, mod, role, subj in ctx.hits(i, facet.rx("act")):
            if role != A.MAIN or not contractor_bound(subj):
                continue
            if mod in A.IMPOSING:
                if pi:
                    out.append(Finding(facet.id, STRONG, i))
                else:
                    out.append(
                        Finding(
                            facet.id, WEAK, i, "返還・消去の対象に個人情報が明記されていません。"
                        )
                    )
            elif mod in (A.PERMISSION, A.EFFORT):
                out.append(Finding(facet.id, WEAK, i))
    return out


def bound(ctx: Context, clause: Clause, i: int) -> dict[str, int]:
    text = context_text(ctx, i)
    strong = ctx.pi_level(i) >= 1 and imposes(ctx, i, text)
    ret = clause.facet("return")
    handed = bool(ret.rx("handover").search(text))
    if "retrieve" in ret.patterns:
        handed = handed or bool(ret.rx("retrieve").search(text))
    return {
        f.id: level(bool(f.rx("act").search(text)) or (f is ret and handed), strong)
        for f in clause.facets
    }


def advice(ctx: Context) -> list[str]:
    """No advisory note for this clause."""
    return []
