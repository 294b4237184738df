"""The eight-clause check of CLAUSES.md on a structured contract.

Pipeline: learn the parties and the defined terms from the text; pick candidate sentences
per clause with cheap vocabulary filters; parse only those (and the lead sentences of their
lists) with GiNZA; decide, per facet of each clause, whether a main predicate binding the
contractor (or granting the municipality a right) imposes it. A clause is satisfied only
when every facet is imposed; weak when something of it is found; missing otherwise.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from clauses import analysis as A
from clauses.analysis import PartyResolver, Predicate, SentenceAnalysis, normalize
from clauses.catalog import Catalog, Clause, Facet, load_catalog
from clauses.report import ClauseResult, Evidence, Report
from contracts.document import Document

Progress = Callable[[str, int, int], None]

STRONG, WEAK = 2, 1
APPROVAL, LEGAL, DISCRETION = "approval", "legal", "discretion"
IMPERSONAL = "impersonal"

_PERSON_WORDS = re.compile(r"(?:者|先|人|社|会社|機関|職員|員|法人|団体|組合|事務所)(?:等)?$")
_LEGAL = re.compile(
    r"法令|法律|条例|裁判所|令状|捜査|官公署|行政機関|人の生命|身体又は財産|本人の同意"
)


@dataclass(frozen=True)
class Finding:
    """One sentence's contribution to one facet."""

    facet: str
    strength: int
    sentence: int
    note: str = ""


@dataclass
class _Ctx:
    doc: Document
    catalog: Catalog
    parties: PartyResolver
    principal_rx: re.Pattern[str]
    contractor_rx: re.Pattern[str]
    norm: list[str]
    pi_aliases: dict[int, dict[str, bool]]
    masked: list[str] = field(default_factory=list)
    analyses: dict[int, SentenceAnalysis] = field(default_factory=dict)
    provisos: dict[int, list[int]] = field(default_factory=dict)
    items: dict[int, list[int]] = field(default_factory=dict)

    # -- scope ------------------------------------------------------------------------------
    def explicit_pi(self, i: int) -> bool:
        text = self.norm[i]
        if self.catalog.personal.search(text):
            return True
        section = self.doc.sentences[i].section
        aliases = {**self.pi_aliases.get(0, {}), **self.pi_aliases.get(section, {})}
        return any(flag and term in text for term, flag in aliases.items())

    def generic_only(self, i: int) -> bool:
        """Whether sentence ``i`` itself names secrets in general (秘密情報 …) and no personal
        information: a list lead or heading about personal information does not widen it."""
        return bool(self.catalog.generic_secret.search(self.norm[i])) and not self.explicit_pi(i)

    def without_laws(self, i: int) -> str:
        """The sentence with the names of laws and rules taken out."""
        return self.catalog.law_name.sub("", self.norm[i])

    def pi_level(self, i: int) -> int:
        """3: the sentence (or its list lead/items) names personal information; 2: the
        article heading does; 1: the section title does; 0: no personal information."""
        s = self.doc.sentences[i]
        related = [i, *(self.items.get(i, []))]
        if s.lead is not None:
            related.append(s.lead)
        if s.proviso_of is not None:
            related.append(s.proviso_of)
        if any(self.explicit_pi(k) for k in related):
            return 3
        if s.article is not None and self.catalog.personal.search(
            normalize(self.doc.articles[s.article].heading)
        ):
            return 2
        if self.catalog.personal.search(normalize(self.doc.sections[s.section].title)):
            return 1
        return 0

    # -- exceptions ---------------------------------------------------------------------------
    def exception(self, i: int) -> str | None:
        """The weakest exception qualifying sentence ``i`` (its own and its provisos)."""
        texts = []
        text = self.norm[i]
        for m in re.finditer(r"を除[きいく]|を除いて|以外は", text):
            pre = text[: m.start()]
            pre = re.split(r"(?:は|が)、", pre)[-1]
            texts.append(pre[-60:])
        for k in self.provisos.get(i, []):
            p = self.norm[k]
            if re.search(r"限りでない|限りではない|できる|差し支えない|妨げない", p):
                texts.append(p)
        kinds = [self.classify_exception(t) for t in texts]
        if DISCRETION in kinds:
            return DISCRETION
        return kinds[0] if kinds else None

    def approved_by_principal(self, text: str) -> bool:
        """Whether ``text`` makes something depend on the municipality's approval/instruction."""
        if re.search(
            rf"(?:{self.principal_rx.pattern})[^、。]{{0,20}}?"
            r"(?:承諾|承認|許可|許諾|同意|認め|指示|指定|求め|請求|了承)",
            text,
        ):
            return True
        # "書面による事前の承諾を得た場合" without naming anyone: the other party's approval.
        m = re.search(r"(?:承諾|承認|許可|許諾|同意)を(?:得|受け)", text)
        if m:
            before = text[max(0, m.start() - 12) : m.start()]
            return not self.contractor_rx.search(before)
        return False

    def classify_exception(self, text: str) -> str:
        if self.approved_by_principal(text):
            return APPROVAL
        if _LEGAL.search(text):
            return LEGAL
        return DISCRETION

    # -- predicates ---------------------------------------------------------------------------
    def effective(self, i: int, p: Predicate) -> tuple[str, str, str]:
        """(modality, role, subject) of ``p`` once list leads and provisos are accounted for."""
        modality, role, subject = p.modality, p.role, p.subject
        s = self.doc.sentences[i]
        lead = self.analyses.get(s.lead) if s.lead is not None else None
        if lead is not None and role == A.MAIN:
            lead_mod, lead_subj = _sentence_modality(lead)
            ends_koto = bool(re.search(r"こと[。]?$", self.norm[i])) or s.kind == "item"
            if ends_koto or modality in (A.NONE, A.DECLARATIVE):
                if lead_mod == A.PROHIBITION and modality in (A.OBLIGATION, A.DECLARATIVE, A.NONE):
                    modality = A.PROHIBITION
                elif lead_mod in (A.OBLIGATION, A.DECLARATIVE) and modality == A.NONE:
                    modality = A.NONE
                elif lead_mod not in (A.OBLIGATION, A.DECLARATIVE, A.PROHIBITION):
                    # A list introduced without any duty only names matters.
                    modality = A.NONE if lead_mod != A.EFFORT else A.EFFORT
            if subject in (A.UNKNOWN, A.OTHER, IMPERSONAL) and lead_subj not in (A.UNKNOWN,):
                subject = lead_subj
        if subject == A.UNKNOWN or (subject == A.OTHER and self.impersonal_topic(i)):
            subject = self.inherited_subject(i)
        return modality, role, subject

    def impersonal_topic(self, i: int) -> bool:
        text = re.sub(r"\([^()]*\)", "", self.norm[i])
        m = re.match(r"^([^、。]{1,40})(?:は|については)、", text)
        return (
            bool(m)
            and not _PERSON_WORDS.search(m.group(1))
            and self.parties.resolve(m.group(1)) in (A.OTHER, A.UNKNOWN)
        )

    def inherited_subject(self, i: int) -> str:
        s = self.doc.sentences[i]
        if s.proviso_of is not None and s.proviso_of in self.analyses:
            return self.analyses[s.proviso_of].topic
        if self.impersonal_topic(i) or not re.match(r"^[^、。]{1,24}(?:は|が)、", self.norm[i]):
            return IMPERSONAL
        return A.UNKNOWN

    def hits(
        self,
        i: int,
        rx: re.Pattern[str],
        max_gap: int = 24,
        matter: re.Pattern[str] | None = None,
        not_after: re.Pattern[str] | None = None,
    ) -> list[tuple[Predicate, str, str, str]]:
        """Predicates governing each match of ``rx``: (predicate, modality, role, subject).

        ``rx`` is matched on the sentence and on the sentence with the insides of its
        parentheticals blanked out, so that a long inserted definition (第三者（…（…）…）に
        委託) does not break a phrase; ``not_after`` rejects matches followed by it."""
        an = self.analyses.get(i)
        if an is None:
            return []
        matter = matter or _MATTER
        out: list[tuple[Predicate, str, str, str]] = []
        seen: set[int] = set()
        topic_end = _topic_end(an.text)
        mains = an.main_predicates()
        masked = self.masked[i] if self.masked else an.text
        matches = list(rx.finditer(an.text))
        if masked != an.text:
            matches += [m for m in rx.finditer(masked) if "・" not in m.group(0)[:1]]
        for m in matches:
            if not_after is not None and not_after.search(an.text[m.end() :]):
                continue
            if m.end() <= topic_end and mains:
                # The act is the topic: 個人情報の複製は、…これを禁止する。
                p = max(mains, key=lambda q: q.start)
            else:
                p = an.predicate_at(m.end())
                if p is None:
                    continue
                # The act must be the predicate or its close complement (再委託を行っては…),
                # not a noun naming a matter (…返還又は消去の義務その他の事項を定め…).
                gap = an.text[m.end() : p.start] if p.start >= m.end() else ""
                listed = _LIST_GAP.match(_PAREN.sub("", gap))
                if not listed and (len(gap) > max_gap or matter.search(gap)):
                    continue
            if p.index in seen:
                continue
            seen.add(p.index)
            out.append((p, *self.effective(i, p)))
        return out

    def main_with(self, i: int, rx: re.Pattern[str]) -> list[tuple[Predicate, str, str, str]]:
        """Main predicates whose own phrase (up to the next 、) matches ``rx``."""
        an = self.analyses.get(i)
        if an is None:
            return []
        out = []
        for p in an.predicates:
            if rx.search(_clause_text(an, p)):
                mod, role, subj = self.effective(i, p)
                if role == A.MAIN:
                    out.append((p, mod, role, subj))
        return out


