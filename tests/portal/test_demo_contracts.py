"""The demo shows the core feature from the first minute: `portal demo load` stores contract
PDFs in three drafting styles (one a stamped scan, one amended, one subcontract weaker than
its parent) and analyses them itself, so results exist before any worker runs."""

from __future__ import annotations

import pytest
from sqlmodel import select

from portal.demo.contract_texts import CLAUSE_ORDER, DemoContract, contract_text
from portal.models import Outsourcing
from portal.reviews.models import ContractDocument


def _contract(**fields) -> DemoContract:
    base = {
        "key": "x",
        "style": "kou_otsu",
        "title": "業務委託契約書",
        "task": "住民基本台帳システム運用保守業務",
        "client": "三木市",
        "contractor": "株式会社みらい情報システム",
    }
    return DemoContract(**(base | fields))


@pytest.mark.parametrize("style", ["kou_otsu", "hacchu_juchu", "shi_jutaku"])
@pytest.mark.parametrize("variant", [0, 1])
def test_each_drafting_style_imposes_what_it_says(style, variant):
    from clauses import check

    for weak_one in CLAUSE_ORDER[variant::2]:  # half the matters weak, half missing, in turn
        for level in ("W", "M"):
            contract = _contract(style=style, variant=variant, levels={weak_one: level})
            got = {c.id: c.status for c in check(contract_text(contract)).clauses}
            assert got == contract.expected(), (style, variant, weak_one, level)


def test_demo_load_stores_and_analyses_the_contracts(app, runner, client, db_session):
    from portal.demo import DEMO_PASSWORD
    from portal.demo.contracts import demo_contracts
    from portal_testing import sign_in

    app.config["TOTP_REQUIRED"] = False
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "stored 8 demo contract PDFs" in result.output
    assert "[8/8]" in result.output and "done" in result.output

    documents = db_session.exec(select(ContractDocument).order_by(ContractDocument.id)).all()
    assert len(documents) == 8 and {d.status for d in documents} == {"done"}
    planned = {c.filename: (c, node) for c, node in demo_contracts(db_session)}
    for document in documents:
        contract, node = planned[document.filename]
        assert document.outsourcing_id == node.id
        if contract.scanned:
            # OCR may misread a sentence (a false "weak" costs a look); it never invents one.
            assert document.report["ocr"] is True
            assert document.statuses["breach_remedies"] != "satisfied"
            assert list(document.statuses.values()).count("satisfied") >= 5
        else:
            assert document.statuses == contract.expected(), document.filename
    amended = [d for d in documents if d.version == 2]
    assert [d.kind for d in amended] == ["amendment"]

    # The subcontract under the first chain is flagged weaker than its parent's contract.
    sub = next(node for c, node in planned.values() if c.key == "juki-sub")
    assert sign_in(client, "staff@demo.example.jp", DEMO_PASSWORD).status_code == 302
    tree = client.get(f"/outsourcings/tree?root={sub.root_id}").get_data(as_text=True)
    assert "再委託元より弱い契約" in tree and "契約書 適合" in tree
    sub_document = next(d for d in documents if d.outsourcing_id == sub.id)
    page = client.get(f"/documents/{sub_document.id}").get_data(as_text=True)
    assert page.count('class="card clause-card') == 8 and 'id="flow-down"' in page


def test_no_contracts_loads_the_municipality_only(runner, db_session):
    result = runner.invoke(args=["demo", "load", "--no-contracts"])
    assert result.exit_code == 0, result.output
    assert db_session.exec(select(Outsourcing)).first() is not None
    assert db_session.exec(select(ContractDocument)).all() == []
