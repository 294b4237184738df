"""The read API: bearer tokens, scope, pagination, the tree, and the ``portal tokens`` CLI."""

from __future__ import annotations

import hashlib

import pytest
from chain_helpers import make_node
from sqlmodel import select

from portal.api.operations import create_token, revoke_token
from portal.models import ApiToken


def bearer(factory, user) -> dict[str, str]:
    secret = create_token(session=factory.session, user=user).secret
    factory.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def chains(factory):
    """Two departments; in A a chain root → sub → subsub plus a sibling sub; in B one root."""
    a, b = factory.department("市民課"), factory.department("税務課")
    prime, sub, subsub, sibling, other = (factory.vendor() for _ in range(5))
    root = make_node(factory, department_id=a.id, vendor=prime, task_name="住民票")
    child = make_node(factory, department_id=a.id, vendor=sub, parent=root)
    grandchild = make_node(factory, department_id=a.id, vendor=subsub, parent=child)
    sibling_node = make_node(factory, department_id=a.id, vendor=sibling, parent=root)
    b_root = make_node(factory, department_id=b.id, vendor=other)
    return {
        "a": a, "b": b, "root": root, "child": child, "grandchild": grandchild,
        "sibling": sibling_node, "b_root": b_root, "sub_vendor": sub,
    }  # fmt: skip


def ids(client, headers, url="/api/v1/outsourcings?limit=500") -> set[int]:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_json()
    return {item["id"] for item in response.get_json()["items"]}


def test_me_answers_who_the_token_belongs_to(client, factory):
    user = factory.user("vendor")
    response = client.get("/api/v1/me", headers=bearer(factory, user))
    assert response.status_code == 200
    body = response.get_json()
    assert (body["email"], body["role"], body["vendor_id"]) == (
        user.email,
        "vendor",
        user.vendor_id,
    )
    assert response.headers["Cache-Control"] == "no-store"


def test_tokens_are_stored_hashed_and_record_their_use(client, factory, db_session):
    user = factory.user("staff")
    issued = create_token(session=db_session, user=user, label="基幹系")
    db_session.commit()
    row = db_session.get(ApiToken, issued.token.id)
    assert row.token_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert issued.secret not in row.token_hash and row.last_used_at is None
    client.get("/api/v1/me", headers={"Authorization": f"Bearer {issued.secret}"})
    db_session.expire_all()
    assert db_session.get(ApiToken, issued.token.id).last_used_at is not None


