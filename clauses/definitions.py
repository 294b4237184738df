"""Defined terms, and which of them carry personal information.

A contract often says once what a word means and then writes every duty over that word:
「『資料等』とは、…個人情報が記録されたものをいう」 and later 「乙は、資料等を複写してはならない」.
The resolver reads every definition form the contracts use —

- 「X」とは、…をいう (also 「この契約において『X』とは」, with the items of a 次に掲げる body);
- a definition list: a lead (次の各号に掲げる用語の意義は…) and items 「（２）X　…をいう」
  whose first word is the term;
- an alias: 「…個人情報を記録した媒体（以下『X』という。）」, also inside a parenthetical
  (「資料（個人情報を含む。以下『資料等』という。）」);
- an alias declared personal information: 「次に掲げる情報（以下『X』という。）は、全て個人
  情報として取り扱う」 —

follows terms defined through other terms (「X等」とは、X並びに… → X等 carries it when X
does), and keeps each definition to where it applies: a definition in the main body applies
to the whole document, one inside a 別記/別紙 only to that attachment.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from clauses.catalog import Catalog
from contracts.document import Document

# （以下「X」という。） — also after a sentence inside the parenthetical: （…を含む。以下「X」…）.
_ALIAS = re.compile(
    r"(?:[（(]|。|、)\s*(?:以下|以下この[^、。「」]{1,12}において)[、,]?\s*"
    r"[「『](?P<term>[^」』]{1,20})[」』](?:又は[「『][^」』]{1,20}[」』])?(?:という|と総称)"
)
# （…を含む。以下同じ。）: an inline definition of the word before it.
_SAME_BELOW = re.compile(
    r"\((?P<inside>[^()]{1,60}?を含む。?)以下(?:この[^、。()]{1,12}において)?同じ。?\)"
)
_DEFINITION = re.compile(r"^[「『]?(?P<term>[^「」『』、。]{1,20}?)[」』]?とは、(?P<def>.*)$")
_DEF_IN = re.compile(
    r"(?:において|では|に関し)[、]?[「『]?(?P<term>[^「」『』、。]{1,20}?)[」』]?とは、(?P<def>.*)$"
)
# The lead of a list of definitions (次の各号に掲げる用語の意義は、当該各号に定めるところによる).
_DEF_LEAD = re.compile(
    r"用語の(?:意義|定義|意味)|次の各号に掲げる用語|(?:次|以下)の(?:とおり|ように)定義|定義は|"
    # 次の用語はそれぞれ次の意味を有する / 以下の用語の意味は
    r"(?:次|以下)の用語|意味を有する"
)
# An item of a definition list: the term first, then a space, a colon or 「とは」.
_DEF_ITEM = re.compile(
    r"^[「『]?(?P<term>[^\s「」『』、。:：]{1,20}?)[」』]?(?:\s+|[:：]|とは、?)(?P<def>.+)$"
)
# What an alias is declared to be, after its parenthetical (…は、全て個人情報として取り扱う).
_DECLARED_PI = re.compile(r"として取り扱|とみな|に含まれ|に該当|として扱")
_PARTY_LIKE = re.compile(
    r"^[甲乙丙丁]$|(?:者|社|人|先|元|会社|法人|団体|機関|職員|員|様|さま|連合|組合|市|町|村|県|区)$"
    # the document itself (本契約, 本覚書, 本規約): it holds provisions, not the information
    r"|^(?:本|この)(?:契約|覚書|規約|約款|特記事項|協定|合意|仕様書|DPA|取引)(?:書)?$"
)
# A parenthetical that carves something out of a definition (（個人情報を除く。）).
_EXCLUDED = re.compile(r"[(（][^()（）]*?(?:を|は)除(?:く|き)。?[)）]")
# A further definition in the same sentence (…をいい、「資料等」とは、…をいう).
_NEXT_DEFINITION = re.compile(r"、[「『](?P<term>[^「」『』、。]{1,20})[」』]とは、?")
# The body of a definition that carves its term out of another (…とは、Xのうち…をいう).
_PART_OF = re.compile(r"^(?P<whole>[「『]?[^、。「」『』()]{1,20}?[」』]?)のうち")
# The body of a definition whose head noun is an act (…その他の一切の作業をいう).
_ACT_DEFINED = re.compile(r"(?:作業|行為|操作|活動)(?:をいい|をいう|を指す|のことをいう)")
_ENDS_DEFINITION = re.compile(r"(?:をいう|を指す|を含む|とする|をいい|のことをいう)。?$")


@dataclass(frozen=True)
class DefinedTerm:
    """One defined term: where it is defined and whether its meaning includes personal info."""

    term: str
    sentence: int  # index of the defining sentence
    section: int  # 0: the main body, which applies to the whole document
    personal: bool
    body: str = ""  # the definition's text, to follow terms defined through other terms


class Definitions:
    """The defined terms of one document, by the section they apply to."""

    def __init__(self, terms: list[DefinedTerm]) -> None:
        self.terms = terms
        self._by_section: dict[int, dict[str, DefinedTerm]] = {}
        for t in terms:
            self._by_section.setdefault(t.section, {})[t.term] = t
        self._rx: dict[tuple[int, bool], re.Pattern[str] | None] = {}
        self._sections: list[int] = []
        self._cache: dict[tuple[int, bool], DefinedTerm | None] = {}
        self._norm: list[str] = []

    def bind(self, sections: list[int], norm: list[str]) -> None:
        """Remember each sentence's section and text, for ``pi_term_in``."""
        self._sections, self._norm = sections, norm

    def visible(self, section: int) -> dict[str, DefinedTerm]:
        """The terms that apply in ``section``: the main body's, overridden by its own."""
        return {**self._by_section.get(0, {}), **self._by_section.get(section, {})}

    def pi_term_in_text(self, text: str, section: int) -> DefinedTerm | None:
        """The longest term in ``text`` (a heading of ``section``) defined to include personal
        information."""
        return self.term_in_text(text, section, personal=True)

    def term_in_text(self, text: str, section: int, *, personal: bool) -> DefinedTerm | None:
        """The longest term in ``text`` (read in ``section``) of the given kind."""
        if (section, personal) not in self._rx:
            chosen = [t for t in self.visible(section).values() if t.personal is personal]
            chosen.sort(key=lambda t: len(t.term), reverse=True)
            self._rx[(section, personal)] = (
                re.compile("|".join(re.escape(t.term) for t in chosen)) if chosen else None
            )
        rx = self._rx[(section, personal)]
        m = rx.search(text) if rx is not None and text else None
        return self.visible(section)[m.group(0)] if m else None

    def pi_term_in(self, i: int) -> DefinedTerm | None:
        """The longest term in sentence ``i`` defined to include personal information."""
        return self.term_in(i, personal=True)

    def term_in(self, i: int, *, personal: bool) -> DefinedTerm | None:
        """The longest term in sentence ``i`` whose definition does (or does not) include
        personal information."""
        key = (i, personal)
        if key in self._cache:
            return self._cache[key]
        section = self._sections[i] if self._sections else 0
        text = self._norm[i] if self._norm else ""
        found = self.term_in_text(text, section, personal=personal)
        self._cache[key] = found
        return found


