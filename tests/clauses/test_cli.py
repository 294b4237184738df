"""The command line: check in text/json/jsonl, per-file errors, and eval."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clause_samples import contract

from clauses.cli import main

pytestmark = pytest.mark.usefixtures("nlp")

GOOD = contract(
    "乙は、甲の書面による承諾を得た場合を除き、本業務を第三者に再委託してはならない。",
    "乙は、個人情報を他に漏らし、又は本業務の目的以外の目的に利用してはならない。",
)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    sjis = tmp_path / "sjis.txt"
    sjis.write_bytes(GOOD.encode("shift_jis"))
    return {"good": good, "sjis": sjis}


def test_check_jsonl(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(files["good"]), "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert data["file"].endswith("good.txt") and data["profile"] == "miki"
    assert data["pages"] == 1 and data["ocr"] is False
    statuses = {c["id"]: c["status"] for c in data["clauses"]}
    assert statuses["subcontracting"] == "satisfied"
    assert statuses["confidentiality"] == "satisfied"
    assert statuses["incident"] == "missing"
    ev = next(c for c in data["clauses"] if c["id"] == "subcontracting")["evidence"][0]
    assert GOOD[ev["start"] : ev["end"]] == ev["text"]
    assert ev["article"] == "第1条"


def test_check_json_many_files_and_kuki(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "check",
                str(files["good"]),
                str(files["good"]),
                "--format",
                "json",
                "--profile",
                "kuki",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list) and len(data) == 2
    assert data[0]["profile"] == "kuki"


def test_check_text_table(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(files["good"])]) == 0
    out = capsys.readouterr().out
    assert "再委託の制限・事前承認" in out and "充足" in out and "記載なし" in out


def test_failing_file_does_not_stop_the_others(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", str(files["sjis"]), str(files["good"]), "--format", "jsonl"])
    captured = capsys.readouterr()
    assert code != 0
    assert "UTF-8" in captured.err
    results = [json.loads(line) for line in captured.out.strip().splitlines()]
    assert "error" in results[0] and "clauses" in results[1]


def test_unknown_profile(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(files["good"]), "--profile", "nowhere"]) == 2
    assert "プロファイル" in capsys.readouterr().err


def test_eval_prints_figures(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("file,c1,c2,c3,c4,c5,c6,c7,c8\ngood.txt,1,1,0,0,0,0,0,0\n", encoding="utf-8")
    assert main(["eval", str(tmp_path), str(labels)]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[1:] for line in out.strip().splitlines()[1:]}
    assert rows["subcontracting"] == ["1", "1.000", "0.000", "1.000"]
    assert rows["total"][0] == "8"
    assert float(rows["total"][3]) == 1.0


def test_eval_counts_false_satisfied(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("file,c1,c2,c3,c4,c5,c6,c7,c8\ngood.txt,1,w,0,0,0,0,0,0\n", encoding="utf-8")
    main(["eval", str(tmp_path), str(labels)])
    rows = {line.split()[0]: line.split()[1:] for line in capsys.readouterr().out.splitlines()[1:]}
    assert rows["subcontracting"] == ["1", "1.000", "1.000", "0.000"]


@pytest.mark.parametrize(
    "content", ["file,c1\nx.txt,1\n", "file,c1,c2,c3,c4,c5,c6,c7,c8\nx,1,1,1,1,1,1,1,9\n"]
)
def test_eval_rejects_bad_labels(
    tmp_path: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text(content, encoding="utf-8")
    assert main(["eval", str(tmp_path), str(labels)]) != 0
    assert "ラベル" in capsys.readouterr().err


def test_eval_unreadable_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text(
        "file,c1,c2,c3,c4,c5,c6,c7,c8\nmissing.txt,1,1,1,1,1,1,1,1\n", encoding="utf-8"
    )
    assert main(["eval", str(tmp_path), str(labels)]) == 1
    assert "missing.txt" in capsys.readouterr().err


def test_eval_with_a_set_column_prints_each_set_side_by_side(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text(
        "file,c1,c2,c3,c4,c5,c6,c7,c8,set\n"
        "good.txt,1,1,0,0,0,0,0,0,tuned\n"
        "sjis.txt,1,w,0,0,0,0,0,0,blind\n",
        encoding="utf-8",
    )
    (tmp_path / "sjis.txt").write_text(GOOD, encoding="utf-8")
    assert main(["eval", str(tmp_path), str(labels)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "[tuned]" in lines[0] and "[blind]" in lines[0]
    assert lines[0].index("[tuned]") < lines[0].index("[blind]")
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:]}
    # n, recall, false-1, accuracy for tuned, then for blind
    assert rows["subcontracting"] == [
        "1",
        "1.000",
        "0.000",
        "1.000",
        "1",
        "1.000",
        "1.000",
        "0.000",
    ]
    assert rows["total"][0] == "8" and rows["total"][4] == "8"


def test_eval_json_per_set(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text(
        "file,set,c1,c2,c3,c4,c5,c6,c7,c8\ngood.txt,real,1,1,0,0,0,0,0,0\n", encoding="utf-8"
    )
    assert main(["eval", str(tmp_path), str(labels), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["sets"]) == {"real"}
    assert data["sets"]["real"]["subcontracting"]["accuracy"] == 1.0
    assert data["sets"]["real"]["total"]["n"] == 8