@pytest.mark.parametrize(
    "header", [None, "Bearer", "Bearer itk_wrong", "Basic dXNlcjpwYXNz", "itk_no_scheme"]
)
def test_missing_or_bad_tokens_get_401_json_in_japanese(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/outsourcings", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    body = response.get_json()
    assert "トークン" in body["error"] and body["request_id"]


def test_a_revoked_token_is_refused(client, factory, db_session):
    user = factory.user("chief")
    headers = bearer(factory, user)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    token = db_session.exec(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    revoke_token(session=db_session, token_id=token.id)
    db_session.commit()
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401 and "失効" in response.get_json()["error"]


def test_an_inactive_user_is_refused(client, factory, db_session):
    user = factory.user("auditor")
    headers = bearer(factory, user)
    user.active = False
    db_session.add(user)
    db_session.commit()
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401 and "無効" in response.get_json()["error"]


def test_bearer_calls_need_no_csrf_token(client, factory):
    headers = bearer(factory, factory.user("staff"))
    # A POST is not allowed here, but it is refused as a method, not as a missing CSRF token.
    response = client.post("/api/v1/me", headers=headers)
    assert response.status_code == 405 and "error" in response.get_json()


def test_a_session_cookie_is_not_an_api_credential(client, login):
    login("chief")
    assert client.get("/api/v1/me").status_code == 401


def test_the_list_is_limited_to_the_callers_scope(client, factory, chains):
    c = chains
    staff_a = factory.user("staff", department_id=c["a"].id)
    staff_b = factory.user("staff", department_id=c["b"].id)
    vendor = factory.user("vendor", vendor_id=c["sub_vendor"].id)
    chief = factory.user("chief")
    chain_a = {c[k].id for k in ("root", "child", "grandchild", "sibling")}
    assert ids(client, bearer(factory, staff_a)) == chain_a
    assert ids(client, bearer(factory, staff_b)) == {c["b_root"].id}
    # The vendor sees its own node and below: not its contractor, not the sibling.
    assert ids(client, bearer(factory, vendor)) == {c["child"].id, c["grandchild"].id}
    assert ids(client, bearer(factory, chief)) >= chain_a | {c["b_root"].id}


def test_items_carry_the_documented_fields(client, factory, chains):
    staff = factory.user("staff", department_id=chains["a"].id)
    response = client.get("/api/v1/outsourcings", headers=bearer(factory, staff))
    items = {item["id"]: item for item in response.get_json()["items"]}
    item = items[chains["grandchild"].id]
    assert item["parent_id"] == chains["child"].id and item["tier"] == 3
    assert (item["status"], item["start_date"], item["end_date"]) == (
        "active",
        "2026-04-01",
        "2027-03-31",
    )
    assert item["department"] == {"id": chains["a"].id, "name": "市民課"}
    assert set(item["vendor"]) == {"id", "name", "corporate_number"}
    assert len(item["vendor"]["corporate_number"]) == 13


def test_pagination_follows_next_until_null(client, factory, chains):
    headers = bearer(factory, factory.user("staff", department_id=chains["a"].id))
    seen: list[int] = []
    url: str | None = "/api/v1/outsourcings?limit=3"
    pages = 0
    while url:
        body = client.get(url, headers=headers).get_json()
        assert len(body["items"]) <= 3
        seen += [item["id"] for item in body["items"]]
        url, pages = body["next"], pages + 1
    assert pages == 2 and seen == sorted(seen) and len(seen) == 4


def test_a_bad_limit_is_a_400_in_japanese(client, factory):
    headers = bearer(factory, factory.user("chief"))
    response = client.get("/api/v1/outsourcings?limit=abc", headers=headers)
    assert response.status_code == 400 and "limit" in response.get_json()["error"]
    assert client.get("/api/v1/outsourcings?limit=100000", headers=headers).status_code == 200


def test_detail_outside_the_scope_is_404_never_403(client, factory, chains):
    vendor = factory.user("vendor", vendor_id=chains["sub_vendor"].id)
    headers = bearer(factory, vendor)
    for key in ("root", "sibling", "b_root"):
        response = client.get(f"/api/v1/outsourcings/{chains[key].id}", headers=headers)
        assert response.status_code == 404 and response.get_json()["error"]
    body = client.get(f"/api/v1/outsourcings/{chains['child'].id}", headers=headers).get_json()
    assert body["id"] == chains["child"].id and body["personal_information"]["persons"] == 0


def test_the_tree_nests_the_visible_subtree(client, factory, chains):
    staff = factory.user("manager", department_id=chains["a"].id)
    root_id = chains["root"].id
    body = client.get(
        f"/api/v1/outsourcings/{root_id}/tree", headers=bearer(factory, staff)
    ).get_json()
    assert body["id"] == root_id
    assert [c["id"] for c in body["children"]] == [chains["child"].id, chains["sibling"].id]
    assert body["children"][0]["children"][0]["id"] == chains["grandchild"].id
    assert body["children"][0]["children"][0]["children"] == []

    vendor = factory.user("vendor", vendor_id=chains["sub_vendor"].id)
    headers = bearer(factory, vendor)
    assert client.get(f"/api/v1/outsourcings/{root_id}/tree", headers=headers).status_code == 404
    own = client.get(f"/api/v1/outsourcings/{chains['child'].id}/tree", headers=headers)
    assert [c["id"] for c in own.get_json()["children"]] == [chains["grandchild"].id]


def test_cli_creates_lists_and_revokes_tokens(runner, client, factory):
    user = factory.user("auditor")
    result = runner.invoke(args=["tokens", "create", "--user", user.email, "--label", "BI"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=headers).get_json()["email"] == user.email

    listed = runner.invoke(args=["tokens", "list", "--user", user.email])
    assert listed.exit_code == 0 and "active" in listed.output and "BI" in listed.output
    assert secret not in listed.output
    token_id = listed.output.split()[0]
    revoked = runner.invoke(args=["tokens", "revoke", token_id])
    assert revoked.exit_code == 0, revoked.output
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    again = runner.invoke(args=["tokens", "revoke", secret])
    assert again.exit_code != 0 and "既に失効" in again.output


def test_cli_refuses_an_unknown_user(runner):
    result = runner.invoke(args=["tokens", "create", "--user", "nobody@test.example.jp"])
    assert result.exit_code != 0 and "登録されていません" in result.output
