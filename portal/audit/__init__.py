"""アクセス記録: the tamper-evident access log and the bulk-download warning.

Public API (what other features call)::

    from portal import audit

    audit.record(
        "document.view",                 # action: "<object>.<verb>", see ACTIONS below
        object_type="contract_document",  # what was touched (None for sign-in and the like)
        object_id=document.id,            # its id (int or str)
        outcome="ok",                     # "ok" | "denied" | "failed"
        detail={"outsourcing_id": 12},    # any JSON-serializable facts worth keeping
        actor=None,                       # default: the API token's user, else current_user
        session=None,                     # outside a request: the unit of work (db.session)
    )

    audit.record_download(                # a download/export of documents or PI records:
        "ledger.export", object_type="ledger", records=len(rows)
    )                                     # also counts towards the bulk-download window

``record`` reads the actor, role, address (``request.remote_addr``) and request id
(``portal.security.request_id``, the one error pages show) from the request context; outside a
request (CLI, jobs) the address is ``cli`` and the actor is whoever is passed.

When it is written:
- a successful state change (POST …) is appended in the request's own transaction, so the
  event commits or rolls back together with the action it records;
- a read (GET), a denial or a failure is queued and appended once the request's transaction
  has ended, in a short transaction of its own (``write_pending``, called from the app's
  after-request commit): a 403 is kept although its request rolls back, and an ``ok`` read
  whose response turned out ≥ 400 is kept as ``failed``;
- outside a request it is appended to ``db.session`` and commits with the caller's unit of work.

Every event is one row of ``access_events``: seq, UTC time, actor, role, action, object,
outcome, address, request id, detail, prev_hash, hash = SHA-256(prev_hash, canonical fields).
The database refuses UPDATE and DELETE on it (triggers on SQLite and PostgreSQL);
``portal audit checkpoint`` signs the head with Ed25519 into a file outside the database and
``portal audit verify`` finds edited, deleted, reordered and truncated records.

Actions recorded so far (``ACTIONS``; add new ones here when hooking a feature)::

    auth.sign_in  auth.sign_in_failed  auth.second_factor_failed  auth.sign_out
    auth.session_expired
    access.denied (401/403)  scope.denied (404 for an object outside one's scope)
    outsourcing.view_pi  outsourcing.decide  outsourcing.activate
    document.view  document.page_view  document.download  document.upload
    document.confirm  document.override
    inspection.attachment_download  inspection.plan_accept
    ledger.export  ledger.import
    user.create  user.update (role change: detail.role_from/role_to)  user.reset_password
    user.reset_totp
    report.view  report.save_draft  report.submit  report.attachment_download
    report.accept  report.return
    incident.report  incident.view  incident.update_facts  incident.escalate
    incident.commission_report  incident.measures  incident.publication  incident.close
    document.reanalyse
    audit.view  audit.export  audit.report  bulk_download.warning
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import lazy_gettext as _l

from portal.audit.operations import DENIED, FAILED, OK, record, record_download
from portal.features import (
    ACCESS_DENIED,
    HOME_WIDGETS,
    MENU,
    REQUEST_ENDED,
    Features,
    HomeWidget,
    MenuItem,
)
from portal.permissions import Permission, Role

ACTIONS = (
    "auth.sign_in",
    "auth.sign_in_failed",
    "auth.second_factor_failed",
    "auth.sign_out",
    "auth.session_expired",
    "access.denied",
    "scope.denied",
    "outsourcing.view_pi",
    "outsourcing.decide",
    "outsourcing.activate",
    "document.view",
    "document.page_view",
    "document.download",
    "document.upload",
    "document.confirm",
    "document.override",
    "inspection.attachment_download",
    "inspection.plan_accept",
    "ledger.export",
    "ledger.import",
    "user.create",
    "user.update",
    "user.reset_password",
    "user.reset_totp",
    "report.view",
    "report.save_draft",
    "report.submit",
    "report.attachment_download",
    "report.accept",
    "report.return",
    "incident.report",
    "incident.view",
    "incident.update_facts",
    "incident.escalate",
    "incident.commission_report",
    "incident.measures",
    "incident.publication",
    "incident.close",
    "document.reanalyse",
    "audit.view",
    "audit.export",
    "audit.report",
    "bulk_download.warning",
)

__all__ = ["ACTIONS", "DENIED", "FAILED", "OK", "record", "record_download", "register"]


def _record_denial(code: int) -> None:
    record(
        "access.denied",
        object_type="endpoint",
        object_id=request.endpoint or "",
        outcome=DENIED,
        detail={"status": code, "method": request.method, "path": request.path[:500]},
    )


def register(app: Flask, features: Features) -> None:
    """Record every refusal and every request; add the access-log pages, jobs and commands."""
    from portal.audit import cli, jobs, queries, views
    from portal.audit.operations import write_pending

    features.add_blueprint(views.bp)
    features.add_jobs(jobs)
    features.add_commands(cli.audit_group)
    features.add(ACCESS_DENIED, _record_denial)
    # Reads, denials and failures go to the access log in a transaction of their own.
    features.add(REQUEST_ENDED, write_pending)
    features.add(
        HOME_WIDGETS,
        HomeWidget(
            "bulk_notices",
            lambda session, user: queries.bulk_notices_for(session=session, manager=user),
        ),
    )
    features.add(MENU, MenuItem("audit.index", _l("アクセス記録"), Permission.VIEW_ACCESS_LOG, 120))
    # Only the auditor reads the access log: the administrator's own actions are among those
    # it records.
    features.grant(Permission.VIEW_ACCESS_LOG, [Role.AUDITOR])
