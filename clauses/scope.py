"""Scope: does a sentence concern personal information, or only secrets in general?

A sentence is about personal information when it names it (個人情報, 個人データ …), when it
uses a term the contract defines to include it (see ``clauses.definitions``), or, more weakly,
when its list lead, article heading or section title does.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from clauses.analysis import normalize
from clauses.parties import PRINCIPAL

if TYPE_CHECKING:
    from clauses.catalog import Catalog
    from clauses.definitions import Definitions
    from contracts.document import Document


# A sentence that goes on from the one before: a connective, or a demonstrative standing for
# what was just named (これを / これらの / 当該…).
_CONTINUES = re.compile(
    r"^(?:(?:また|さらに|更に|加えて|同様に|併せて|あわせて)、|(?:これ|これら|それ|それら)(?:を|の|に|は、)|当該)"
)


# 開示者は、…個人情報を含む情報を開示しないものとし: what the principal keeps back.
_WITHHELD = re.compile(
    r"^(?P<who>[^、。]{1,12})は、[^。]*?(?:個人情報|個人データ)[^。]{0,12}?"
    r"(?:開示|提供|預託|貸与|引き渡|引渡)(?:し|さ)?な(?:い|く)"
)


class ScopeMixin:
    """Scope questions about sentence ``i`` of a checked document (mixed into Context)."""

    doc: Document
    catalog: Catalog
    norm: list[str]
    definitions: Definitions
    items: dict[int, list[int]]

    def explicit_pi(self, i: int) -> bool:
        """Whether sentence ``i`` names personal information or a term defined to include it."""
        if self.catalog.personal.search(self.norm[i]):
            return True
        return self.definitions.pi_term_in(i) is not None

    def pi_definition(self, i: int) -> int | None:
        """The definition sentence that makes sentence ``i`` (or its lead) about personal
        information when it does not name it itself, for the evidence."""
        s = self.doc.sentences[i]
        for k in (i, s.lead, s.proviso_of):
            if k is None or self.catalog.personal.search(self.norm[k]):
                if k is not None:
                    return None
                continue
            found = self.definitions.pi_term_in(k)
            if found is not None:
                return found.sentence
        return None

    def generic_only(self, i: int) -> bool:
        """Whether sentence ``i`` itself names secrets in general (秘密情報 …) and no personal
        information: a list lead or heading about personal information does not widen it."""
        return bool(self.catalog.generic_secret.search(self.norm[i])) and not self.explicit_pi(i)

    def about_information(self, i: int) -> bool:
        """Whether sentence ``i`` (or its list lead) is about information at all, personal or
        not: a key returned, a site kept safe or an accident on site is not."""
        s = self.doc.sentences[i]
        for k in (i, s.lead):
            if k is not None and (
                self.catalog.information.search(self.norm[k]) or self.explicit_pi(k)
            ):
                return True
        return False

    def document_has_pi(self) -> bool:
        """Whether the document speaks of personal information anywhere (text or headings)."""
        cached = getattr(self, "_has_pi", None)
        if cached is None:
            cached = any(
                self.explicit_pi(k) and not self.denies_pi(k) for k in range(len(self.norm))
            ) or any(self.catalog.personal.search(normalize(a.heading)) for a in self.doc.articles)
            self._has_pi = cached
        return cached

    def denies_pi(self, k: int) -> bool:
        """Whether sentence ``k`` names personal information only to say there is none (…個人
        情報は記録されていない) or that the principal will not hand any over (開示者は、個人情報
        を含む情報を開示しない)."""
        text = self.norm[k]
        deny = self.catalog.patterns.get("no_personal")
        if deny is not None and deny.search(text):
            return True
        m = _WITHHELD.search(text)
        return bool(m and self.parties.resolve(m.group("who")) == PRINCIPAL)

    def document_about_other_matter(self) -> bool:
        """Whether the document shows a subject other than personal information (works,
        goods, leases, technical or business secrets)."""
        return any(self.catalog.other_matter.search(t) for t in self.norm)

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
        if self.continues_previous(i):
            related.append(i - 1)
        if any(self.explicit_pi(k) for k in related):
            return 3
        if s.article is not None:
            # The heading names personal information or a term defined to include it
            # (（資料等の返還等） where 資料等 are the media holding it).
            heading = normalize(self.doc.articles[s.article].heading)
            if self.catalog.personal.search(heading) or self.definitions.pi_term_in_text(
                heading, s.section
            ):
                return 2
        if self.catalog.personal.search(normalize(self.doc.sections[s.section].title)):
            return 1
        if s.article is None and self.heading_names_pi(i):
            return 1
        if s.section == 0 and self.titled_pi_contract() and self.about_information(i):
            # 個人情報取扱特記事項 / 個人情報の取扱いに関する覚書: the information the text
            # speaks of (資料等, データ) is that personal information; lent goods and the work
            # itself (貸与品, 善良な管理者の注意をもって本件業務を行う) are not.
            return 1
        return 0

    def continues_previous(self, i: int) -> bool:
        """Whether sentence ``i`` goes on from the sentence before it in the same paragraph or
        item (また、…目的以外に利用しない。 / これを複製しない。): its elided object or its
        demonstrative is what that sentence spoke of."""
        if i == 0:
            return False
        s, t = self.doc.sentences[i], self.doc.sentences[i - 1]
        if (s.section, s.article, s.paragraph, s.item) != (
            t.section,
            t.article,
            t.paragraph,
            t.item,
        ):
            return False
        if t.kind not in ("body", "item") or s.proviso_of is not None:
            return False
        return bool(_CONTINUES.match(self.norm[i]))

    def titles(self) -> list[str]:
        """The lines that may be the document's title: before any article, among its first
        sentences, short and not a sentence (the layout may have joined a title to what
        follows)."""
        cached = self.__dict__.get("_titles")
        if cached is None:
            cached = []
            for s in self.doc.sentences[:12]:
                if s.article is not None:
                    break
                title = re.sub(r"\s", "", normalize(s.text.strip().split("\n")[0]))
                if len(title) <= 60 and not title.endswith("。"):
                    cached.append(title)
            self.__dict__["_titles"] = cached
        return cached

    def titled_pi_contract(self) -> bool:
        """Whether the document is titled as a contract about personal information (個人情報
        取扱特記事項, 個人情報の取扱いに関する覚書), not a policy or a form about it."""
        contract = self.catalog.patterns.get("contract_title")
        return contract is not None and any(
            self.catalog.personal.search(t) and contract.search(t) for t in self.titles()
        )

    def heading_names_pi(self, i: int) -> bool:
        """Whether the nearest heading line above sentence ``i`` outside any article (a
        chapter of a 仕様書: 「１０　個人情報の取扱い」) names personal information: the
        duties below it, up to the next heading, are about it."""
        cache = self.__dict__.setdefault("_heading_pi", {})
        if i in cache:
            return cache[i]
        s = self.doc.sentences[i]
        found = False
        for k in range(i - 1, max(-1, i - 80), -1):
            t = self.doc.sentences[k]
            if t.section != s.section or t.article is not None:
                break
            text = self.norm[k]
            if t.kind in ("heading", "fragment") and len(text) <= 30 and "。" not in text:
                found = bool(self.catalog.personal.search(text))
                break
        cache[i] = found
        return found
