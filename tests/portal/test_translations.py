"""Every UI string is translatable and has an English text."""

from __future__ import annotations

import subprocess
import sys

from babel.messages.pofile import read_po

from portal.translations import update


def _ids(path) -> set[str]:
    with open(path, "rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


def test_catalog_is_up_to_date_with_the_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(update.HERE / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(fresh),
            "portal",
            "templates",
        ],
        check=True,
        cwd=update.ROOT,
        capture_output=True,
    )
    assert _ids(fresh) == _ids(update.POT), "run: python -m portal.translations.update"


def test_every_message_has_an_english_text():
    assert update.untranslated("en") == []
