"""Roles and permissions, named in one place.

Every view declares what it needs with ``@requires(Permission.X)`` (or ``@public``); the
authorization-matrix test walks the URL map and fails on a view that declares nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from flask import abort, redirect, request, url_for
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])


class Role(StrEnum):
    """Role identifiers used in data and APIs."""

    ADMIN = "admin"
    CHIEF = "chief"
    MANAGER = "manager"
    STAFF = "staff"
    AUDITOR = "auditor"
    VENDOR = "vendor"


class Permission(StrEnum):
    """Something a signed-in user may do."""

    VIEW_DASHBOARD = "view_dashboard"
    CHANGE_OWN_PASSWORD = "change_own_password"  # noqa: S105 - a permission name
    MANAGE_USERS = "manage_users"
    MANAGE_DEPARTMENTS = "manage_departments"
    VIEW_PROFILE_SETTINGS = "view_profile_settings"
    VIEW_OUTSOURCINGS = "view_outsourcings"  # within the user's scope (see outsourcings.scope)
    MANAGE_OUTSOURCINGS = "manage_outsourcings"  # register, activate, end, record subcontracts
    DECIDE_SUBCONTRACTS = "decide_subcontracts"  # approve or reject re-subcontracting
    REQUEST_SUBCONTRACT = "request_subcontract"  # a vendor asks to subcontract
    MANAGE_VENDORS = "manage_vendors"
    EXPORT_LEDGER = "export_ledger"
    IMPORT_LEDGER = "import_ledger"
    USE_API = "use_api"
    VIEW_INSPECTIONS = "view_inspections"  # within the user's scope (see outsourcings.scope)
    MANAGE_INSPECTIONS = "manage_inspections"  # plan, schedule, record, follow up
    ANSWER_CORRECTIVE_ACTIONS = "answer_corrective_actions"  # the inspected vendor answers
    UPLOAD_CONTRACTS = "upload_contracts"  # officers; vendors for the subcontracts they signed
    REVIEW_CONTRACTS = "review_contracts"  # confirm or override a clause check
    VIEW_REPORTS = "view_reports"  # periodic reports in scope (vendors: the nodes they hold)
    MANAGE_REPORTS = "manage_reports"  # set the frequency, accept or return, follow violations
    SUBMIT_REPORTS = "submit_reports"  # the vendor writes and submits its periodic reports
    VIEW_INCIDENTS = "view_incidents"  # within the user's scope (see outsourcings.scope)
    REPORT_INCIDENTS = "report_incidents"  # a vendor or an officer reports a leak
    MANAGE_INCIDENTS = "manage_incidents"  # Commission reports, measures, publication, close
    ESCALATE_INCIDENTS = "escalate_incidents"  # up the profile's chain, step by step
    VIEW_SHARED_MEASURES = "view_shared_measures"  # measures shared from incidents elsewhere
    VIEW_ACCESS_LOG = "view_access_log"  # read and analyse the access log (アクセス記録)
    SUBMIT_STRUCTURES = "submit_structures"  # the vendor submits its management structure


_EVERYONE = {
    Permission.VIEW_DASHBOARD,
    Permission.CHANGE_OWN_PASSWORD,
    Permission.VIEW_OUTSOURCINGS,
    Permission.USE_API,
    Permission.VIEW_INSPECTIONS,
    Permission.VIEW_REPORTS,
    Permission.VIEW_INCIDENTS,
}
_OFFICER = {
    Permission.MANAGE_OUTSOURCINGS,
    Permission.DECIDE_SUBCONTRACTS,
    Permission.MANAGE_VENDORS,
    Permission.EXPORT_LEDGER,
    Permission.IMPORT_LEDGER,
    Permission.MANAGE_INSPECTIONS,
    Permission.UPLOAD_CONTRACTS,
    Permission.REVIEW_CONTRACTS,
    Permission.MANAGE_REPORTS,
    Permission.REPORT_INCIDENTS,
    Permission.MANAGE_INCIDENTS,
    Permission.VIEW_SHARED_MEASURES,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    # Admin rights are the minimum the job needs: accounts, organisation and the profile. No
    # outsourcings, inspections, contracts or API: the personal information entrusted to
    # contractors is none of the system administrator's business (see scope.py too).
    Role.ADMIN: frozenset(
        {
            Permission.VIEW_DASHBOARD,
            Permission.CHANGE_OWN_PASSWORD,
            Permission.MANAGE_USERS,
            Permission.MANAGE_DEPARTMENTS,
            Permission.VIEW_PROFILE_SETTINGS,
        }
    ),
    # The chief escalates incidents up the chain (to 最高情報セキュリティ責任者 and 市長).
    Role.CHIEF: frozenset(
        _EVERYONE
        | {
            Permission.VIEW_PROFILE_SETTINGS,
            Permission.EXPORT_LEDGER,
            Permission.ESCALATE_INCIDENTS,
            Permission.VIEW_SHARED_MEASURES,
        }
    ),
    # The manager (取扱責任者/保護管理者) is the first step of the incident chain.
    Role.MANAGER: frozenset(_EVERYONE | _OFFICER | {Permission.ESCALATE_INCIDENTS}),
    Role.STAFF: frozenset(_EVERYONE | _OFFICER),
    # The auditor reads everything in scope and changes nothing. Only the auditor reads the
    # access log: the administrator's own actions are among those it records.
    Role.AUDITOR: frozenset(
        _EVERYONE
        | {
            Permission.VIEW_PROFILE_SETTINGS,
            Permission.EXPORT_LEDGER,
            Permission.VIEW_SHARED_MEASURES,
            Permission.VIEW_ACCESS_LOG,
        }
    ),
    Role.VENDOR: frozenset(
        _EVERYONE
        | {
            Permission.REQUEST_SUBCONTRACT,
            Permission.ANSWER_CORRECTIVE_ACTIONS,
            Permission.UPLOAD_CONTRACTS,
            Permission.SUBMIT_REPORTS,
            Permission.REPORT_INCIDENTS,
            Permission.SUBMIT_STRUCTURES,
        }
    ),
}

#: Roles that belong to the municipality's staff (as opposed to a vendor's users).
STAFF_ROLES = frozenset({Role.ADMIN, Role.CHIEF, Role.MANAGER, Role.STAFF, Role.AUDITOR})

#: Roles that must sign in with a second factor when the profile's [security] totp_required
#: is true: the officers and the administrator the regulation names, and the chief and the
#: auditor too, who read every outsourcing in scope (a second factor that guarded the officers
#: but not those who see more would guard little). Vendor users may enrol of their own accord.
TOTP_REQUIRED_ROLES = STAFF_ROLES


def has_permission(role: str | None, permission: Permission) -> bool:
    """Whether ``role`` grants ``permission``."""
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def requires(permission: Permission) -> Callable[[F], F]:
    """Declare the permission a view needs: 401/redirect when signed out, 403 when lacking."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                if _wants_json():
                    abort(401)
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if not current_user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        wrapper.required_permission = permission  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def public(view: F) -> F:
    """Declare a view open to everyone, signed in or not."""
    view.required_permission = None  # type: ignore[attr-defined]
    return view
