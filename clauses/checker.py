"""The eight-clause check of CLAUSES.md on a structured contract.

Pipeline: learn the parties and the defined terms from the text (``parties``,
``definitions``); pick candidate sentences per clause with cheap vocabulary filters; parse
only those (and the lead sentences of their lists) with GiNZA (``analysis``); decide, per
facet of each clause, whether a main predicate binding the contractor (or granting the
municipality a right) imposes it (``facets``, ``modality``, ``scope``). A clause is satisfied
only when every facet is imposed; weak when something of it is found; missing otherwise.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable

from clauses import analysis as A
from clauses.analysis import PartyResolver, normalize
from clauses.catalog import DEFAULT_CATALOG, Catalog, Clause, load_catalog, load_named_catalog
from clauses.context import STRONG, WEAK, Context, Finding, mask_parens, sentence_modality
from clauses.definitions import learn_definitions
from clauses.facets import rules_of
from clauses.modality import IMPOSE
from clauses.parties import IMPERSONAL, learn_parties
from clauses.report import ClauseResult, Evidence, Report
from contracts.document import Document
from contracts.structure import running_headers, without_page_furniture

Progress = Callable[[str, int, int], None]


# -- the check --------------------------------------------------------------------------------
class Checker:
    """Runs the clause rules on a Document."""

    def __init__(self, catalog: Catalog | None = None) -> None:
        self.catalog = catalog or load_catalog()

    def context(self, doc: Document) -> Context:
        running = running_headers(doc.text.split("\n"))
        norm = [
            A.blank_cell_label(normalize(without_page_furniture(s.text, running)))
            for s in doc.sentences
        ]
        roles = learn_parties(doc, norm, self.catalog)
        parties = PartyResolver(roles)

        def alt(kind: str) -> re.Pattern[str]:
            terms = sorted((t for t, r in roles.items() if r == kind), key=len, reverse=True)
            parts = [
                re.escape(t) + ("(?=[のがはにへからよ])" if len(t) == 1 and t not in "甲乙" else "")
                for t in terms
            ]
            return re.compile("|".join(parts) or "(?!)")

        ctx = Context(
            doc=doc,
            catalog=self.catalog,
            parties=parties,
            principal_rx=alt(A.PRINCIPAL),
            contractor_rx=alt(A.CONTRACTOR),
            norm=norm,
            definitions=learn_definitions(
                doc,
                norm,
                self.catalog,
                {t for t, r in roles.items() if r in (A.PRINCIPAL, A.CONTRACTOR, A.BOTH)},
            ),
        )
        ctx.definitions.bind([s.section for s in doc.sentences], norm)
        ctx.masked = [mask_parens(t) for t in norm]
        for s in doc.sentences:
            if s.proviso_of is not None:
                ctx.provisos.setdefault(s.proviso_of, []).append(s.index)
            if s.lead is not None:
                ctx.items.setdefault(s.lead, []).append(s.index)
        return ctx

    def candidates(self, ctx: Context, clause: Clause) -> list[tuple[int, dict[str, int]]]:
        """Candidate sentences of ``clause`` with the best strength each could reach per facet,
        judged from vocabulary alone, in the order they are examined (most promising first)."""
        filt, _rule, bound, _advice = rules_of(clause.rule or clause.id)
        out = []
        for s in ctx.doc.sentences:
            if s.kind not in ("body", "item"):
                continue
            # An item is read with its lead, a sentence with its article's heading: the
            # lead or the heading may name what the sentence is about (４ 安全管理措置 /
            # (1) 乙は、次に掲げる措置を講じなければならない。; （事故発生時の対応） 乙は、
            # 直ちに甲に報告し…). The rule's own filter decides whether it counts.
            text = ctx.norm[s.index]
            if s.lead is not None:
                text = ctx.norm[s.lead] + "  " + text
            if s.article is not None:
                text = ctx.doc.articles[s.article].heading + "  " + text
            if not clause.prefilter.search(text) or not filt(ctx, clause, s.index):
                continue
            b = bound(ctx, clause, s.index)
            if max(b.values(), default=0) > 0:
                out.append((s.index, b))
        # Most promising first: the highest reachable strength, then sentences that name
        # personal information and could settle several facets at once.
        out.sort(
            key=lambda c: (-max(c[1].values()), -ctx.pi_level(c[0]), -sum(c[1].values()), c[0])
        )
        return out

    def check(
        self, doc: Document, *, parse: str = "candidates", progress: Progress | None = None
    ) -> list[ClauseResult]:
        """Check all clauses.

        Sentences are parsed only when they could still change a result: a candidate whose
        vocabulary bound cannot beat what a facet already has is skipped. ``parse="all"``
        parses and evaluates every sentence instead; both give identical results.
        """
        ctx = self.context(doc)
        if parse == "all":
            self._ensure(ctx, [s.index for s in doc.sentences if s.kind in ("body", "item")])
        results = []
        for n, clause in enumerate(self.catalog.clauses, 1):
            results.append(self._clause(ctx, clause, exhaustive=parse == "all"))
            if progress:
                progress("analysing", n, len(self.catalog.clauses))
        return results

    @staticmethod
    def _ensure(ctx: Context, idxs: Iterable[int]) -> None:
        from clauses.nlp import parse as nlp_parse

        todo: list[int] = []
        for i in idxs:
            s = ctx.doc.sentences[i]
            for k in (i, s.lead, s.proviso_of):
                if k is not None and k not in ctx.analyses and k not in todo:
                    todo.append(k)
        todo.sort()
        for i, parsed in zip(todo, nlp_parse(ctx.norm[i] for i in todo), strict=True):
            ctx.analyses[i] = A.analyse(parsed, ctx.parties, nominal=_imposed_item(ctx, i))

    def _clause(self, ctx: Context, clause: Clause, *, exhaustive: bool = False) -> ClauseResult:
        rule = rules_of(clause.rule or clause.id)[1]
        facet_ids = [f.id for f in clause.facets]
        best = dict.fromkeys(facet_ids, 0)
        first: dict[str, Finding] = {}
        cands = self.candidates(ctx, clause)
        for k, (i, bound) in enumerate(cands):
            if not exhaustive and all(bound.get(f, 0) <= best[f] for f in facet_ids):
                continue
            if i not in ctx.analyses:
                # Parse a few promising candidates together: batching is much cheaper.
                top = max(bound.values())
                ahead = [
                    j
                    for j, b in cands[k : k + 3]
                    if max(b.values()) == top and any(b.get(f, 0) > best[f] for f in facet_ids)
                ]
                self._ensure(ctx, ahead)
            for f in rule(ctx, clause, i):
                strength = min(f.strength, bound.get(f.facet, 0))
                if strength > best[f.facet]:
                    best[f.facet] = strength
                    first[f.facet] = Finding(f.facet, strength, i, f.note)
        if not any(best.values()):
            deferred = _deferred(ctx, clause)
            if deferred is not None:
                best[facet_ids[0]] = WEAK
                note = "協議又は別の定めに委ねられ、義務が定められていません。"
                first[facet_ids[0]] = Finding(facet_ids[0], WEAK, deferred, note)
            else:
                mentioned = _mentioned(ctx, clause)
                if mentioned is not None:
                    best[facet_ids[0]] = WEAK
                    note = f"{clause.title}に触れる記載はありますが、義務が定められていません。"
                    first[facet_ids[0]] = Finding(facet_ids[0], WEAK, mentioned, note)
        proposal = _proposal(ctx)
        # A company's own privacy policy: it declares how the writer handles data, as a
        # promise to the public, and binds no contractor by contract: at most weak.
        policy = _own_policy(ctx)
        proposal = proposal or policy is not None
        # A document that speaks as one person (a pledge, a consent): at most weak.
        pledge = (_pledge(ctx) or "") if ctx.first_person() else None
        if _describing(ctx) is not None:
            status = "missing"
        elif all(best[f] == STRONG for f in facet_ids) and not proposal and pledge is None:
            status = "satisfied"
        elif any(v >= WEAK for v in best.values()):
            status = "weak"
        else:
            status = "missing"
        evidence_idx: list[int] = []
        definitions: set[int] = set()
        notes: list[str] = []
        for fid in facet_ids:
            f = first.get(fid)
            if f is not None:
                if f.sentence not in evidence_idx:
                    evidence_idx.append(f.sentence)
                defined = ctx.pi_definition(f.sentence)
                if defined is not None and f.strength == STRONG:
                    # A defined term carried the decision: show where it is defined.
                    definitions.add(defined)
                note = _explain_scope(ctx, clause, f) if f.strength < STRONG else ""
                if note and note not in notes:
                    notes.append(note)
            elif status != "missing":
                notes.append(f"「{clause.facet(fid).title}」に当たる規定が見当たりません。")
        if proposal and status == "weak" and all(best[f] == STRONG for f in facet_ids):
            if policy is not None:
                notes.append(
                    f"「{policy}」は事業者自身の方針の表明で、契約として義務を課すものではありません。"
                )
            else:
                notes.append("提案書・見積書の記載で、契約として義務を課すものではありません。")
        if pledge is not None and status == "weak":
            what = f"「{pledge}」は" if pledge else ""
            note = "個人が差し入れる誓約で、受託者に義務を課す契約ではありません。"
            notes.insert(0, what + note)
        describing = _describing(ctx)
        if describing is not None:
            evidence_idx, definitions = [], set()
            notes = [
                f"「{describing}」は規定を説明・引用する文書で、受託者に義務を課す契約ではありません。"
            ]
        elif status != "missing":
            notes.extend(n for n in rules_of(clause.rule or clause.id)[3](ctx) if n not in notes)
        else:
            # Say what was looked for, so that the officer knows what to search the text for.
            notes.append(f"「{clause.regulation}」を定める規定が見当たりません。")
        evidence = [
            self._evidence(ctx, i, "definition" if i in definitions else "duty")
            for i in sorted({*evidence_idx, *definitions})
        ]
        return ClauseResult(
            id=clause.id, title=clause.title, status=status, evidence=evidence, notes=notes
        )

    @staticmethod
    def _evidence(ctx: Context, i: int, role: str = "duty") -> Evidence:
        s = ctx.doc.sentences[i]
        page = ctx.doc.page(s.page)
        confidence = page.confidence if page is not None and page.ocr else None
        return Evidence(
            article=s.citation,
            page=s.page,
            start=s.start,
            end=s.end,
            text=s.text,
            role=role,
            ocr_confidence=confidence,
        )


def _explain_scope(ctx: Context, clause: Clause, f: Finding) -> str:
    """The note of a weak finding; when personal information was not named but the duty is
    written over a defined term, say which term and that its definition lacks it."""
    if not f.note:
        # A weak finding with no reason of its own: say what was found and what it lacks.
        return (
            f"「{clause.facet(f.facet).title}」に触れる定めはありますが、個人情報の取扱いについて"
            "受託者に義務付ける（又は委託者に権限を与える）規定として確認できません。"
        )
    if "個人情報が明記されていません" not in f.note:
        return f.note
    term = ctx.definitions.term_in(f.sentence, personal=False)
    if term is None:
        return f.note
    where = ctx.doc.sentences[term.sentence].citation or "前文"
    return (
        f"{clause.facet(f.facet).title}の定めはありますが、対象の「{term.term}」が"
        f"個人情報を含むと定義されていません（{where}の定義）。"
    )


def _proposal(ctx: Context) -> bool:
    """Whether the document's title (before any article) names a proposal or an estimate."""
    rx = ctx.catalog.patterns.get("proposal_title")
    if rx is None:
        return False
    for s in ctx.doc.sentences[:4]:
        if s.article is not None:
            break
        if s.kind in ("fragment", "heading") and rx.search(re.sub(r"\s", "", ctx.norm[s.index])):
            return True
    return False


