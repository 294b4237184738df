"""The rule of breach_remedies: termination and damages for a breach."""

from __future__ import annotations

import re

from clauses import analysis as A
from clauses.catalog import Clause, Facet
from clauses.context import REMEDY_MATTER, STRONG, WEAK, Context, Finding, clause_text
from clauses.facets.common import (
    contractor_bound,
    imposes,
    level,
    referred_text,
)
from clauses.modality import PERMIT
from clauses.parties import IMPERSONAL


def candidate(ctx: Context, clause: Clause, i: int) -> bool:
    text = ctx.norm[i]
    if _FORMALITY.search(text):
        return False  # …の請求、通知及び解除は、書面により行わなければならない
    term, dmg = clause.facets
    return bool(
        term.rx("act").search(text) or dmg.rx("act").search(text) or dmg.rx("penalty").search(text)
    )


def _grounds(term: Facet, text: str, items_text: str, referred: str = "") -> str:
    """The grounds of a termination with those that are no breach of the contract taken out
    (…私的独占の禁止…に違反したことにより…排除措置命令が確定したとき); a breach of the
    paragraph before (相手方が前項に違反したとき) is one of what that paragraph is about (the
    反社会的勢力 representation)."""
    clauses = re.split(r"(?<=[、。])", text + "。" + items_text)
    other = bool(referred) and bool(term.rx("not_ground").search(referred))
    return "".join(
        c
        for c in clauses
        if not term.rx("not_ground").search(c) and not (other and _BREACH_OF_PREVIOUS.search(c))
    )


_BREACH_OF_PREVIOUS = re.compile(
    r"前(?:項|条|各項|段)(?:の[^、。]{0,12})?に(?:違反|反)|これに(?:違反|反)"
)


def _previous_text(ctx: Context, i: int) -> str:
    """What a breach of 前項 / これ refers to: the paragraph before, or for これ the sentence
    before in the same paragraph (…表明し、保証します。相手方がこれに違反したときは)."""
    text = referred_text(ctx, i, _BREACH_OF_PREVIOUS)
    s = ctx.doc.sentences[i]
    if re.search(r"これに(?:違反|反)", ctx.norm[i]) and i > 0:
        before = ctx.doc.sentences[i - 1]
        if before.article == s.article and before.paragraph == s.paragraph:
            text += ctx.norm[i - 1]
    return text


_LEAK = re.compile(r"漏えい|漏洩|流出|漏出|滅失|き損|毀損")
_LEAK_DAMAGE = re.compile(
    r"(?:漏えい|漏洩|流出|漏出)(?:等)?(?:に係る|による|により生じた|に起因する)損害"
)
_OTHER_GROUND = re.compile(r"解除|不正|目的外|目的以外")


def _leak_only(term: Facet, text: str) -> bool:
    """Whether the damages of ``text`` are owed for a leak only (当該漏えいに係る損害), not for
    a breach of the contract or the law."""
    if _LEAK_DAMAGE.search(text):
        return True
    return bool(
        _LEAK.search(text) and not term.rx("breach").search(text) and not _OTHER_GROUND.search(text)
    )


_FORMALITY = re.compile(r"(?:書面|文書)(?:により|によって|で|をもって)行")


