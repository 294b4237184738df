"""A vendor reports an incident affecting 150 persons: the Commission report is required and
both deadlines are shown; the manager and the chief escalate it to the top of the active
profile's chain (三木市 and 久喜市)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from clauses.profile import load_profile
from portal.models import User
from portal.outsourcings import operations as ops
from portal.timeutil import local_today

PASSWORD = "ブラウザ試験用のながいパスワード"
TASK = "国民健康保険証発送"
VENDOR = "株式会社発送センター"


def _menu(page, name: str) -> None:
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name=name).click()


def _sign_out(page) -> None:
    page.get_by_role("button", name="サインアウト").click()


@pytest.mark.parametrize(
    ("profile", "steps"),
    [
        ("miki", ["統括情報セキュリティ責任者", "最高情報セキュリティ責任者", "市長"]),
        ("kuki", ["総括保護管理者", "市長"]),
    ],
)
def test_vendor_reports_150_persons_and_escalation_reaches_the_top(
    live_server, page, shot, profile, steps
):
    live_server.app.extensions["portal.profile"] = load_profile(profile)
    live_server.add_user("manager", "sekinin@city.example.jp", PASSWORD, name="責任 一郎")
    with live_server.app.app_context(), Session(live_server.engine) as session:
        manager = session.exec(select(User).where(User.email == "sekinin@city.example.jp")).one()
        vendor = ops.create_vendor(session=session, name=VENDOR, corporate_number="7000012050002")
        ops.create_root(
            session=session,
            actor=manager,
            task_name=TASK,
            department_id=manager.department_id,
            vendor_id=vendor.id,
            start_date=date(2026, 4, 1),
            end_date=date(2028, 3, 31),
            data=ops.EntrustedData(
                categories="氏名、住所、被保険者番号", persons=30000, scope_note="発送に必要な項目"
            ),
        )
        session.commit()
        vendor_id = vendor.id
    live_server.add_user("vendor", "hassou@vendor.example.jp", PASSWORD, vendor_id=vendor_id)
    live_server.add_user("chief", "toukatsu@city.example.jp", PASSWORD, name="統括 花子")
    today = local_today()
    first_due, final_due = today + timedelta(days=5), today + timedelta(days=30)

    # The vendor reports a misdelivery that reached 150 persons.
    live_server.sign_in(page, "hassou@vendor.example.jp")
    _menu(page, "漏えい等の事案")
    page.get_by_role("link", name="事案を報告する").click()
    page.get_by_label("委託業務").select_option(label=f"{TASK}（{VENDOR}）")
    page.get_by_label("事案の種類").select_option(label="漏えい")
    page.get_by_label("何が起きたか").fill("封入機の設定誤りで、保険証150通を別世帯に発送した。")
    page.get_by_label("発見日").fill(today.isoformat())
    page.get_by_label("影響を受ける人数").fill("150")
    page.get_by_label("既に講じた被害拡大防止の措置").fill("発送を停止し、回収を開始した。")
    shot(f"incident-{profile}-01-report")
    page.get_by_role("button", name="報告する").click()
    assert page.get_by_role("status").inner_text() == "事案を報告しました。責任者に通知しました。"
    commission = page.locator("#commission")
    assert commission.get_by_text("報告が必要です").is_visible()
    assert "本人の数が100人を超える（150人）" in commission.inner_text()
    first_row = commission.locator("tr[data-report=first]")
    final_row = commission.locator("tr[data-report=final]")
    assert first_due.isoformat() in first_row.inner_text()
    assert final_due.isoformat() in final_row.inner_text()
    assert "知った日から30日以内" in final_row.inner_text()
    assert "未報告（期限内）" in first_row.inner_text()
    assert "未報告（期限内）" in final_row.inner_text()
    # The vendor reports; escalating is not its part.
    assert page.locator("#escalation form").count() == 0
    shot(f"incident-{profile}-02-deadlines")
    incident_url = page.url
    _sign_out(page)

    # The manager has a notice and reports to the next step.
    live_server.sign_in(page, "sekinin@city.example.jp")
    _menu(page, "漏えい等の事案")
    notices = page.locator("section", has_text="お知らせ")
    assert "漏えい等の事案が報告されました" in notices.inner_text()
    notices.get_by_role("link").first.click()
    page.get_by_label("報告の内容（経緯・被害状況・対応）").fill(
        "150通誤送付、回収中。経緯を報告。"
    )
    page.get_by_role("button", name=f"{steps[0]}へ報告する").click()
    assert page.get_by_role("status").inner_text() == f"{steps[0]}へ報告しました。"
    _sign_out(page)

    # The chief reports up to the top of the chain.
    live_server.sign_in(page, "toukatsu@city.example.jp")
    page.goto(incident_url)
    for step in steps[1:]:
        page.get_by_label("報告の内容（経緯・被害状況・対応）").fill(f"{step}に報告した。")
        page.get_by_role("button", name=f"{step}へ報告する").click()
        assert page.get_by_role("status").inner_text() == f"{step}へ報告しました。"
    escalation = page.locator("#escalation")
    assert escalation.get_by_text("報告経路の最上位まで報告済みです。").is_visible()
    reached = escalation.locator("li[data-reached=yes]")
    assert reached.count() == len(steps) + 1
    assert "市長" in reached.last.inner_text() and "統括 花子が報告" in reached.last.inner_text()
    shot(f"incident-{profile}-03-escalated")

    page.get_by_role("link", name="経過（タイムライン）を見る").click()
    rows = page.locator("table.timeline tbody tr")
    kinds = [rows.nth(i).get_attribute("data-kind") for i in range(rows.count())]
    assert kinds == ["reported", "notified", *(["escalated"] * len(steps))]
    assert "市長" in rows.last.inner_text()
    shot(f"incident-{profile}-04-timeline")

    # The node shows the open incident in the tree.
    _menu(page, "委託の系列")
    assert page.locator("ul.tree .badge-bad", has_text="事案対応中").first.is_visible()