def _own_policy(ctx: Context) -> str | None:
    """The title of a company's own privacy policy (プライバシーポリシー, 個人情報保護方針),
    unless a contract's title comes first."""
    rx, contract = (
        ctx.catalog.patterns.get("own_policy"),
        ctx.catalog.patterns.get("contract_title"),
    )
    if rx is None:
        return None
    for title in ctx.titles():
        if contract is not None and contract.search(title):
            return None
        if rx.fullmatch(title) or (rx.match(title) and len(title) <= 20):
            return title
    return None


def _describing(ctx: Context) -> str | None:
    """The title of a document that only describes or quotes the matters (新旧対照表,
    監査結果報告書, …について（通達）, 事務処理要領 …), if it is one."""
    rx, contract = (
        ctx.catalog.patterns.get("describing_title"),
        ctx.catalog.patterns.get("contract_title"),
    )
    if rx is None:
        return None
    mark = ctx.catalog.patterns.get("model_clause_mark")
    if mark is not None:
        for s in ctx.doc.sentences:
            if s.kind in ("heading", "fragment") and mark.match(ctx.norm[s.index].strip()):
                titles = ctx.titles()
                return titles[0] if titles else ctx.norm[s.index].strip()
    letter = ctx.catalog.patterns.get("letter_title")
    if letter is not None and not any(contract and contract.search(t) for t in ctx.titles()):
        found = next((t for t in ctx.titles() if letter.search(t)), None)
        if found is not None:
            return found
    for title in ctx.titles():
        if contract is not None and contract.search(title):
            return None  # a contract (or its 特記事項) titled first: whatever it attaches
        if rx.search(title):
            return title
    return None


