"""Read a PDF's text layer with PDFium: lines with geometry per page, and page renders for OCR.

This is the part that parses untrusted bytes, so it normally runs inside the sandboxed child
process (see :mod:`contracts.isolation`). It imports only pypdfium2 and the light modules of
this package, so the child starts fast.
"""

from __future__ import annotations

import ctypes
import re
import statistics
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from contracts.errors import (
    BrokenPDFError,
    EncryptedPDFError,
    LimitExceededError,
    NoPagesError,
    TooManyPagesError,
)
from contracts.layout import Line, RawPage
from contracts.limits import Limits

__all__ = ["PdfTextReader"]

MIN_OCR_DPI = 200
MIN_TEXT_CHARS = 10  # a page with fewer printed characters and an image is treated as scanned
MAX_GARBLED_SHARE = 0.3  # share of unmapped glyphs above which the text layer is unusable
_LINE_BREAKS = "\r\n"
_GARBLED = {"\ufffd", "\ufffe", "\uffff"}
_PAGEOBJ_IMAGE = 3
_PAGEOBJ_FORM = 5
_LEADING_NUMBER = re.compile(r"[0-9０-９]{1,2}")


@dataclass(slots=True)
class _Glyph:
    """One character (or a 縦中横 group) with its loose box in PDF points."""

    text: str
    left: float
    bottom: float
    right: float
    top: float


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _garbled(ch: str) -> bool:
    return ch in _GARBLED or "\ue000" <= ch <= "\uf8ff" or (ch < " " and ch not in "\t")


