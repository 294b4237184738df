"""A vendor requests a subcontract, an officer approves it, the manager sees it in the tree,
and a subcontractor cannot open its sibling's node."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from portal.models import Department, Outsourcing, User
from portal.outsourcings import operations as ops

PASSWORD = "ブラウザ試験用のながいパスワード"


def sign_out(page) -> None:
    page.get_by_role("button", name="サインアウト").click()


def test_request_approve_tree_and_sibling(live_server, page, shot):
    base = live_server.url
    live_server.add_user("staff", "officer@city.example.jp", PASSWORD, name="担当 一郎")
    with live_server.app.app_context(), Session(live_server.engine) as session:
        officer = session.exec(select(User).where(User.email == "officer@city.example.jp")).one()
        department = session.get(Department, officer.department_id)
        vendor_a = ops.create_vendor(
            session=session, name="株式会社元請情報", corporate_number="7000012050002"
        )
        vendor_c = ops.create_vendor(
            session=session, name="株式会社別件印刷", corporate_number="9000012050990"
        )
        root = ops.create_root(
            session=session,
            actor=officer,
            task_name="住民税通知書作成",
            department_id=department.id,
            vendor_id=vendor_a.id,
            start_date=date(2026, 4, 1),
            end_date=date(2027, 3, 31),
            data=ops.EntrustedData(
                categories="氏名、住所、税額", persons=45000, scope_note="通知に必要な項目のみ"
            ),
        )
        sibling = ops.record_subcontract_without_approval(
            session=session,
            actor=officer,
            parent=root,
            request=ops.SubcontractRequest(
                task_name="封筒印刷",
                vendor_id=vendor_c.id,
                start_date=date(2026, 4, 1),
                end_date=date(2027, 3, 31),
                data=ops.EntrustedData(),
                reason="",
                responsible_persons="",
                protection_measures="",
                oversight_method="",
            ),
        )
        session.commit()
        root_id, sibling_id, vendor_a_id = root.id, sibling.id, vendor_a.id
        department_id = department.id
    live_server.add_user("vendor", "motouke@vendor.example.jp", PASSWORD, vendor_id=vendor_a_id)
    live_server.add_user(
        "manager", "manager@city.example.jp", PASSWORD, department_id=department_id
    )

    # The contractor asks for approval to subcontract.
    live_server.sign_in(page, "motouke@vendor.example.jp")
    page.goto(f"{base}/outsourcings/{root_id}")
    page.get_by_role("link", name="再委託の承認を申請する").click()
    page.get_by_label("再委託する業務").fill("封入封緘作業")
    page.get_by_label("委託先の名称").fill("株式会社封入センター")
    page.get_by_label("法人番号（13桁）").fill("８０１０４０１０１２３４５")
    page.get_by_label("委託する個人情報の項目").fill("氏名、住所")
    page.get_by_label("本人の数（概数）").fill("45000")
    page.get_by_label("必要最小限である理由").fill("宛名の印字に必要な項目に限る")
    page.get_by_label("再委託の理由").fill("繁忙期の封入作業量に対応するため")
    page.get_by_label("再委託先の責任者・業務従事者").fill("責任者 1名、作業者 6名")
    page.get_by_label("再委託先における個人情報の保護措置").fill("施錠された作業室、持出し禁止")
    page.get_by_label("再委託先の監督方法").fill("作業日ごとの報告と月1回の立入確認")
    # The selection checklist and the items are answered in the same form (one left open).
    with live_server.app.app_context():
        from portal.selection.operations import current_rule

        questions = [q.label for q in current_rule().checklist]
    for question in questions[:-1]:
        page.get_by_role("radio", name=f"{question} はい").check()
    page.get_by_role("checkbox", name="氏名").check()
    page.get_by_role("checkbox", name="住所").check()
    shot("chain-01-request-form")
    page.get_by_role("button", name="申請する").click()
    # A wrong check digit and the unanswered question are refused in Japanese at once, and
    # nothing is lost.
    assert page.get_by_text("チェックデジット").is_visible()
    assert page.get_by_role("alert").filter(has_text=questions[-1]).is_visible()
    assert page.get_by_label("再委託の理由").input_value() == "繁忙期の封入作業量に対応するため"
    assert page.get_by_role("radio", name=f"{questions[0]} はい").is_checked()
    assert page.get_by_role("checkbox", name="住所").is_checked()
    page.get_by_label("法人番号（13桁）").fill(_valid_number())
    page.get_by_role("radio", name=f"{questions[-1]} はい").check()
    page.get_by_role("button", name="申請する").click()
    assert page.get_by_role("status").inner_text().startswith("再委託の承認を申請しました")
    shot("chain-02-requested")
    sign_out(page)

    # The officer of the owning department approves it.
    live_server.sign_in(page, "officer@city.example.jp")
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="承認待ち"
    ).click()
    page.get_by_role("link", name="封入封緘作業").click()
    page.get_by_label("判断").select_option("approve")
    page.get_by_label("コメント").fill("申請内容を確認しました。")
    page.get_by_role("button", name="決定する").click()
    assert page.get_by_role("status").inner_text() == "再委託を承認しました。"
    shot("chain-03-approved")
    sign_out(page)

    # The manager sees the new node in the tree, flagged against the unapproved sibling.
    live_server.sign_in(page, "manager@city.example.jp")
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="委託の系列"
    ).click()
    tree = page.locator("ul.tree")
    assert tree.get_by_text("株式会社封入センター").is_visible()
    assert tree.get_by_text("第2層").first.is_visible()
    assert tree.get_by_text("無承認の再委託").is_visible()
    shot("chain-04-tree")
    sign_out(page)

    # The new subcontractor's user sees its own node but never its sibling's.
    with live_server.app.app_context(), Session(live_server.engine) as session:
        new_node = session.exec(
            select(Outsourcing).where(Outsourcing.task_name == "封入封緘作業")
        ).one()
        new_id, new_vendor = new_node.id, new_node.vendor_id
    live_server.add_user("vendor", "fuunyu@vendor.example.jp", PASSWORD, vendor_id=new_vendor)
    live_server.sign_in(page, "fuunyu@vendor.example.jp")
    page.goto(f"{base}/outsourcings/{new_id}")
    assert page.locator("h1").inner_text() == "封入封緘作業"
    response = page.goto(f"{base}/outsourcings/{sibling_id}")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "ページが見つかりません"
    shot("chain-05-sibling-hidden")


def _valid_number() -> str:
    from portal.demo import corporate_number

    return corporate_number("010401012399")
