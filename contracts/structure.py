"""Recognise the structure of a Japanese contract: 別記/別紙, 条, 項, 号 and sentences.

The scanner works line by line on the joined page texts. Lines that a PDF or a plain-text
export wrapped inside a sentence are re-joined for sentence splitting, but offsets always
refer to the original text, so ``text[start:end]`` is exactly what the contract says.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from contracts.elements import (
    Article,
    Document,
    Item,
    PageSpan,
    Paragraph,
    Section,
    Sentence,
)
from contracts.numerals import CIRCLED as _CIRCLED
from contracts.numerals import PAREN_NUM as _PAREN_NUM
from contracts.numerals import item_number as _item_number
from contracts.numerals import kanji_to_int as kanji_to_int
from contracts.pages import PageText

_NUM = r"[0-9０-９]+|[一二三四五六七八九十百〇]+"
_SPACE = r"[ \t\u3000]"
# Markdown-ish bullets some text exports put in front of paragraphs and items ("- 2 ...").
_BULLET = re.compile(r"^[ \t\u3000]*(?:[-・*•][ \t\u3000]+)?")
_ARTICLE = re.compile(
    rf"^(第(?P<num>{_NUM})条(?:の(?:{_NUM}))?)(?=$|{_SPACE}|[（(]|[^のにでがをはへとも、。])"
    rf"{_SPACE}*(?:[（(](?P<head>[^）)。]{{1,40}})[）)])?{_SPACE}*"
)
# An article numbered without 条 (第４　乙は、… / 第１　目的): the number and a space.
_BARE_ARTICLE = re.compile(rf"^(第(?P<num>[0-9０-９]+|[一二三四五六七八九十]+)){_SPACE}+(?=\S)")
_CHAPTER = re.compile(rf"^第(?:{_NUM})[編章節款](?:{_SPACE}|$)")
_SECTION = re.compile(
    rf"^(?P<label>(?:別記|別紙|別添|別表|付属書|附属書|付録)(?:{_SPACE}*(?:{_NUM}|[A-ZＡ-Ｚ]))?)"
    rf"(?:{_SPACE}*(?P<title>.*))?$"
)
_HEADING = re.compile(r"^[（(](?P<head>[^）)。]{2,40})[）)]$")
_PARAGRAPH = re.compile(
    rf"^(?P<label>[0-9０-９]{{1,3}})(?:{_SPACE}+|(?=[^0-9０-９.．,，、年月日条項号時分%％]))"
)
# A paragraph numbered in the decimal style of translated agreements (7.3　処理者は、…): it
# starts a new sentence even after an unterminated item line.
_DECIMAL_PARAGRAPH = re.compile(
    rf"^[0-9０-９]{{1,2}}[.．][0-9０-９]{{1,2}}(?:[.．][0-9０-９]{{1,2}})?{_SPACE}+\S"
)
_ITEM_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("paren_num", re.compile(r"^(?P<label>[（(](?P<n>[0-9０-９]{1,3})[）)])")),
    ("paren_kanji", re.compile(r"^(?P<label>[（(](?P<n>[一二三四五六七八九十]{1,3})[）)])")),
    ("paren_kana", re.compile(r"^(?P<label>[（(](?P<n>[ア-ン])[）)])")),
    ("paren_alpha", re.compile(r"^(?P<label>[（(](?P<n>[a-zａ-ｚ])[）)])")),
    ("circled", re.compile(rf"^(?P<label>(?P<n>[{_CIRCLED}{_PAREN_NUM}]))")),
    ("kanji", re.compile(rf"^(?P<label>(?P<n>[一二三四五六七八九十]{{1,3}}))(?:{_SPACE}+)")),
    ("kana", re.compile(rf"^(?P<label>(?P<n>[ア-ン]))(?:{_SPACE}+)")),
    ("num_dot", re.compile(r"^(?P<label>(?P<n>[0-9０-９]{1,2})[.．)）])(?![0-9０-９])")),
)
# The mark between a sentence and the list it announces (記), and the announcing words.
_LIST_MARK = re.compile(r"^(?:記|以下|下記)[\s\u3000]*$")
_ANNOUNCES = re.compile(
    r"(?:次|以下|下記)(?:の|に掲げる)(?:各号|事項|とおり|措置|条件|内容)|次のとおり"
)
_OPEN = "（(「『【［〔"
_CLOSE = "）)」』】］〕"
_TERMINAL = "。．"


@dataclass
class _Line:
    start: int  # offset of the first non-blank character (after any bullet)
    end: int  # offset of the end of the line, trailing blanks excluded
    body: str
    page_end: bool = False  # last non-blank line of a page


@dataclass
class _State:
    sections: list[Section] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)


def structure(pages: Sequence[PageText]) -> Document:
    """Build a Document from page texts (the engine behind ``build_document``)."""
    text, spans = _join_pages(pages)
    return _Scanner(text, spans).run()


def _join_pages(pages: Sequence[PageText]) -> tuple[str, tuple[PageSpan, ...]]:
    parts: list[str] = []
    spans: list[PageSpan] = []
    offset = 0
    for page in pages:
        body = page.text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
        spans.append(
            PageSpan(
                page.number, offset, offset + len(body), page.ocr, page.confidence, page.vertical
            )
        )
        parts.append(body)
        offset += len(body) + 1
    return "\n".join(parts), tuple(spans)


class _Scanner:
    def __init__(self, text: str, pages: tuple[PageSpan, ...]) -> None:
        self.text = text
        self.pages = pages
        self.page_starts = [p.start for p in pages]
        self.st = _State()
        # current position in the structure
        self.section = 0
        self.article: int | None = None
        self.paragraph: int | None = None
        self.item_stack: list[tuple[str, int]] = []  # (kind, item index) per level
        self.pending_heading = ""
        self.lead: int | None = None
        self.last_body: int | None = None  # last main sentence of the paragraph or item
        self.para_last: int | None = None  # last main sentence outside items

    # -- helpers ---------------------------------------------------------------------------
    def page_at(self, offset: int) -> int:
        if not self.pages:
            return 1
        i = max(0, bisect.bisect_right(self.page_starts, offset) - 1)
        return self.pages[i].number

    def lines(self) -> list[_Line]:
        out: list[_Line] = []
        page_ends = {p.end for p in self.pages}
        pos = 0
        raws = self.text.split("\n")
        running = running_headers(raws)
        for raw in raws:
            line_start, line_end = pos, pos + len(raw)
            pos = line_end + 1
            m = _BULLET.match(raw)
            lead = m.end() if m else 0
            body = raw[lead:].rstrip(" \t\u3000")
            bare = raw.strip(" \t\u3000")
            if bare and (PAGE_NUMBER.match(bare) or bare in running):
                # A page number or running header that a PDF's text left inside the page
                # flow (…講じなければならな / - 6 - / 契約約款 / い。): a page break.
                if out:
                    out[-1].page_end = True
                continue
            if not body:
                if line_end in page_ends and out:
                    out[-1].page_end = True
                continue
            out.append(
                _Line(
                    line_start + lead,
                    line_start + lead + len(body),
                    body,
                    page_end=line_end in page_ends,
                )
            )
        return out

    def is_structural(self, body: str) -> bool:
        return bool(
            _ARTICLE.match(body)
            or _BARE_ARTICLE.match(body)
            or _CHAPTER.match(body)
            or self.section_match(body)
            or _HEADING.match(body)
            or self.item_match(body)
            or self._para_ok(body)
            or bool(_DECIMAL_PARAGRAPH.match(body))
        )

    def _para_ok(self, body: str) -> bool:
        m = _PARAGRAPH.match(body)
        return bool(m) and len(body) > m.end()

    @staticmethod
    def section_match(body: str) -> re.Match[str] | None:
        if "。" in body or len(body) > 40:
            return None
        m = _SECTION.match(body)
        if not m:
            return None
        title = (m.group("title") or "").strip()
        # "別紙仕様書に定める…" is a sentence, not a section mark.
        if title and not re.match(r"^[（(「『]|^[^のにでがをはへと]*$", title):
            return None
        return m

    @staticmethod
    def item_match(body: str) -> tuple[str, re.Match[str]] | None:
        for kind, pattern in _ITEM_PATTERNS:
            m = pattern.match(body)
            if m and len(body) > m.end():
                return kind, m
        return None

    # -- main loop ---------------------------------------------------------------------------
    def run(self) -> Document:
        lines = self.lines()
        st = self.st
        st.sections.append(Section(0, "", "", 0, len(self.text), 1))
        i = 0
        while i < len(lines):
            line = lines[i]
            body = line.body
            # Wrapped continuation lines join the logical line for sentence splitting.
            j = i
            while j + 1 < len(lines) and self._continues(lines[j], lines[j + 1]):
                j += 1
            segments = [(ln.start, ln.end) for ln in lines[i : j + 1]]
            self.handle(line, body, segments)
            i = j + 1
        self._close_all(len(self.text))
        self._title_items()
        self._finish_citations()
        return Document(
            text=self.text,
            pages=self.pages,
            sections=tuple(st.sections),
            articles=tuple(st.articles),
            paragraphs=tuple(st.paragraphs),
            items=tuple(st.items),
            sentences=tuple(st.sentences),
        )

    def _continues(self, prev: _Line, nxt: _Line) -> bool:
        last = prev.body[-1]
        if last in _TERMINAL or last in "：:" or self.is_structural(nxt.body):
            return False
        if _HEADING.match(prev.body) or _CHAPTER.match(prev.body) or self.section_match(prev.body):
            return False
        bare = _BARE_ARTICLE.match(prev.body)
        if bare and len(prev.body) - bare.end() <= 30 and "。" not in prev.body:
            return False  # 第１　目的: an article's heading line
        if _depth(prev.body) > 0:
            return True
        # A page break inside a sentence, or a hard wrap of a long line.
        return prev.page_end or len(prev.body) >= 20

    def handle(self, line: _Line, body: str, segments: list[tuple[int, int]]) -> None:
        st = self.st
        start = line.start
        sec = self.section_match(body) if len(segments) == 1 else None
        if sec:
            self._close_all(start)
            label = sec.group("label")
            title = (sec.group("title") or "").strip("　 （）()「」")
            st.sections.append(
                Section(len(st.sections), label, title, start, len(self.text), self.page_at(start))
            )
            self.section = len(st.sections) - 1
            self._add(start, line.end, "heading", segments)
            return
        if _CHAPTER.match(body) or (len(segments) == 1 and _HEADING.match(body)):
            m = _HEADING.match(body)
            if m:
                self.pending_heading = m.group("head")
            self._add(start, line.end, "heading", segments)
            return
        m = _ARTICLE.match(body)
        if m and self._article_ok(body, m):
            self._open_article(m, start, m.group("head") or "")
            rest = start + m.end()
            if rest < line.end or len(segments) > 1:
                self._body(rest, segments)
            return
        bare = _BARE_ARTICLE.match(body)
        if bare:
            self._open_article(bare, start, "")
            rest = body[bare.end() :]
            if len(segments) == 1 and "。" not in rest and len(rest) <= 30:
                # 第１　目的: the words after the number are the article's heading.
                a = st.articles[self.article]
                st.articles[self.article] = _replace(a, heading=rest.strip())
                return
            self._body(start + bare.end(), segments)
            return
        self.pending_heading = ""
        item = self.item_match(body)
        if item:
            kind, im = item
            self._open_item(kind, im, start)
            self._body(start + im.end(), segments, in_item=True)
            return
        pm = _PARAGRAPH.match(body)
        if pm and self._para_ok(body):
            number = kanji_to_int(pm.group("label"))
            self._open_paragraph(pm.group("label"), number, start)
            self._body(start + pm.end(), segments)
            return
        if self._maybe_section_title(body, start, line.end, segments):
            return
        self._body(start, segments)

    def _open_article(self, m: re.Match[str], start: int, head: str) -> None:
        """Close the open article and open the one whose label ``m`` matched at ``start``."""
        st = self.st
        self._close_article(start)
        head = head or self.pending_heading
        self.pending_heading = ""
        st.articles.append(
            Article(
                len(st.articles),
                m.group(1),
                kanji_to_int(m.group("num")),
                head,
                start,
                len(self.text),
                self.page_at(start),
                self.section,
            )
        )
        self.article = len(st.articles) - 1
        self._open_paragraph("", 1, start)

    def _maybe_section_title(self, body: str, start: int, end: int, segments: list) -> bool:
        """A short unterminated line right after a 別記/別紙 mark is that section's title."""
        st = self.st
        sec = st.sections[self.section]
        if (
            self.section == 0
            or sec.title
            or self.article is not None
            or self.paragraph is not None
            or len(segments) > 1
            or len(body) > 40
            or body[-1] in _TERMINAL
        ):
            return False
        if any(x.section == self.section and x.kind != "heading" for x in st.sentences[-3:]):
            return False
        st.sections[self.section] = _replace(sec, title=body.strip("「」『』"))
        self._add(start, end, "heading", segments)
        return True

    def _article_ok(self, body: str, m: re.Match[str]) -> bool:
        rest = body[m.end() :]
        # "第3条第2項の規定により…" starting a line is a sentence, not an article heading.
        return not re.match(
            r"^(第[0-9０-９一二三四五六七八九十]+[項号]|[のにでがをはへと、])", rest
        )

    # -- structure bookkeeping ----------------------------------------------------------------
    def _close_item_levels(self, end: int, level: int = 0) -> None:
        st = self.st
        while len(self.item_stack) > level:
            _, idx = self.item_stack.pop()
            it = st.items[idx]
            st.items[idx] = _replace(it, end=end)

    def _close_paragraph(self, end: int) -> None:
        self._close_item_levels(end)
        if self.paragraph is not None:
            p = self.st.paragraphs[self.paragraph]
            self.st.paragraphs[self.paragraph] = _replace(p, end=end)
        self.paragraph = None
        self.lead = None
        self.last_body = None
        self.para_last = None

    def _close_article(self, end: int) -> None:
        self._close_paragraph(end)
        if self.article is not None:
            a = self.st.articles[self.article]
            self.st.articles[self.article] = _replace(a, end=end)
        self.article = None

    def _close_all(self, end: int) -> None:
        self._close_article(end)
        sec = self.st.sections[self.section]
        self.st.sections[self.section] = _replace(sec, end=end)

    def _open_paragraph(self, label: str, number: int, start: int) -> None:
        self._close_paragraph(start)
        st = self.st
        st.paragraphs.append(
            Paragraph(
                len(st.paragraphs),
                label,
                number,
                start,
                len(self.text),
                self.page_at(start),
                self.article,
                self.section,
            )
        )
        self.paragraph = len(st.paragraphs) - 1

    def _open_item(self, kind: str, m: re.Match[str], start: int) -> None:
        st = self.st
        if self.paragraph is None:
            # A list outside any article (誓約書: …次の事項を遵守することを誓約します。 記 1. …):
            # the sentence announcing it still leads it.
            before = self._announcing(self.para_last)
            self._open_paragraph("", 1, start)
            self.para_last = before
        kinds = [k for k, _ in self.item_stack]
        level = kinds.index(kind) if kind in kinds else len(kinds)
        self._close_item_levels(start, level)
        parent = self.item_stack[-1][1] if self.item_stack else None
        st.items.append(
            Item(
                len(st.items),
                m.group("label"),
                _item_number(kind, m.group("n")),
                level + 1,
                start,
                len(self.text),
                self.page_at(start),
                self.paragraph,
                parent,
            )
        )
        self.item_stack.append((kind, len(st.items) - 1))
        if level == 0:
            self.lead = self._past_marks(self.para_last)
        self.last_body = None

    def _past_marks(self, k: int | None) -> int | None:
        """Sentence ``k``, or the one before it when ``k`` is only the mark 記 (or 以下・下記)
        that stands between a sentence and the list it announces."""
        sents = self.st.sentences
        if k is not None and k > 0 and _LIST_MARK.match(sents[k].text.strip()):
            return k - 1
        return k

    def _announcing(self, k: int | None) -> int | None:
        """Sentence ``k`` (past a 記 mark) when it announces a list (次の事項 / 以下の事項 /
        下記の事項): outside an article, only such a sentence leads the items after it."""
        k = self._past_marks(k)
        if k is None:
            return None
        t = self.st.sentences[k]
        if t.kind == "body" and t.section == self.section and _ANNOUNCES.search(t.text):
            return k
        return None

    # -- sentences ----------------------------------------------------------------------------
    def _body(self, start: int, segments: list[tuple[int, int]], in_item: bool = False) -> None:
        """Split the logical line from ``start`` into sentences."""
        segs = [(max(s, start), e) for s, e in segments if e > start]
        if not segs:
            return
        chars: list[int] = []  # text offsets of the characters of the logical line
        for s, e in segs:
            chars.extend(range(s, e))
        # skip leading blanks
        k = 0
        while k < len(chars) and self.text[chars[k]] in " \t\u3000":
            k += 1
        depth = 0
        sent_begin = k
        for pos in range(k, len(chars)):
            ch = self.text[chars[pos]]
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE:
                depth = max(0, depth - 1)
            elif ch in _TERMINAL and depth == 0 and not self._decimal(chars, pos):
                self._add_sentence(chars[sent_begin], chars[pos] + 1, in_item, segments)
                sent_begin = pos + 1
                while sent_begin < len(chars) and self.text[chars[sent_begin]] in " \t\u3000":
                    sent_begin += 1
        if sent_begin < len(chars):
            self._add_sentence(chars[sent_begin], chars[-1] + 1, in_item, segments)

    def _decimal(self, chars: list[int], pos: int) -> bool:
        if self.text[chars[pos]] != "．" or pos == 0 or pos + 1 >= len(chars):
            return False
        return self.text[chars[pos - 1]].isdigit() and self.text[chars[pos + 1]].isdigit()

    def _add_sentence(self, start: int, end: int, in_item: bool, segments: list) -> None:
        text = self.text[start:end]
        if not text.strip():
            return
        flat = text.replace("\n", "")
        if flat.endswith(("。", "．")):
            kind = "body"
        elif in_item:
            kind = "item"
        else:
            kind = "fragment"
        proviso_of = None
        if not in_item and self.item_stack:
            self.item_stack = []
        if re.match(r"^(ただし|但し)", flat) and self.last_body is not None:
            proviso_of = self.last_body
            # A proviso of a proviso qualifies the same main sentence.
            base = self.st.sentences[proviso_of]
            if base.proviso_of is not None:
                proviso_of = base.proviso_of
        idx = self._add(
            start,
            end,
            kind,
            segments,
            proviso_of=proviso_of,
            lead=self.lead if self.item_stack else None,
        )
        if proviso_of is None and kind in ("body", "item", "fragment"):
            self.last_body = idx
            if not self.item_stack:
                self.para_last = idx

    def _add(
        self,
        start: int,
        end: int,
        kind: str,
        segments: list,
        *,
        proviso_of: int | None = None,
        lead: int | None = None,
    ) -> int:
        st = self.st
        item = self.item_stack[-1][1] if (self.item_stack and kind != "heading") else None
        if kind == "heading":
            article = paragraph = None
        else:
            article, paragraph = self.article, self.paragraph
        idx = len(st.sentences)
        st.sentences.append(
            Sentence(
                index=idx,
                start=start,
                end=end,
                text=self.text[start:end],
                page=self.page_at(start),
                citation=self._citation(article, paragraph, item),
                kind=kind,
                section=self.section,
                article=article,
                paragraph=paragraph,
                item=item,
                proviso_of=proviso_of,
                lead=lead,
            )
        )
        return idx

    def _title_items(self) -> None:
        """An item that is a short title (（８）管理状況の報告及び調査) followed by its own text
        (sentences outside the list, or items under it) instead of the next item of its list
        is a heading: it continues no sentence before it, and the items under it are led by
        it, not by the sentence before the title. (A title above the list, 「４　安全管理措置」,
        keeps leading it.)"""
        sents, items = self.st.sentences, self.st.items
        for k, s in enumerate(sents[:-1]):
            if s.kind != "item" or s.item is None or s.lead is None:
                continue
            if sents[s.lead].kind != "body":
                continue  # under a chapter's title (４ 安全管理措置): that title still leads
            if "。" in s.text or len(s.text.strip()) > 30:
                continue
            nxt = sents[k + 1]
            if (nxt.section, nxt.article) != (s.section, s.article) or nxt.kind == "heading":
                continue  # the last item of an article's list, before the next article
            under = nxt.item is not None and items[nxt.item].parent == s.item
            if nxt.item is not None and not under:
                continue  # the next item of the same list: a list of short items
            old_lead = s.lead
            sents[k] = _replace(s, lead=None)
            for j in range(k + 1, len(sents)):
                t = sents[j]
                if t.item is None or not self._descends(t.item, s.item):
                    break
                if t.lead == old_lead:
                    sents[j] = _replace(t, lead=k)

    def _descends(self, item: int, ancestor: int) -> bool:
        cur: int | None = item
        for _ in range(12):
            if cur is None:
                return False
            if cur == ancestor:
                return True
            cur = self.st.items[cur].parent
        return False

    def _finish_citations(self) -> None:
        """Drop the implicit 第1項 from articles that have a single paragraph."""
        counts: dict[int, int] = {}
        for p in self.st.paragraphs:
            if p.article is not None:
                counts[p.article] = counts.get(p.article, 0) + 1
        for i, s in enumerate(self.st.sentences):
            if s.article is not None and counts.get(s.article, 0) <= 1 and s.paragraph is not None:
                label = self.st.articles[s.article].label
                first = self.st.paragraphs[s.paragraph].label == ""
                if first:
                    cite = s.citation.replace(label + "第1項", label, 1)
                    cite = cite.replace(label + "第１項", label, 1).replace(
                        label + "第一項", label, 1
                    )
                    self.st.sentences[i] = _replace(s, citation=cite)

    def _citation(self, article: int | None, paragraph: int | None, item: int | None) -> str:
        st = self.st
        parts: list[str] = []
        sec = st.sections[self.section]
        full_width = False
        kanji = False
        if article is not None:
            label = st.articles[article].label
            parts.append(label)
            full_width = bool(re.search(r"[０-９]", label))
            kanji = bool(re.search(r"[一二三四五六七八九十]", label))
        if paragraph is not None:
            p = st.paragraphs[paragraph]
            # 第1項 is cited only when the article has (or so far had) more paragraphs; the
            # checker re-cites with the final count via ``cite`` below.
            if p.label:
                parts.append(f"第{p.label}項")
            elif article is None:
                pass
            else:
                parts.append("第{first}項")
        if item is not None:
            chain = []
            it: int | None = item
            while it is not None:
                chain.append(st.items[it])
                it = st.items[it].parent
            for level_item in reversed(chain):
                label = level_item.label.strip("（）()")
                if level_item.level == 1:
                    parts.append(
                        f"第{label}号"
                        if re.match(r"^[0-9０-９一二三四五六七八九十]+$", label)
                        else label
                    )
                else:
                    parts.append(label)
        cite = "".join(parts)
        first = "一" if kanji else ("１" if full_width else "1")
        cite = cite.replace("{first}", first)
        if sec.label:
            cite = f"{sec.label} {cite}" if cite else sec.label
        return cite


