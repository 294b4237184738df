# ruff: noqa: E501 - the flat-ODT template below keeps its XML lines whole
"""Real PDFs for the tests of the whole project: office-like, scanned, and hostile ones.

Every generator is cached for the test session (LibreOffice takes seconds per file). Tools
that may be missing (soffice, tesseract, a TrueType Japanese font) make the calling test skip
with the reason, except under CI=true, where a missing tool fails the test instead.
"""

from __future__ import annotations

import functools
import io
import os
import random
import re
import shutil
import subprocess
import tempfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

__all__ = [
    "decompression_bomb_pdf",
    "encrypted_pdf",
    "libreoffice_pdf",
    "missing_tool",
    "recursive_page_tree_pdf",
    "reportlab_pdf",
    "scanned_pdf",
    "tesseract_ready",
]

# TrueType (glyf) Japanese fonts reportlab can embed; Noto CJK is CFF, which it cannot.
_TRUETYPE_JA = [
    "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-mincho.ttf",
    "/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf",
    "/usr/share/fonts/truetype/takao-mincho/TakaoMincho.ttf",
]
_NOTO_SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
_NOTO_SERIF_JP_INDEX = 0  # in Debian's NotoSerifCJK-Regular.ttc the first face is JP

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 25 * MM, 30 * MM, 25 * MM
FONT_SIZE = 10.5
LEADING = 17.0


