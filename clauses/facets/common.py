"""Helpers every clause rule shares: who counts as bound, restrictions, context text."""

from __future__ import annotations

import re

from clauses import analysis as A
from clauses.context import STRONG, WEAK, Context, clause_text
from clauses.modality import DISCRETION, IMPOSE
from clauses.parties import IMPERSONAL

PRINCIPAL_NOTE = "委託者の義務としてのみ定められ、受託者に課されていません。"


def contractor_bound(subject: str) -> bool:
    return subject in (*A.CONTRACTOR_SIDE, IMPERSONAL)


def restriction_strength(ctx: Context, i: int, modality: str, weak_note: str) -> tuple[int, str]:
    """Strength of a prohibition/approval restriction given the sentence's exceptions."""
    exc = ctx.exception(i)
    if exc == DISCRETION:
        return WEAK, weak_note
    return STRONG, ""


def approval_obligation(ctx: Context, i: int) -> bool:
    """A main obligation to obtain the municipality's approval in sentence ``i``."""
    rx = re.compile(r"(?:承諾|承認|許可|許諾|同意)(?:を|の)?(?:得|受け|求め|要す)")
    for p, mod, _role, subj in ctx.main_with(i, rx):
        words = clause_text(ctx.analyses[i], p)
        if (
            mod in A.IMPOSING
            and contractor_bound(subj)
            # whose approval: the municipality's, or no one named (作業責任者の許可 is none)
            and (
                ctx.approved_by_principal(words)
                or not re.search(r"の(?:承諾|承認|許可|許諾|同意)", words)
            )
        ):
            return True
    return False


def mains_modality(ctx: Context, i: int) -> str | None:
    """The effective modality of the last main predicate of sentence ``i``."""
    an = ctx.analyses.get(i)
    if an is None or not an.main_predicates():
        return None
    return ctx.effective(i, an.main_predicates()[-1])[0]


def level(cond: bool, strong: bool) -> int:
    return (STRONG if strong else WEAK) if cond else 0


def context_text(ctx: Context, i: int) -> str:
    """Sentence ``i`` after its list lead, so that patterns anchored at the end (…こと。)
    still see the item's own ending."""
    s = ctx.doc.sentences[i]
    lead = ctx.norm[s.lead] if s.lead is not None else ""
    return lead + ctx.norm[i]


def imposes(ctx: Context, i: int, text: str | None = None) -> bool:
    """Whether sentence ``i`` (read as ``text``, by default with its list lead) has words that
    impose: its own ending, or for an item written as a noun phrase (…の甲への書面による報告)
    the ending of the lead that imposes its items."""
    if IMPOSE.search(text if text is not None else context_text(ctx, i)):
        return True
    s = ctx.doc.sentences[i]
    return (
        s.kind == "item"
        and s.lead is not None
        and not ctx.norm[i].rstrip().endswith("。")
        and bool(IMPOSE.search(ctx.norm[s.lead]))
    )


_REFERS_TO_CASE = re.compile(r"前(?:項|条|各項)(?:の場合|に規定する場合|に定める場合)")


def referred_text(ctx: Context, i: int, refers: re.Pattern[str] = _REFERS_TO_CASE) -> str:
    """The text of the paragraph a sentence refers to with 前項の場合 (…において), or with
    another reference ``refers`` finds."""
    if not refers.search(ctx.norm[i]):
        return ""
    s = ctx.doc.sentences[i]
    prev = [
        t
        for t in ctx.doc.sentences[max(0, i - 12) : i]
        if t.article == s.article
        and t.kind in ("body", "item")
        and t.proviso_of is None
        # the previous paragraph, or in a list whose items are numbered like paragraphs
        # (ア …。 イ 前項の場合において、…), the previous item
        and (t.paragraph != s.paragraph or (s.item is not None and t.item != s.item))
    ]
    return ctx.norm[prev[-1].index] if prev else ""
