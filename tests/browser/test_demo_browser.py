"""A newcomer loads the demo and finds analysed contracts at once: the tree shows contract
badges and the weaker subcontract, the review page shows the eight clause cards with their
evidence, the stamped scan was read by OCR, and the amendment is compared with version 1."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portal.demo import DEMO_PASSWORD
from portal.models import Outsourcing
from portal.reviews.models import ContractDocument

pytestmark = pytest.mark.browser


def _documents(live_server) -> dict[str, ContractDocument]:
    with Session(live_server.engine) as session:
        return {d.filename: d for d in session.exec(select(ContractDocument)).all()}


def test_the_demo_shows_analysed_contracts(live_server, page, shot):
    base = live_server.url
    result = live_server.app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    documents = _documents(live_server)
    assert len(documents) == 8 and {d.status for d in documents.values()} == {"done"}
    root = documents["住民基本台帳システム運用保守業務委託契約書.pdf"]
    sub = documents["住民基本台帳システム運用保守業務に係る再委託契約書.pdf"]
    scan = documents["住民票等郵送請求受付業務委託契約書（スキャン）.pdf"]
    with Session(live_server.engine) as session:
        root_node = session.get(Outsourcing, root.outsourcing_id)
        root_id = root_node.id

    live_server.sign_in(page, "staff@demo.example.jp", DEMO_PASSWORD)
    page.goto(f"{base}/outsourcings/tree?root={root_id}")
    tree = page.locator("main")
    assert "契約書 適合" in tree.inner_text()
    assert "再委託元より弱い契約" in tree.inner_text()
    shot("demo-tree-contract-badges")

    # From the outsourcing to its contract, as a newcomer would click.
    page.goto(f"{base}/outsourcings/{root_id}")
    page.get_by_role("link", name="契約書と条項の確認").click()
    page.get_by_role("link", name=root.filename).click()
    page.locator(".clause-card").first.wait_for()
    assert page.locator(".clause-card").count() == 8
    assert page.locator(".clause-card .clause-status").all_inner_texts() == ["適合"] * 8
    assert "第5条" in page.locator("#clause-confidentiality").inner_text()
    shot("demo-review-complete")

    page.goto(f"{base}/documents/{sub.id}")
    page.locator(".clause-card").first.wait_for()
    statuses = page.locator(".clause-card .clause-status").all_inner_texts()
    assert statuses.count("不十分") == 3
    flow_down = page.locator("#flow-down")
    assert flow_down.is_visible()
    shot("demo-review-subcontract-flow-down")

    page.goto(f"{base}/documents/{scan.id}")
    page.locator(".clause-card").first.wait_for()
    assert page.locator(".clause-card").count() == 8
    assert page.get_by_role("link", name="ページ画像で見る").count() >= 1
    shot("demo-review-stamped-scan")
    # The scanned page, with the sentence found among the OCR words highlighted.
    page.locator("#clause-security").get_by_role("link", name="ページ画像で見る").click()
    figure = page.locator("svg.page-image")
    figure.wait_for()
    assert figure.locator("rect.highlight").count() >= 1
    shot("demo-scan-page-highlight")
