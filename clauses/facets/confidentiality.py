"""The rule of confidentiality: keep the personal information secret and use it only
for the contract."""

from __future__ import annotations

import re

from clauses import analysis as A
from clauses.catalog import Clause
from clauses.context import WEAK, Context, Finding
from clauses.facets.common import (
    PRINCIPAL_NOTE,
    contractor_bound,
    imposes,
    level,
    restriction_strength,
)

# A duty of secrecy laid on others (従業者に秘密保持義務を課す / 守秘義務を負わせる), or their
# pledge (秘密保持の誓約書を提出させる).
_LAID_ON_OTHERS = re.compile(
    r"^(?:に関する)?(?:義務|誓約)(?:を|について)?(?:課|負わせ|誓約させ|徴|提出させ)|^(?:に関する)?誓約書"
)


def candidate(ctx: Context, clause: Clause, i: int) -> bool:
    text = ctx.norm[i]
    secrecy, purpose = clause.facets
    return bool(
        secrecy.rx("forbid").search(text)
        or secrecy.rx("keep").search(text)
        or (purpose.rx("context").search(text) or purpose.rx("improper").search(text))
    )


def rule(ctx: Context, clause: Clause, i: int) -> list[Finding]:
    secrecy, purpose = clause.facets
    text = ctx.norm[i]
    out: list[Finding] = []
    explicit = ctx.pi_level(i) >= 2 and not ctx.generic_only(i)
    generic_note = "秘密情報一般の規定で、個人情報が明記されていません。"
    for _p, mod, role, subj in ctx.hits(i, secrecy.rx("forbid")):
        if role == A.MAIN and mod == A.PROHIBITION and subj == A.PRINCIPAL:
            out.append(Finding(secrecy.id, WEAK, i, PRINCIPAL_NOTE))
        elif role == A.MAIN and mod == A.EFFORT and contractor_bound(subj):
            out.append(Finding(secrecy.id, WEAK, i, "秘密保持が努力義務にとどまっています。"))
        elif role == A.MAIN and mod == A.PROHIBITION and contractor_bound(subj):
            strength, note = restriction_strength(
                ctx, i, mod, "秘密保持義務に受託者の判断による例外があります。"
            )
            if not explicit:
                strength, note = WEAK, generic_note
            out.append(Finding(secrecy.id, strength, i, note))
    for m in secrecy.rx("keep").finditer(text):
        p = ctx.analyses[i].predicate_at(m.end())
        if p is None:
            continue
        mod, role, subj = ctx.effective(i, p)
        if _LAID_ON_OTHERS.match(text[m.end() :]):
            # 当社は、従業員に対し、…秘密保持義務を課します: the contractor makes its staff
            # keep the secret; it does not itself promise to keep it.
            if role == A.MAIN and mod in A.IMPOSING and contractor_bound(subj):
                note = (
                    "従業者等に秘密保持義務を課す定めのみで、受託者自身の秘密保持義務がありません。"
                )
                out.append(Finding(secrecy.id, WEAK, i, note))
            continue
        if role == A.MAIN and mod in A.IMPOSING and contractor_bound(subj):
            # …秘密として保持し、…開示してはならない。ただし、受領者が必要と判断した第三者
            # には開示することができる: the contractor's own exception cancels the secret too.
            strength, note = restriction_strength(
                ctx, i, mod, "秘密保持義務に受託者の判断による例外があります。"
            )
            if not explicit:
                strength, note = WEAK, generic_note
            out.append(Finding(secrecy.id, strength, i, note))
        elif role == A.MAIN and mod == A.EFFORT and contractor_bound(subj):
            out.append(Finding(secrecy.id, WEAK, i, "秘密保持が努力義務にとどまっています。"))
    # Lent goods used only for the work (貸与品を本件業務以外に使用してはならず) are no
    # information kept to its purpose.
    if purpose.rx("context").search(text) and (explicit or ctx.about_information(i)):
        for _p, mod, role, subj in ctx.hits(i, purpose.rx("use")):
            if role == A.MAIN and subj == A.PRINCIPAL and mod == A.PROHIBITION:
                out.append(Finding(purpose.id, WEAK, i, PRINCIPAL_NOTE))
                continue
            if role == A.MAIN and mod == A.EFFORT and contractor_bound(subj):
                note = "目的外利用の禁止が努力義務にとどまっています。"
                out.append(Finding(purpose.id, WEAK, i, note))
                continue
            if role != A.MAIN or not contractor_bound(subj):
                continue
            ok = mod == A.PROHIBITION or (
                mod in (A.OBLIGATION, A.DECLARATIVE) and re.search(r"範囲内|のみ", text)
            )
            if ok:
                strength, note = restriction_strength(
                    ctx, i, mod, "目的外利用の禁止に受託者の判断による例外があります。"
                )
                if not explicit:
                    strength, note = WEAK, generic_note
                out.append(Finding(purpose.id, strength, i, note))
    elif purpose.rx("improper").search(text):
        for _p, mod, role, subj in ctx.hits(i, purpose.rx("use")):
            if role == A.MAIN and mod == A.PROHIBITION and contractor_bound(subj):
                out.append(
                    Finding(
                        purpose.id,
                        WEAK,
                        i,
                        "「不当な目的」への使用の禁止のみで、目的外利用の禁止が明記されていません。",
                    )
                )
    return out


def bound(ctx: Context, clause: Clause, i: int) -> dict[str, int]:
    secrecy, purpose = clause.facets
    text = ctx.norm[i]
    modal = imposes(ctx, i)
    explicit = ctx.pi_level(i) >= 2 and not ctx.generic_only(i)
    return {
        "secrecy": level(
            bool(secrecy.rx("forbid").search(text) or secrecy.rx("keep").search(text)),
            modal and explicit,
        ),
        "purpose": level(
            bool(
                (purpose.rx("context").search(text) or purpose.rx("improper").search(text))
                and purpose.rx("use").search(text)
            ),
            modal and explicit and bool(purpose.rx("context").search(text)),
        ),
    }


def advice(ctx: Context) -> list[str]:
    """No advisory note for this clause."""
    return []