def learn_definitions(
    doc: Document, norm: list[str], catalog: Catalog, parties: Collection[str] = ()
) -> Definitions:
    """Read every definition of the document and resolve which terms carry personal info.

    ``parties``: the names of the parties (ユーザ, ベンダ, 管理者 …), which are no things that
    hold information whatever the sentences say of them (ユーザは、個人情報を含む資料等を…)."""
    described = catalog.patterns.get("personal_definition")

    def names_pi(body: str) -> bool:
        # The word itself, or what it means: information that identifies a person. What the
        # definition leaves out (…情報（個人情報を除く。）) is not in it.
        body = _EXCLUDED.sub("", body)
        if catalog.personal.search(body):
            return True
        # …申込書に基づき締結される契約: a form named as a basis is no part of the thing.
        return described is not None and any(
            not _NOT_A_PART.match(body[m.end() :]) for m in described.finditer(body)
        )

    items_of: dict[int, list[int]] = {}
    for s in doc.sentences:
        if s.lead is not None:
            items_of.setdefault(s.lead, []).append(s.index)
    raw: list[DefinedTerm] = []

    # 「本件個人情報」とは、本件秘密情報のうち…個人情報をいう: the wider term holds the
    # personal information its part is made of.
    wider: list[tuple[str, int]] = []
    # The definitions of terms that name personal information themselves (個人情報等):
    # they may say what holds it.
    pi_bodies: list[tuple[int, str]] = []

    def add(term: str, i: int, body: str, personal: bool) -> None:
        term = term.strip("「」『』 ")
        part_of = _PART_OF.match(body)
        if part_of and catalog.personal.search(term + body[part_of.end() :]):
            wider.append((part_of.group("whole").strip("「」『』"), doc.sentences[i].section))
        if term and catalog.personal.search(term):
            pi_bodies.append((i, body))
        if not term or len(term) > 20 or catalog.personal.search(term):
            return  # a term that names personal information is caught by the vocabulary
        if (
            not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", term)
            or _PARTY_LIKE.search(term)
            or term in parties
        ):
            return  # a party's name (甲, 受領者, 当社), not a thing that holds information
        if _ACT_DEFINED.search(_EXCLUDED.sub("", body)):
            # 「処理」とは、個人データに対して行われる…一切の作業をいう: an act done to the
            # information, not a thing that holds it (処理者, 処理の期間 do not name it).
            personal = False
        raw.append(DefinedTerm(term, i, doc.sentences[i].section, personal, body))

    for s in doc.sentences:
        text = norm[s.index]
        for m in _SAME_BELOW.finditer(text):
            # 知り得た秘密（個人情報を含む。以下同じ。）: the word before the parenthetical means,
            # from here on, what the parenthetical says it includes.
            word = re.search(r"[\u4e00-\u9fff\u30a1-\u30fa]{2,12}$", text[: m.start()])
            if word and names_pi(m.group("inside")):
                add(word.group(0), s.index, m.group("inside"), True)
        for m in _ALIAS.finditer(text):
            # What the alias names: the words before its parenthetical (and inside it).
            start = _phrase_start(text, m.start())
            pre = text[start : m.start() + 1]
            after = text[m.end() : m.end() + 60]
            declared = bool(
                re.match(r"[。]?[)）]?(?:は|を)、", after)
                and catalog.personal.search(after)
                and _DECLARED_PI.search(after)
            )
            add(m.group("term"), s.index, pre, names_pi(pre) or declared)
        m = _DEFINITION.match(text) or _DEF_IN.search(text)
        if m:
            body = m.group("def") + "、".join(["", *(norm[k] for k in items_of.get(s.index, []))])
            # 「X」とは、…をいい、「Y」とは、…をいう: each term has its own body.
            later = list(_NEXT_DEFINITION.finditer(body))
            first = body[: later[0].start()] if later else body
            add(m.group("term"), s.index, first, names_pi(first))
            for k, n in enumerate(later):
                end = later[k + 1].start() if k + 1 < len(later) else len(body)
                own = body[n.end() : end]
                add(n.group("term"), s.index, own, names_pi(own))
        elif s.lead is not None and _DEF_LEAD.search(norm[s.lead]):
            item = _DEF_ITEM.match(text)
            # 「X」　…をいう, or a quoted term followed by a noun phrase (「X」　甲が提供する
            # 顧客リスト（氏名…を含む。）): under a definition lead, the quotes make it one.
            quoted = text.startswith(("「", "『"))
            # （２）患者情報　…個人情報に該当するもの: under such a lead, a term set off by a
            # space from a noun phrase is defined by it, whatever the ending.
            spaced = bool(re.match(r"^[^\s「」『』、。]{1,20}[\s\u3000]+\S", text))
            # (6) 利用者データ：預託帳票に記載された情報…: a term set off by a colon.
            colon = bool(re.match(r"^[^\s「」『』、。:：]{1,20}[:：]\S", text))
            if item and (_ENDS_DEFINITION.search(text) or quoted or spaced or colon):
                body = item.group("def")
                add(item.group("term"), s.index, body, names_pi(body))
    # 「委託情報」とは、…をいう。委託情報には、個人情報を含むものとする: a sentence of its own
    # that puts personal information into a term already defined.
    defined = {t.term for t in raw}
    for s in doc.sentences:
        m = _INCLUDES.match(norm[s.index])
        if (
            m
            and m.group("term") in defined
            and catalog.personal.search(m.group("what"))
            and not _NOT_INCLUDED.match(norm[s.index][m.end() :])
        ):
            wider.append((m.group("term"), s.section))
    raw = _deemed(raw, doc, norm, catalog)
    # 「個人情報」とは、預かり文書に記載され、又は記録された情報…をいう, or a definition
    # list's （三）個人情報等　資料等に記録された個人情報をいう: the thing the personal
    # information is written in holds it.
    holders = [
        (s.index, m.group("body"))
        for s in doc.sentences
        if (m := _PI_DEFINED_IN.search(norm[s.index])) and catalog.personal.search(m.group("term"))
    ]
    holders += pi_bodies
    for sentence, body in holders:
        body = _EXCLUDED.sub("", body)  # 個人情報（成果物に記載されたものを除く。）
        for k, t in enumerate(raw):
            held = re.finditer(
                rf"{re.escape(t.term)}[」』]?(?:等)?(?:に|へ)(?:記載|記録|保存|含まれ|収録)", body
            )
            # (…成果物に含まれないもの / 公表資料に記載されていないもの: held elsewhere)
            if not t.personal and any(not _HELD_NOT.match(body[m.end() :]) for m in held):
                raw[k] = DefinedTerm(t.term, sentence, t.section, True, t.body)
    for whole, section in wider:
        for k, t in enumerate(raw):
            if t.term == whole and not t.personal and t.section in (0, section):
                raw[k] = DefinedTerm(t.term, t.sentence, t.section, True, t.body)
    return Definitions(_follow(raw))