def rule(ctx: Context, clause: Clause, i: int) -> list[Finding]:
    term, dmg = clause.facets
    text = ctx.norm[i]
    out: list[Finding] = []
    items_text = "".join(ctx.norm[k] for k in ctx.items.get(i, [])) + referred_text(ctx, i)
    previous = _previous_text(ctx, i)
    hits = ctx.hits(i, term.rx("act"), matter=REMEDY_MATTER, not_after=term.rx("not_right"))
    for p, mod, role, subj in hits:
        # …契約を解除されても（貴社が解除しても）異議を申し立てません: the contractor accepts
        # the termination in advance, which grants it.
        conceded = role == A.CONDITION and bool(
            re.match(r"[^、。]{0,4}(?:ても|でも)", p.tail[p.size :])
            and term.rx("accept").search(p.tail)
        )
        if conceded:
            grounds = _grounds(term, text, items_text, previous)
            if term.rx("breach").search(grounds) or term.rx("fault_leak").search(grounds):
                out.append(Finding(term.id, STRONG, i))
            continue
        if role != A.MAIN or p.negated:
            continue
        rights = mod in (A.PERMISSION, *A.IMPOSING)
        accepts = (
            mod in A.IMPOSING
            and contractor_bound(subj)
            and term.rx("accept").search(clause_text(ctx.analyses[i], p) + p.tail)
        )
        # Termination for insolvency, 暴力団 or convenience is no remedy for a breach:
        # without a breach among its grounds it is not this matter at all.
        grounds = _grounds(term, text, items_text, previous)
        if ((rights and subj in (A.PRINCIPAL, A.BOTH, IMPERSONAL)) or accepts) and (
            term.rx("breach").search(grounds) or term.rx("fault_leak").search(grounds)
        ):
            out.append(Finding(term.id, STRONG, i))
    other_remedy = dmg.rx("not_remedy").search(text + referred_text(ctx, i))
    # 違約金として…の100分の10に相当する額を支払わなければならない: the amount comes between.
    for p, mod, role, subj in ctx.hits(i, dmg.rx("penalty"), max_gap=48):
        if (
            not other_remedy
            and role == A.MAIN
            and not p.negated
            and mod in A.IMPOSING
            and contractor_bound(subj)
        ):
            out.append(Finding(dmg.id, WEAK, i, "違約金の定めのみで、損害賠償の定めがありません。"))
    for p, mod, role, subj in ctx.hits(i, dmg.rx("act"), matter=REMEDY_MATTER):
        if (
            other_remedy
            or role != A.MAIN
            or p.negated
            or re.search(r"負わな|免れ|免除|請求しな|限りでない|上限|限度", p.tail)
            # …損害の賠償を請求することができない: a claim waived, no liability
            or (mod == A.PROHIBITION and subj != A.CONTRACTOR)
        ):
            continue
        owes = mod in A.IMPOSING and subj in (*A.CONTRACTOR_SIDE, IMPERSONAL)
        may_claim = mod == A.PERMISSION and subj in (A.PRINCIPAL, A.BOTH, IMPERSONAL)
        if (owes or may_claim) and _leak_only(term, text):
            # …漏えいが生じ、…損害を与えたときは、当該漏えいに係る損害を賠償: liability for a
            # leak only, not for breaching the contract or the law. Lent goods lost (貸与品が
            # 滅失し…) are no information at all.
            if ctx.about_information(i):
                note = "損害賠償が漏えいによる損害に限られています。"
                out.append(Finding(dmg.id, WEAK, i, note))
        elif owes or may_claim:
            out.append(Finding(dmg.id, STRONG, i))
    if not ctx.document_has_pi() and ctx.document_about_other_matter():
        # Remedies for breaching a contract that holds no personal information (works,
        # goods, technical secrets) do not protect any: the matter is touched, not imposed.
        out = [Finding(f.facet, min(f.strength, WEAK), i, f.note or _NO_PI_NOTE) for f in out]
    return out


_NO_PI_NOTE = "契約書に個人情報の取扱いの定めがなく、契約一般の解除・損害賠償の定めのみです。"


def bound(ctx: Context, clause: Clause, i: int) -> dict[str, int]:
    term, dmg = clause.facets
    text = ctx.norm[i]
    items = "".join(ctx.norm[k] for k in ctx.items.get(i, [])) + referred_text(ctx, i)
    modal = imposes(ctx, i) or bool(PERMIT.search(text))
    return {
        "termination": level(
            bool(term.rx("act").search(text)),
            modal
            and bool(
                term.rx("breach").search(text + items) or term.rx("fault_leak").search(text + items)
            ),
        ),
        "damages": level(
            bool(dmg.rx("act").search(text) or dmg.rx("penalty").search(text)),
            modal and bool(dmg.rx("act").search(text)),
        ),
    }


def advice(ctx: Context) -> list[str]:
    """No advisory note for this clause."""
    return []
