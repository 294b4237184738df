"""The chain: registering, requesting, deciding, ending; the tree; who sees what."""

from __future__ import annotations

import re
from datetime import date

import pytest
from chain_helpers import selection_fields
from sqlmodel import select

from portal.models import Outsourcing, OutsourcingStatus, User
from portal.outsourcings import operations as ops
from portal.outsourcings.scope import visible_outsourcings
from portal.permissions import Role
from portal_testing import csrf_token

S = OutsourcingStatus
DATA = ops.EntrustedData(categories="氏名、住所", persons=1200, scope_note="必要な項目に限る")


def make_root(session, user: User, vendor, **kw) -> Outsourcing:
    node = ops.create_root(
        session=session,
        actor=user,
        task_name=kw.pop("task_name", "住民税通知書印刷"),
        department_id=user.department_id,
        vendor_id=vendor.id,
        start_date=date(2026, 4, 1),
        end_date=date(2027, 3, 31),
        data=DATA,
        **kw,
    )
    session.commit()
    return node


def sub_request(vendor_id: int, **kw) -> ops.SubcontractRequest:
    return ops.SubcontractRequest(
        task_name=kw.pop("task_name", "封入封緘作業"),
        vendor_id=vendor_id,
        start_date=kw.pop("start_date", date(2026, 5, 1)),
        end_date=kw.pop("end_date", date(2027, 3, 1)),
        data=DATA,
        reason="繁忙期対応",
        responsible_persons="責任者 1名",
        protection_measures="施錠管理",
        oversight_method="月次報告",
        **kw,
    )


@pytest.fixture
def chain(app_ctx, db_session, factory):
    """An officer, a root held by vendor A, a vendor-A user and vendor B (to subcontract to)."""
    officer = factory.user(Role.STAFF)
    vendor_a, vendor_b = factory.vendor("株式会社A"), factory.vendor("株式会社B")
    a_user = factory.user(Role.VENDOR, vendor_id=vendor_a.id)
    root = make_root(db_session, officer, vendor_a)
    return officer, root, vendor_a, vendor_b, a_user


def test_corporate_number_check_digit(app_ctx):
    assert ops.validate_corporate_number("７０００-０１２０-５０００２") == "7000012050002"
    with pytest.raises(ops.ChainError, match="チェックデジット"):
        ops.validate_corporate_number("1000012050990")
    with pytest.raises(ops.ChainError, match="13桁"):
        ops.validate_corporate_number("12345")


def test_request_approve_activate_gives_tier_2(chain, db_session):
    officer, root, _vendor_a, vendor_b, a_user = chain
    node = ops.request_subcontract(
        session=db_session, actor=a_user, parent=root, request=sub_request(vendor_b.id)
    )
    assert (node.status, node.tier, node.root_id, node.department_id) == (
        S.REQUESTED,
        2,
        root.id,
        root.department_id,
    )
    ops.decide_request(session=db_session, actor=officer, node=node, approve=True, comment="")
    assert node.status == S.APPROVED and node.decided_by_id == officer.id and node.decided_at
    ops.activate(session=db_session, node=node)
    assert node.status == S.ACTIVE


def test_child_only_under_an_active_parent(chain, db_session):
    _officer, root, vendor_a, vendor_b, a_user = chain
    node = ops.request_subcontract(
        session=db_session, actor=a_user, parent=root, request=sub_request(vendor_b.id)
    )
    b_user = User(
        email="b@test.example.jp", role="vendor", vendor_id=vendor_b.id, password_hash="x"
    )
    with pytest.raises(ops.ChainError, match="実施中の委託の下だけ"):
        ops.request_subcontract(
            session=db_session, actor=b_user, parent=node, request=sub_request(vendor_a.id)
        )


def test_request_period_inside_parent_and_not_to_itself(chain, db_session):
    _officer, root, vendor_a, vendor_b, a_user = chain
    with pytest.raises(ops.ChainError, match="期間"):
        ops.request_subcontract(
            session=db_session,
            actor=a_user,
            parent=root,
            request=sub_request(vendor_b.id, end_date=date(2028, 1, 1)),
        )
    with pytest.raises(ops.ChainError, match="自社"):
        ops.request_subcontract(
            session=db_session, actor=a_user, parent=root, request=sub_request(vendor_a.id)
        )


