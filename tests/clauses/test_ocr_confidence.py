"""Evidence read by OCR carries the page's confidence; low-confidence pages are listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clause_samples import contract

from clauses import check_document
from clauses.cli import main
from contracts.document import build_document
from contracts.ocr import LOW_CONFIDENCE
from contracts.pages import PageText

pytestmark = pytest.mark.usefixtures("nlp")

SUBCONTRACTING = "乙は、甲の書面による承諾を得た場合を除き、本業務を第三者に再委託してはならない。"
CONFIDENTIALITY = "乙は、個人情報を他に漏らし、又は本業務の目的以外の目的に利用してはならない。"


def _pages(confidences: list[float | None]) -> list[PageText]:
    texts = [contract(SUBCONTRACTING), contract(CONFIDENTIALITY)]
    return [
        PageText(number=n, text=text, ocr=confidence is not None, confidence=confidence)
        for n, (text, confidence) in enumerate(zip(texts, confidences, strict=True), start=1)
    ]


def _evidence(report: dict, clause_id: str) -> list[dict]:
    return next(c for c in report["clauses"] if c["id"] == clause_id)["evidence"]


def test_evidence_from_ocr_carries_the_page_confidence() -> None:
    low = LOW_CONFIDENCE - 10
    report = check_document(build_document(_pages([99.5, low]))).to_dict()
    assert report["ocr"] is True
    [sub] = [e for e in _evidence(report, "subcontracting") if e["page"] == 1]
    assert sub["ocr_confidence"] == 99.5
    assert all(e["ocr_confidence"] == low for e in _evidence(report, "confidentiality"))
    assert report["ocr_pages"] == [
        {"page": 1, "confidence": 99.5, "low": False},
        {"page": 2, "confidence": low, "low": True},
    ]
    json.dumps(report)  # still plain JSON


def test_a_text_pdf_report_is_unchanged() -> None:
    report = check_document(build_document(_pages([None, None]))).to_dict()
    assert "ocr_pages" not in report
    assert all("ocr_confidence" not in e for c in report["clauses"] for e in c["evidence"])
    assert set(report) == {"file", "profile", "pages", "ocr", "clauses", "seconds"}


def test_the_text_report_names_the_low_pages() -> None:
    text = check_document(build_document(_pages([99.0, LOW_CONFIDENCE - 1]))).to_text()
    assert "読み取りの信頼度が低いページ: 2頁" in text


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["ppocr", "tesseract"])
def test_the_command_line_reads_a_scan_with_the_chosen_engine(
    engine: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from contracts.ocr import ocr_available
    from tests import pdfgen

    if not ocr_available(engine):
        pdfgen.missing_tool(f"OCR engine {engine} is not installed")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(pdfgen.scanned_pdf(contract(SUBCONTRACTING, CONFIDENTIALITY)))
    assert main(["check", str(scan), "--format", "jsonl", "--ocr-engine", engine]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ocr"] is True and report["ocr_pages"][0]["page"] == 1
    statuses = {c["id"]: c["status"] for c in report["clauses"]}
    assert statuses["subcontracting"] == statuses["confidentiality"] == "satisfied"


def test_an_unknown_engine_is_refused_by_the_command_line(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["check", str(tmp_path / "a.pdf"), "--ocr-engine", "easyocr"])
    assert exited.value.code == 2