_MATTER_WORDS = (
    r"義務|事項|方法|内容|状況|範囲|場所|項目|件数|名称|有無|期間|理由|手続|計画|"
    r"確認|記録|結果|申出|申入|申し入|指示|承諾|通知|旨"
)
_MATTER = re.compile(rf"の[^、。]{{0,6}}?(?:{_MATTER_WORDS}|請求|求め)|に関する|について")
# For remedies, "の請求" names the remedy claimed (解除及び損害賠償の請求をすることができる).
_REMEDY_MATTER = re.compile(rf"の[^、。]{{0,6}}?(?:{_MATTER_WORDS})|に関する|について")
# A list of acts ending in a head noun (…の複写、複製、送信その他これらに類する行為をしては
# ならない): each listed act is the object of the final predicate.
_LIST_GAP = re.compile(
    r"^(?:(?:、|及び|又は|若しくは|並びに|・)[^、。]{1,16}?)*"
    r"(?:その他(?:これら|これ)?(?:に類する)?|等の)[^、。]{0,10}?(?:行為|こと|処理|取扱い)(?:を|は)$"
)
_PAREN = re.compile(r"\([^()]*\)")


def _mask_parens(text: str) -> str:
    """``text`` with the inside of every top-level parenthetical replaced by ・ (same length)."""
    out, depth = [], 0
    for ch in text:
        if ch == "(":
            depth += 1
            out.append(ch if depth == 1 else "・")
        elif ch == ")" and depth:
            depth -= 1
            out.append(ch if depth == 0 else "・")
        else:
            out.append("・" if depth else ch)
    return "".join(out)


def _topic_end(text: str) -> int:
    """Offset just after the sentence's top-level topic (…は、), or 0 if it has none."""
    depth = 0
    for k, ch in enumerate(text):
        if ch in "(（「":
            depth += 1
        elif ch in ")）」":
            depth = max(0, depth - 1)
        elif depth == 0 and ch == "、":
            is_topic = text[k - 1 : k] == "は" and not text[:k].endswith(
                ("場合は", "ときは", "ては")
            )
            return k if is_topic else 0
    return 0


def _clause_text(an: SentenceAnalysis, p: Predicate) -> str:
    """The words of ``p``'s clause: from the previous 、 (or start) to its tail."""
    start = max(an.text.rfind("、", 0, p.start), an.text.rfind("。", 0, p.start)) + 1
    return an.text[start : p.start + len(p.tail)]


def _sentence_modality(an: SentenceAnalysis) -> tuple[str, str]:
    mains = [p for p in an.predicates if p.role == A.MAIN]
    if not mains:
        return A.NONE, an.topic
    final = max(mains, key=lambda p: p.start)
    gov = next((p for p in an.predicates if p.index == final.governor), final)
    return gov.modality, gov.subject