def _deemed(
    terms: list[DefinedTerm], doc: Document, norm: list[str], catalog: Catalog
) -> list[DefinedTerm]:
    """Terms that another sentence brings personal information into: 「個人情報は、前項の
    秘密情報とみなす」, 「個人情報も秘密情報として取り扱う」, 「秘密情報には、個人情報を含む
    ものとする」, or names as one kind of it: 「課税資料その他の個人情報」 (Aその他のB: A is
    a B). The term then carries it wherever its definition applies."""
    personal = catalog.personal.pattern
    out = list(terms)
    for k, t in enumerate(out):
        if t.personal:
            continue
        term = re.escape(t.term)
        rx = re.compile(
            rf"(?:{personal})[^。]{{0,30}}?(?:は|も|については|についても)、?[^。]{{0,24}}?"
            rf"[「『]?{term}[」』]?(?:と(?:みな|し)|に(?:含まれ(?!な)|含め|該当(?!し))|として(?:取り?扱|管理))"
            rf"|[「『]?{term}[」』]?(?:に|には|は)、?[^。、]{{0,30}}?(?:{personal})(?:を|も|が)含(?!まな|まれな|めな)"
            # 課税資料その他の個人情報: the term named as one kind of personal information
            rf"|{term}[」』]?(?:等)?(?:その他の?|などの)(?:{personal})"
        )
        for s in doc.sentences:
            if s.section not in (0, t.section) and t.section != 0:
                continue
            text = norm[s.index]
            if t.term not in text or _EXCLUDED.search(text):
                continue
            # An inserted definition (個人情報（…法第2条第1項に定める個人情報をいう。）は) is
            # read past.
            if rx.search(re.sub(r"\([^()]*\)", "", text)):
                out[k] = DefinedTerm(t.term, s.index, t.section, True, t.body)
                break
    return out


