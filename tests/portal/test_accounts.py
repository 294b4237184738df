"""Accounts: the second factor (TOTP and recovery codes), a fresh sign-in before a role is
granted, the record of grants, and the last administrator."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlmodel import select

from portal.admin import operations as admin_ops
from portal.auth import totp
from portal.auth.models import AccountChange, AccountChangeKind, RecoveryCode
from portal.models import User, UserSession
from portal.permissions import Role
from portal.timeutil import utcnow
from portal_testing import csrf_token, sign_in

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
T0 = datetime(2026, 11, 24, 12, 0, 15, tzinfo=UTC)  # 15 s into its 30-second step


# --- the TOTP rules ---------------------------------------------------------------------


def test_a_current_code_is_accepted_and_names_its_step():
    code = pyotp.TOTP(SECRET).at(T0)
    assert totp.matching_step(SECRET, code, at=T0, after_step=None) == totp.time_step(T0)


def test_one_step_of_clock_drift_either_way_is_accepted():
    earlier = pyotp.TOTP(SECRET).at(T0 - timedelta(seconds=30))
    later = pyotp.TOTP(SECRET).at(T0 + timedelta(seconds=30))
    step = totp.time_step(T0)
    assert totp.matching_step(SECRET, earlier, at=T0, after_step=None) == step - 1
    assert totp.matching_step(SECRET, later, at=T0, after_step=None) == step + 1


def test_an_expired_code_is_refused():
    old = pyotp.TOTP(SECRET).at(T0 - timedelta(seconds=60))
    assert totp.matching_step(SECRET, old, at=T0, after_step=None) is None


def test_a_used_step_and_earlier_ones_are_refused():
    step = totp.time_step(T0)
    code = pyotp.TOTP(SECRET).at(T0)
    assert totp.matching_step(SECRET, code, at=T0, after_step=step) is None
    earlier = pyotp.TOTP(SECRET).at(T0 - timedelta(seconds=30))
    assert totp.matching_step(SECRET, earlier, at=T0, after_step=step - 1) is None
    later = pyotp.TOTP(SECRET).at(T0 + timedelta(seconds=30))
    assert totp.matching_step(SECRET, later, at=T0, after_step=step) == step + 1


@pytest.mark.parametrize("shape", ["{c}", " {c} ", "{c3} {c4}", "{wide}"])
def test_codes_are_read_as_people_type_them(shape):
    code = pyotp.TOTP(SECRET).at(T0)
    wide = code.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    typed = shape.format(c=code, c3=code[:3], c4=code[3:], wide=wide)
    assert totp.matching_step(SECRET, typed, at=T0, after_step=None) == totp.time_step(T0)


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "000000"])
def test_malformed_or_wrong_codes_are_refused(code):
    assert pyotp.TOTP(SECRET).at(T0) != "000000"
    assert totp.matching_step(SECRET, code, at=T0, after_step=None) is None


def test_secrets_are_sealed_per_user_and_keys_rotate():
    old_ring = totp.KeyRing.from_config(totp_keys="old:" + "A" * 43, secret_key="")
    sealed = old_ring.seal(SECRET, user_id=7)
    assert SECRET not in sealed and sealed.startswith("v1:old:")
    assert old_ring.open(sealed, user_id=7) == SECRET
    with pytest.raises(totp.TotpKeyError):
        old_ring.open(sealed, user_id=8)  # copied onto another account, it does not open
    rotated = totp.KeyRing.from_config(
        totp_keys="new:" + "B" * 43 + ",old:" + "A" * 43, secret_key=""
    )
    assert rotated.open(sealed, user_id=7) == SECRET and rotated.needs_reseal(sealed)
    resealed = rotated.seal(SECRET, user_id=7)
    assert resealed.startswith("v1:new:") and not rotated.needs_reseal(resealed)
    with pytest.raises(totp.TotpKeyError):
        totp.KeyRing.from_config(totp_keys="new:" + "B" * 43, secret_key="").open(sealed, user_id=7)


def test_without_a_totp_key_one_is_derived_from_the_secret_key():
    ring = totp.KeyRing.from_config(totp_keys="", secret_key="s" * 40)
    assert ring.current_key_id == totp.DERIVED_KEY_ID
    sealed = ring.seal(SECRET, user_id=1)
    again = totp.KeyRing.from_config(totp_keys="", secret_key="s" * 40)
    assert again.open(sealed, user_id=1) == SECRET
    other = totp.KeyRing.from_config(totp_keys="", secret_key="t" * 40)
    with pytest.raises(totp.TotpKeyError):
        other.open(sealed, user_id=1)


def test_recovery_codes_are_random_and_compared_as_typed():
    codes = totp.new_recovery_codes()
    assert len(set(codes)) == totp.RECOVERY_CODE_COUNT
    assert all(re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", code) for code in codes)
    code = codes[0]
    assert totp.hash_recovery_code(code.upper().replace("-", " ")) == totp.hash_recovery_code(code)
    assert totp.looks_like_recovery_code(code) and not totp.looks_like_recovery_code("123456")


# --- sign-in with the second factor -------------------------------------------------------


@pytest.fixture
def required(app):
    """The profile's requirement (both built-in profiles require the second factor)."""
    app.config["TOTP_REQUIRED"] = None
    assert app.extensions["portal.profile"].security["totp_required"] is True
    return app