# -- parties and definitions ---------------------------------------------------------------
_ALIAS = re.compile(r"[（(]以下[、,]?\s*[「『](?P<term>[^」』]{1,20})[」』]という")
_DEFINITION = re.compile(r"^[「『]?(?P<term>[^「」『』、。]{1,20})[」』]?とは、(?P<def>.*)$")
_DEF_IN = re.compile(
    r"(?:において|では)[、]?[「『]?(?P<term>[^「」『』、。]{2,20}?)[」』]?とは、(?P<def>.*)$"
)


def learn_parties(doc: Document, norm: list[str], catalog: Catalog) -> dict[str, str]:
    """Party roles: built-in terms, then aliases the preamble defines (以下「甲」という)."""
    roles: dict[str, str] = {}
    for t in catalog.principal_terms:
        roles[t] = A.PRINCIPAL
    for t in catalog.contractor_terms:
        roles[t] = A.CONTRACTOR
    for t in catalog.mutual_terms:
        roles[t] = A.BOTH
    for t in catalog.staff_terms:
        roles[t] = A.STAFF
    municipal = re.compile(
        r"(?:市|町|村|県|都|府|区)(?:長)?$|(?:市|町|村|県)(?:長|役所|教育委員会)|委員会$|広域連合|一部事務組合"
    )
    for i, text in enumerate(norm[:400]):
        aliases = list(_ALIAS.finditer(text))
        if len(aliases) < 2 and not (aliases and i < 40):
            continue
        found: list[tuple[str, str]] = []  # (alias, entity)
        for m in aliases:
            pre = text[: m.start()]
            entity = re.split(r"[、。と]|及び|並びに|は|が", pre)[-1]
            found.append((m.group("term"), entity))
        for term, entity in found:
            party_like = term in ("甲", "乙", "丙") or re.search(
                r"者$|社$|側$|市$|町$|村$|県$", term
            )
            if party_like and municipal.search(entity):
                roles[term] = A.PRINCIPAL
        # Direction of the entrustment: 甲は乙に…委託 / 甲が乙に委託する / 乙は甲から受託.
        terms = [t for t, _ in found]
        for a in terms:
            for b in terms:
                if a == b:
                    continue
                if re.search(
                    rf"{re.escape(a)}(?:は|が)、?{re.escape(b)}(?:に|へ)(?:対し(?:て)?)?、?[^。]{{0,40}}?委託",
                    text,
                ) or re.search(
                    rf"{re.escape(b)}(?:は|が)、?{re.escape(a)}(?:から|より)[^。]{{0,40}}?(?:受託|請け負)",
                    text,
                ):
                    roles[a], roles[b] = A.PRINCIPAL, A.CONTRACTOR
        if len(found) >= 2 and not any(roles.get(t) == A.PRINCIPAL for t in terms):
            first, second = terms[0], terms[1]
            if first not in ("甲", "乙") and second not in ("甲", "乙"):
                roles.setdefault(first, A.PRINCIPAL)
                roles.setdefault(second, A.CONTRACTOR)
    # 開示者/受領者 and similar mutual roles stay "both".
    return roles


def learn_pi_aliases(
    doc: Document, norm: list[str], catalog: Catalog
) -> dict[int, dict[str, bool]]:
    """Defined terms that include personal information (以下「個人情報等」という …), per section."""
    out: dict[int, dict[str, bool]] = {}
    items_of: dict[int, list[int]] = {}
    for s in doc.sentences:
        if s.lead is not None:
            items_of.setdefault(s.lead, []).append(s.index)
    for s in doc.sentences:
        text = norm[s.index]
        for m in _ALIAS.finditer(text):
            pre = text[max(0, m.start() - 50) : m.start()]
            pre = re.split(r"。|(?:は|が|を|に)、", pre)[-1]
            term = m.group("term")
            if catalog.personal.search(term):
                continue
            if catalog.personal.search(pre):
                out.setdefault(s.section, {})[term] = True
        m = _DEFINITION.match(text) or _DEF_IN.search(text)
        if m:
            term = m.group("term").strip("「」『』")
            if catalog.personal.search(term) or len(term) > 20:
                continue
            body = m.group("def") + "".join(norm[k] for k in items_of.get(s.index, []))
            out.setdefault(s.section, {})[term] = bool(catalog.personal.search(body))
    return out