PAGE_NUMBER = re.compile(
    r"^(?:[-－―‐ー]\s*[0-9０-９]{1,3}\s*[-－―‐ー]|[0-9０-９]{1,3}\s*/\s*[0-9０-９]{1,3})$"
)


def running_headers(raws: list[str]) -> set[str]:
    """Short lines repeated on three or more pages (a header or footer), not structure."""
    counts: dict[str, int] = {}
    for raw in raws:
        body = raw.strip(" \t\u3000")
        if 2 <= len(body) <= 40 and "。" not in body and "、" not in body:
            counts[body] = counts.get(body, 0) + 1
    found = {
        b
        for b, n in counts.items()
        if n >= 3
        and not (_ARTICLE.match(b) or _HEADING.match(b) or _SECTION.match(b))
        and not _PAREN_ITEM.match(b)
    }
    return found | _folios(raws, counts)


def _folios(raws: list[str], counts: dict[str, int]) -> set[str]:
    """Bare page numbers (「１」, 「２」 … on lines of their own, numbered 1, 2, 3 in order) and
    the header line that follows each of them on the next page, when it repeats."""
    numbered = [
        (k, body)
        for k, raw in enumerate(raws)
        if (body := raw.strip(" \t\u3000")) and _BARE_NUMBER.match(body)
    ]
    values = [int(unicodedata.normalize("NFKC", b)) for _, b in numbered]
    if len(values) < 2 or values != list(range(1, len(values) + 1)):
        numbered = []
    out = {b for _, b in numbered}
    # Page numbers written as folios (- 2 -, 2/5) are furniture on their own; the header line
    # right after two or more of them (a 約款's title on each page) is furniture too.
    folios = [
        (k, body)
        for k, raw in enumerate(raws)
        if (body := raw.strip(" \t\u3000")) and PAGE_NUMBER.match(body)
    ]
    if len(folios) >= 2:
        numbered = numbered + folios
    for k, _ in numbered:
        nxt = next((r.strip(" \t\u3000") for r in raws[k + 1 : k + 3] if r.strip()), "")
        if counts.get(nxt, 0) >= 2 and not (_ARTICLE.match(nxt) or _HEADING.match(nxt)):
            out.add(nxt)
    return out


_BARE_NUMBER = re.compile(r"^[0-9０-９]{1,3}$")


_PAREN_ITEM = re.compile(r"^[（(][^）)]{1,4}[）)]")


def without_page_furniture(text: str, running: set[str]) -> str:
    """``text`` (one sentence, possibly spanning lines) without the page numbers and running
    headers a page break left inside it."""
    if "\n" not in text:
        return text
    kept = [
        line
        for line in text.split("\n")
        if not (PAGE_NUMBER.match(line.strip(" \t\u3000")) or line.strip(" \t\u3000") in running)
    ]
    return "\n".join(kept)


def _depth(s: str) -> int:
    depth = 0
    for ch in s:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
    return depth


def _replace(obj, **changes):  # dataclasses.replace without the import noise in hot loops
    from dataclasses import replace

    return replace(obj, **changes)