def _pledge(ctx: Context) -> str | None:
    """The title of a pledge (誓約書, 念書); asked only of a document that speaks as one person
    (私は、…): it mentions the matters it covers but binds that person, not the contractor."""
    rx = ctx.catalog.patterns.get("pledge_title")
    if rx is None:
        return None
    return next((title for title in ctx.titles() if rx.search(title)), None)


def _mentioned(ctx: Context, clause: Clause) -> int | None:
    """A body sentence that presumes the matter (names a subcontractor) without imposing it."""
    if clause.mention is None:
        return None
    for s in ctx.doc.sentences:
        text = ctx.norm[s.index]
        # A sentence that states something (not a table row or a list of contents).
        if (
            s.kind in ("body", "item")
            and "|" not in text
            and clause.mention.search(text)
            and IMPOSE.search(text)
        ):
            return s.index
    return None


def _deferred(ctx: Context, clause: Clause) -> int | None:
    """A sentence that names the matter but leaves it to later agreement or to the
    municipality's rules (…については、甲乙協議して定める): mentioned, not imposed."""
    if clause.topic is None:
        return None
    for s in ctx.doc.sentences:
        if s.kind not in ("body", "item"):
            continue
        text = ctx.norm[s.index]
        m = ctx.catalog.consult.search(text)
        if m and clause.topic.search(text[: m.start()]):
            return s.index
    return None


