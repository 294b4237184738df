"""Make a PDF look like a scan (or a phone photo) of the signed, stamped paper.

A framework-free synthesiser for benchmarks, tests and demos: each page is rendered at
200 dpi in grey, a red 公印 is pressed over the text on the first and the last page, the sheet
is rotated by up to ±1.5°, Gaussian noise (σ 12) and a slight blur are added and the page is
stored as a JPEG (quality 55) in an image-only PDF. ``photographed=True`` instead imitates a
phone photo: perspective, uneven light and a shadow across the page.

The result is deterministic for a given ``seed``.

    from contracts.scansim import scan_pdf
    scanned = scan_pdf(pdf_bytes, seed=7)
"""

from __future__ import annotations

import io
import math
import random
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow and numpy are imported where used: only the scan maker needs them
    from PIL import Image

__all__ = ["photograph_page", "scan_page", "scan_pdf", "seal_page"]

DPI = 200
ROTATION = 1.5  # degrees, either way
NOISE_SIGMA = 12.0  # grey levels
BLUR_RADIUS = 0.6  # pixels at 200 dpi: a slightly soft scanner
JPEG_QUALITY = 55
SEAL_RED = (200, 35, 40)

# Fonts for the seal's characters; without one the seal is drawn as rings and bars only.
_SEAL_FONTS = [
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 0),
    ("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf", 0),
    ("/usr/share/fonts/truetype/fonts-japanese-mincho.ttf", 0),
]
_SEAL_TEXTS = ["市長之印", "契約之印", "代表者印", "町長之印"]


def _font(size: int):  # a Pillow font object, or None
    from PIL import ImageFont

    for path, index in _SEAL_FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size, index=index)
    return None


def _seal_mask(size: int, rng: random.Random) -> Image.Image:
    """An 'L' mask of a square 公印 (or a round company seal): 255 where the ink is."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    border = max(3, size // 18)
    text = rng.choice(_SEAL_TEXTS)
    round_seal = rng.random() < 0.35
    if round_seal:
        draw.ellipse((border, border, size - border, size - border), outline=255, width=border)
    else:
        draw.rectangle((border, border, size - border, size - border), outline=255, width=border)
    font = _font(int(size * 0.36))
    cells = [(0.70, 0.30), (0.70, 0.70), (0.30, 0.30), (0.30, 0.70)]  # read top-down, right first
    for char, (cx, cy) in zip(text, cells, strict=True):
        if font is not None:
            draw.text((cx * size, cy * size), char, font=font, fill=255, anchor="mm")
        else:
            w = size // 7
            draw.rectangle((cx * size - w, cy * size - w, cx * size + w, cy * size + w), fill=255)
    # Uneven pressure: the ink is patchy and its edge soft.
    generator = np.random.default_rng(rng.randrange(2**32))
    patchy = np.where(generator.random((size, size)) < 0.2, 0.6, 1.0)
    mask = Image.fromarray((np.asarray(mask, np.float32) * patchy).astype(np.uint8), "L")
    mask = mask.filter(ImageFilter.GaussianBlur(0.8))
    return mask.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BICUBIC)


def _ink_box(gray: Image.Image) -> tuple[int, int, int, int]:
    """Bounding box of the body text, running header and page number left out."""
    from PIL import ImageOps

    top, bottom = int(gray.height * 0.07), int(gray.height * 0.91)
    body = ImageOps.invert(gray.crop((0, top, gray.width, bottom)))
    box = body.point(lambda v: 255 if v > 60 else 0).getbbox()
    if box is None:
        return (0, 0, gray.width, gray.height)
    return (box[0], box[1] + top, box[2], box[3] + top)


def seal_page(page: Image.Image, *, first: bool, rng: random.Random, dpi: int = DPI) -> Image.Image:
    """Press a red seal over the text: near the top (first page) or the bottom (last page).

    The ink multiplies with the paper, as real seal ink does: black text stays black under it
    and white paper turns red.
    """
    import numpy as np

    rgb = page.convert("RGB")
    size = int(dpi * rng.uniform(21, 26) / 25.4)  # a 21–26 mm seal
    _left, top, right, bottom = _ink_box(page.convert("L"))
    cx = int(right - size * rng.uniform(0.3, 0.9))
    if first:
        cy = int(top + (bottom - top) * rng.uniform(0.05, 0.25))
    else:
        cy = int(bottom - (bottom - top) * rng.uniform(0.05, 0.25))
    cx = min(max(cx, size // 2), rgb.width - size // 2)
    cy = min(max(cy, size // 2), rgb.height - size // 2)
    mask = np.asarray(_seal_mask(size, rng), dtype=np.float32)[..., None] / 255.0
    x0, y0 = cx - size // 2, cy - size // 2
    pixels = np.asarray(rgb, dtype=np.float32).copy()
    region = pixels[y0 : y0 + size, x0 : x0 + size]
    ink = np.array(SEAL_RED, dtype=np.float32) / 255.0
    strength = rng.uniform(0.75, 0.95)
    region *= 1.0 - mask[: region.shape[0], : region.shape[1]] * strength * (1.0 - ink)
    from PIL import Image

    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")


def _noise_blur(page: Image.Image, rng: random.Random, sigma: float, blur: float) -> Image.Image:
    import numpy as np
    from PIL import Image, ImageFilter

    if blur > 0:
        page = page.filter(ImageFilter.GaussianBlur(blur))
    if sigma > 0:
        generator = np.random.default_rng(rng.randrange(2**32))
        pixels = np.asarray(page, dtype=np.float32)
        grain = generator.normal(0.0, sigma, pixels.shape[:2]).astype(np.float32)
        pixels = pixels + (grain[..., None] if pixels.ndim == 3 else grain)
        page = Image.fromarray(pixels.clip(0, 255).astype(np.uint8), page.mode)
    return page


def scan_page(
    page: Image.Image,
    *,
    rng: random.Random,
    rotation: float = ROTATION,
    noise: float = NOISE_SIGMA,
    blur: float = BLUR_RADIUS,
) -> Image.Image:
    """Rotate by up to ±``rotation`` degrees, blur slightly and add Gaussian noise."""
    from PIL import Image

    angle = rng.uniform(-rotation, rotation)
    white = (255,) * len(page.getbands())
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=white)
    return _noise_blur(page, rng, noise, blur)


def photograph_page(page: Image.Image, *, rng: random.Random) -> Image.Image:
    """A phone photo of the sheet: perspective, light falling off to one side, a hand's shadow."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    w, h = page.size
    rgb = page.convert("RGB")
    # Perspective: the camera is a little off-axis, so the page is a trapezoid on a desk.
    pad = int(0.06 * w)
    canvas = Image.new("RGB", (w + 2 * pad, h + 2 * pad), (92, 84, 76))
    canvas.paste(rgb, (pad, pad))

    def jitter(x: float, y: float) -> tuple[float, float]:
        return x + rng.uniform(-0.035, 0.035) * w, y + rng.uniform(-0.025, 0.025) * h

    corners = [jitter(pad, pad), jitter(pad + w, pad), jitter(pad + w, pad + h)]
    corners.append(jitter(pad, pad + h))
    target = [(0, 0), (w, 0), (w, h), (0, h)]
    coefficients = _perspective(target, corners)
    photo = canvas.transform(
        (w, h), Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BICUBIC
    )
    # Uneven light: a linear fall-off from a random side, 100 % → 70 %.
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (xx / w - 0.5) * math.cos(angle) + (yy / h - 0.5) * math.sin(angle)
    light = 0.85 + 0.3 * ramp  # 0.7 … 1.0 across the page
    # A soft shadow (a hand or the phone) over one corner region.
    shadow = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(shadow)
    sx, sy = rng.choice([(0, 0), (w, 0), (0, h), (w, h)])
    radius = rng.uniform(0.35, 0.5) * w
    draw.ellipse((sx - radius, sy - radius * 0.8, sx + radius, sy + radius * 0.8), fill=255)
    shade = np.asarray(shadow.filter(ImageFilter.GaussianBlur(w / 25)), np.float32) / 255.0
    light = light * (1.0 - 0.35 * shade)
    pixels = np.asarray(photo, dtype=np.float32) * light[..., None]
    pixels *= np.array([1.0, 0.97, 0.9], dtype=np.float32)  # warm indoor light
    photo = Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")
    return _noise_blur(photo, rng, 8.0, 0.9)


