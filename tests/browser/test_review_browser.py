"""An officer uploads a contract, watches the analysis progress, sees the eight clause cards
and the page image with an evidence sentence highlighted, and overrides one status with a
reason."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from pdfgen import reportlab_pdf
from portal.models import User
from portal.outsourcings import operations as ops
from review_samples import STRONG

PASSWORD = "ブラウザ試験用のながいパスワード"


def test_upload_progress_cards_and_override(live_server, page, shot, tmp_path):
    base = live_server.url
    live_server.add_user("staff", "reviewer@city.example.jp", PASSWORD, name="審査 花子")
    with live_server.app.app_context(), Session(live_server.engine) as session:
        officer = session.exec(select(User).where(User.email == "reviewer@city.example.jp")).one()
        vendor = ops.create_vendor(
            session=session, name="株式会社入力センター", corporate_number="7000012050002"
        )
        root = ops.create_root(
            session=session,
            actor=officer,
            task_name="課税資料入力",
            department_id=officer.department_id,
            vendor_id=vendor.id,
            start_date=date(2026, 4, 1),
            end_date=date(2027, 3, 31),
            data=ops.EntrustedData(
                categories="氏名、住所", persons=1000, scope_note="入力項目のみ"
            ),
        )
        session.commit()
        root_id = root.id
    pdf = tmp_path / "委託契約書.pdf"
    pdf.write_bytes(reportlab_pdf(STRONG))
    huey = live_server.app.extensions["portal.huey"]
    huey.flush()

    live_server.sign_in(page, "reviewer@city.example.jp")
    page.goto(f"{base}/outsourcings/{root_id}")
    page.get_by_role("link", name="契約書と条項の確認").click()
    page.get_by_label("契約書（PDF）").set_input_files(str(pdf))
    page.get_by_role("button", name="登録して解析する").click()
    page.wait_for_url("**/documents/*")
    progress = page.locator("#progress")
    assert "解析の順番を待っています" in progress.inner_text()
    shot("review-queued")

    # No worker runs beside the live server: the test is the worker, while the page polls.
    task = huey.dequeue()
    assert task is not None
    huey.execute(task)
    page.locator(".clause-card").first.wait_for(timeout=20_000)
    assert page.locator(".clause-card").count() == 8
    assert "解析が完了しました" in page.locator("#progress").inner_text()
    shot("review-cards")

    # The evidence of a card opens the page image with that sentence highlighted.
    card = page.locator("#clause-subcontracting")
    evidence = card.locator(".evidence mark").first.inner_text()
    with page.expect_response("**/pages/1.png") as image:
        card.get_by_role("link", name="ページ画像で見る").first.click()
    assert image.value.status == 200 and image.value.header_value("content-type") == "image/png"
    figure = page.locator("svg.page-image")
    figure.wait_for()
    highlights = figure.locator("rect.highlight")
    assert highlights.count() >= 1
    box = highlights.first.bounding_box()
    frame = figure.bounding_box()
    assert box and frame and box["width"] > 0.3 * frame["width"] and box["height"] > 5
    assert box["y"] > frame["y"] and box["y"] + box["height"] < frame["y"] + frame["height"]
    chosen = page.locator(".page-evidence li.chosen")
    assert evidence in chosen.inner_text()
    shot("review-page-highlight")
    page.go_back()
    page.locator(".clause-card").first.wait_for()

    card = page.locator("#clause-security")
    card.get_by_text("判定を確認・変更する").click()
    card.get_by_label("不十分").check()
    card.get_by_label("理由").fill("措置の具体的な内容が定められていないため")
    card.get_by_role("button", name="判定を記録する").click()
    page.wait_for_url("**/documents/*")
    card = page.locator("#clause-security")
    assert card.locator(".clause-status").inner_text() == "不十分"
    assert "措置の具体的な内容が定められていないため" in card.inner_text()
    assert "審査 花子" in card.inner_text()
    shot("review-overridden")
