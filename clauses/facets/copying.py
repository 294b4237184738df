"""The rule of copying: forbidden, or only with approval or on instruction."""

from __future__ import annotations

import re
from collections.abc import Callable

from clauses import analysis as A
from clauses.catalog import Clause, Facet
from clauses.context import STRONG, WEAK, Context, Finding
from clauses.facets.common import (
    PRINCIPAL_NOTE,
    approval_obligation,
    context_text,
    contractor_bound,
    imposes,
    level,
    restriction_strength,
)

_CARRIERS_NOTE = (
    "記録媒体（紙媒体・電子媒体）の複製のみが制限され、それ以外の複製が制限されていません。"
)


# Words that limit an act the sentence has the contractor do (必要最小限の部数, 指示の範囲で).
_LIMITS = re.compile(r"最小限|範囲|限|のみ|制限|承|指示|許可|同意|必要")
# The information itself named beside its carriers (個人情報及び…記録媒体).
_INFORMATION_BESIDE = re.compile(r"(?:情報|データ)(?:等)?(?:及び|並びに|又は|若しくは)")


def candidate(ctx: Context, clause: Clause, i: int) -> bool:
    return bool(clause.facets[0].rx("act").search(ctx.norm[i]))


def rule(ctx: Context, clause: Clause, i: int) -> list[Finding]:
    facet = clause.facets[0]
    text = ctx.norm[i]
    out: list[Finding] = []
    pi = ctx.pi_level(i)
    if not pi and not ctx.about_information(i):
        return []  # a key or a drawing copied is no information
    for _p, mod, role, subj in ctx.hits(i, facet.rx("act")):
        if role == A.MAIN and subj == A.PRINCIPAL and mod in (*A.IMPOSING, A.PERMISSION):
            out.append(Finding(facet.id, WEAK, i, PRINCIPAL_NOTE))
            continue
        if role == A.MAIN and mod == A.EFFORT and contractor_bound(subj):
            out.append(Finding(facet.id, WEAK, i, "複製の制限が努力義務にとどまっています。"))
            continue
        if role == A.MAIN and mod == A.PROHIBITION and contractor_bound(subj):
            if facet.rx("partial").search(text) and not ctx.approved_by_principal(text):
                out.append(
                    Finding(
                        facet.id, WEAK, i, "業務の目的・範囲を超える複製のみが制限されています。"
                    )
                )
                continue
            if _paper_only(facet, text):
                note = "紙の書類の複写のみが制限され、電子データの複製が制限されていません。"
                out.append(Finding(facet.id, WEAK, i, note))
                continue
            if _media_only(facet, text):
                note = "記録媒体への複写のみが制限され、それ以外の複製が制限されていません。"
                out.append(Finding(facet.id, WEAK, i, note))
                continue
            if _carriers_only(facet, text):
                out.append(Finding(facet.id, WEAK, i, _CARRIERS_NOTE))
                continue
            strength, note = restriction_strength(
                ctx, i, mod, "複製の制限に受託者の判断による例外があります。"
            )
            if pi == 0:
                strength, note = WEAK, "複製の制限の対象に個人情報が明記されていません。"
            out.append(Finding(facet.id, strength, i, note))
        elif role == A.MAIN and mod == A.PERMISSION and contractor_bound(subj):
            if ctx.approved_by_principal(text) and pi:
                out.append(Finding(facet.id, STRONG, i))
            else:
                out.append(Finding(facet.id, WEAK, i, "複製が受託者の判断で認められています。"))
        elif role == A.CONDITION and approval_obligation(ctx, i) and pi:
            if facet.rx("partial").search(text):
                # 目的の範囲を超える複製が必要なときは、…承諾を受ける: copying within the
                # purpose is left free.
                note = "業務の目的・範囲を超える複製のみが制限されています。"
                out.append(Finding(facet.id, WEAK, i, note))
                continue
            out.append(Finding(facet.id, STRONG, i))
        elif role == A.CONDITION and approval_obligation(ctx, i):
            # 秘密情報を複製するときは、…承諾を得なければならない: secrets in general (rule 1).
            note = "複製の制限の対象に個人情報が明記されていません。"
            out.append(Finding(facet.id, WEAK, i, note))
        elif role == A.CONDITION and pi and contractor_bound(subj):
            # 複製物を作成した場合には、その作成日…を記録する: copying is presumed and left to
            # the contractor; only what follows it is governed.
            note = "複製した場合の取扱いのみで、複製そのものは制限されていません。"
            out.append(Finding(facet.id, WEAK, i, note))
        elif role == A.MAIN and mod in (A.OBLIGATION, A.DECLARATIVE) and contractor_bound(subj):
            # 複製は、甲の指示がある場合に限り行うこと: allowed only on the municipality's word.
            # 複写又は複製は、県の承認を要する: never without the municipality's approval.
            requires = facet.rx("requires").search(text)
            allowed_only = facet.rx("only_if").search(text) or requires
            if pi and allowed_only and ctx.approved_by_principal(text):
                # Approval required of the copying of forms (帳票の複写は、…承認を要する) with
                # no word of electronic records: paper only (precision first).
                forms_only = (
                    requires
                    and re.search(r"帳票", text)
                    and not facet.rx("electronic").search(text)
                )
                if _carriers_only(facet, text):
                    out.append(Finding(facet.id, WEAK, i, _CARRIERS_NOTE))
                    continue
                if _paper_only(facet, text) or forms_only:
                    note = "紙の書類の複写のみが制限され、電子データの複製が制限されていません。"
                    out.append(Finding(facet.id, WEAK, i, note))
                    continue
                out.append(Finding(facet.id, STRONG, i))
            elif _LIMITS.search(text):
                # (…電子化処理を完了し、…閲覧可能な状態にします, with no word that limits the
                # act: doing it is the work itself, no restriction of it)
                out.append(Finding(facet.id, WEAK, i, ""))
    return out


