"""The data-driven rule: a matter whose facets say in the catalog how they must be worded.

Each facet has ``act`` (the act the contract must govern), optionally ``need`` (words the
sentence or its list lead must also contain, e.g. 派遣労働者 for the dispatcher's liability)
and ``detail`` (for ``stated``: what makes the statement concrete), and a ``mode``:

- ``duty``: the contractor side must do the act (しなければならない / ものとする);
- ``forbid``: the contractor side must not do it (してはならない), exceptions only with the
  municipality's approval;
- ``right``: the municipality may do it (することができる), or the contractor must accept it;
- ``stated``: the agreement states the item (利用目的は、…とする), whoever's sentence it is.

``personal = "required"`` makes a finding strong only when the sentence names personal
information (else weak: the scope is not explicit); ``"information"`` drops sentences about
no information at all (a site, a key); empty: no requirement. The general mechanisms of the
engine (parties, definitions, list leads, provisos, modality, exceptions) decide the rest.
"""

from __future__ import annotations

import re

from clauses import analysis as A
from clauses.catalog import Clause, Facet
from clauses.context import STRONG, WEAK, Context, Finding
from clauses.facets.common import (
    PRINCIPAL_NOTE,
    context_text,
    contractor_bound,
    level,
    restriction_strength,
)
from clauses.modality import IMPOSE

EFFORT_NOTE = "「{title}」が努力義務にとどまっています。"
SCOPE_NOTE = "「{title}」の対象に個人情報が明記されていません。"
DETAIL_NOTE = "「{title}」の具体的な内容が記載されていません。"
DISCRETION_NOTE = "「{title}」に受託者の判断による例外があります。"
_EFFORT_WORDS = re.compile(r"努め|努力")


def _pattern(f: Facet, name: str) -> re.Pattern[str] | None:
    return f.patterns.get(name)


def _applies(ctx: Context, f: Facet, i: int) -> bool:
    need = _pattern(f, "need")
    if need is not None and not need.search(context_text(ctx, i)):
        return False
    if f.personal in ("required", "information"):
        return bool(ctx.pi_level(i) or ctx.about_information(i))
    return True


def candidate(ctx: Context, clause: Clause, i: int) -> bool:
    text = ctx.norm[i]
    return any(f.rx("act").search(text) and _applies(ctx, f, i) for f in clause.facets)


def rule(ctx: Context, clause: Clause, i: int) -> list[Finding]:
    out: list[Finding] = []
    for f in clause.facets:
        if not f.rx("act").search(ctx.norm[i]) or not _applies(ctx, f, i):
            continue
        decide = _MODES[f.mode or "duty"]
        out.extend(decide(ctx, f, i))
    return out


def _scoped(ctx: Context, f: Facet, i: int, strength: int, note: str = "") -> Finding:
    """A finding, weakened when personal information must be named and is not."""
    if strength == STRONG and f.personal == "required" and ctx.pi_level(i) == 0:
        return Finding(f.id, WEAK, i, SCOPE_NOTE.format(title=f.title))
    return Finding(f.id, strength, i, note)


def _duty(ctx: Context, f: Facet, i: int) -> list[Finding]:
    out: list[Finding] = []
    for _p, mod, role, subj in ctx.hits(i, f.rx("act")):
        if role != A.MAIN:
            continue
        if subj == A.PRINCIPAL and mod in (A.OBLIGATION, A.DECLARATIVE):
            out.append(Finding(f.id, WEAK, i, PRINCIPAL_NOTE))
        elif not contractor_bound(subj):
            continue
        elif mod in (A.OBLIGATION, A.DECLARATIVE):
            out.append(_scoped(ctx, f, i, STRONG))
        elif mod in (A.EFFORT, A.PERMISSION):
            note = EFFORT_NOTE.format(title=f.title) if mod == A.EFFORT else ""
            out.append(Finding(f.id, WEAK, i, note))
    return out


def _forbid(ctx: Context, f: Facet, i: int) -> list[Finding]:
    out: list[Finding] = []
    for _p, mod, role, subj in ctx.hits(i, f.rx("act")):
        if role != A.MAIN:
            continue
        if subj == A.PRINCIPAL and mod == A.PROHIBITION:
            out.append(Finding(f.id, WEAK, i, PRINCIPAL_NOTE))
        elif not contractor_bound(subj):
            continue
        elif mod == A.PROHIBITION:
            strength, note = restriction_strength(
                ctx, i, mod, DISCRETION_NOTE.format(title=f.title)
            )
            out.append(_scoped(ctx, f, i, strength, note))
        elif mod == A.EFFORT:
            out.append(Finding(f.id, WEAK, i, EFFORT_NOTE.format(title=f.title)))
    return out


def _right(ctx: Context, f: Facet, i: int) -> list[Finding]:
    out: list[Finding] = []
    for _p, mod, role, subj in ctx.hits(i, f.rx("act")):
        if role != A.MAIN:
            continue
        if subj == A.PRINCIPAL and mod in (A.PERMISSION, A.OBLIGATION, A.DECLARATIVE):
            out.append(_scoped(ctx, f, i, STRONG))
        elif contractor_bound(subj) and mod in (A.OBLIGATION, A.DECLARATIVE):
            out.append(_scoped(ctx, f, i, STRONG))  # 乙は、甲の調査に応じなければならない
        elif contractor_bound(subj) and mod == A.EFFORT:
            out.append(Finding(f.id, WEAK, i, EFFORT_NOTE.format(title=f.title)))
    return out


def _stated(ctx: Context, f: Facet, i: int) -> list[Finding]:
    an = ctx.analyses.get(i)
    if an is None or not an.main_predicates():
        return []
    mod = ctx.effective(i, an.main_predicates()[-1])[0]
    if mod not in (*A.IMPOSING, A.EFFORT):
        return []
    if ctx.catalog.consult.search(ctx.norm[i]):
        note = "協議又は別の定めに委ねられ、内容が定められていません。"
        return [Finding(f.id, WEAK, i, note)]
    detail = _pattern(f, "detail")
    if detail is not None and not detail.search(context_text(ctx, i)):
        return [Finding(f.id, WEAK, i, DETAIL_NOTE.format(title=f.title))]
    return [_scoped(ctx, f, i, STRONG)]


_MODES = {"duty": _duty, "forbid": _forbid, "right": _right, "stated": _stated}


def bound(ctx: Context, clause: Clause, i: int) -> dict[str, int]:
    text = context_text(ctx, i)
    modal = bool(IMPOSE.search(text)) or bool(re.search(r"ことができ", text))
    out = {}
    for f in clause.facets:
        found = bool(f.rx("act").search(ctx.norm[i])) and _applies(ctx, f, i)
        strong = modal and not (f.mode != "right" and _EFFORT_WORDS.search(text))
        if f.personal == "required":
            strong = strong and ctx.pi_level(i) >= 1
        if f.mode == "stated":
            strong = found  # a statement needs no duty word (…とする / …である)
        out[f.id] = level(found, strong)
    return out


def advice(ctx: Context) -> list[str]:
    """No advisory note for a data-driven matter."""
    return []