def _enrol(client) -> tuple[str, list[str]]:
    """Go through enrolment in ``client``'s session; returns the secret and recovery codes."""
    html = client.get("/auth/totp").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in html
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    response = client.post(
        "/auth/totp",
        data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token(client, "/auth/totp")},
    )
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z2-9-]{19})</code>", response.get_data(as_text=True))
    assert len(codes) == totp.RECOVERY_CODE_COUNT
    return secret, codes


def _sign_out(client) -> None:
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/totp")})


def _second_factor(client, code: str):
    token = csrf_token(client, "/auth/second-factor")
    return client.post("/auth/second-factor", data={"code": code, "csrf_token": token})


def _next_code(secret: str) -> str:
    # The code of the next time-step: still inside the accepted window, and later than any
    # step used just before, so that a test need not wait 30 seconds.
    return pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30))


@pytest.mark.parametrize("role", [Role.ADMIN, Role.CHIEF, Role.MANAGER, Role.STAFF, Role.AUDITOR])
def test_required_roles_enrol_before_anything_else(client, factory, db_session, required, role):
    user = factory.user(role)
    response = sign_in(client, user.email)
    assert response.headers["Location"] == "/auth/totp"
    for path in ["/", "/auth/password", "/admin/users", "/outsourcings/tree"]:
        assert client.get(path).headers["Location"] == "/auth/totp", path
    _enrol(client)
    assert client.get("/").status_code == 200
    db_session.refresh(user)
    assert user.totp_enabled and user.totp_secret.startswith("v1:")
    change = db_session.exec(select(AccountChange).where(AccountChange.user_id == user.id)).one()
    assert change.kind == AccountChangeKind.TOTP_ENROLLED and change.actor_id == user.id


def test_vendor_users_are_not_forced_but_may_enrol(client, factory, required):
    user = factory.user(Role.VENDOR)
    assert sign_in(client, user.email).headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert "二要素認証" in client.get("/auth/totp").get_data(as_text=True)
    _enrol(client)
    _sign_out(client)
    assert sign_in(client, user.email).headers["Location"].startswith("/auth/second-factor")


def test_not_required_nobody_is_held_and_enrolment_is_voluntary(app, client, factory):
    assert app.config["TOTP_REQUIRED"] is False
    user = factory.user(Role.STAFF)
    assert sign_in(client, user.email).headers["Location"] == "/"
    assert client.get("/").status_code == 200
    secret, _ = _enrol(client)
    _sign_out(client)
    # Once enrolled, the code is asked for whether or not the profile requires it.
    response = sign_in(client, user.email)
    assert response.headers["Location"].startswith("/auth/second-factor")
    assert _second_factor(client, _next_code(secret)).headers["Location"] == "/"


