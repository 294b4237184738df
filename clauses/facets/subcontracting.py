"""The rule of subcontracting: prohibited, or only with the municipality's prior approval."""

from __future__ import annotations

import re

from clauses import analysis as A
from clauses.catalog import Clause
from clauses.context import STRONG, WEAK, Context, Finding, sentence_modality
from clauses.facets.common import (
    approval_obligation,
    context_text,
    contractor_bound,
    imposes,
    level,
    restriction_strength,
)
from clauses.modality import dispenses_approval


def candidate(ctx: Context, clause: Clause, i: int) -> bool:
    f = clause.facets[0]
    return bool(
        f.rx("act").search(ctx.norm[i])
        or f.rx("act").search(ctx.masked[i])
        or f.rx("flowdown").search(ctx.norm[i])
    )


_EXEMPT_NOTE = "再委託の事前承認に受託者側の事情による例外（関係会社等）があります。"
_FREED_NOTE = "一部の再委託が委託者の承諾なしに認められています。"


def _dispensation(ctx: Context) -> int | None:
    """A sentence that frees some subcontracting from the principal's approval, if any, in the
    sentence itself or after the one naming it (…に再委託することがあります。この場合、お客様の
    承諾を要しないものとします)."""
    cache = ctx.__dict__.setdefault("_subcontract_dispensed", {})
    if "i" in cache:
        return cache["i"]
    act = ctx.catalog.clause("subcontracting").facets[0].rx("act")
    found = None
    for k, text in enumerate(ctx.norm):
        if not dispenses_approval(text):
            continue
        before = ctx.norm[k - 1] if k > 0 and text.startswith("この場合") else ""
        if act.search(text) or (before and act.search(before)):
            found = k
            break
    cache["i"] = found
    return found


def rule(ctx: Context, clause: Clause, i: int) -> list[Finding]:
    facet = clause.facets[0]
    text = ctx.norm[i]
    out: list[Finding] = []
    hits = ctx.hits(i, facet.rx("act"))
    for _p, mod, role, subj in hits:
        if role == A.MAIN and mod == A.PROHIBITION and contractor_bound(subj):
            strength, note = restriction_strength(
                ctx, i, mod, "再委託の禁止に受託者の判断による例外があります。"
            )
            if facet.rx("whole_only").search(text) and not facet.rx("part").search(text):
                strength, note = WEAK, "業務の全部（一括）の再委託のみが禁止されています。"
            if facet.rx("objection").search(text):
                strength, note = (
                    WEAK,
                    "再委託に対する異議申立てのみで、事前承認の定めがありません。",
                )
            out.append(Finding(facet.id, strength, i, note))
        elif role == A.MAIN and mod == A.PERMISSION and subj not in (A.PRINCIPAL,):
            if ctx.approved_by_principal(text) and not re.search(r"承諾を要しない|承諾なく", text):
                out.append(Finding(facet.id, STRONG, i))
            else:
                out.append(
                    Finding(facet.id, WEAK, i, "再委託が委託者の承諾なしに認められています。")
                )
        elif role in (A.CONDITION, A.MAIN) and approval_obligation(ctx, i):
            # …承認を得なければならない。ただし、乙の関係会社に委託する場合は、この限りでない
            out.append(Finding(facet.id, *restriction_strength(ctx, i, mod, _EXEMPT_NOTE)))
        elif (
            role in (A.CONDITION, A.MAIN, A.EXCEPTION)
            and contractor_bound(subj)
            and (sentence_modality(ctx.analyses[i])[0] in (*A.IMPOSING, A.PERMISSION))
        ):
            if ctx.catalog.notice.search(text) and not ctx.approved_by_principal(text):
                note = "再委託は通知・届出のみで可能とされ、事前承認の定めがありません。"
            elif re.search(r"同等の|同様の|義務を(?:負わせ|課)|遵守させ", text):
                note = "再委託先への義務の承継のみで、再委託の制限・事前承認の定めがありません。"
            elif re.search(r"異議", text):
                note = "再委託に対する異議申立てのみで、事前承認の定めがありません。"
            else:
                note = ""
            out.append(Finding(facet.id, WEAK, i, note))
    if not hits and approval_obligation(ctx, i):
        out.append(Finding(facet.id, *restriction_strength(ctx, i, A.OBLIGATION, _EXEMPT_NOTE)))
    dispensed = _dispensation(ctx)
    if dispensed is not None and dispensed != i:
        # 当社は、…を子会社に再委託することがあります。この場合、お客様の承諾を要しない:
        # a part of the subcontracting is freed from the approval the rest needs.
        out = [
            Finding(f.facet, WEAK, f.sentence, _FREED_NOTE) if f.strength == STRONG else f
            for f in out
        ]
    if not out and facet.rx("flowdown").search(text):
        mod, subj = sentence_modality(ctx.analyses[i])
        mains = [ctx.effective(i, p) for p in ctx.analyses[i].main_predicates()]
        if mains:
            mod, _, subj = mains[-1]
        if mod in A.IMPOSING and contractor_bound(subj):
            note = "再委託先への義務の承継のみで、再委託の制限・事前承認の定めがありません。"
            out.append(Finding(facet.id, WEAK, i, note))
    return out


def bound(ctx: Context, clause: Clause, i: int) -> dict[str, int]:
    text = context_text(ctx, i)
    return {
        "restriction": level(True, bool(imposes(ctx, i, text) or ctx.approved_by_principal(text)))
    }


def advice(ctx: Context) -> list[str]:
    # Decided on the text alone so that the note never depends on which sentences were parsed.
    if not any(re.search(r"子会社|関連会社|グループ会社|関係会社", t) for t in ctx.norm):
        return ["子会社への委託も再委託に含む旨の記載がありません。"]
    return []
