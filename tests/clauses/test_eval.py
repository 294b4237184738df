"""The clause check measured on the independent corpus (tests/corpus).

The corpus is materialised and evaluated once per test session; every clause is then asserted
from those figures, so the whole file costs one pass over the corpus.

``TARGETS`` are the issue's targets, per clause: false "satisfied" ≤ 2 %, recall of satisfied
≥ 97 %, three-way accuracy ≥ 92 %. ``FLOORS`` is a ratchet: per clause, what the checker
measured when the floors were last raised (recall/accuracy rounded down to 0.01, false
"satisfied" rounded up). Floors only ever go up — raise them when the checker improves, never
lower them — so any regression fails here even where it would still meet the targets.
"""

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
IDS = load_catalog().ids

# The issue's targets, the same for every clause.
TARGETS = {"false_satisfied": 0.02, "recall_satisfied": 0.97, "accuracy": 0.92}

# Ratchet: measured on the full corpus (138 texts + 8 PDFs); only ever raise these.
FLOORS: dict[str, dict[str, float]] = {
    "confidentiality": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 1.00},
    "subcontracting": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.98},
    "copying": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 1.00},
    "security": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.95},
    "incident": {"recall_satisfied": 0.98, "false_satisfied": 0.00, "accuracy": 0.98},
    "return_deletion": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.98},
    "breach_remedies": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.99},
    "reporting_audit": {"recall_satisfied": 0.98, "false_satisfied": 0.00, "accuracy": 0.97},
}

pytestmark = [
    pytest.mark.usefixtures("nlp"),
    pytest.mark.skipif(not LABELS.exists(), reason="the corpus is not there yet"),
]


@pytest.fixture(scope="session")
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


@pytest.fixture(scope="session")
def figures(corpus_dir: Path) -> dict[str, dict[str, float]]:
    """Per-clause figures of one evaluation of the whole corpus."""
    labels = read_labels(LABELS, IDS)
    labels = {k: v for k, v in labels.items() if (corpus_dir / k).exists()}
    err = io.StringIO()
    result, failures = evaluate(corpus_dir, labels, "miki", err)
    assert failures == 0, err.getvalue()
    return result


def test_floors_cover_every_clause() -> None:
    assert set(FLOORS) == set(IDS)
    assert all(set(floor) == set(TARGETS) for floor in FLOORS.values())


@pytest.mark.parametrize("clause", IDS)
def test_no_regression_below_the_floors(figures: dict[str, dict[str, float]], clause: str) -> None:
    got, floor = figures[clause], FLOORS[clause]
    assert got["false_satisfied"] <= floor["false_satisfied"], got
    assert got["recall_satisfied"] >= floor["recall_satisfied"], got
    assert got["accuracy"] >= floor["accuracy"], got


def _meets_targets(floor: dict[str, float]) -> bool:
    return (
        floor["false_satisfied"] <= TARGETS["false_satisfied"]
        and floor["recall_satisfied"] >= TARGETS["recall_satisfied"]
        and floor["accuracy"] >= TARGETS["accuracy"]
    )


# Clauses whose floors already meet the issue's targets must keep meeting them.
AT_TARGET = [c for c in IDS if _meets_targets(FLOORS[c])]


@pytest.mark.parametrize("clause", AT_TARGET)
def test_issue_targets(figures: dict[str, dict[str, float]], clause: str) -> None:
    got = figures[clause]
    assert got["false_satisfied"] <= TARGETS["false_satisfied"], got
    assert got["recall_satisfied"] >= TARGETS["recall_satisfied"], got
    assert got["accuracy"] >= TARGETS["accuracy"], got


def test_parsing_only_candidates_changes_nothing(corpus_dir: Path) -> None:
    """The fast mode gives exactly the results of parsing every sentence."""
    texts = sorted(corpus_dir.rglob("*.txt"))[::5]
    assert texts
    for path in texts:
        fast, full = check(path).to_dict(), check(path, parse="all").to_dict()
        fast.pop("seconds"), full.pop("seconds")
        assert fast == full, path.name