def check_document(
    doc: Document,
    *,
    profile: str = "miki",
    parse: str = "candidates",
    progress: Progress | None = None,
    file: str = "",
    catalog: str = DEFAULT_CATALOG,
) -> Report:
    """Check a Document against the matters of ``catalog`` and return a Report."""
    from clauses.profile import load_profile

    t0 = time.perf_counter()
    prof = load_profile(profile)
    cat = load_named_catalog(catalog)
    results = Checker(cat).check(doc, parse=parse, progress=progress)
    return Report(
        file=file,
        profile=prof.id,
        pages=len(doc.pages),
        ocr=doc.ocr,
        clauses=results,
        seconds=round(time.perf_counter() - t0, 3),
        municipality=prof.municipality,
        article=prof.article(cat.article),
        catalog=cat.name,
        paragraph=cat.paragraph,
        ocr_pages={p.number: p.confidence or 0.0 for p in doc.pages if p.ocr},
        low_confidence_pages=[p.number for p in doc.pages if p.low_confidence],
    )


# A lead that imposes its items as duties to comply with (次に掲げる事項を遵守しなければなら
# ない / 次の事項を守ること), not one that lists what a document states (…を明記する).
_COMPLY = re.compile(
    r"(?:事項|次|以下|各号)[^。]{0,24}?(?:遵守|守ら|守り|守る|従わ|従い|従う|履行|徹底)"
)


def _imposed_item(ctx: Context, i: int) -> bool:
    """Whether sentence ``i`` is an item under a lead that imposes its items as duties on
    the contractor's side (read from the lead's parse, which is made first)."""
    s = ctx.doc.sentences[i]
    if s.kind != "item" or s.lead is None or s.lead not in ctx.analyses:
        return False
    if not _COMPLY.search(ctx.norm[s.lead]):
        return False
    mod, subj = sentence_modality(ctx.analyses[s.lead])
    return mod in A.IMPOSING and subj in (*A.CONTRACTOR_SIDE, IMPERSONAL, A.UNKNOWN)