def test_sign_in_asks_for_the_code_and_holds_every_page_until_given(client, factory, required):
    user = factory.user(Role.MANAGER)
    sign_in(client, user.email)
    secret, _ = _enrol(client)
    _sign_out(client)

    response = client.post(
        "/auth/login?next=/inspections/",
        data={
            "email": user.email,
            "password": "正しい馬の電池のホッチキス",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.headers["Location"] == "/auth/second-factor?next=/inspections/"
    held = client.get("/outsourcings/tree").headers["Location"]
    assert held.startswith("/auth/second-factor")
    assert client.get("/api/v1/me").status_code in {302, 401}  # the API wants a bearer token

    wrong = _second_factor(client, "000000" if _next_code(secret) != "000000" else "111111")
    assert wrong.status_code == 200
    assert "確認コードが正しくないか" in wrong.get_data(as_text=True)
    assert client.get("/").status_code == 302

    response = client.post(
        "/auth/second-factor?next=/inspections/",
        data={"code": _next_code(secret), "csrf_token": csrf_token(client, "/auth/second-factor")},
    )
    assert response.headers["Location"] == "/inspections/"
    assert client.get("/").status_code == 200


def test_a_code_is_accepted_once(client, factory, required):
    user = factory.user(Role.STAFF)
    sign_in(client, user.email)
    secret, _ = _enrol(client)
    _sign_out(client)
    code = _next_code(secret)
    sign_in(client, user.email)
    assert _second_factor(client, code).status_code == 302
    _sign_out(client)
    sign_in(client, user.email)
    replay = _second_factor(client, code)
    assert replay.status_code == 200 and "既に使われています" in replay.get_data(as_text=True)


def test_a_recovery_code_works_once(client, factory, db_session, required):
    user = factory.user(Role.STAFF)
    sign_in(client, user.email)
    _, codes = _enrol(client)
    _sign_out(client)
    sign_in(client, user.email)
    response = _second_factor(client, codes[3].upper())
    assert response.headers["Location"] == "/"
    assert "残り9個" in client.get("/").get_data(as_text=True)
    _sign_out(client)
    sign_in(client, user.email)
    assert _second_factor(client, codes[3]).status_code == 200
    used = db_session.exec(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_not(None)
        )
    ).all()
    assert len(used) == 1
    stored = {row.code_hash for row in db_session.exec(select(RecoveryCode)).all()}
    assert not stored & set(codes)  # only hashes are kept


def test_wrong_codes_are_throttled_like_passwords(app, client, factory, required):
    app.config["LOGIN_LIMITS_PER_ACCOUNT"] = "3 per 10 minutes"
    user = factory.user(Role.STAFF)
    sign_in(client, user.email)
    secret, _ = _enrol(client)
    _sign_out(client)
    sign_in(client, user.email)
    for wrong in ["000001", "000002", "000003"]:
        assert _second_factor(client, wrong).status_code == 200
    response = _second_factor(client, _next_code(secret))  # even the right code waits now
    assert response.status_code == 429


def test_second_factor_sign_ins_and_failures_go_to_the_access_log(client, factory, db_session):
    """The sign-in is recorded once the second factor is proved; a wrong code as denied."""
    from portal.audit.models import AccessEvent

    user = factory.user(Role.STAFF)
    sign_in(client, user.email)
    secret, _ = _enrol(client)
    _sign_out(client)
    sign_in(client, user.email)
    assert _second_factor(client, "000001").status_code == 200
    assert _second_factor(client, _next_code(secret)).status_code == 302
    rows = db_session.exec(
        select(AccessEvent).where(AccessEvent.actor_id == user.id).order_by(AccessEvent.seq)
    ).all()
    auth = [row for row in rows if row.action.startswith("auth.")]
    assert [(row.action, row.outcome) for row in auth[-2:]] == [
        ("auth.second_factor_failed", "denied"),
        ("auth.sign_in", "ok"),
    ]
    assert json.loads(auth[-1].detail)["second_factor"] is True


def test_a_password_change_keeps_the_second_factor_of_the_session(client, factory, required):
    user = factory.user(Role.STAFF, must_change_password=True)
    assert sign_in(client, user.email).headers["Location"] == "/auth/password"
    new = "あたらしいながいパスワードです"
    response = client.post(
        "/auth/password",
        data={
            "current_password": "正しい馬の電池のホッチキス",
            "new_password": new,
            "confirm_password": new,
            "csrf_token": csrf_token(client, "/auth/password"),
        },
    )
    assert response.headers["Location"] == "/auth/totp"  # then the enrolment
    secret, _ = _enrol(client)
    _sign_out(client)
    sign_in(client, user.email, new)
    _second_factor(client, _next_code(secret))
    # Changing the password again in a verified session keeps it verified.
    other = "もうひとつべつのながいパスワード"
    client.post(
        "/auth/password",
        data={
            "current_password": new,
            "new_password": other,
            "confirm_password": other,
            "csrf_token": csrf_token(client, "/auth/password"),
        },
    )
    assert client.get("/").status_code == 200


# --- a fresh sign-in before granting a role ------------------------------------------------


def _age_sessions(db_session, user: User, minutes: int = 10) -> None:
    rows = db_session.exec(select(UserSession).where(UserSession.user_id == user.id)).all()
    for row in rows:
        row.authenticated_at = utcnow() - timedelta(minutes=minutes)
        db_session.add(row)
    db_session.commit()


def _new_user_form(client, email: str, role: str = "auditor") -> dict[str, str]:
    return {
        "email": email,
        "name": "新規 さん",
        "role": role,
        "department_id": "",
        "vendor_id": "",
        "csrf_token": csrf_token(client, "/admin/users/new"),
    }


def test_a_fresh_sign_in_may_create_an_account_and_the_grant_is_recorded(client, login, db_session):
    admin = login(Role.ADMIN)
    response = client.post("/admin/users/new", data=_new_user_form(client, "new@test.example.jp"))
    assert response.status_code == 200 and "仮パスワード" in response.get_data(as_text=True)
    user = db_session.exec(select(User).where(User.email == "new@test.example.jp")).one()
    grant = db_session.exec(select(AccountChange).where(AccountChange.user_id == user.id)).one()
    assert (grant.kind, grant.actor_id, grant.old_role, grant.new_role) == (
        "role_granted",
        admin.id,
        None,
        "auditor",
    )
    assert grant.address == "127.0.0.1" and grant.created_at is not None


def test_a_stale_sign_in_is_asked_again_and_the_input_is_kept(client, login, db_session):
    admin = login(Role.ADMIN)
    _age_sessions(db_session, admin)
    response = client.post("/admin/users/new", data=_new_user_form(client, "kept@test.example.jp"))
    assert response.headers["Location"] == "/auth/reauthenticate?next=/admin/users/new"
    assert db_session.exec(select(User).where(User.email == "kept@test.example.jp")).first() is None

    page = client.get("/auth/reauthenticate?next=/admin/users/new").get_data(as_text=True)
    assert "本人確認" in page and 'name="code"' not in page  # not enrolled: the password only
    token = csrf_token(client, "/auth/reauthenticate")
    wrong = client.post(
        "/auth/reauthenticate?next=/admin/users/new",
        data={"password": "ちがうパスワードです", "csrf_token": token},
    )
    assert wrong.status_code == 200 and "パスワードが正しくありません" in wrong.get_data(
        as_text=True
    )
    right = client.post(
        "/auth/reauthenticate?next=/admin/users/new",
        data={"password": "正しい馬の電池のホッチキス", "csrf_token": token},
    )
    assert right.headers["Location"] == "/admin/users/new"
    form = client.get("/admin/users/new").get_data(as_text=True)
    assert 'value="kept@test.example.jp"' in form and "入力内容を復元しました" in form
    assert '<option selected value="auditor">' in form
    # Kept once: the next visit starts empty.
    assert "kept@test.example.jp" not in client.get("/admin/users/new").get_data(as_text=True)
    response = client.post("/admin/users/new", data=_new_user_form(client, "kept@test.example.jp"))
    assert response.status_code == 200
    assert db_session.exec(select(User).where(User.email == "kept@test.example.jp")).one()


def _edit_form(client, user: User, **changes: str) -> dict[str, str]:
    data = {
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "department_id": str(user.department_id or ""),
        "vendor_id": str(user.vendor_id or ""),
        "active": "y" if user.active else "",
        "csrf_token": csrf_token(client, f"/admin/users/{user.id}"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if not (k == "active" and v == "")}


def test_changing_a_role_needs_a_fresh_sign_in_and_is_recorded(client, login, factory, db_session):
    admin = login(Role.ADMIN)
    staff = factory.user(Role.STAFF)
    _age_sessions(db_session, admin)
    response = client.post(
        f"/admin/users/{staff.id}", data=_edit_form(client, staff, role="manager")
    )
    assert response.headers["Location"].startswith("/auth/reauthenticate")
    db_session.refresh(staff)
    assert staff.role == "staff"
    # Renaming (no grant) does not ask.
    response = client.post(f"/admin/users/{staff.id}", data=_edit_form(client, staff, name="改名"))
    assert response.headers["Location"] == "/admin/users"

    _age_sessions(db_session, admin, minutes=2)  # inside the 5 minutes
    response = client.post(
        f"/admin/users/{staff.id}", data=_edit_form(client, staff, role="manager")
    )
    assert response.headers["Location"] == "/admin/users"
    grant = db_session.exec(
        select(AccountChange).where(
            AccountChange.user_id == staff.id, AccountChange.kind == "role_granted"
        )
    ).one()
    assert (grant.old_role, grant.new_role, grant.actor_id) == ("staff", "manager", admin.id)
    page = client.get(f"/admin/users/{staff.id}").get_data(as_text=True)
    assert "権限の変更履歴" in page and admin.email in page


def test_stopping_an_account_needs_no_fresh_sign_in_but_reopening_does(
    client, login, factory, db_session
):
    admin = login(Role.ADMIN)
    staff = factory.user(Role.STAFF)
    _age_sessions(db_session, admin)
    response = client.post(f"/admin/users/{staff.id}", data=_edit_form(client, staff, active=""))
    assert response.headers["Location"] == "/admin/users"
    db_session.refresh(staff)
    assert not staff.active
    response = client.post(f"/admin/users/{staff.id}", data=_edit_form(client, staff, active="y"))
    assert response.headers["Location"].startswith("/auth/reauthenticate")
    kinds = db_session.exec(
        select(AccountChange.kind).where(AccountChange.user_id == staff.id)
    ).all()
    assert kinds == ["deactivated"]


def test_an_enrolled_admin_reauthenticates_with_a_code(client, factory, db_session, required):
    admin = factory.user(Role.ADMIN)
    sign_in(client, admin.email)
    secret, _ = _enrol(client)
    _age_sessions(db_session, admin)
    token = csrf_token(client, "/auth/reauthenticate")
    assert 'name="code"' in client.get("/auth/reauthenticate").get_data(as_text=True)
    no_code = client.post(
        "/auth/reauthenticate",
        data={"password": "正しい馬の電池のホッチキス", "csrf_token": token},
    )
    assert no_code.status_code == 200
    ok = client.post(
        "/auth/reauthenticate?next=/admin/users/new",
        data={
            "password": "正しい馬の電池のホッチキス",
            "code": _next_code(secret),
            "csrf_token": token,
        },
    )
    assert ok.headers["Location"] == "/admin/users/new"
    response = client.post("/admin/users/new", data=_new_user_form(client, "fresh@test.example.jp"))
    assert response.status_code == 200


# --- the last administrator, resets ---------------------------------------------------------


def test_the_last_active_admin_cannot_be_demoted_or_stopped(app_ctx, factory, db_session):
    only_admin = factory.user(Role.ADMIN)
    someone = factory.user(Role.CHIEF)  # e.g. a script acting through the operation
    for change in [{"role": "staff", "active": True}, {"role": "admin", "active": False}]:
        with pytest.raises(admin_ops.AccountError, match="最後の有効な管理者"):
            admin_ops.update_user(
                session=db_session,
                user=only_admin,
                actor=someone,
                name="",
                department_id=factory.department().id,
                vendor_id=None,
                **change,
            )
    factory.user(Role.ADMIN)  # with a second admin it may go
    admin_ops.update_user(
        session=db_session,
        user=only_admin,
        actor=someone,
        role="auditor",
        name="",
        department_id=None,
        vendor_id=None,
        active=True,
    )
    assert only_admin.role == "auditor"


def test_an_admin_cannot_remove_their_own_admin_rights(client, login):
    admin = login(Role.ADMIN)
    response = client.post(f"/admin/users/{admin.id}", data=_edit_form(client, admin, role="chief"))
    assert response.status_code == 200
    assert "自分自身の管理者権限を外したり" in response.get_data(as_text=True)


def test_an_admin_resets_a_lost_second_factor_and_it_is_recorded(
    app, client, factory, db_session, required
):
    staff = factory.user(Role.STAFF)
    staff_client = app.test_client()
    sign_in(staff_client, staff.email)
    _enrol(staff_client)

    admin = factory.user(Role.ADMIN)
    sign_in(client, admin.email)
    _enrol(client)
    page = client.get(f"/admin/users/{staff.id}").get_data(as_text=True)
    assert "二要素認証を解除する" in page
    token = csrf_token(client, f"/admin/users/{staff.id}")
    response = client.post(f"/admin/users/{staff.id}/reset-totp", data={"csrf_token": token})
    assert response.headers["Location"] == f"/admin/users/{staff.id}"
    db_session.refresh(staff)
    assert staff.totp_secret is None and not staff.totp_enabled
    assert not db_session.exec(select(RecoveryCode).where(RecoveryCode.user_id == staff.id)).all()
    reset = db_session.exec(
        select(AccountChange).where(
            AccountChange.user_id == staff.id, AccountChange.kind == "totp_reset"
        )
    ).one()
    assert reset.actor_id == admin.id
    # The staff member's session ended; the next sign-in enrols again.
    assert staff_client.get("/").headers["Location"].startswith("/auth/login")
    assert sign_in(staff_client, staff.email).headers["Location"] == "/auth/totp"

    # Their own second factor is not theirs to reset; a stale session is asked again first.
    own = client.post(f"/admin/users/{admin.id}/reset-totp", data={"csrf_token": token})
    assert own.status_code == 302
    assert "自分自身の二要素認証は再設定できません" in client.get(own.headers["Location"]).get_data(
        as_text=True
    )
    _age_sessions(db_session, admin)
    stale = client.post(f"/admin/users/{staff.id}/reset-totp", data={"csrf_token": token})
    # Back to the user's page afterwards (the reset itself is a POST, pressed again).
    assert stale.headers["Location"] == f"/auth/reauthenticate?next=/admin/users/{staff.id}"


def test_commands_and_demo_record_their_grants_without_an_actor(app_ctx, db_session):
    account = admin_ops.create_admin(session=db_session, email="first-admin@test.example.jp")
    grant = db_session.exec(
        select(AccountChange).where(AccountChange.user_id == account.user.id)
    ).one()
    assert grant.actor_id is None and grant.new_role == "admin"


def _enrolled(app, db_session, user: User) -> str:
    """Enrol ``user`` directly through the operations; returns the secret."""
    from portal.auth import operations as auth_ops

    keys = app.extensions["portal.totp_keys"]
    secret = auth_ops.pending_totp_secret(session=db_session, user=user, keys=keys)
    codes = auth_ops.complete_totp_enrolment(
        session=db_session, user=user, keys=keys, code=pyotp.TOTP(secret).now(), current=None
    )
    assert codes is not None
    db_session.commit()
    return secret


def test_the_command_line_resets_the_only_admins_second_factor(
    app, app_ctx, runner, factory, db_session
):
    admin = factory.user(Role.ADMIN)
    _enrolled(app, db_session, admin)
    result = runner.invoke(args=["users", "reset-totp", admin.email.upper()])
    assert result.exit_code == 0, result.output
    db_session.refresh(admin)
    assert not admin.totp_enabled
    kinds = db_session.exec(
        select(AccountChange.kind, AccountChange.actor_id).where(AccountChange.user_id == admin.id)
    ).all()
    assert ("totp_reset", None) in kinds
    assert runner.invoke(args=["users", "reset-totp", "nobody@x.jp"]).exit_code != 0


def test_rotating_the_totp_key_reseals_every_secret(app, app_ctx, runner, factory, db_session):
    user = factory.user(Role.STAFF)
    secret = _enrolled(app, db_session, user)
    assert user.totp_secret.startswith("v1:sk:")
    rotated = totp.KeyRing.from_config(
        totp_keys="k2026:" + "C" * 43, secret_key=app.config["SECRET_KEY"]
    )
    app.extensions["portal.totp_keys"] = rotated
    result = runner.invoke(args=["users", "reseal-totp"])
    assert result.exit_code == 0 and "resealed 1" in result.output
    db_session.refresh(user)
    assert user.totp_secret.startswith("v1:k2026:")
    assert rotated.open(user.totp_secret, user_id=user.id) == secret
    # Once resealed, the old key can go.
    only_new = totp.KeyRing.from_config(totp_keys="k2026:" + "C" * 43, secret_key="other " * 8)
    assert only_new.open(user.totp_secret, user_id=user.id) == secret


def test_the_profile_page_says_who_needs_a_second_factor(client, login, required):
    admin = login(Role.ADMIN)
    assert client.get("/").headers["Location"] == "/auth/totp"
    _enrol(client)
    html = client.get("/admin/profile").get_data(as_text=True)
    assert "二要素認証" in html and "必須（システム管理者、" in html
    assert "委託先担当者" not in html.split("二要素認証")[-1].split("</dd>")[0]
    assert admin.role == "admin"


def test_new_recovery_codes_replace_the_old_after_a_fresh_sign_in(
    client, factory, db_session, required
):
    user = factory.user(Role.STAFF)
    sign_in(client, user.email)
    _, old_codes = _enrol(client)
    token = csrf_token(client, "/auth/totp")
    assert "回復コードを作り直す" in client.get("/auth/totp").get_data(as_text=True)
    _age_sessions(db_session, user)
    stale = client.post("/auth/totp/recovery-codes", data={"csrf_token": token})
    assert stale.headers["Location"] == "/auth/reauthenticate?next=/auth/totp"
    _age_sessions(db_session, user, minutes=1)
    response = client.post("/auth/totp/recovery-codes", data={"csrf_token": token})
    new_codes = re.findall(r"<code>([a-z2-9-]{19})</code>", response.get_data(as_text=True))
    assert len(new_codes) == totp.RECOVERY_CODE_COUNT and not set(new_codes) & set(old_codes)
    _sign_out(client)
    sign_in(client, user.email)
    assert _second_factor(client, old_codes[0]).status_code == 200  # the old ones are void
    assert _second_factor(client, new_codes[0]).headers["Location"] == "/"