# 「X」には、…を含む(ものとする) / Xは、…を含む: what a defined term includes.
_INCLUDES = re.compile(
    r"^(?:なお、)?[「『]?(?P<term>[^「」『』、。()]{1,20}?)[」』]?(?:には|は)、?"
    r"(?P<what>[^。]{1,40}?)(?:を|が)含(?:む|み|まれ|める)"
)
# A definition of personal information itself (「個人情報」とは、…をいう).
_PI_DEFINED_IN = re.compile(r"[「『](?P<term>[^」』]{2,12})[」』]とは、(?P<body>[^。]+)")
_NOT_INCLUDED = re.compile(r"^(?:ま)?(?:ない|ず|ません)")


def _phrase_start(text: str, end: int) -> int:
    """Where the noun phrase an alias names begins: after the previous clause boundary."""
    window = max(0, end - 60)
    cut = [
        m.end() for m in re.finditer(r"。|(?:は|が|を|に|で|、)、|」と|」は、", text[window:end])
    ]
    return window + (cut[-1] if cut else 0)


# A negation after "held in" (含まれない, 記載されていない, 記録されたものを除く).
_HELD_NOT = re.compile(r"^(?:され|て|されて)?(?:い)?(?:ない|ず|ません)|^[^、。]{0,8}を除")
# A term that names work, an act or a place, not a thing that holds information.
_WORK = re.compile(
    r"(?:業務|事務|役務|作業|行為|操作|活動|サービス|施設|場所|拠点|事業所|設備)[(（]?$"
)
# A term named in a definition as a means or a purpose, not as a part of what is defined
# (本件業務の遂行のため…開示を受けた情報 / データセットを用いて生成されるプログラム).
_NOT_A_PART = re.compile(
    r"^(?:の(?:遂行|実施|履行|ため|目的|提供)|のため|を(?:用い|使用し|利用し|基に)|に(?:関し|関する|基づ))"
)


