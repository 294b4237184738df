"""The clause check measured on the independent corpus (tests/corpus), with the issue's targets:
per clause, false "satisfied" ≤ 2 %, recall of satisfied ≥ 97 %, three-way accuracy ≥ 92 %."""

from __future__ import annotations

import importlib.util
import io
import shutil
from pathlib import Path

import pytest

from clauses import check
from clauses.catalog import load_catalog
from clauses.cli import evaluate, read_labels

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
LABELS = CORPUS / "labels.csv"

pytestmark = [
    pytest.mark.usefixtures("nlp"),
    pytest.mark.skipif(not LABELS.exists(), reason="the corpus is not there yet"),
]


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus as build.py materialises it (PDFs included), else its text documents."""
    dest = tmp_path_factory.mktemp("corpus")
    build = CORPUS / "build.py"
    if build.exists():
        spec = importlib.util.spec_from_file_location("corpus_build", build)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.build_corpus_dir(dest)
    shutil.copytree(CORPUS / "docs", dest, dirs_exist_ok=True)
    return dest


@pytest.fixture(scope="module")
def figures(corpus_dir: Path) -> dict[str, dict[str, float]]:
    labels = read_labels(LABELS, load_catalog().ids)
    labels = {k: v for k, v in labels.items() if (corpus_dir / k).exists()}
    err = io.StringIO()
    result, failures = evaluate(corpus_dir, labels, "miki", err)
    assert failures == 0, err.getvalue()
    return result


@pytest.mark.parametrize("clause", load_catalog().ids)
def test_no_false_satisfied(figures: dict[str, dict[str, float]], clause: str) -> None:
    assert figures[clause]["false_satisfied"] <= 0.02


@pytest.mark.parametrize("clause", load_catalog().ids)
def test_recall_of_satisfied(figures: dict[str, dict[str, float]], clause: str) -> None:
    assert figures[clause]["recall_satisfied"] >= 0.97


@pytest.mark.parametrize("clause", load_catalog().ids)
def test_three_way_accuracy(figures: dict[str, dict[str, float]], clause: str) -> None:
    assert figures[clause]["accuracy"] >= 0.92


def test_parsing_only_candidates_changes_nothing(corpus_dir: Path) -> None:
    """The fast mode gives exactly the results of parsing every sentence."""
    texts = sorted(corpus_dir.rglob("*.txt"))[::5]
    assert texts
    for path in texts:
        fast, full = check(path).to_dict(), check(path, parse="all").to_dict()
        fast.pop("seconds"), full.pop("seconds")
        assert fast == full, path.name