def test_only_the_owning_department_decides_and_reject_needs_a_reason(chain, db_session, factory):
    officer, root, _vendor_a, vendor_b, a_user = chain
    node = ops.request_subcontract(
        session=db_session, actor=a_user, parent=root, request=sub_request(vendor_b.id)
    )
    stranger = factory.user(Role.STAFF)
    with pytest.raises(ops.ChainError, match="所管する課室"):
        ops.decide_request(session=db_session, actor=stranger, node=node, approve=True, comment="")
    with pytest.raises(ops.ChainError, match="理由"):
        ops.decide_request(session=db_session, actor=officer, node=node, approve=False, comment=" ")


def test_a_node_can_never_become_its_own_ancestor(chain, db_session):
    officer, root, _vendor_a, vendor_b, _a_user = chain
    child = ops.record_subcontract_without_approval(
        session=db_session, actor=officer, parent=root, request=sub_request(vendor_b.id)
    )
    with pytest.raises(ops.ChainError, match="自分自身"):
        ops.move_outsourcing(session=db_session, node=root, new_parent=child)
    with pytest.raises(ops.ChainError, match="自分自身"):
        ops.move_outsourcing(session=db_session, node=child, new_parent=child)


def test_subcontract_without_approval_is_a_violation(chain, db_session):
    officer, root, _vendor_a, vendor_b, _a_user = chain
    node = ops.record_subcontract_without_approval(
        session=db_session, actor=officer, parent=root, request=sub_request(vendor_b.id)
    )
    assert ops.is_violation(node) and node.status == S.ACTIVE


def test_ending_with_active_children_asks_first(chain, db_session):
    officer, root, _vendor_a, vendor_b, _a_user = chain
    child = ops.record_subcontract_without_approval(
        session=db_session, actor=officer, parent=root, request=sub_request(vendor_b.id)
    )
    with pytest.raises(ops.ChainError, match="1件"):
        ops.end_outsourcing(session=db_session, node=root)
    ended = ops.end_outsourcing(session=db_session, node=root, cascade=True)
    assert {n.id for n in ended} == {root.id, child.id} and child.status == S.ENDED


def test_subsidiary_is_recognised_through_parent_company(app_ctx, db_session, factory):
    parent_company = factory.vendor("親会社株式会社")
    child_company = factory.vendor("子会社株式会社", parent=parent_company)
    grandchild = factory.vendor("孫会社株式会社", parent=child_company)
    assert ops.is_subsidiary(
        session=db_session, child_vendor_id=grandchild.id, parent_vendor_id=parent_company.id
    )
    assert not ops.is_subsidiary(
        session=db_session, child_vendor_id=parent_company.id, parent_vendor_id=grandchild.id
    )


# --- pages -----------------------------------------------------------------------------


