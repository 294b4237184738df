"""``from clauses import check`` on a PDF works from any kind of ``__main__``.

The PDF is parsed in a child interpreter. A child started through multiprocessing re-imports the
caller's main module, so a script without a ``__main__`` guard ran itself again in the child and
``python - <<EOF … check("a.pdf")`` failed with BrokenPipeError. These tests run each kind of
caller as a real separate Python process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import pdfgen
from tests.contracts.conftest import contract_text

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """\
from clauses import check
from contracts import load

doc = load("contract.pdf")
print("pages", len(doc.pages))
report = check("contract.pdf")
print("subcontracting", report.status("subcontracting"))
"""


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "contract.pdf").write_bytes(pdfgen.reportlab_pdf(contract_text()))
    return tmp_path


def _run(args: list[str], cwd: Path, stdin: str | None = None) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, *args],
        input=stdin,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "BrokenPipeError" not in done.stderr
    return done.stdout


@pytest.mark.slow
def test_check_from_python_stdin(workdir: Path) -> None:
    out = _run(["-"], workdir, stdin=SCRIPT)
    assert "subcontracting satisfied" in out


@pytest.mark.slow
def test_check_from_a_script_without_main_guard(workdir: Path) -> None:
    (workdir / "plain.py").write_text(SCRIPT, encoding="utf-8")
    out = _run(["plain.py"], workdir)
    # The script ran once: a child that re-imported it would have printed twice (or failed).
    assert out.count("pages") == 1
    assert "subcontracting satisfied" in out


def test_load_from_python_c_like_a_notebook(workdir: Path) -> None:
    # A notebook's __main__ has no __file__, like ``python -c``.
    code = "from contracts import load; print(len(load('contract.pdf').pages))"
    out = _run(["-c", code], workdir)
    assert out.strip().isdigit() and int(out) >= 1
