"""The state of one check and the questions every clause rule asks of a sentence.

``Context`` holds the document, its normalised sentences, the parties and definitions learnt
from it, and the parses made so far; ``hits`` finds the predicates that govern a matched act
and ``effective`` accounts for list leads, provisos and inherited subjects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from clauses import analysis as A
from clauses.analysis import Predicate, SentenceAnalysis
from clauses.catalog import Catalog
from clauses.definitions import Definitions
from clauses.modality import approved_by_principal, classify_exception, weakest_exception
from clauses.parties import IMPERSONAL, PartyResolver
from clauses.scope import ScopeMixin
from contracts.document import Document

STRONG, WEAK = 2, 1

# 所属長 / 課長: an officer (長) is a person, not a thing as the topic.
_PERSON_WORDS = re.compile(
    r"(?:者|先|人|社|会社|機関|職員|員|法人|団体|組合|事務所|[^延成増助]長)(?:等)?$|^私$"
)


_FIRST_PERSON = re.compile(r"^(?:私|わたくし|わたし)(?:は|が|儀)、")
# An exception that a list spells out: 次の各号のいずれかに該当する場合を除き / 次に掲げる
# ときを除いて.
_LISTED_EXCEPTION = re.compile(
    r"次(?:の各号|に掲げる)[^、。]{0,20}?(?:を除[きいく]|を除いて|以外は)"
)


@dataclass(frozen=True)
class Finding:
    """One sentence's contribution to one facet."""

    facet: str
    strength: int
    sentence: int
    note: str = ""


