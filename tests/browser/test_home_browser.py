"""Each role's start page is its work queue on the demo data, and the dashboard's pictures
show, print on A4 (one picture a page, no menu) and export to Excel."""

from __future__ import annotations

import pytest

from portal.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(live_server):
    result = live_server.app.test_cli_runner().invoke(args=["demo", "load", "--no-contracts"])
    assert result.exit_code == 0, result.output
    return live_server


def _count(page, key: str) -> int:
    text = page.get_by_test_id(f"count-{key}").inner_text()
    return int("".join(ch for ch in text if ch.isdigit()))


def test_staff_home_is_the_work_queue(demo, page, shot):
    demo.sign_in(page, "staff@demo.example.jp", DEMO_PASSWORD)
    queue = page.locator("#work-queue")
    assert queue.inner_text() == "対応が必要なこと"
    # The demo year: the open incident is inside its 速報 window.
    incidents = page.locator('[data-queue="incidents_open"]')
    assert "確報まで" in incidents.inner_text()
    assert _count(page, "reports_submitted") >= 1
    shot("home-staff")
    # From the queue to the item, as a newcomer would click.
    incidents.get_by_role("link").first.click()
    page.wait_for_url(demo.url + "/incidents/*")
    assert "速報" in page.locator("main").inner_text()


def test_chief_home_is_a_department_matrix(demo, page, shot):
    demo.sign_in(page, "chief@demo.example.jp", DEMO_PASSWORD)
    matrix = page.get_by_test_id("queue-matrix")
    assert matrix.is_visible()
    text = matrix.inner_text()
    assert "市民課" in text and "合計" in text
    shot("home-chief-matrix")


def test_vendor_home_lists_its_obligations(demo, page, shot):
    demo.sign_in(page, "vendor@demo.example.jp", DEMO_PASSWORD)
    for key in ("reports_due", "actions_to_answer", "my_requests", "incidents_reported"):
        assert page.get_by_test_id(f"count-{key}").is_visible(), key
    assert _count(page, "incidents_reported") >= 1
    assert page.get_by_test_id("queue-matrix").count() == 0
    shot("home-vendor")


def test_dashboard_shows_prints_and_exports(demo, page, shot):
    demo.sign_in(page, "manager@demo.example.jp", DEMO_PASSWORD)
    page.get_by_role("link", name="グラフ").first.click()
    page.wait_for_url(demo.url + "/charts/")
    images = page.locator(".chart-picture img")
    assert images.count() == 5
    for index in range(5):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
    assert page.get_by_test_id("table-inspections").is_visible()
    shot("dashboard-screen")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("link", name="Excel で保存").is_visible()
    shot("dashboard-print")
    pdf = page.pdf(format="A4", print_background=True)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 5 <= pages <= 7, pages  # one picture a page
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel で保存").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_the_tree_prints_without_the_controls(demo, page, shot):
    demo.sign_in(page, "chief@demo.example.jp", DEMO_PASSWORD)
    page.goto(demo.url + "/outsourcings/tree")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert all(not form.is_visible() for form in page.locator("main form").all())
    assert "住民基本台帳システム運用保守" in page.locator("main").inner_text()
    shot("tree-print")