def _component(term: str, body: str, terms: Iterable[str]) -> bool:
    """Whether ``term`` is named in the definition ``body`` as a part of what it defines (not
    inside a longer term: 学習用データ in 学習用データセット)."""
    longer = [t for t in terms if t != term and t.startswith(term)]
    return any(
        not _NOT_A_PART.match(body[m.end() :])
        and not any(body.startswith(t, m.start()) for t in longer)
        for m in re.finditer(re.escape(term), body)
    )


def _follow(terms: list[DefinedTerm]) -> list[DefinedTerm]:
    """Mark terms defined through a personal-information term (「X等」とは、X並びに…)."""
    by_section: dict[int, dict[str, DefinedTerm]] = {}
    for t in terms:
        by_section.setdefault(t.section, {})[t.term] = t
    changed = True
    for _ in range(6):  # definitions chain a few levels at most
        if not changed:
            break
        changed = False
        for own in by_section.values():
            visible = {**by_section.get(0, {}), **own}
            pi_terms = [k for k, t in visible.items() if t.personal]
            for key, t in own.items():
                if t.personal:
                    continue
                if _WORK.search(re.sub(r"[(（][^()（）]*[)）]?$", "", t.body)):
                    continue  # 「本件業務」とは、…データセットを作成し…提供する業務をいう
                if any(k != key and _component(k, t.body, visible) for k in pi_terms):
                    own[key] = DefinedTerm(t.term, t.sentence, t.section, True, t.body)
                    changed = True
    return [t for own in by_section.values() for t in own.values()]