# -- the dev split (tests/corpus/dev/<set>/docs + labels.csv), written by other helpers ---------
DEV = CORPUS / "dev"
DEV_SETS = sorted(p.parent.name for p in DEV.glob("*/labels.csv")) if DEV.is_dir() else []
# The issue's targets: municipal drafting, and real or private texts of any sector.
DEV_TARGETS = {
    "municipal": {"false_satisfied": 0.02, "recall_satisfied": 0.97, "accuracy": 0.92},
    "private": {"false_satisfied": 0.05, "recall_satisfied": 0.0, "accuracy": 0.85},
}
# Ratchet per dev set (all clauses together), as FLOORS above: what the checker measured when
# the set was last tuned on. A set that arrives later is new drafting the rules have not seen:
# it must meet the targets only once its floors do, and until it has floors, the precision
# target (false "satisfied") alone.
DEV_FLOORS: dict[str, dict[str, float]] = {
    "muni_a": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 1.00},
    "muni_b": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 1.00},
    "muni_c": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.99},
    "muni_d": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.99},
    "muni_e": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.98},
    "private": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 1.00},
    "private_b": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.97},
    "private_c": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.98},
    "muni_f": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.98},
    "private_d": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.98},
    "muni_g": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.99},
    "muni_h": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.99},
    "muni_i": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.98},
    "muni_j": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.98},
    "genres_a": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.99},
    "private_e": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.97},
    "private_f": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.98},
    "muni_k": {"recall_satisfied": 0.99, "false_satisfied": 0.00, "accuracy": 0.98},
    "private_h": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.99},
    "private_g": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.99},
    "muni_l": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.99},
    "private_i": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.99},
    # 2.1 %: a roster (名簿) copied read as paper only by the writer, a right to demand
    # reports read as no audit (both kept as the writer labelled them).
    "private_j": {"recall_satisfied": 1.00, "false_satisfied": 0.03, "accuracy": 0.98},
    "muni_m": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.99},
    "private_k": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.99},
    "private_l": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.98},
    "muni_n": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.98},
    "private_m": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.99},
    # 1.0 %: forms printed from member data (会員データを印字した帳票) read as paper by the writer
    "private_n": {"recall_satisfied": 1.00, "false_satisfied": 0.02, "accuracy": 0.98},
    "muni_o": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.99},
    "muni_p": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.98},
    "muni_q": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.99},
    "muni_r": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.98},
    "private_o": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.99},
    "private_p": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.98},
    "private_q": {"recall_satisfied": 1.00, "false_satisfied": 0.00, "accuracy": 0.98},
}


@pytest.fixture(scope="session")
def dev_figures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, dict]]:
    """Per dev set, the figures of one evaluation, through a labels file with a set column."""
    from clauses.cli import evaluate_sets, read_labelled_sets

    combined = tmp_path_factory.mktemp("dev") / "labels.csv"
    lines = ["file," + ",".join(f"c{k}" for k in range(1, len(IDS) + 1)) + ",set"]
    for name in DEV_SETS:
        rows = (DEV / name / "labels.csv").read_text(encoding="utf-8").splitlines()[1:]
        lines += [f"{name}/docs/{row},{name}" for row in rows if row.strip()]
    combined.write_text("\n".join(lines) + "\n", encoding="utf-8")
    labels, sets = read_labelled_sets(combined, IDS)
    err = io.StringIO()
    result, failures = evaluate_sets(DEV, labels, sets, "miki", err)
    assert failures == 0, err.getvalue()
    return result


@pytest.mark.skipif(not DEV_SETS, reason="no dev split in this checkout")
@pytest.mark.parametrize("name", DEV_SETS)
def test_dev_split_meets_the_issue_targets(dev_figures: dict, name: str) -> None:
    target = DEV_TARGETS["private" if "private" in name or "real" in name else "municipal"]
    got = dev_figures[name]["total"]
    assert got["false_satisfied"] <= target["false_satisfied"], got
    floor = DEV_FLOORS.get(name)
    if floor is None:
        return  # new drafting, not tuned on yet: the precision target only
    assert got["false_satisfied"] <= floor["false_satisfied"], got
    assert got["recall_satisfied"] >= floor["recall_satisfied"], got
    assert got["accuracy"] >= floor["accuracy"], got
    if floor["recall_satisfied"] >= target["recall_satisfied"]:
        assert got["recall_satisfied"] >= target["recall_satisfied"], got
    if floor["accuracy"] >= target["accuracy"]:
        assert got["accuracy"] >= target["accuracy"], got
