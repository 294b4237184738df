"""Named catalogs: the dispatch and provision matters checked on labelled samples, the
catalog files' consistency, the CLI's --catalog, and the outsourcing JSON left unchanged."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from clauses import check
from clauses.catalog import CatalogError, available_catalogs, load_named_catalog
from clauses.cli import main
from clauses.facets import RULES
from clauses.facets.generic import _MODES

SAMPLES = Path(__file__).parents[1] / "corpus" / "catalogs"
LABELS = {"1": "satisfied", "w": "weak", "0": "missing"}


def _labelled(catalog: str) -> list[tuple[str, dict[str, str]]]:
    ids = load_named_catalog(catalog).ids
    with (SAMPLES / f"{catalog}_labels.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    return [(r[0], {cid: LABELS[v] for cid, v in zip(ids, r[1:], strict=True)}) for r in rows]


def test_catalogs_are_listed_and_unknown_names_refused():
    assert available_catalogs()[:1] == ["outsourcing"]
    assert {"dispatch", "provision"} <= set(available_catalogs())
    for bad in ("nope", "../catalog", "Dispatch"):
        with pytest.raises(CatalogError):
            load_named_catalog(bad)


@pytest.mark.parametrize("name", ["dispatch", "provision"])
def test_catalog_matters_are_well_formed(name):
    catalog = load_named_catalog(name)
    assert catalog.name == name and catalog.title
    assert len(set(catalog.ids)) == len(catalog.ids)
    # Every sentence of the samples that an act matches must pass its clause's prefilter
    # (else the checker would never look at it).
    lines = [
        line
        for path in SAMPLES.glob(f"{name}_*.txt")
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    for clause in catalog.clauses:
        assert (clause.rule or clause.id) in RULES
        assert clause.regulation
        for facet in clause.facets if clause.rule == "generic" else ():
            assert facet.mode in _MODES
            acted = [line for line in lines if facet.rx("act").search(line)]
            assert acted, (clause.id, facet.id)  # the samples exercise every act
            assert all(clause.prefilter.search(line) for line in acted), (clause.id, facet.id)


def test_dispatch_vocabulary_extends_the_outsourcing_one():
    dispatch, base = load_named_catalog("dispatch"), load_named_catalog("outsourcing")
    assert "派遣元" in dispatch.contractor_terms and "派遣先" in dispatch.principal_terms
    assert "派遣労働者" in dispatch.staff_terms
    assert set(base.contractor_terms) <= set(dispatch.contractor_terms)
    assert "派遣元" not in base.contractor_terms


@pytest.mark.parametrize("catalog", ["dispatch", "provision"])
def test_labelled_samples(catalog, nlp):
    wrong = []
    for name, expected in _labelled(catalog):
        report = check(SAMPLES / name, profile="miki", catalog=catalog)
        got = {c.id: c.status for c in report.clauses}
        wrong += [(name, cid, want, got[cid]) for cid, want in expected.items() if got[cid] != want]
        for c in report.clauses:
            if c.status != "missing":
                assert c.evidence, (name, c.id)  # every finding names its sentence
    assert wrong == []


def test_dispatch_report_cites_paragraph_5_of_each_profile(nlp):
    text = (SAMPLES / "dispatch_full_a.txt").read_text(encoding="utf-8")
    miki = check(text, profile="miki", catalog="dispatch")
    kuki = check(text, profile="kuki", catalog="dispatch")
    assert miki.article == "第37条" and kuki.article == "第36条"
    assert "第37条第5項" in miki.to_text() and "第36条第5項" in kuki.to_text()
    assert miki.to_dict()["catalog"] == "dispatch"


def test_outsourcing_json_has_no_catalog_key(nlp):
    text = (SAMPLES / "dispatch_full_a.txt").read_text(encoding="utf-8")
    report = check(text, profile="miki")
    assert "catalog" not in report.to_dict()
    assert [c.id for c in report.clauses] == list(load_named_catalog("outsourcing").ids)


def test_cli_check_with_catalog(capsys, nlp):
    rc = main(
        [
            "check",
            str(SAMPLES / "dispatch_no_pledge.txt"),
            "--catalog",
            "dispatch",
            "--format",
            "json",
        ]
    )
    assert rc == 0
    data = json.loads(capsys.readouterr().out)
    statuses = {c["id"]: c["status"] for c in data["clauses"]}
    assert statuses["worker_pledge"] == "missing"
    assert statuses["confidentiality"] == "satisfied"


def test_cli_refuses_unknown_catalog(capsys):
    assert main(["check", "x.txt", "--catalog", "nope"]) == 2
    assert "カタログ「nope」が見つかりません" in capsys.readouterr().err