def test_vendor_requests_officer_approves_manager_sees_it(app, client, factory, db_session):
    officer = factory.user(Role.STAFF)
    vendor_a = factory.vendor("株式会社A")
    a_user = factory.user(Role.VENDOR, vendor_id=vendor_a.id)
    with app.app_context():
        root = make_root(db_session, officer, vendor_a)
    from portal_testing import sign_in

    sign_in(client, a_user.email)
    form_page = f"/outsourcings/{root.id}/subcontract"
    response = client.post(
        form_page,
        data={
            "csrf_token": csrf_token(client, form_page),
            "task_name": "封入封緘作業",
            "vendor_name": "株式会社封入センター",
            "corporate_number": "9000012050990",
            "start_date": "2026-05-01",
            "end_date": "2027-03-01",
            "pi_categories": "氏名、住所",
            "persons": "1200",
            "scope_note": "宛名のみ",
            "reason": "繁忙期",
            "responsible_persons": "責任者 1名",
            "protection_measures": "施錠",
            "oversight_method": "月次報告",
            **selection_fields("name", "address"),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    node = db_session.exec(select(Outsourcing).where(Outsourcing.parent_id == root.id)).one()
    assert node.status == S.REQUESTED

    officer_client = app.test_client()
    sign_in(officer_client, officer.email)
    assert "封入封緘作業" in officer_client.get("/outsourcings/requests").get_data(as_text=True)
    detail = f"/outsourcings/{node.id}"
    officer_client.post(
        f"{detail}/decide",
        data={
            "csrf_token": csrf_token(officer_client, detail),
            "decision": "approve",
            "comment": "承認します",
        },
    )
    db_session.refresh(node)
    assert node.status == S.APPROVED

    manager = factory.user(Role.MANAGER, department_id=officer.department_id)
    manager_client = app.test_client()
    sign_in(manager_client, manager.email)
    html = manager_client.get("/outsourcings/tree").get_data(as_text=True)
    assert "株式会社封入センター" in html and "第2層" in html


def test_invalid_corporate_number_is_refused_in_japanese(app, client, factory, db_session):
    officer = factory.user(Role.STAFF)
    from portal_testing import sign_in

    sign_in(client, officer.email)
    response = client.post(
        "/outsourcings/new",
        data={
            "csrf_token": csrf_token(client, "/outsourcings/new"),
            "task_name": "業務",
            "department_id": officer.department_id,
            "vendor_name": "株式会社X",
            "corporate_number": "1234567890123",
            "start_date": "2026-04-01",
            "end_date": "2027-03-31",
            "pi_categories": "氏名",
            "persons": "10",
            "scope_note": "最小限",
        },
    )
    assert response.status_code == 200
    assert "チェックデジット" in response.get_data(as_text=True)
    assert db_session.exec(select(Outsourcing)).first() is None


def test_date_out_of_range_is_refused(app, client, factory):
    officer = factory.user(Role.STAFF)
    from portal_testing import sign_in

    sign_in(client, officer.email)
    response = client.post(
        "/outsourcings/new",
        data={
            "csrf_token": csrf_token(client, "/outsourcings/new"),
            "task_name": "業務",
            "department_id": officer.department_id,
            "vendor_name": "株式会社X",
            "corporate_number": "9000012050990",
            "start_date": "1899-04-01",
            "end_date": "2027-03-31",
            "pi_categories": "氏名",
            "persons": "10",
            "scope_note": "最小限",
        },
    )
    assert "日付が範囲外" in response.get_data(as_text=True)


def test_vendor_cannot_open_a_siblings_node(app, client, factory, db_session):
    officer = factory.user(Role.STAFF)
    vendor_a, vendor_b, vendor_c = factory.vendor(), factory.vendor(), factory.vendor()
    with app.app_context():
        root = make_root(db_session, officer, vendor_a)
        mine = ops.record_subcontract_without_approval(
            session=db_session, actor=officer, parent=root, request=sub_request(vendor_b.id)
        )
        sibling = ops.record_subcontract_without_approval(
            session=db_session, actor=officer, parent=root, request=sub_request(vendor_c.id)
        )
        db_session.commit()
    b_user = factory.user(Role.VENDOR, vendor_id=vendor_b.id)
    from portal_testing import sign_in

    sign_in(client, b_user.email)
    assert client.get(f"/outsourcings/{mine.id}").status_code == 200
    assert client.get(f"/outsourcings/{sibling.id}").status_code == 404
    assert client.get(f"/outsourcings/{root.id}").status_code == 404
    html = client.get("/outsourcings/tree").get_data(as_text=True)
    assert f"/outsourcings/{mine.id}" in html and f"/outsourcings/{sibling.id}" not in html


def test_tree_filters(app, client, factory, db_session):
    officer = factory.user(Role.STAFF)
    vendor_a, vendor_b = factory.vendor("株式会社アルファ"), factory.vendor("株式会社ベータ")
    with app.app_context():
        root = make_root(db_session, officer, vendor_a)
        bad = ops.record_subcontract_without_approval(
            session=db_session,
            actor=officer,
            parent=root,
            request=sub_request(vendor_b.id, task_name="無承認の作業"),
        )
        other_root = make_root(db_session, officer, vendor_a, task_name="別の委託")
        db_session.commit()
    from portal_testing import sign_in

    sign_in(client, officer.email)
    html = client.get("/outsourcings/tree?unapproved=y").get_data(as_text=True)
    assert (
        f"/outsourcings/{bad.id}" in html and f"/outsourcings/{root.id}" in html
    )  # with its ancestor
    assert f'/outsourcings/{other_root.id}"' not in html
    html = client.get("/outsourcings/tree?min_tier=2").get_data(as_text=True)
    assert "無承認の作業" in html and "別の委託" not in html
    html = client.get("/outsourcings/tree", query_string={"q": vendor_b.corporate_number}).get_data(
        as_text=True
    )
    assert "株式会社ベータ" in html and "別の委託" not in html


def test_scope_query_per_role(app_ctx, db_session, factory):
    officer = factory.user(Role.STAFF)
    vendor_a, vendor_b = factory.vendor(), factory.vendor()
    root = make_root(db_session, officer, vendor_a)
    child = ops.record_subcontract_without_approval(
        session=db_session, actor=officer, parent=root, request=sub_request(vendor_b.id)
    )
    db_session.commit()

    def ids(user: User) -> set[int]:
        return {o.id for o in db_session.exec(visible_outsourcings(user)).all()}

    assert ids(factory.user(Role.AUDITOR)) >= {root.id, child.id}
    assert ids(officer) >= {root.id, child.id}
    assert ids(factory.user(Role.STAFF)) & {root.id, child.id} == set()
    assert ids(factory.user(Role.VENDOR, vendor_id=vendor_b.id)) == {child.id}


def test_vendor_parent_company_makes_requests_subsidiary(app, client, factory, db_session):
    officer = factory.user(Role.STAFF)
    parent_company, child_company = (
        factory.vendor("親会社株式会社"),
        factory.vendor("子会社株式会社"),
    )
    from portal_testing import sign_in

    sign_in(client, officer.email)
    page = f"/outsourcings/vendors/{child_company.id}"
    response = client.post(
        page,
        data={
            "csrf_token": csrf_token(client, page),
            "name": "子会社株式会社",
            "address": "三木市",
            "contact": "",
            "parent_vendor_id": str(parent_company.id),
        },
    )
    assert response.status_code == 302
    db_session.refresh(child_company)
    assert child_company.parent_vendor_id == parent_company.id
    # A parent cannot become its own subsidiary's child.
    page = f"/outsourcings/vendors/{parent_company.id}"
    response = client.post(
        page,
        data={
            "csrf_token": csrf_token(client, page),
            "name": "親会社株式会社",
            "parent_vendor_id": str(child_company.id),
        },
    )
    assert "子会社を親会社にすることはできません" in response.get_data(as_text=True)
    with app.app_context():
        root = make_root(db_session, officer, parent_company)
        user = factory.user(Role.VENDOR, vendor_id=parent_company.id)
        node = ops.request_subcontract(
            session=db_session, actor=user, parent=root, request=sub_request(child_company.id)
        )
        assert node.declared_subsidiary  # recognised without the vendor declaring it


def test_tree_explains_each_badge_once(app, client, factory, db_session):
    """A badge repeated at many nodes carries its explanation once per page, in the legend
    each badge points to (aria-describedby), not at every node."""
    officer = factory.user(Role.STAFF)
    vendor_a, vendor_b = factory.vendor("株式会社アルファ"), factory.vendor("株式会社ベータ")
    with app.app_context():
        root = make_root(db_session, officer, vendor_a)
        for name in ("無承認の作業1", "無承認の作業2"):
            ops.record_subcontract_without_approval(
                session=db_session,
                actor=officer,
                parent=root,
                request=sub_request(vendor_b.id, task_name=name),
            )
        db_session.commit()
    from portal_testing import sign_in

    sign_in(client, officer.email)
    html = client.get("/outsourcings/tree").get_data(as_text=True)
    explanation = "事前承認を得ずに再委託されています。"
    assert html.count(explanation) == 1
    key = re.search(r'<dd id="(badge-\d+)">' + explanation, html).group(1)
    assert html.count(f'aria-describedby="{key}">無承認の再委託</span>') == 2


def test_tree_badges_by_its_query_are_the_badges_by_ids(app, factory, db_session):
    """The tree lets the badge providers select by its own conditions (the user's scope);
    they must find what they find for the same nodes given by id."""
    from portal.outsourcings.badges import badges_for
    from portal.outsourcings.tree import TreeFilter, build_tree

    officer = factory.user(Role.STAFF)
    vendor_a, vendor_b = factory.vendor("株式会社アルファ"), factory.vendor("株式会社ベータ")
    with app.app_context():
        root = make_root(db_session, officer, vendor_a)
        ops.record_subcontract_without_approval(
            session=db_session, actor=officer, parent=root, request=sub_request(vendor_b.id)
        )
        make_root(db_session, officer, vendor_b, task_name="別の委託")
        db_session.commit()
    b_user = factory.user(Role.VENDOR, vendor_id=vendor_b.id)
    with app.test_request_context():
        for user in (officer, b_user):
            tree = build_tree(session=db_session, user=user, tree_filter=TreeFilter())
            shown, stack = {}, list(tree.roots)
            while stack:
                item = stack.pop()
                stack.extend(item.children)
                shown[item.node.id] = item
            by_ids = badges_for(db_session, [item.node for item in shown.values()])
            assert {i: item.badges for i, item in shown.items()} == by_ids
            assert any(by_ids.values())
