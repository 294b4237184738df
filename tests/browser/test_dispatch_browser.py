"""An officer registers a worker dispatch contract, uploads its PDF and sees the matters of
the dispatch catalog checked: the missing pledge on the review page and on the contract. The
dispatching agency (派遣元) uploads the PDF of its own contract the same way."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from pdfgen import reportlab_pdf
from portal.outsourcings import operations as ops

PASSWORD = "ブラウザ試験用のながいパスワード"
SAMPLES = Path(__file__).parents[1] / "corpus" / "catalogs"


def test_register_upload_and_check_a_dispatch_contract(live_server, page, shot, tmp_path):
    live_server.add_user("staff", "dispatch@city.example.jp", PASSWORD, name="派遣 担当")
    with live_server.app.app_context(), Session(live_server.engine) as session:
        ops.create_vendor(
            session=session, name="株式会社人材みらい", corporate_number="7000012050002"
        )
        session.commit()
    pdf = tmp_path / "労働者派遣契約書.pdf"
    text = (SAMPLES / "dispatch_no_pledge.txt").read_text(encoding="utf-8")
    pdf.write_bytes(reportlab_pdf(text))
    huey = live_server.app.extensions["portal.huey"]
    huey.flush()

    live_server.sign_in(page, "dispatch@city.example.jp")
    page.get_by_role("link", name="労働者派遣契約").first.click()
    page.get_by_role("link", name="労働者派遣契約を登録する").click()
    page.get_by_label("契約番号").fill("派-2026-101")
    page.get_by_label("派遣元").select_option(label="株式会社人材みらい（7000012050002）")
    page.get_by_label("派遣業務の内容").fill("住民票の写しの交付窓口")
    page.get_by_label("派遣期間（開始日）").fill("2026-04-01")
    page.get_by_label("派遣期間（終了日）").fill("2026-03-01")
    page.get_by_label("派遣労働者数").fill("3")
    page.get_by_role("button", name="保存する").click()
    # A period that ends before it begins is refused in Japanese; what was typed stays.
    assert "派遣期間の終了日が開始日より前になっています。" in page.inner_text("main")
    assert page.get_by_label("契約番号").input_value() == "派-2026-101"
    shot("dispatch-form-error")
    page.get_by_label("派遣期間（終了日）").fill("2027-03-31")
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url("**/dispatch/*")
    assert "労働者派遣契約を登録しました。" in page.inner_text("body")

    page.get_by_label("契約書（PDF）").set_input_files(str(pdf))
    page.get_by_role("button", name="登録して解析する").click()
    page.wait_for_url("**/documents/*")
    assert "解析の順番を待っています" in page.locator("#progress").inner_text()

    # No worker runs beside the live server: the test is the worker, while the page polls.
    task = huey.dequeue()
    assert task is not None
    huey.execute(task)
    page.locator(".clause-card").first.wait_for(timeout=30_000)
    assert page.locator(".clause-card").count() == 7
    pledge = page.locator("#clause-worker_pledge")
    assert "派遣労働者の秘密保持誓約" in pledge.inner_text()
    assert pledge.locator(".clause-status").inner_text() == "欠落"
    assert page.locator("#clause-confidentiality .clause-status").inner_text() == "適合"
    shot("dispatch-review-cards")

    page.get_by_role("link", name="労働者派遣契約 派-2026-101").click()
    matters = page.locator("#matters")
    assert "第37条第5項" in matters.inner_text()
    assert "欠落" in matters.locator('[data-matter="worker_pledge"]').inner_text()
    assert "適合" in matters.locator('[data-matter="dispatcher_liability"]').inner_text()
    shot("dispatch-contract-matters")


def test_the_dispatching_agency_uploads_its_own_contract(live_server, page, shot, tmp_path):
    from datetime import date

    from portal.admin.operations import create_department, create_division
    from portal.dispatch.models import DispatchContract

    with live_server.app.app_context(), Session(live_server.engine) as session:
        vendor = ops.create_vendor(
            session=session, name="株式会社人材あおば", corporate_number="7000012050002"
        )
        division = create_division(session=session, name="市民部")
        department = create_department(session=session, division_id=division.id, name="市民課")
        contract = DispatchContract(
            contract_number="派-2026-202",
            department_id=department.id,
            vendor_id=vendor.id,
            work="証明書交付窓口",
            period_start=date(2026, 4, 1),
            period_end=date(2027, 3, 31),
            workers=2,
        )
        session.add(contract)
        session.commit()
        vendor_id = vendor.id
    live_server.add_user(
        "vendor", "haken@aoba.example.jp", PASSWORD, name="派遣元 担当", vendor_id=vendor_id
    )
    pdf = tmp_path / "派遣契約書（派遣元）.pdf"
    text = (SAMPLES / "dispatch_no_pledge.txt").read_text(encoding="utf-8")
    pdf.write_bytes(reportlab_pdf(text))
    huey = live_server.app.extensions["portal.huey"]
    huey.flush()

    live_server.sign_in(page, "haken@aoba.example.jp")
    page.get_by_role("link", name="労働者派遣契約").first.click()
    page.get_by_role("link", name="派-2026-202").click()
    page.get_by_label("契約書（PDF）").set_input_files(str(pdf))
    page.get_by_role("button", name="登録して解析する").click()
    page.wait_for_url("**/documents/*")
    task = huey.dequeue()
    assert task is not None
    huey.execute(task)
    page.locator(".clause-card").first.wait_for(timeout=30_000)
    pledge = page.locator("#clause-worker_pledge")
    assert pledge.locator(".clause-status").inner_text() == "欠落"
    # The 派遣元 stores its contract; the officers judge it (no review form here).
    assert page.locator("form[action*='/clauses/']").count() == 0
    shot("dispatch-vendor-upload")