# -- the check --------------------------------------------------------------------------------
class Checker:
    """Runs the clause rules on a Document."""

    def __init__(self, catalog: Catalog | None = None) -> None:
        self.catalog = catalog or load_catalog()

    def context(self, doc: Document) -> _Ctx:
        norm = [normalize(s.text) for s in doc.sentences]
        roles = learn_parties(doc, norm, self.catalog)
        parties = PartyResolver(roles)

        def alt(kind: str) -> re.Pattern[str]:
            terms = sorted((t for t, r in roles.items() if r == kind), key=len, reverse=True)
            parts = [
                re.escape(t) + ("(?=[のがはにへからよ])" if len(t) == 1 and t not in "甲乙" else "")
                for t in terms
            ]
            return re.compile("|".join(parts) or "(?!)")

        ctx = _Ctx(
            doc=doc,
            catalog=self.catalog,
            parties=parties,
            principal_rx=alt(A.PRINCIPAL),
            contractor_rx=alt(A.CONTRACTOR),
            norm=norm,
            pi_aliases=learn_pi_aliases(doc, norm, self.catalog),
        )
        ctx.masked = [_mask_parens(t) for t in norm]
        for s in doc.sentences:
            if s.proviso_of is not None:
                ctx.provisos.setdefault(s.proviso_of, []).append(s.index)
            if s.lead is not None:
                ctx.items.setdefault(s.lead, []).append(s.index)
        return ctx

    def candidates(self, ctx: _Ctx, clause: Clause) -> list[tuple[int, dict[str, int]]]:
        """Candidate sentences of ``clause`` with the best strength each could reach per facet,
        judged from vocabulary alone, in the order they are examined (most promising first)."""
        filt, _rule, bound = _RULES[clause.id]
        out = []
        for s in ctx.doc.sentences:
            if s.kind not in ("body", "item"):
                continue
            text = ctx.norm[s.index]
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
    def _ensure(ctx: _Ctx, idxs: Iterable[int]) -> None:
        from clauses.nlp import parse as nlp_parse

        todo: list[int] = []
        for i in idxs:
            s = ctx.doc.sentences[i]
            for k in (i, s.lead, s.proviso_of):
                if k is not None and k not in ctx.analyses and k not in todo:
                    todo.append(k)
        todo.sort()
        for i, parsed in zip(todo, nlp_parse(ctx.norm[i] for i in todo), strict=True):
            ctx.analyses[i] = A.analyse(parsed, ctx.parties)

    def _clause(self, ctx: _Ctx, clause: Clause, *, exhaustive: bool = False) -> ClauseResult:
        rule = _RULES[clause.id][1]
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
        if all(best[f] == STRONG for f in facet_ids):
            status = "satisfied"
        elif any(v >= WEAK for v in best.values()):
            status = "weak"
        else:
            status = "missing"
        evidence_idx: list[int] = []
        notes: list[str] = []
        for fid in facet_ids:
            f = first.get(fid)
            if f is not None:
                if f.sentence not in evidence_idx:
                    evidence_idx.append(f.sentence)
                if f.strength < STRONG and f.note and f.note not in notes:
                    notes.append(f.note)
            elif status != "missing":
                notes.append(f"「{clause.facet(fid).title}」に当たる規定が見当たりません。")
        if status != "missing":
            notes.extend(n for n in _ADVICE[clause.id](ctx) if n not in notes)
        evidence = [self._evidence(ctx, i) for i in sorted(evidence_idx)]
        return ClauseResult(
            id=clause.id, title=clause.title, status=status, evidence=evidence, notes=notes
        )

    @staticmethod
    def _evidence(ctx: _Ctx, i: int) -> Evidence:
        s = ctx.doc.sentences[i]
        page = ctx.doc.page(s.page)
        confidence = page.confidence if page is not None and page.ocr else None
        return Evidence(
            article=s.citation,
            page=s.page,
            start=s.start,
            end=s.end,
            text=s.text,
            ocr_confidence=confidence,
        )


def _deferred(ctx: _Ctx, clause: Clause) -> int | None:
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


_PRINCIPAL_NOTE = "委託者の義務としてのみ定められ、受託者に課されていません。"


# -- per-clause rules: (candidate filter, evaluator) -------------------------------------------
def _contractor(subject: str) -> bool:
    return subject in (*A.CONTRACTOR_SIDE, IMPERSONAL)


def _restriction_strength(ctx: _Ctx, i: int, modality: str, weak_note: str) -> tuple[int, str]:
    """Strength of a prohibition/approval restriction given the sentence's exceptions."""
    exc = ctx.exception(i)
    if exc == DISCRETION:
        return WEAK, weak_note
    return STRONG, ""


def _approval_obligation(ctx: _Ctx, i: int) -> bool:
    """A main obligation to obtain the municipality's approval in sentence ``i``."""
    rx = re.compile(r"(?:承諾|承認|許可|許諾|同意)(?:を|の)?(?:得|受け|求め)")
    for _p, mod, _role, subj in ctx.main_with(i, rx):
        if mod in A.IMPOSING and _contractor(subj):
            return True
    return False


def _sub_filter(ctx: _Ctx, clause: Clause, i: int) -> bool:
    f = clause.facets[0]
    return bool(
        f.rx("act").search(ctx.norm[i])
        or f.rx("act").search(ctx.masked[i])
        or f.rx("flowdown").search(ctx.norm[i])
    )


