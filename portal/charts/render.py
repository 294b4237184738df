"""Drawing a ``Figure`` as SVG with matplotlib (server side: the page carries no script).

The glyphs are drawn as paths, so the Japanese labels look the same in every browser and on
paper without the reader's fonts; the size suits half an A4 page.
"""

from __future__ import annotations

import io
import threading

import matplotlib

matplotlib.use("Agg")  # no display on the server

from matplotlib import font_manager
from matplotlib.figure import Figure as Canvas

from portal.charts.data import Figure

#: Japanese fonts in the order tried (Debian's fonts-noto-cjk first).
JAPANESE_FONTS = ("Noto Sans CJK JP", "IPAexGothic", "IPAGothic", "TakaoGothic")
# matplotlib's font cache and rcParams are process-wide: one drawing at a time.
_LOCK = threading.Lock()


def _font_family() -> list[str]:
    available = {font.name for font in font_manager.fontManager.ttflist}
    return [name for name in JAPANESE_FONTS if name in available] + ["DejaVu Sans"]


def svg(figure: Figure) -> bytes:
    """The stacked bar chart of ``figure`` as an SVG document."""
    with (
        _LOCK,
        matplotlib.rc_context(
            {"font.family": _font_family(), "svg.fonttype": "path", "svg.hashsalt": figure.kind}
        ),
    ):
        canvas = Canvas(figsize=(7.2, 3.6), dpi=100)
        axes = canvas.subplots()
        positions = list(range(len(figure.categories)))
        bottom = [0] * len(positions)
        for series in figure.series:
            axes.bar(
                positions, series.values, bottom=bottom, color=series.color, label=series.label
            )
            bottom = [b + v for b, v in zip(bottom, series.values, strict=True)]
        axes.set_title(figure.title, fontsize=11)
        axes.set_xticks(positions, figure.categories, fontsize=8)
        if len(figure.categories) > 6 and max(len(c) for c in figure.categories) > 4:
            axes.tick_params(axis="x", labelrotation=35)
            for label in axes.get_xticklabels():
                label.set_horizontalalignment("right")
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.set_ylim(bottom=0, top=max([*bottom, 1]) * 1.1)  # counts: never below zero
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="y", color="#dde3ea", linewidth=0.6)
        axes.set_axisbelow(True)
        if len(figure.series) > 1:
            axes.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
        canvas.tight_layout()
        out = io.BytesIO()
        canvas.savefig(out, format="svg", metadata={"Date": None})
        return out.getvalue()