def missing_tool(reason: str) -> None:
    """Skip the current test for a missing tool, or fail it under CI=true."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def tesseract_ready() -> bool:
    """Whether tesseract with jpn and jpn_vert data is installed."""
    exe = shutil.which("tesseract")
    if exe is None:
        return False
    out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, check=False)
    return {"jpn", "jpn_vert"} <= set(out.stdout.split())


# --- reportlab (Word-like: one text object per line, embedded or non-embedded fonts) -------


def _truetype_font() -> str | None:
    return next((p for p in _TRUETYPE_JA if Path(p).exists()), None)


@functools.cache
def _font_name(embed_font: bool) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    if not embed_font:
        # A standard Japanese CID font: named in the PDF, never embedded.
        pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
        return "HeiseiMin-W3"
    path = _truetype_font()
    if path is None:
        missing_tool("no TrueType Japanese font to embed (Debian: fonts-ipaexfont-mincho)")
    pdfmetrics.registerFont(TTFont("JaMincho", path))
    return "JaMincho"


def _wrap(paragraph: str, width: float, measure, *, indent: float = 0.0) -> list[str]:
    """Break a paragraph into lines that fit ``width`` (later lines ``indent`` less)."""
    lines, current = [], ""
    for ch in paragraph:
        if measure(current + ch) > width - (indent if lines else 0.0) and current:
            # 禁則: do not start a line with closing punctuation; hang it on this line.
            if ch in "、。）」』，．":
                lines.append(current + ch)
                current = ""
                continue
            lines.append(current)
            current = ch
        else:
            current += ch
    if current:
        lines.append(current)
    return lines or [""]


def _indent_for(paragraph: str) -> int:
    """Hanging indent (in characters) for items such as （１）."""
    return 1 if re.match(r"[（(][0-9０-９]+[）)]", paragraph) else 0


@functools.cache
def reportlab_pdf(
    text: str,
    *,
    vertical: bool = False,
    embed_font: bool = True,
    header: str | None = None,
    footer_page_numbers: bool = True,
) -> bytes:
    """A PDF laid out like a word processor would: justified-ish lines, header, page numbers."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    font = _font_name(embed_font)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=1)
    pdf.setTitle("test contract")

    def measure(s: str) -> float:
        return stringWidth(s, font, FONT_SIZE)

    def page_furniture(number: int) -> None:
        pdf.setFont(font, 8)
        if header:
            pdf.drawCentredString(PAGE_W / 2, PAGE_H - 15 * MM, header)
        if footer_page_numbers:
            pdf.drawCentredString(PAGE_W / 2, 12 * MM, f"- {number} -")
        pdf.setFont(font, FONT_SIZE)

    paragraphs = [p for p in text.split("\n") if p.strip()]
    number = 1
    page_furniture(number)
    if not vertical:
        width = PAGE_W - 2 * MARGIN_X
        y = PAGE_H - MARGIN_TOP
        for paragraph in paragraphs:
            indent = _indent_for(paragraph) * FONT_SIZE * 3
            for i, line in enumerate(_wrap(paragraph, width, measure, indent=indent)):
                if y < MARGIN_BOTTOM:
                    pdf.showPage()
                    number += 1
                    page_furniture(number)
                    y = PAGE_H - MARGIN_TOP
                x = MARGIN_X + (indent if i else 0)
                pdf.drawString(x, y, line)
                y -= LEADING
    else:
        # 縦書き: columns from right to left, characters upright, top to bottom.
        height = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
        pitch = FONT_SIZE * 1.7
        x = PAGE_W - MARGIN_X - FONT_SIZE
        chars_per_column = int(height // FONT_SIZE)
        for paragraph in paragraphs:
            columns = [
                paragraph[k : k + chars_per_column]
                for k in range(0, len(paragraph), chars_per_column)
            ]
            for column in columns:
                if x < MARGIN_X:
                    pdf.showPage()
                    number += 1
                    page_furniture(number)
                    x = PAGE_W - MARGIN_X - FONT_SIZE
                y = PAGE_H - MARGIN_TOP
                for ch in column:
                    w = measure(ch)
                    pdf.drawString(x + (FONT_SIZE - w) / 2, y - FONT_SIZE, ch)
                    y -= FONT_SIZE
                x -= pitch
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# --- LibreOffice ---------------------------------------------------------------------------

_FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="Noto Serif CJK JP" svg:font-family="'Noto Serif CJK JP'"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties style:writing-mode="{wm}"/>
  <style:text-properties style:font-name="Noto Serif CJK JP" fo:font-size="10.5pt" style:font-name-asian="Noto Serif CJK JP" style:font-size-asian="10.5pt" fo:language="ja" fo:country="JP" style:language-asian="ja" style:country-asian="JP"/>
 </style:default-style>
 <style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-align="justify" fo:margin-bottom="0.05cm"/></style:style>
 <style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.4cm"/><style:text-properties fo:font-size="16pt" style:font-size-asian="16pt" fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
 <style:style style:name="Art" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.2cm"/><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
 <style:style style:name="Item" style:family="paragraph"><style:paragraph-properties fo:text-align="justify" fo:margin-left="0.6cm" fo:text-indent="-0.6cm"/></style:style>
 <style:style style:name="HF" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="8pt" style:font-size-asian="8pt"/></style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm" style:writing-mode="{wm}"/>
  <style:header-style><style:header-footer-properties fo:min-height="0.8cm" fo:margin-bottom="0.4cm"/></style:header-style>
  <style:footer-style><style:header-footer-properties fo:min-height="0.8cm" fo:margin-top="0.4cm"/></style:footer-style>
 </style:page-layout>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="pm1">
  <style:header><text:p text:style-name="HF">{header}</text:p></style:header>
  <style:footer><text:p text:style-name="HF">－ <text:page-number text:select-page="current">1</text:page-number> －</text:p></style:footer>
 </style:master-page>
</office:master-styles>
<office:body><office:text>
"""

LIBREOFFICE_HEADER = "業務委託契約書（試験用）　社外秘"


def flat_odt(text: str, *, vertical: bool = False, header: str = LIBREOFFICE_HEADER) -> str:
    """A flat OpenDocument text (like shared/bench/make_fodt.py): title, articles, items."""
    body = []
    for i, line in enumerate(text.split("\n")):
        if not line.strip():
            body.append('<text:p text:style-name="Body"/>')
            continue
        if i == 0:
            style = "Title"
        elif re.match(r"^(第[0-9０-９]+条（|（[^）]+）$)", line):
            style = "Art"
        elif line.startswith("（"):
            style = "Item"
        else:
            style = "Body"
        body.append(f'<text:p text:style-name="{style}">{escape(line)}</text:p>')
    head = _FODT_HEAD.format(wm="tb-rl" if vertical else "lr-tb", header=escape(header))
    return head + "\n".join(body) + "\n</office:text></office:body></office:document>\n"


def convert_with_soffice(fodt: str) -> bytes:
    """Convert a flat ODT to PDF with a private LibreOffice profile (safe to run in parallel)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        missing_tool("LibreOffice (soffice) is not installed (Debian: libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory(prefix="pdfgen-lo-") as tmp:
        source = Path(tmp, "contract.fodt")
        source.write_text(fodt, encoding="utf-8")
        profile = Path(tmp, "profile").as_uri()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(source),
            ],
            capture_output=True,
            timeout=180,
            check=True,
        )
        return Path(tmp, "contract.pdf").read_bytes()


