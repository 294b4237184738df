"""Keep the catalogs in step with the code: extract, merge English, compile.

python -m portal.translations.update          # extract + merge + compile
python -m portal.translations.update --check  # fail if a message lacks an English text
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
POT = HERE / "messages.pot"
LANGUAGES = ("en",)


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)  # noqa: S603


def extract() -> None:
    """Write messages.pot from the code and templates."""
    _pybabel(
        "extract",
        "-F",
        str(HERE / "babel.cfg"),
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "--no-location",
        "--omit-header",
        "--sort-output",
        "-o",
        str(POT),
        "portal",
        "templates",
    )


def merge() -> None:
    """Bring every language's catalog up to date with messages.pot."""
    for lang in LANGUAGES:
        po = HERE / lang / "LC_MESSAGES" / "messages.po"
        if po.exists():
            _pybabel("update", "-i", str(POT), "-d", str(HERE), "-l", lang, "--no-fuzzy-matching")
        else:
            _pybabel("init", "-i", str(POT), "-d", str(HERE), "-l", lang)


def compile_catalogs() -> None:
    """Compile every .po into the .mo Flask-Babel reads."""
    for po_path in HERE.glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)


def untranslated(lang: str) -> list[str]:
    """Message ids with no translation in ``lang``."""
    with (HERE / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    return [
        m.id
        for m in catalog
        if m.id and not (m.string if isinstance(m.string, str) else all(m.string))
    ]


if __name__ == "__main__":
    if "--compile" in sys.argv:
        compile_catalogs()
    elif "--check" in sys.argv:
        missing = {lang: untranslated(lang) for lang in LANGUAGES}
        for lang, ids in missing.items():
            for message_id in ids:
                print(f"{lang}: untranslated: {message_id}")
        sys.exit(1 if any(missing.values()) else 0)
    else:
        extract()
        merge()
        compile_catalogs()