class PdfTextReader:
    """An open PDF: page count, text lines per page, and grey renders for OCR."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        self._limits = limits
        self._text_chars = 0
        try:
            self._doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            code = getattr(exc, "err_code", None)
            if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
                raise EncryptedPDFError(str(exc)) from None
            if code == pdfium_c.FPDF_ERR_SUCCESS:
                # PDFium loads a well-formed file whose page tree is empty as "success", no
                # document: it opened, but there is nothing in it to read.
                raise NoPagesError(str(exc)) from None
            raise BrokenPDFError(str(exc)) from None
        self.page_count = len(self._doc)
        if self.page_count > limits.max_pages:
            raise TooManyPagesError(
                f"{self.page_count} pages > {limits.max_pages}",
                message_ja=(
                    f"ページ数（{self.page_count}ページ）が上限（{limits.max_pages}ページ）を"
                    "超えています。"
                ),
            )
        self._box = pdfium_c.FS_RECTF()

    def close(self) -> None:
        """Release the PDFium document."""
        self._doc.close()

    # --- text ---------------------------------------------------------------------------

    def read_page(self, index: int) -> RawPage:
        """The text lines of page ``index`` (0-based) in reading order."""
        try:
            page = self._doc[index]
        except pdfium.PdfiumError as exc:
            raise BrokenPDFError(f"page {index + 1}: {exc}") from None
        try:
            width, height = page.get_size()
            textpage = page.get_textpage()
            try:
                raw = RawPage(number=index + 1, width=width, height=height)
                self._read_lines(textpage.raw, raw)
            finally:
                textpage.close()
            printed = sum(len(line.text.strip()) for line in raw.lines)
            garbled = sum(1 for line in raw.lines for ch in line.text if _garbled(ch))
            if printed < MIN_TEXT_CHARS and self._has_image(page):
                raw.needs_ocr = True
            elif printed and garbled > MAX_GARBLED_SHARE * printed:
                # Glyphs without a Unicode mapping: the text layer cannot be trusted.
                raw.needs_ocr = True
            if raw.needs_ocr:
                raw.lines = []
            self._text_chars += printed
            if self._text_chars > self._limits.max_text_chars:
                raise LimitExceededError(f"text exceeds {self._limits.max_text_chars} characters")
            return raw
        finally:
            page.close()

    @staticmethod
    def _has_image(page: pdfium.PdfPage) -> bool:
        count = pdfium_c.FPDFPage_CountObjects(page.raw)
        for i in range(count):
            obj = pdfium_c.FPDFPage_GetObject(page.raw, i)
            if pdfium_c.FPDFPageObj_GetType(obj) in (_PAGEOBJ_IMAGE, _PAGEOBJ_FORM):
                return True
        return False

    def _glyph(self, textpage: object, i: int, text: str) -> _Glyph:
        box = self._box
        pdfium_c.FPDFText_GetLooseCharBox(textpage, i, box)
        return _Glyph(text, box.left, box.bottom, box.right, box.top)

    @staticmethod
    def _page_chars(textpage: object, count: int) -> str:
        buffer = ctypes.create_string_buffer(2 * (count + 1))
        pdfium_c.FPDFText_GetText(
            textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
        )
        text = buffer.raw[: 2 * count].decode("utf-16-le", errors="replace")
        if len(text) == count and "\ufffd" not in text:
            return text
        # Characters outside the BMP come as surrogate pairs: fall back to one call per char.
        return "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(count))

    def _segments(self, textpage: object) -> tuple[str, list[list[int]]]:
        """Runs of character indices between PDFium's generated line breaks."""
        count = pdfium_c.FPDFText_CountChars(textpage)
        if count <= 0:
            return "", []
        chars = list(self._page_chars(textpage, count))
        segments: list[list[int]] = []
        current: list[int] = []
        for i, ch in enumerate(chars):
            if ch in _LINE_BREAKS:
                if current:
                    segments.append(current)
                    current = []
                continue
            if ch == " " and pdfium_c.FPDFText_IsGenerated(textpage, i):
                replacement = self._generated_space(textpage, chars, i)
                if not replacement:
                    continue
                chars[i] = replacement
            current.append(i)
        if current:
            segments.append(current)
        return "".join(chars), segments

    def _generated_space(self, textpage: object, chars: list[str], i: int) -> str:
        """What a space that PDFium inferred from a gap stands for in the printed text.

        Between Latin words it is a word space. In Japanese text a small gap (justification,
        a half-width number: 翌月 10 日) was never a printed space; a gap of a full character
        or more is a printed blank (代表取締役　山田　太郎), kept as an ideographic space.
        """
        prev = chars[i - 1] if i else ""
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if not prev or not nxt or prev in _LINE_BREAKS or nxt in _LINE_BREAKS:
            return ""
        if _is_ascii_word(prev) and _is_ascii_word(nxt):
            return " "
        before = self._glyph(textpage, i - 1, prev)
        after = self._glyph(textpage, i + 1, nxt)
        size = max(before.top - before.bottom, after.top - after.bottom)
        if after.left - before.right < 0.8 * size:
            return ""
        return "　" if _is_wide(prev) or _is_wide(nxt) else " "

    def _read_lines(self, textpage: object, page: RawPage) -> None:
        chars, segments = self._segments(textpage)
        if not segments:
            return
        infos = []
        vertical_chars = horizontal_chars = 0
        for seg in segments:
            printed = [i for i in seg if not chars[i].isspace()]
            if not printed:
                continue
            first = self._glyph(textpage, printed[0], chars[printed[0]])
            last = (
                self._glyph(textpage, printed[-1], chars[printed[-1]])
                if len(printed) > 1
                else first
            )
            dx = last.left - first.left
            dy = first.top - last.top
            if len(printed) == 1:
                kind = "point"
            elif dy > abs(dx):
                kind = "vertical"
            else:
                kind = "horizontal"
            if kind == "horizontal":
                horizontal_chars += len(printed)
            else:
                vertical_chars += len(printed)
            previous = infos[-1] if infos else None
            if (
                previous is not None
                and kind != "vertical"
                and previous[4] != "vertical"
                and self._same_baseline(previous[3], first)
            ):
                # One horizontal run that PDFium cut into pieces (「－ 2 －」 on a 縦書き page).
                infos[-1] = (
                    previous[0] + seg,
                    previous[1] + printed,
                    previous[2],
                    last,
                    "horizontal",
                )
                if previous[4] == "point":
                    vertical_chars -= len(previous[1])
                    horizontal_chars += len(previous[1])
                if kind == "point":
                    vertical_chars -= len(printed)
                    horizontal_chars += len(printed)
                continue
            infos.append((seg, printed, first, last, kind))
        page.vertical = vertical_chars > horizontal_chars and vertical_chars >= 2
        if page.vertical:
            page.lines = self._vertical_lines(textpage, page, chars, infos)
        else:
            page.lines = self._horizontal_lines(page, chars, infos)

    @staticmethod
    def _same_baseline(before: _Glyph, after: _Glyph) -> bool:
        size = max(before.top - before.bottom, after.top - after.bottom, 1.0)
        return (
            abs(before.bottom - after.bottom) < 0.3 * size
            and before.right - 0.5 * size <= after.left <= before.right + 3 * size
        )

    # --- horizontal pages -----------------------------------------------------------------

    def _horizontal_lines(self, page: RawPage, chars: str, infos: list) -> list[Line]:
        lines: list[Line] = []
        for seg, _printed, first, last, _kind in infos:
            text = "".join(chars[i] for i in seg)
            size = max(first.top - first.bottom, last.top - last.bottom, 1.0)
            top = max(first.top, last.top)
            bottom = min(first.bottom, last.bottom)
            prev = lines[-1] if lines else None
            if prev is not None and self._same_row(prev, page, top, bottom, first.left):
                gap = first.left - prev.a1
                prev.text += (" " if gap > prev.size else "") + text
                prev.a1 = max(prev.a1, last.right)
                prev.x = (prev.a0 + prev.a1) / 2 / page.width
                continue
            lines.append(
                Line(
                    text=text,
                    a0=first.left,
                    a1=last.right,
                    b0=page.height - top,
                    b1=page.height - bottom,
                    size=size,
                    x=(first.left + last.right) / 2 / page.width,
                    y=(page.height - (top + bottom) / 2) / page.height,
                )
            )
        return lines

    @staticmethod
    def _same_row(prev: Line, page: RawPage, top: float, bottom: float, left: float) -> bool:
        """A segment that continues ``prev`` on the same printed line (font change, gap)."""
        prev_top, prev_bottom = page.height - prev.b0, page.height - prev.b1
        overlap = min(prev_top, top) - max(prev_bottom, bottom)
        smaller = min(prev_top - prev_bottom, top - bottom)
        return smaller > 0 and overlap >= 0.5 * smaller and left >= prev.a1 - 0.5 * prev.size

    # --- vertical (縦書き) pages ----------------------------------------------------------

    def _vertical_lines(
        self, textpage: object, page: RawPage, chars: str, infos: list
    ) -> list[Line]:
        sizes = [
            max(f.right - f.left, f.top - f.bottom)
            for _s, _p, f, _l, k in infos
            if k != "horizontal"
        ]
        size = statistics.median(sizes) if sizes else 10.0
        units: list[_Glyph] = []
        across: list[Line] = []  # horizontal lines on a vertical page: running heads, titles
        for seg, printed, first, last, kind in infos:
            text = "".join(chars[i] for i in seg)
            tate_chu_yoko = len(text) <= 3 and text.isascii() and text.isalnum()
            if kind == "horizontal" and not tate_chu_yoko:
                across.extend(
                    self._horizontal_lines(page, chars, [(seg, printed, first, last, kind)])
                )
                continue
            if kind == "horizontal":
                # 縦中横: a few half-width characters set across inside a column.
                units.append(
                    _Glyph(
                        text,
                        first.left,
                        min(first.bottom, last.bottom),
                        last.right,
                        max(first.top, last.top),
                    )
                )
                continue
            units.extend(self._glyph(textpage, i, chars[i]) for i in seg)
        columns = self._columns(units, size)
        lines = [self._column_line(col, page, size) for col in columns]
        top_lines = [ln for ln in across if ln.y < 0.5]
        bottom_lines = [ln for ln in across if ln.y >= 0.5]
        return top_lines + lines + bottom_lines

    @staticmethod
    def _columns(units: list[_Glyph], size: float) -> list[list[_Glyph]]:
        fragments: list[list[_Glyph]] = []
        for unit in units:
            if fragments:
                prev = fragments[-1][-1]
                overlap = min(prev.right, unit.right) - max(prev.left, unit.left)
                narrow = min(prev.right - prev.left, unit.right - unit.left)
                below = unit.top <= prev.bottom + 0.5 * size
                near = unit.top >= prev.bottom - 4 * size
                if overlap >= 0.3 * max(narrow, 0.1) and below and near:
                    fragments[-1].append(unit)
                    continue
            fragments.append([unit])

        def centre(fragment: list[_Glyph]) -> float:
            return statistics.median((u.left + u.right) / 2 for u in fragment)

        # Right to left; fragments of one column (split by a gap) top to bottom.
        fragments.sort(key=centre, reverse=True)
        ordered: list[list[_Glyph]] = []
        band: list[list[_Glyph]] = []
        for fragment in fragments:
            if band and centre(band[0]) - centre(fragment) > 0.5 * size:
                ordered.extend(sorted(band, key=lambda f: -f[0].top))
                band = []
            band.append(fragment)
        ordered.extend(sorted(band, key=lambda f: -f[0].top))
        return ordered

    @staticmethod
    def _column_line(column: list[_Glyph], page: RawPage, size: float) -> Line:
        top = max(u.top for u in column)
        bottom = min(u.bottom for u in column)
        left = min(u.left for u in column)
        right = max(u.right for u in column)
        parts = [column[0].text]
        for prev, unit in pairwise(column):
            # Spaces in vertical text are often not characters but gaps (2 乙は, 山田　太郎).
            gap = prev.bottom - unit.top
            if gap >= 0.8 * size and not prev.text.isspace() and not unit.text.isspace():
                parts.append("　")
            elif gap >= 0.2 * size and _LEADING_NUMBER.fullmatch("".join(parts)):
                # Only a paragraph number keeps a half-width gap as a space: elsewhere a gap
                # beside Latin text is the typesetter's spacing (第1条 is set as 第 1 条).
                parts.append(" ")
            parts.append(unit.text)
        return Line(
            text="".join(parts),
            a0=page.height - top,
            a1=page.height - bottom,
            b0=page.width - right,
            b1=page.width - left,
            size=size,
            x=(left + right) / 2 / page.width,
            y=(page.height - (top + bottom) / 2) / page.height,
            vertical=True,
        )

    # --- rendering for OCR ----------------------------------------------------------------

    @staticmethod
    def _scan_dpi(page: pdfium.PdfPage) -> float | None:
        """Resolution of the largest image on the page (the scan), in dots per inch."""
        best: tuple[float, float] | None = None
        w, h = ctypes.c_uint(), ctypes.c_uint()
        left, bottom = ctypes.c_float(), ctypes.c_float()
        right, top = ctypes.c_float(), ctypes.c_float()
        for i in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
            obj = pdfium_c.FPDFPage_GetObject(page.raw, i)
            if pdfium_c.FPDFPageObj_GetType(obj) != _PAGEOBJ_IMAGE:
                continue
            if not pdfium_c.FPDFImageObj_GetImagePixelSize(obj, w, h):
                continue
            if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                continue
            area = (right.value - left.value) * (top.value - bottom.value)
            if right.value > left.value and (best is None or area > best[0]):
                best = (area, w.value / ((right.value - left.value) / 72))
        return best[1] if best else None

    def render_gray(self, index: int, dpi: int) -> tuple[int, int, bytes, int]:
        """Render page ``index`` for OCR: (width, height, 8-bit grey pixels, dpi used).

        The grey value is the red channel, so a red seal (印) fades out over black print. A
        scan is rendered at its own resolution between MIN_OCR_DPI and ``dpi``: resampling a
        200 dpi scan up to 300 dpi made Tesseract slower and less accurate.
        """
        page = self._doc[index]
        try:
            width, height = page.get_size()
            scan_dpi = self._scan_dpi(page)
            if scan_dpi is not None:
                dpi = round(min(max(scan_dpi, MIN_OCR_DPI), dpi))
            scale = dpi / 72
            pixels = width * scale * height * scale
            if pixels > self._limits.max_render_pixels:
                scale *= (self._limits.max_render_pixels / pixels) ** 0.5
            bitmap = page.render(scale=scale)
            try:
                w, h, stride, channels = (
                    bitmap.width,
                    bitmap.height,
                    bitmap.stride,
                    bitmap.n_channels,
                )
                buffer = bytes(bitmap.buffer)
            finally:
                bitmap.close()
        finally:
            page.close()
        dpi = round(scale * 72)
        red = 2 if channels >= 3 else 0  # PDFium renders BGR(x)
        if stride == w * channels:
            gray = buffer[red::channels]
        else:
            gray = b"".join(
                buffer[row * stride + red : row * stride + w * channels : channels]
                for row in range(h)
            )
        return w, h, gray, dpi

    # --- page images for the review (evidence highlighted) ------------------------------

    def render_rgb(self, index: int, dpi: int) -> tuple[int, int, bytes]:
        """Page ``index`` as shown to a reader: (width, height, 24-bit RGB pixels)."""
        page = self._doc[index]
        try:
            width, height = page.get_size()
            scale = dpi / 72
            pixels = width * scale * height * scale
            if pixels > self._limits.max_render_pixels:
                scale *= (self._limits.max_render_pixels / pixels) ** 0.5
            bitmap = page.render(scale=scale, rev_byteorder=True)
            try:
                w, h, stride, channels = (
                    bitmap.width,
                    bitmap.height,
                    bitmap.stride,
                    bitmap.n_channels,
                )
                buffer = bytes(bitmap.buffer)
            finally:
                bitmap.close()
        finally:
            page.close()
        if channels != 3:
            raise BrokenPDFError(f"page {index + 1}: unexpected render of {channels} channels")
        if stride != w * 3:
            buffer = b"".join(buffer[row * stride : row * stride + w * 3] for row in range(h))
        return w, h, buffer

    def char_boxes(self, index: int) -> list[tuple[str, tuple[float, float, float, float]]]:
        """Page ``index``'s printed characters in PDFium's order, each with its loose box as
        fractions of the page as displayed (left, top, right, bottom; rotation applied)."""
        page = self._doc[index]
        try:
            # Device space of a 10,000-unit square: PDFium applies the page's rotation and
            # crop box, and the result is a fraction of the displayed page once divided.
            size = 10_000
            textpage = page.get_textpage()
            try:
                raw = textpage.raw
                count = pdfium_c.FPDFText_CountChars(raw)
                if count <= 0:
                    return []
                chars = self._page_chars(raw, count)
                box = self._box
                x, y = ctypes.c_int(), ctypes.c_int()
                result = []
                for i, ch in enumerate(chars):
                    if ch.isspace() or pdfium_c.FPDFText_IsGenerated(raw, i):
                        continue
                    if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, box):
                        continue
                    corners = []
                    for px, py in ((box.left, box.top), (box.right, box.bottom)):
                        pdfium_c.FPDF_PageToDevice(page.raw, 0, 0, size, size, 0, px, py, x, y)
                        corners.append((x.value / size, y.value / size))
                    (x0, y0), (x1, y1) = corners
                    result.append((ch, (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))))
                return result
            finally:
                textpage.close()
        finally:
            page.close()
