"""Loading a contract: UTF-8 text files, PDF through contracts.pdf, and errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import contracts
import contracts.pdf
from contracts import EmptyDocumentError, PageText, TextEncodingError, load


def test_load_utf8_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("第1条 乙は、再委託してはならない。\n", encoding="utf-8")
    stages = []
    doc = load(path, progress=lambda stage, done, total: stages.append((stage, done, total)))
    assert doc.articles[0].label == "第1条"
    assert len(doc.pages) == 1 and not doc.ocr
    assert stages == [("extracting", 1, 1)]


def test_load_rejects_non_utf8_text(tmp_path: Path) -> None:
    path = tmp_path / "sjis.txt"
    path.write_bytes("第1条 乙は、再委託してはならない。".encode("shift_jis"))
    with pytest.raises(TextEncodingError) as info:
        load(path)
    assert "UTF-8" in info.value.message_ja


def test_load_rejects_empty_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n", encoding="utf-8")
    with pytest.raises(EmptyDocumentError):
        load(path)


def test_missing_file_is_a_contract_error(tmp_path: Path) -> None:
    with pytest.raises(contracts.ContractError) as info:
        load(tmp_path / "nothing.pdf")
    assert "見つかりません" in info.value.message_ja


def test_pdf_goes_through_extract_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = {}

    def fake_extract(source, *, limits=None, progress=None, ocr=True):
        seen["source"], seen["ocr"] = source, ocr
        return [PageText(1, "第1条 乙は、"), PageText(2, "再委託してはならない。", ocr=True)]

    monkeypatch.setattr(contracts.pdf, "extract_pages", fake_extract)
    doc = load(b"%PDF-1.7 fake", ocr=False)
    assert seen == {"source": b"%PDF-1.7 fake", "ocr": False}
    assert [p.number for p in doc.pages] == [1, 2]
    assert doc.ocr
    path = tmp_path / "c.pdf"
    path.write_bytes(b"%PDF-1.7 fake")
    doc = load(path)
    assert seen["source"] == path


def test_pdf_without_text_is_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contracts.pdf, "extract_pages", lambda *a, **k: [PageText(1, "")])
    with pytest.raises(EmptyDocumentError):
        load(b"%PDF-1.7")