@functools.cache
def libreoffice_pdf(text: str, *, vertical: bool = False) -> bytes:
    """The text typeset by LibreOffice Writer (Noto Serif CJK JP, header, 「－ N －」 footer)."""
    return convert_with_soffice(flat_odt(text, vertical=vertical))


# --- scanned paper -------------------------------------------------------------------------


def _stamp_font(size: int):
    from PIL import ImageFont

    if Path(_NOTO_SERIF).exists():
        return ImageFont.truetype(_NOTO_SERIF, size, index=_NOTO_SERIF_JP_INDEX)
    path = _truetype_font()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default()


@functools.cache
def scanned_pdf(
    text: str,
    *,
    vertical: bool = False,
    dpi: int = 200,
    rotation: float = 0.6,
    noise: bool = True,
    stamp: bool = True,
    max_pages: int | None = None,
) -> bytes:
    """Image-only PDF of the text as if printed, stamped with a red 印 and scanned."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    source = pdfium.PdfDocument(reportlab_pdf(text, vertical=vertical, embed_font=False))
    rng = random.Random(1234)
    images = []
    count = len(source) if max_pages is None else min(len(source), max_pages)
    for index in range(count):
        image = source[index].render(scale=dpi / 72).to_pil().convert("RGB")
        if stamp and index == count - 1:
            draw = ImageDraw.Draw(image)
            r = dpi // 3
            cx, cy = image.width * 3 // 4, image.height * 4 // 5
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(210, 30, 30), width=dpi // 40)
            draw.text((cx, cy), "印", font=_stamp_font(r), fill=(210, 30, 30), anchor="mm")
        if rotation:
            image = image.rotate(rotation, resample=Image.Resampling.BICUBIC, fillcolor="white")
        if noise:
            pixels = image.load()
            for _ in range(image.width * image.height // 2000):
                x, y = rng.randrange(image.width), rng.randrange(image.height)
                shade = rng.randrange(0, 160)
                pixels[x, y] = (shade, shade, shade)
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buffer.getvalue()


# --- hostile and broken files --------------------------------------------------------------


def _assemble(objects: list[bytes], *, root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF from numbered object bodies (1-based), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        trailer_extra,
        xref,
    )
    return bytes(out)


@functools.cache
def decompression_bomb_pdf(inflated_bytes: int = 4 * 2**30) -> bytes:
    """One page whose content stream is a few MB of Flate that inflates to gigabytes."""
    chunk = b"0 0 m\n" * (2**20 // 6)  # valid content operators, highly compressible
    count = inflated_bytes // len(chunk)
    # A full flush makes every compressed chunk independent and byte-aligned, so one
    # compressed chunk repeated is a valid deflate stream of the repeated chunk.
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush()
    adler = 1
    for _ in range(count):
        adler = zlib.adler32(chunk, adler)
    stream = b"\x78\xda" + piece * count + end + adler.to_bytes(4, "big")
    return _assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream",
        ]
    )


@functools.cache
def recursive_page_tree_pdf() -> bytes:
    """A /Pages node that is its own kid."""
    return _assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
        ]
    )


@functools.cache
def encrypted_pdf() -> bytes:
    """A text PDF that needs a user password to open."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    encryption = StandardEncryption("user-secret", ownerPassword="owner-secret", strength=128)
    pdf = canvas.Canvas(buffer, encrypt=encryption)
    pdf.drawString(72, 720, "confidential")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