def _sub_rule(ctx: _Ctx, clause: Clause, i: int) -> list[Finding]:
    facet = clause.facets[0]
    text = ctx.norm[i]
    out: list[Finding] = []
    hits = ctx.hits(i, facet.rx("act"))
    for _p, mod, role, subj in hits:
        if role == A.MAIN and mod == A.PROHIBITION and _contractor(subj):
            strength, note = _restriction_strength(
                ctx, i, mod, "再委託の禁止に受託者の判断による例外があります。"
            )
            if facet.rx("whole_only").search(text) and not facet.rx("part").search(text):
                strength, note = WEAK, "業務の全部（一括）の再委託のみが禁止されています。"
            out.append(Finding(facet.id, strength, i, note))
        elif role == A.MAIN and mod == A.PERMISSION and subj not in (A.PRINCIPAL,):
            if ctx.approved_by_principal(text) and not re.search(r"承諾を要しない|承諾なく", text):
                out.append(Finding(facet.id, STRONG, i))
            else:
                out.append(
                    Finding(facet.id, WEAK, i, "再委託が委託者の承諾なしに認められています。")
                )
        elif role in (A.CONDITION, A.MAIN) and _approval_obligation(ctx, i):
            out.append(Finding(facet.id, STRONG, i))
        elif (
            role in (A.CONDITION, A.MAIN, A.EXCEPTION)
            and _contractor(subj)
            and (_sentence_modality(ctx.analyses[i])[0] in (*A.IMPOSING, A.PERMISSION))
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
    if not hits and _approval_obligation(ctx, i):
        out.append(Finding(facet.id, STRONG, i))
    if not out and facet.rx("flowdown").search(text):
        mod, subj = _sentence_modality(ctx.analyses[i])
        mains = [ctx.effective(i, p) for p in ctx.analyses[i].main_predicates()]
        if mains:
            mod, _, subj = mains[-1]
        if mod in A.IMPOSING and _contractor(subj):
            note = "再委託先への義務の承継のみで、再委託の制限・事前承認の定めがありません。"
            out.append(Finding(facet.id, WEAK, i, note))
    return out


def _copy_filter(ctx: _Ctx, clause: Clause, i: int) -> bool:
    return bool(clause.facets[0].rx("act").search(ctx.norm[i]))


def _copy_rule(ctx: _Ctx, clause: Clause, i: int) -> list[Finding]:
    facet = clause.facets[0]
    text = ctx.norm[i]
    out: list[Finding] = []
    pi = ctx.pi_level(i)
    for _p, mod, role, subj in ctx.hits(i, facet.rx("act")):
        if role == A.MAIN and subj == A.PRINCIPAL and mod in (*A.IMPOSING, A.PERMISSION):
            out.append(Finding(facet.id, WEAK, i, _PRINCIPAL_NOTE))
            continue
        if role == A.MAIN and mod == A.EFFORT and _contractor(subj):
            out.append(Finding(facet.id, WEAK, i, "複製の制限が努力義務にとどまっています。"))
            continue
        if role == A.MAIN and mod == A.PROHIBITION and _contractor(subj):
            if facet.rx("partial").search(text) and not ctx.approved_by_principal(text):
                out.append(
                    Finding(
                        facet.id, WEAK, i, "業務の目的・範囲を超える複製のみが制限されています。"
                    )
                )
                continue
            strength, note = _restriction_strength(
                ctx, i, mod, "複製の制限に受託者の判断による例外があります。"
            )
            if pi == 0:
                strength, note = WEAK, "複製の制限の対象に個人情報が明記されていません。"
            out.append(Finding(facet.id, strength, i, note))
        elif role == A.MAIN and mod == A.PERMISSION and _contractor(subj):
            if ctx.approved_by_principal(text) and pi:
                out.append(Finding(facet.id, STRONG, i))
            else:
                out.append(Finding(facet.id, WEAK, i, "複製が受託者の判断で認められています。"))
        elif role == A.CONDITION and _approval_obligation(ctx, i) and pi:
            out.append(Finding(facet.id, STRONG, i))
        elif role == A.MAIN and mod in (A.OBLIGATION, A.DECLARATIVE) and _contractor(subj):
            # 複製は、甲の指示がある場合に限り行うこと: allowed only on the municipality's word.
            if pi and facet.rx("only_if").search(text) and ctx.approved_by_principal(text):
                out.append(Finding(facet.id, STRONG, i))
            else:
                out.append(Finding(facet.id, WEAK, i, ""))
    return out


def _conf_filter(ctx: _Ctx, clause: Clause, i: int) -> bool:
    text = ctx.norm[i]
    secrecy, purpose = clause.facets
    return bool(
        secrecy.rx("forbid").search(text)
        or secrecy.rx("keep").search(text)
        or (purpose.rx("context").search(text) or purpose.rx("improper").search(text))
    )


def _conf_rule(ctx: _Ctx, clause: Clause, i: int) -> list[Finding]:
    secrecy, purpose = clause.facets
    text = ctx.norm[i]
    out: list[Finding] = []
    explicit = ctx.pi_level(i) >= 2 and not ctx.generic_only(i)
    generic_note = "秘密情報一般の規定で、個人情報が明記されていません。"
    for _p, mod, role, subj in ctx.hits(i, secrecy.rx("forbid")):
        if role == A.MAIN and mod == A.PROHIBITION and subj == A.PRINCIPAL:
            out.append(Finding(secrecy.id, WEAK, i, _PRINCIPAL_NOTE))
        elif role == A.MAIN and mod == A.EFFORT and _contractor(subj):
            out.append(Finding(secrecy.id, WEAK, i, "秘密保持が努力義務にとどまっています。"))
        elif role == A.MAIN and mod == A.PROHIBITION and _contractor(subj):
            strength, note = _restriction_strength(
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
        if role == A.MAIN and mod in A.IMPOSING and _contractor(subj):
            out.append(
                Finding(
                    secrecy.id, STRONG if explicit else WEAK, i, "" if explicit else generic_note
                )
            )
        elif role == A.MAIN and mod == A.EFFORT and _contractor(subj):
            out.append(Finding(secrecy.id, WEAK, i, "秘密保持が努力義務にとどまっています。"))
    if purpose.rx("context").search(text):
        for _p, mod, role, subj in ctx.hits(i, purpose.rx("use")):
            if role == A.MAIN and subj == A.PRINCIPAL and mod == A.PROHIBITION:
                out.append(Finding(purpose.id, WEAK, i, _PRINCIPAL_NOTE))
                continue
            if role == A.MAIN and mod == A.EFFORT and _contractor(subj):
                note = "目的外利用の禁止が努力義務にとどまっています。"
                out.append(Finding(purpose.id, WEAK, i, note))
                continue
            if role != A.MAIN or not _contractor(subj):
                continue
            ok = mod == A.PROHIBITION or (
                mod in (A.OBLIGATION, A.DECLARATIVE) and re.search(r"範囲内|のみ", text)
            )
            if ok:
                strength, note = _restriction_strength(
                    ctx, i, mod, "目的外利用の禁止に受託者の判断による例外があります。"
                )
                if not explicit:
                    strength, note = WEAK, generic_note
                out.append(Finding(purpose.id, strength, i, note))
    elif purpose.rx("improper").search(text):
        for _p, mod, role, subj in ctx.hits(i, purpose.rx("use")):
            if role == A.MAIN and mod == A.PROHIBITION and _contractor(subj):
                out.append(
                    Finding(
                        purpose.id,
                        WEAK,
                        i,
                        "「不当な目的」への使用の禁止のみで、目的外利用の禁止が明記されていません。",
                    )
                )
    return out


def _sec_filter(ctx: _Ctx, clause: Clause, i: int) -> bool:
    f = clause.facets[0]
    text = ctx.without_laws(i)
    if _OCCURRENCE.search(text) and re.search(r"報告|通知|連絡|場合|とき", text):
        return False  # measures taken after an incident belong to the incident clause
    if _DEFINES.search(text) or (_LEAD.search(text) and not _sec_specific(f, text)):
        return False  # a definition, or a list lead whose items carry the measures
    return bool(
        _sec_specific(f, text)
        or f.rx("generic").search(text)
        or (f.rx("harms").search(text) and f.rx("prevent").search(text))
    )


def _sec_specific(f: Facet, text: str) -> bool:
    """Measures against leaks etc. that the sentence has someone take (講ずる, 実施する …)."""
    return bool(
        f.rx("measures").search(text) and f.rx("harms").search(text) and f.rx("take").search(text)
    )


_DEFINES = re.compile(r"とは、.*(?:をいう|を指す|とする)。?$")
_LEAD = re.compile(r"次に掲げる|次の各号|次の事項|以下の事項|次のとおり")


def _sec_rule(ctx: _Ctx, clause: Clause, i: int) -> list[Finding]:
    f = clause.facets[0]
    text = ctx.without_laws(i)
    an = ctx.analyses.get(i)
    if an is None:
        return []
    pi = ctx.pi_level(i)
    mod, subj = _sentence_modality(an)
    specific = _sec_specific(f, text)
    if subj == A.PRINCIPAL and mod in A.IMPOSING and (specific or f.rx("generic").search(text)):
        return [Finding(f.id, WEAK, i, _PRINCIPAL_NOTE)] if pi else []
    if not _contractor(subj):
        # Items of a list of measures carry the lead's duty.
        mains = [ctx.effective(i, p) for p in an.main_predicates()]
        if mains:
            mod, _, subj = mains[-1]
        if not _contractor(subj):
            return []
    s = ctx.doc.sentences[i]
    if s.lead is not None and mains_modality(ctx, i):
        mod = mains_modality(ctx, i)
    prevent = bool(f.rx("harms").search(text) and f.rx("prevent").search(text))
    if mod == A.EFFORT and (specific or prevent or f.rx("generic").search(text)) and pi:
        return [Finding(f.id, WEAK, i, "安全管理措置が努力義務にとどまっています。")]
    if mod not in A.IMPOSING:
        return []
    if specific and pi >= 1:
        return [Finding(f.id, STRONG, i)]
    if specific and pi == 0:
        return [Finding(f.id, WEAK, i, "安全管理措置の対象に個人情報が明記されていません。")]
    if (specific or f.rx("generic").search(text)) and pi:
        return [
            Finding(
                f.id,
                WEAK,
                i,
                "個人情報の適正な取扱い・管理の一般的な定めのみで、安全管理措置が明記されていません。",
            )
        ]
    return []


def mains_modality(ctx: _Ctx, i: int) -> str | None:
    """The effective modality of the last main predicate of sentence ``i``."""
    an = ctx.analyses.get(i)
    if an is None or not an.main_predicates():
        return None
    return ctx.effective(i, an.main_predicates()[-1])[0]


def _inc_filter(ctx: _Ctx, clause: Clause, i: int) -> bool:
    report, response = clause.facets
    text = ctx.norm[i]
    return bool(
        report.rx("event").search(text)
        and (report.rx("report").search(text) or response.rx("respond").search(text))
    )


def _inc_rule(ctx: _Ctx, clause: Clause, i: int) -> list[Finding]:
    report, response = clause.facets
    text = ctx.norm[i]
    out: list[Finding] = []
    pi = ctx.pi_level(i) or re.search(r"漏|洩|滅失|毀損|き損", text)
    occurred = _OCCURRENCE.search(_context_text(ctx, i))
    for _p, mod, _role, subj in ctx.main_with(i, report.rx("report")):
        if not _contractor(subj) or not occurred:
            continue  # a notice given before any incident (運搬の方法を届け出る) is not one
        if mod in A.IMPOSING:
            out.append(
                Finding(
                    report.id,
                    STRONG if pi else WEAK,
                    i,
                    "" if pi else "事故報告の対象に個人情報が明記されていません。",
                )
            )
        elif mod == A.EFFORT:
            out.append(Finding(report.id, WEAK, i, "事故の報告が努力義務にとどまっています。"))
    for _p, mod, _role, subj in ctx.main_with(i, response.rx("respond")):
        if not _contractor(subj) or not occurred:
            continue
        if mod in A.IMPOSING:
            out.append(Finding(response.id, STRONG if pi else WEAK, i))
        elif mod == A.EFFORT:
            out.append(Finding(response.id, WEAK, i))
    if not out and _OCCURRENCE.search(text):
        mod, subj = _sentence_modality(ctx.analyses[i])
        if mod != A.NONE and subj != A.UNKNOWN:
            out.append(Finding(report.id, WEAK, i, "事故発生時の報告義務が定められていません。"))
    return out


def _ret_filter(ctx: _Ctx, clause: Clause, i: int) -> bool:
    return bool(clause.prefilter.search(ctx.norm[i]))


def _ret_rule(ctx: _Ctx, clause: Clause, i: int) -> list[Finding]:
    out: list[Finding] = []
    pi = ctx.pi_level(i)
    text = ctx.norm[i]
    if not pi and not ctx.catalog.carrier.search(text):
        return []  # deliverables handed over (成果物の引渡し) are not information returned
    ret = clause.facet("return")
    if pi and ret.rx("receive").search(text):
        for _p, mod, role, subj in ctx.hits(i, ret.rx("act")):
            if role == A.MAIN and subj == A.PRINCIPAL and mod in (*A.IMPOSING, A.PERMISSION):
                out.append(Finding(ret.id, WEAK, i, "返還を委託者が受け、又は求める定めのみです。"))
    if ctx.pi_level(i) >= 2:
        for _p, mod, role, subj in ctx.hits(i, ret.rx("handover")):
            if role == A.MAIN and _contractor(subj) and mod in (*A.IMPOSING, A.EFFORT):
                out.append(Finding(ret.id, WEAK, i, "個人情報の引継ぎの定めのみです。"))
    for facet in clause.facets:
        for _p, mod, role, subj in ctx.hits(i, facet.rx("act")):
            if role != A.MAIN or not _contractor(subj):
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


def _breach_filter(ctx: _Ctx, clause: Clause, i: int) -> bool:
    text = ctx.norm[i]
    if _FORMALITY.search(text):
        return False  # …の請求、通知及び解除は、書面により行わなければならない
    return bool(re.search(r"解除|賠償|補償|損害を負担|違約金", text))


_FORMALITY = re.compile(r"(?:書面|文書)(?:により|によって|で|をもって)行")


def _breach_rule(ctx: _Ctx, clause: Clause, i: int) -> list[Finding]:
    term, dmg = clause.facets
    text = ctx.norm[i]
    out: list[Finding] = []
    items_text = "".join(ctx.norm[k] for k in ctx.items.get(i, [])) + _referred(ctx, i)
    hits = ctx.hits(i, term.rx("act"), matter=_REMEDY_MATTER, not_after=term.rx("not_right"))
    for p, mod, role, subj in hits:
        if role != A.MAIN or p.negated:
            continue
        rights = mod in (A.PERMISSION, *A.IMPOSING)
        accepts = (
            mod in A.IMPOSING
            and _contractor(subj)
            and term.rx("accept").search(_clause_text(ctx.analyses[i], p) + p.tail)
        )
        if (rights and subj in (A.PRINCIPAL, A.BOTH, IMPERSONAL)) or accepts:
            if term.rx("breach").search(text + items_text):
                out.append(Finding(term.id, STRONG, i))
            else:
                out.append(
                    Finding(term.id, WEAK, i, "契約解除の事由に契約・法令違反が含まれていません。")
                )
    for p, mod, role, subj in ctx.hits(i, dmg.rx("penalty")):
        if role == A.MAIN and not p.negated and mod in A.IMPOSING and _contractor(subj):
            out.append(Finding(dmg.id, WEAK, i, "違約金の定めのみで、損害賠償の定めがありません。"))
    for p, mod, role, subj in ctx.hits(i, dmg.rx("act"), matter=_REMEDY_MATTER):
        if (
            role != A.MAIN
            or p.negated
            or re.search(r"負わな|免れ|免除|請求しな|限りでない|上限|限度", p.tail)
        ):
            continue
        owes = mod in A.IMPOSING and subj in (*A.CONTRACTOR_SIDE, IMPERSONAL)
        may_claim = mod == A.PERMISSION and subj in (A.PRINCIPAL, A.BOTH, IMPERSONAL)
        if owes or may_claim:
            out.append(Finding(dmg.id, STRONG, i))
    return out


def _audit_filter(ctx: _Ctx, clause: Clause, i: int) -> bool:
    rep, aud = clause.facets
    text = ctx.norm[i]
    return bool(
        (
            rep.rx("report").search(text)
            and (rep.rx("periodic").search(text) or rep.rx("topic").search(text))
        )
        or aud.rx("act").search(text)
    )


def _audit_rule(ctx: _Ctx, clause: Clause, i: int) -> list[Finding]:
    rep, aud = clause.facets
    text = ctx.norm[i]
    out: list[Finding] = []
    context = text + (
        ctx.norm[ctx.doc.sentences[i].lead] if ctx.doc.sentences[i].lead is not None else ""
    )
    incident = bool(_OCCURRENCE.search(text))
    for _p, mod, _role, subj in ctx.main_with(i, rep.rx("report")):
        if not _contractor(subj) or mod not in A.IMPOSING or incident:
            continue
        periodic = rep.rx("periodic").search(context)
        topic = rep.rx("topic").search(context)
        if periodic and topic:
            out.append(Finding(rep.id, STRONG, i))
        elif topic and re.search(r"求め|請求|指示", context):
            out.append(
                Finding(
                    rep.id,
                    WEAK,
                    i,
                    "遵守状況の報告が求めに応じた場合のみで、定期報告の定めがありません。",
                )
            )
        elif periodic:
            out.append(
                Finding(
                    rep.id,
                    WEAK,
                    i,
                    "定期報告の対象が契約の遵守状況・個人情報の取扱状況ではありません。",
                )
            )
    for p, mod, role, subj in ctx.hits(i, aud.rx("act")):
        if role != A.MAIN or p.negated:
            continue
        clause_text = _clause_text(ctx.analyses[i], p)
        if _DELIVERABLE.search(text):
            continue
        if (subj in (A.PRINCIPAL, A.BOTH) and mod in (A.PERMISSION, *A.IMPOSING)) or (
            _contractor(subj)
            and mod in A.IMPOSING
            and re.search(r"受け|応じ|協力|拒|妨げ", clause_text + p.tail)
        ):
            out.append(Finding(aud.id, STRONG, i))
    return out


_IMPOSE = re.compile(
    r"てはならな|てはならず|ではならな|なければならな|なければならず|なければなりません|ものとす|"
    r"ものとし|禁止|禁ず|禁じ|ことができな|ことはできな|ことができず|ないこと|こと。?$|義務を負|"
    r"責任を負|認めな|認められな|べき|[るうすいつくぐぬむぶ]。$|ない。$"
)
_PERMIT = re.compile(r"ことができ|こともでき|妨げな|妨げられな|差し支えな")
_OCCURRENCE = re.compile(
    r"発生|生じ|おそれ|知った|判明|認知|疑い|起き|あった|前項の(?:事故|事案|報告)|当該(?:事故|事案)"
)
_AUDIT_TOPIC = re.compile(
    r"状況|特記事項|事業所|作業場所|作業現場|安全管理|セキュリティ|個人情報|個人データ|遵守|履行"
)
_DELIVERABLE = re.compile(r"成果物|納入|検収|納品|出来形|完了|完成|給付|目的物|合格|補正")


def _lvl(cond: bool, strong: bool) -> int:
    return (STRONG if strong else WEAK) if cond else 0


def _context_text(ctx: _Ctx, i: int) -> str:
    s = ctx.doc.sentences[i]
    lead = ctx.norm[s.lead] if s.lead is not None else ""
    return ctx.norm[i] + lead


def _conf_bound(ctx: _Ctx, clause: Clause, i: int) -> dict[str, int]:
    secrecy, purpose = clause.facets
    text = ctx.norm[i]
    modal = bool(_IMPOSE.search(_context_text(ctx, i)))
    explicit = ctx.pi_level(i) >= 2 and not ctx.generic_only(i)
    return {
        "secrecy": _lvl(
            bool(secrecy.rx("forbid").search(text) or secrecy.rx("keep").search(text)),
            modal and explicit,
        ),
        "purpose": _lvl(
            bool(
                (purpose.rx("context").search(text) or purpose.rx("improper").search(text))
                and purpose.rx("use").search(text)
            ),
            modal and explicit and bool(purpose.rx("context").search(text)),
        ),
    }


def _sub_bound(ctx: _Ctx, clause: Clause, i: int) -> dict[str, int]:
    text = _context_text(ctx, i)
    return {
        "restriction": _lvl(True, bool(_IMPOSE.search(text) or ctx.approved_by_principal(text)))
    }


def _copy_bound(ctx: _Ctx, clause: Clause, i: int) -> dict[str, int]:
    text = _context_text(ctx, i)
    strong = bool(
        ctx.pi_level(i) >= 1 and (_IMPOSE.search(text) or ctx.approved_by_principal(text))
    )
    return {"restriction": _lvl(True, strong)}


def _sec_bound(ctx: _Ctx, clause: Clause, i: int) -> dict[str, int]:
    f = clause.facets[0]
    text = ctx.without_laws(i)
    specific = _sec_specific(f, text)
    strong = (
        specific
        and ctx.pi_level(i) >= 1
        and bool(_IMPOSE.search(_context_text(ctx, i)))
        and not re.search(r"努め|努力", text)
    )
    return {"measures": _lvl(True, strong)}


def _inc_bound(ctx: _Ctx, clause: Clause, i: int) -> dict[str, int]:
    report, response = clause.facets
    text = _context_text(ctx, i)
    modal = bool(_IMPOSE.search(text))
    occurred = bool(_OCCURRENCE.search(text))
    return {
        "report": _lvl(True, modal and occurred and bool(report.rx("report").search(text))),
        "response": _lvl(bool(response.rx("respond").search(text)), modal and occurred),
    }


def _ret_bound(ctx: _Ctx, clause: Clause, i: int) -> dict[str, int]:
    text = _context_text(ctx, i)
    strong = ctx.pi_level(i) >= 1 and bool(_IMPOSE.search(text))
    ret = clause.facet("return")
    handed = bool(ret.rx("handover").search(text))
    return {
        f.id: _lvl(bool(f.rx("act").search(text)) or (f is ret and handed), strong)
        for f in clause.facets
    }


def _referred(ctx: _Ctx, i: int) -> str:
    """The text of the paragraph a sentence refers to with 前項の場合 (…において)."""
    if not re.search(r"前(?:項|条|各項)(?:の場合|に規定する場合|に定める場合)", ctx.norm[i]):
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


def _breach_bound(ctx: _Ctx, clause: Clause, i: int) -> dict[str, int]:
    term, dmg = clause.facets
    text = ctx.norm[i]
    items = "".join(ctx.norm[k] for k in ctx.items.get(i, [])) + _referred(ctx, i)
    modal = bool(_IMPOSE.search(_context_text(ctx, i)) or _PERMIT.search(text))
    return {
        "termination": _lvl(
            bool(term.rx("act").search(text)),
            modal and bool(term.rx("breach").search(text + items)),
        ),
        "damages": _lvl(
            bool(dmg.rx("act").search(text) or dmg.rx("penalty").search(text)),
            modal and bool(dmg.rx("act").search(text)),
        ),
    }


def _audit_bound(ctx: _Ctx, clause: Clause, i: int) -> dict[str, int]:
    rep, aud = clause.facets
    text = _context_text(ctx, i)
    modal = bool(_IMPOSE.search(text))
    has_report = bool(rep.rx("report").search(text))
    periodic, topic = bool(rep.rx("periodic").search(text)), bool(rep.rx("topic").search(text))
    audit = bool(aud.rx("act").search(text)) and not _DELIVERABLE.search(text)
    has_report = has_report and not _OCCURRENCE.search(text)
    return {
        "periodic_report": _lvl(has_report and (periodic or topic), modal and periodic and topic),
        "audit": _lvl(
            audit,
            audit
            and bool(_AUDIT_TOPIC.search(text) or ctx.pi_level(i))
            and bool(modal or _PERMIT.search(text)),
        ),
    }


_Filter = Callable[[_Ctx, Clause, int], bool]
_Rule = Callable[[_Ctx, Clause, int], list[Finding]]
_Bound = Callable[[_Ctx, Clause, int], dict[str, int]]

_RULES: dict[str, tuple[_Filter, _Rule, _Bound]] = {
    "confidentiality": (_conf_filter, _conf_rule, _conf_bound),
    "subcontracting": (_sub_filter, _sub_rule, _sub_bound),
    "copying": (_copy_filter, _copy_rule, _copy_bound),
    "security": (_sec_filter, _sec_rule, _sec_bound),
    "incident": (_inc_filter, _inc_rule, _inc_bound),
    "return_deletion": (_ret_filter, _ret_rule, _ret_bound),
    "breach_remedies": (_breach_filter, _breach_rule, _breach_bound),
    "reporting_audit": (_audit_filter, _audit_rule, _audit_bound),
}


# -- advisory notes ----------------------------------------------------------------------------
def _no_advice(ctx: _Ctx) -> list[str]:
    return []


def _sub_advice(ctx: _Ctx) -> list[str]:
    # Decided on the text alone so that the note never depends on which sentences were parsed.
    if not any("子会社" in t for t in ctx.norm):
        return ["子会社への委託も再委託に含む旨の記載がありません。"]
    return []


def _audit_advice(ctx: _Ctx) -> list[str]:
    aud = ctx.catalog.clause("reporting_audit").facet("audit")
    if not any(aud.rx("act").search(t) and aud.rx("subcontractor").search(t) for t in ctx.norm):
        return ["監査・検査の対象が再委託先に及ぶ旨の記載がありません。"]
    return []


_ADVICE: dict[str, Callable[[_Ctx], list[str]]] = {
    "confidentiality": _no_advice,
    "subcontracting": _sub_advice,
    "copying": _no_advice,
    "security": _no_advice,
    "incident": _no_advice,
    "return_deletion": _no_advice,
    "breach_remedies": _no_advice,
    "reporting_audit": _audit_advice,
}


def check_document(
    doc: Document,
    *,
    profile: str = "miki",
    parse: str = "candidates",
    progress: Progress | None = None,
    file: str = "",
) -> Report:
    """Check a Document against the eight clauses and return a Report."""
    from clauses.profile import load_profile

    t0 = time.perf_counter()
    prof = load_profile(profile)
    results = Checker().check(doc, parse=parse, progress=progress)
    return Report(
        file=file,
        profile=prof.id,
        pages=len(doc.pages),
        ocr=doc.ocr,
        clauses=results,
        seconds=round(time.perf_counter() - t0, 3),
        municipality=prof.municipality,
        article=prof.article("outsourcing"),
        ocr_pages={p.number: p.confidence or 0.0 for p in doc.pages if p.ocr},
        low_confidence_pages=[p.number for p in doc.pages if p.low_confidence],
    )
