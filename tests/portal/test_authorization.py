"""The authorization matrix: every route, every role, the expected status.

A new route fails this test until it is added here, so no route ships without a decision
about who may use it.
"""

from __future__ import annotations

import pytest

from portal.permissions import Role
from portal_testing import csrf_token, sign_in

ANON = "anonymous"
ROLES = [ANON, *(role.value for role in Role)]


def only(allowed: set[str], ok: int = 200, anon: int = 302) -> dict[str, int]:
    """``ok`` for the allowed roles, 403 for the other roles, ``anon`` when signed out."""
    return {ANON: anon} | {r.value: (ok if r.value in allowed else 403) for r in Role}


def everyone(status: int, anon: int | None = None) -> dict[str, int]:
    return {ANON: status if anon is None else anon} | {r.value: status for r in Role}


SIGNED_IN = {r.value for r in Role}

# endpoint -> (method, path template, {role: expected status})
MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "static": ("GET", "/static/portal.css", everyone(200)),
    "main.dashboard": ("GET", "/", only(SIGNED_IN)),
    "main.healthz": ("GET", "/healthz", everyone(200)),
    "main.set_locale": ("POST", "/locale", everyone(302)),
    "auth.login": ("GET", "/auth/login", everyone(302, anon=200)),
    "auth.logout": ("POST", "/auth/logout", only(SIGNED_IN, ok=302)),
    "auth.password": ("GET", "/auth/password", only(SIGNED_IN)),
    "admin.users": ("GET", "/admin/users", only({"admin"})),
    "admin.user_new": ("GET", "/admin/users/new", only({"admin"})),
    "admin.user_edit": ("GET", "/admin/users/{user_id}", only({"admin"})),
    "admin.user_reset_password": ("POST", "/admin/users/{user_id}/reset-password", only({"admin"})),
    "admin.departments": ("GET", "/admin/departments", only({"admin"})),
    "admin.profile": ("GET", "/admin/profile", only({"admin", "chief", "auditor"})),
}


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = endpoints - MATRIX.keys()
    assert not missing, f"routes without an authorization decision: {sorted(missing)}"
    stale = MATRIX.keys() - endpoints
    assert not stale, f"matrix entries for routes that no longer exist: {sorted(stale)}"


def test_every_view_declares_its_permission(app):
    undeclared = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not hasattr(view, "required_permission")
    ]
    assert not undeclared, f"views without @requires or @public: {undeclared}"


CASES = [(endpoint, role) for endpoint in MATRIX for role in ROLES]


@pytest.mark.parametrize(("endpoint", "role"), CASES, ids=[f"{e}-{r}" for e, r in CASES])
def test_matrix(client, factory, endpoint, role):
    method, template, expected = MATRIX[endpoint]
    target = factory.user(Role.STAFF)
    token = csrf_token(client)
    if role != ANON:
        user = factory.user(role)
        assert sign_in(client, user.email).status_code == 302
        token = csrf_token(client, "/auth/password")
    path = template.format(user_id=target.id)
    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, data={"csrf_token": token})
    assert response.status_code == expected[role], (method, path, role)