def _acts(facet: Facet, text: str) -> list[re.Match[str]]:
    """The copying acts done in ``text``; not one named as a heading's noun (| 複写の禁止 |)
    before the duty itself, unless the noun is all there is (…紙媒体の複写の禁止)."""
    acts = list(facet.rx("act").finditer(text))
    done = [m for m in acts if not facet.rx("act_heading").match(text[m.end() :])]
    return done or acts


def _every_act(facet: Facet, text: str, of: Callable[[re.Match[str], str], bool]) -> bool:
    """Whether ``text`` copies something and every copying act in it passes ``of`` (given the
    act and the words before it)."""
    acts = _acts(facet, text)
    return bool(acts) and all(of(m, text[: m.start()]) for m in acts)


def _media_only(facet: Facet, text: str) -> bool:
    """Whether every copying act in ``text`` is onto a carrier (媒体に複写), nothing else."""
    return _every_act(facet, text, lambda _m, before: bool(facet.rx("media_only").search(before)))


def _carriers_only(facet: Facet, text: str) -> bool:
    """Whether every copying act in ``text`` is of paper or portable carriers only (紙媒体及び
    可搬記録媒体を複写し、又は複製しない), the information itself not named beside them
    (個人情報及び個人情報が記録された記録媒体)."""

    def of_carriers(_m: re.Match[str], before: str) -> bool:
        c = facet.rx("carrier_object").search(before)
        if c is None:
            return False
        k = max(before.rfind("、", 0, c.start()), before.rfind("は", 0, c.start()))
        return not _INFORMATION_BESIDE.search(before[k + 1 : c.start()])

    return _every_act(facet, text, of_carriers)


def _paper_only(facet: Facet, text: str) -> bool:
    """Whether every copying act in ``text`` is of paper documents, nothing electronic."""

    def of_paper(m: re.Match[str], before: str) -> bool:
        return bool(
            facet.rx("paper_object").search(before)
            or (m.group(0) == "複写" and facet.rx("forms_object").search(before))
        )

    return _every_act(facet, text, of_paper) and not facet.rx("electronic").search(text)


def bound(ctx: Context, clause: Clause, i: int) -> dict[str, int]:
    text = context_text(ctx, i)
    strong = bool(
        ctx.pi_level(i) >= 1 and (imposes(ctx, i, text) or ctx.approved_by_principal(text))
    )
    return {"restriction": level(True, strong)}


def advice(ctx: Context) -> list[str]:
    """No advisory note for this clause."""
    return []
