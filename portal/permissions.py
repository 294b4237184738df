"""Roles and permissions, named in one place; which role holds which permission is granted
by the feature that owns the permission (``Features.grant`` in its ``register``).

Every view declares what it needs with ``@requires(Permission.X)`` (or ``@public``); the
authorization-matrix test walks the URL map and fails on a view that declares nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, has_app_context, redirect, request, url_for
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
    VIEW_PROVISIONS = "view_provisions"  # provisions to outside bodies in scope (no vendors)
    MANAGE_PROVISIONS = "manage_provisions"  # register provisions, record checks, follow up
    VIEW_DISPATCH = "view_dispatch"  # 労働者派遣契約 in scope (a 派遣元's users: their own)
    MANAGE_DISPATCH = "manage_dispatch"  # register and change the department's contracts
    SUBMIT_STRUCTURES = "submit_structures"  # the vendor submits its management structure
    VIEW_CHARTS = "view_charts"  # the dashboard's pictures, within scope (for the 会議)


#: Role groups the features grant their permissions to (``Features.grant``).
ALL_ROLES = frozenset(Role)
#: Everyone but the administrator reads the outsourcings in scope: the personal information
#: entrusted to contractors is none of the system administrator's business (see scope.py too).
READERS = frozenset({Role.CHIEF, Role.MANAGER, Role.STAFF, Role.AUDITOR, Role.VENDOR})
#: The officers of a department (取扱責任者/保護管理者 and their staff).
OFFICERS = frozenset({Role.MANAGER, Role.STAFF})

#: Where the app keeps its authorization matrix (role → permissions), which the installed
#: features assemble from their grants (portal/features.py); the core grants nothing itself.
ROLE_PERMISSIONS_KEY = "portal.role_permissions"

#: Roles that belong to the municipality's staff (as opposed to a vendor's users).
STAFF_ROLES = frozenset({Role.ADMIN, Role.CHIEF, Role.MANAGER, Role.STAFF, Role.AUDITOR})

#: Roles that must sign in with a second factor when the profile's [security] totp_required
#: is true: the officers and the administrator the regulation names, and the chief and the
#: auditor too, who read every outsourcing in scope (a second factor that guarded the officers
#: but not those who see more would guard little). Vendor users may enrol of their own accord.
TOTP_REQUIRED_ROLES = STAFF_ROLES


def has_permission(role: str | None, permission: Permission) -> bool:
    """Whether ``role`` grants ``permission`` in the current app's authorization matrix."""
    if not has_app_context():
        # The matrix is the installed features': there is none outside an app.
        raise RuntimeError("permissions are checked within an app context")
    matrix: dict[Role, frozenset[Permission]] = current_app.extensions[ROLE_PERMISSIONS_KEY]
    try:
        return permission in matrix[Role(role)]
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