@dataclass
class Context(ScopeMixin):
    """One document being checked: its sentences, parties, definitions and parses."""

    doc: Document
    catalog: Catalog
    parties: PartyResolver
    principal_rx: re.Pattern[str]
    contractor_rx: re.Pattern[str]
    norm: list[str]
    definitions: Definitions
    masked: list[str] = field(default_factory=list)
    analyses: dict[int, SentenceAnalysis] = field(default_factory=dict)
    provisos: dict[int, list[int]] = field(default_factory=dict)
    items: dict[int, list[int]] = field(default_factory=dict)

    # -- exceptions ---------------------------------------------------------------------------
    def exception(self, i: int) -> str | None:
        """The weakest exception qualifying sentence ``i`` (its own and its provisos)."""
        provisos = [self.norm[k] for k in self.provisos.get(i, [])]
        text = self.norm[i]
        listed = _LISTED_EXCEPTION.search(text)
        if listed:
            # 次の各号のいずれかに該当するときを除き…してはならない。（一）発注者の指示が
            # あるとき。（二）…承認を受けたとき: the exceptions are the items of the list.
            items = [self.norm[s.index] for s in self.doc.sentences[i + 1 : i + 30] if s.lead == i]
            if items:
                text = text[: listed.start()] + text[listed.end() :]
                provisos += [f"{t}を除き" for t in items]
        return weakest_exception(text, provisos, self.principal_rx, self.contractor_rx)

    def approved_by_principal(self, text: str) -> bool:
        """Whether ``text`` makes something depend on the municipality's approval/instruction."""
        return approved_by_principal(text, self.principal_rx, self.contractor_rx)

    def classify_exception(self, text: str) -> str:
        """The kind of one exception text (approval, legal or discretion)."""
        return classify_exception(text, self.principal_rx, self.contractor_rx)

    # -- predicates ---------------------------------------------------------------------------
    def effective(self, i: int, p: Predicate) -> tuple[str, str, str]:
        """(modality, role, subject) of ``p`` once list leads and provisos are accounted for."""
        modality, role, subject = p.modality, p.role, p.subject
        s = self.doc.sentences[i]
        lead = self.analyses.get(s.lead) if s.lead is not None else None
        if lead is not None and not lead.predicates and self.doc.sentences[s.lead].kind != "body":
            # Items under a title (３ 個人情報の取扱い): the title imposes or names nothing;
            # each item speaks for itself (…漏らさないこと).
            lead = None
        if lead is not None and role == A.MAIN:
            lead_mod, lead_subj = sentence_modality(lead)
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
        elif subject == A.OTHER and self.first_person() and _FIRST_PERSON.match(self.norm[i]):
            # 私は、…漏えいいたしません in a pledge: the signer's duty, read as imposed and
            # capped at weak by the checker (it binds a person, not the contractor).
            subject = IMPERSONAL
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
            # In a pledge signed by a person (私は、…誓約します) the duties without a subject
            # are the signer's: read as imposed, then capped at weak by the checker (a
            # person's pledge mentions the matters; it binds no contractor).
            return IMPERSONAL
        return A.UNKNOWN

    def first_person(self) -> bool:
        """Whether the document speaks as one person (私は、… near its start): a pledge or a
        consent, not a contract between the parties."""
        cached = self.__dict__.get("_first_person")
        if cached is None:
            cached = any(
                _FIRST_PERSON.match(self.norm[s.index])
                for s in self.doc.sentences[:12]
                if s.kind == "body"
            )
            self.__dict__["_first_person"] = cached
        return cached

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
            later = [q for q in mains if q.start > m.end()]
            if (m.end() <= topic_end and mains) or (later and _ACT_TOPIC.match(masked[m.end() :])):
                # The act is the topic: 個人情報の複製は、…これを禁止する。 Also after a first
                # clause: …自ら行うこととし、第三者への委託(…)は、…承諾を得た場合に限り、
                # これを行うことができる。
                if m.end() <= topic_end and matter.search(masked[m.end() : topic_end]):
                    # …返却又は廃棄の時期及び方法は、…定める: the topic is a matter about the
                    # act (its time, its method), which the sentence settles or defers.
                    continue
                p = max(later or mains, key=lambda q: q.start)
            elif light := _PAREN_LIGHT_VERB.match(masked[m.end() :]):
                # 返還（…によるエクスポート）し、又は…消去し: the light verb of the act comes
                # after a parenthetical, which the parse does not bridge; coordinated, the act
                # shares the modality of the next main predicate.
                after = m.end() + light.end()
                nxt = [q for q in mains if q.start >= after]
                if not nxt:
                    continue
                p = min(nxt, key=lambda q: q.start)
            elif defined := _PAREN_OBJECT.match(masked[m.end() :]):
                # 複製等（複写、…をいう。）を甲の承諾なく行ってはならない: the act defined in
                # parentheses is the object of the verb after them, which the parse may not see.
                after = m.end() + defined.end()
                nxt = [q for q in mains if q.start >= after]
                if not nxt:
                    continue
                p = min(nxt, key=lambda q: q.start)
                if p.start - after > max_gap:
                    continue
            else:
                p = an.predicate_at(m.end())
                if p is None:
                    continue
                # The act must be the predicate or its close complement (再委託を行っては…),
                # not a noun naming a matter (…返還又は消去の義務その他の事項を定め…).
                gap = an.text[m.end() : p.start] if p.start >= m.end() else ""
                listed = _LIST_GAP.match(_PAREN.sub("", gap)) or (
                    # …の返還又は甲の指示による廃棄若しくは消去: acts coordinated under the
                    # head noun of an imposed item
                    p.nominal and _COORDINATED.match(gap)
                )
                # A definition in parentheses after the act (複製等（複写、…をいう。）を…行って
                # はならない) does not stand between the act and its verb.
                bare = _PAREN.sub("", gap)
                if not listed and (len(bare) > max_gap or matter.search(bare)):
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
            if rx.search(clause_text(an, p)):
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
REMEDY_MATTER = re.compile(rf"の[^、。]{{0,6}}?(?:{_MATTER_WORDS})|に関する|について")
# A list of acts ending in a head noun (…の複写、複製、送信その他これらに類する行為をしては
# ならない): each listed act is the object of the final predicate.
_LIST_GAP = re.compile(
    r"^(?:(?:、|及び|又は|若しくは|並びに|・)[^、。]{1,16}?)*"
    r"(?:その他(?:これら|これ)?(?:に類する)?|等の)[^、。]{0,10}?(?:行為|こと|処理|取扱い)(?:を|は)$"
)
_PAREN = re.compile(r"\([^()]*\)")
_PAREN_OBJECT = re.compile(r"^等?\(・*\)(?:を|について)")
_COORDINATED = re.compile(r"^(?:又は|及び|並びに|若しくは|、|・)")
# A verbal noun, a parenthetical, its light verb and a coordinator: 返還(・・・)し、又は
_PAREN_LIGHT_VERB = re.compile(r"^\(・*\)(?:し|して)、(?=又は|若しくは|及び|並びに|かつ)")
# A matched act followed by the topic marker (its parenthetical masked): …への委託(…)は、
_ACT_TOPIC = re.compile(r"^(?:等)?(?:\(・*\))?(?:は|については|に関しては)、")


def mask_parens(text: str) -> str:
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


def clause_text(an: SentenceAnalysis, p: Predicate) -> str:
    """The words of ``p``'s clause: from the previous 、 (or start) to its tail."""
    start = max(an.text.rfind("、", 0, p.start), an.text.rfind("。", 0, p.start)) + 1
    return an.text[start : p.start + len(p.tail)]


def sentence_modality(an: SentenceAnalysis) -> tuple[str, str]:
    mains = [p for p in an.predicates if p.role == A.MAIN]
    if not mains:
        return A.NONE, an.topic
    final = max(mains, key=lambda p: p.start)
    gov = next((p for p in an.predicates if p.index == final.governor), final)
    return gov.modality, gov.subject