def _perspective(
    target: list[tuple[float, float]], source: list[tuple[float, float]]
) -> tuple[float, ...]:
    """Coefficients for Image.transform(PERSPECTIVE) mapping ``target`` points to ``source``."""
    import numpy as np

    rows, values = [], []
    for (x, y), (u, v) in zip(target, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values.extend([u, v])
    solution = np.linalg.solve(np.array(rows, dtype=np.float64), np.array(values))
    return tuple(float(c) for c in solution)


def _image_pdf(pages: list[tuple[int, int, bytes, str]], dpi: int) -> bytes:
    """An image-only PDF: one JPEG (DCTDecode, as scanners write them) per page."""
    objects: list[bytes] = [b"", b""]  # catalog and page tree, filled in below
    kids = []
    for width, height, jpeg, colour in pages:
        w_pt, h_pt = width * 72 / dpi, height * 72 / dpi
        image_no = len(objects) + 1
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /%s"
            b" /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
            % (width, height, colour.encode(), len(jpeg))
            + jpeg
            + b"\nendstream"
        )
        content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (w_pt, h_pt)
        packed = zlib.compress(content)
        header = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
        objects.append(header + packed + b"\nendstream")
        kids.append(len(objects) + 1)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f]"
            b" /Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
            % (w_pt, h_pt, image_no, image_no + 1)
        )
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def scan_pdf(
    pdf: bytes,
    *,
    seed: int = 0,
    dpi: int = DPI,
    rotation: float = ROTATION,
    noise: float = NOISE_SIGMA,
    blur: float = BLUR_RADIUS,
    jpeg_quality: int = JPEG_QUALITY,
    seal: bool = True,
    photographed: bool = False,
    max_pages: int | None = None,
) -> bytes:
    """The PDF as a stamped scan (or a photo with ``photographed=True``), image-only."""
    import pypdfium2 as pdfium

    rng = random.Random(seed)  # noqa: S311 - reproducible noise, not secrets
    document = pdfium.PdfDocument(pdf)
    try:
        count = len(document) if max_pages is None else min(len(document), max_pages)
        pages = []
        for index in range(count):
            bitmap = document[index].render(scale=dpi / 72, grayscale=True)
            image = bitmap.to_pil().convert("L")
            if seal and index in {0, count - 1}:
                image = seal_page(image, first=index == 0, rng=rng, dpi=dpi)
                if index == 0 and count == 1:  # a one-page contract: both seals on it
                    image = seal_page(image, first=False, rng=rng, dpi=dpi)
            if photographed:
                image = photograph_page(image, rng=rng)
            else:
                image = scan_page(image, rng=rng, rotation=rotation, noise=noise, blur=blur)
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=jpeg_quality)
            colour = "DeviceRGB" if image.mode == "RGB" else "DeviceGray"
            pages.append((image.width, image.height, buffer.getvalue(), colour))
    finally:
        document.close()
    return _image_pdf(pages, dpi)
