"""The authorization matrix: every route, every role, the expected status.

A new route fails this test until it is added here, so no route ships without a decision
about who may use it.
"""

from __future__ import annotations

import pytest

from portal.api.operations import create_token
from portal.models import Outsourcing
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
# Everybody but the system administrator, whose role stops at accounts and organisation and
# never reaches outsourcings, inspections, contracts or the API (portal/permissions.py).
CASE_READERS = SIGNED_IN - {"admin"}
OFFICERS = {"manager", "staff"}
LEDGER_READERS = {"chief", "manager", "staff", "auditor"}

# Provisions to outside bodies are the municipality's own acts: no vendor sees them.
PROVISION_READERS = {"chief", "manager", "staff", "auditor"}

# endpoint -> (method, path template, {role: expected status})
MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "static": ("GET", "/static/portal.css", everyone(200)),
    "main.dashboard": ("GET", "/", only(SIGNED_IN)),
    # The dashboard's pictures: officers and the readers of the whole municipality, in scope.
    "charts.index": ("GET", "/charts/", only(LEDGER_READERS)),
    "charts.chart": ("GET", "/charts/inspections.svg", only(LEDGER_READERS)),
    "charts.export": ("GET", "/charts/export.xlsx", only(LEDGER_READERS)),
    "main.healthz": ("GET", "/healthz", everyone(200)),
    "main.set_locale": ("POST", "/locale", everyone(302)),
    "auth.login": ("GET", "/auth/login", everyone(302, anon=200)),
    "auth.logout": ("POST", "/auth/logout", only(SIGNED_IN, ok=302)),
    "auth.password": ("GET", "/auth/password", only(SIGNED_IN)),
    # The second step of a sign-in: a session that needs none (the matrix signs in without a
    # second factor) is sent on to the start page.
    "auth.second_factor": ("GET", "/auth/second-factor", only(SIGNED_IN, ok=302)),
    "auth.totp_enrol": ("GET", "/auth/totp", only(SIGNED_IN)),
    "auth.reauthenticate": ("GET", "/auth/reauthenticate", only(SIGNED_IN)),
    # Not enrolled (the matrix signs in with a password): sent to the enrolment.
    "auth.recovery_codes": ("POST", "/auth/totp/recovery-codes", only(SIGNED_IN, ok=302)),
    "admin.users": ("GET", "/admin/users", only({"admin"})),
    "admin.user_new": ("GET", "/admin/users/new", only({"admin"})),
    "admin.user_edit": ("GET", "/admin/users/{user_id}", only({"admin"})),
    "admin.user_reset_password": ("POST", "/admin/users/{user_id}/reset-password", only({"admin"})),
    "admin.user_reset_totp": ("POST", "/admin/users/{user_id}/reset-totp", only({"admin"}, ok=302)),
    "admin.departments": ("GET", "/admin/departments", only({"admin"})),
    "admin.profile": ("GET", "/admin/profile", only({"admin", "chief", "auditor"})),
    # The access log is the auditor's alone (the administrator's own actions are in it).
    "audit.index": ("GET", "/audit/", only({"auditor"})),
    "audit.export": ("GET", "/audit/export.csv", only({"auditor"})),
    "audit.report": ("GET", "/audit/report", only({"auditor"})),
    # The outsourcing used below is one the signed-in user may see: in the officer's own
    # department, held by the vendor user's vendor (see ``_outsourcing_for``).
    "outsourcings.tree": ("GET", "/outsourcings/tree", only(CASE_READERS)),
    "outsourcings.requests": ("GET", "/outsourcings/requests", only(OFFICERS)),
    "outsourcings.new": ("GET", "/outsourcings/new", only(OFFICERS)),
    "outsourcings.detail": ("GET", "/outsourcings/{outsourcing_id}", only(CASE_READERS)),
    "outsourcings.request_subcontract": (
        "GET",
        "/outsourcings/{outsourcing_id}/subcontract",
        only({"vendor"}),
    ),
    "outsourcings.decide": (
        "POST",
        "/outsourcings/{outsourcing_id}/decide",
        only(OFFICERS, ok=302),
    ),
    "outsourcings.activate": (
        "POST",
        "/outsourcings/{outsourcing_id}/activate",
        only(OFFICERS, ok=302),
    ),
    "outsourcings.end": ("POST", "/outsourcings/{outsourcing_id}/end", only(OFFICERS, ok=302)),
    "outsourcings.vendors": ("GET", "/outsourcings/vendors", only(OFFICERS)),
    "outsourcings.vendor_edit": ("GET", "/outsourcings/vendors/{vendor_id}", only(OFFICERS)),
    # The inspection and corrective action below belong to that outsourcing.
    "inspections.index": ("GET", "/inspections/", only(CASE_READERS)),
    "inspections.calendar_feed": ("GET", "/inspections/calendar", only(CASE_READERS)),
    # The feed's token is its credential: an unknown token is a 404 for everyone.
    "inspections.calendar_ics": ("GET", "/inspections/calendar/not-a-token.ics", everyone(404)),
    "inspections.plan": ("POST", "/inspections/plan", only(OFFICERS, ok=302)),
    "inspections.accept_plan": ("POST", "/inspections/plan/accept", only(OFFICERS, ok=302)),
    "inspections.detail": ("GET", "/inspections/{inspection_id}", only(CASE_READERS)),
    "inspections.attach": (
        "POST",
        "/inspections/{inspection_id}/attachments",
        only(OFFICERS, ok=302),
    ),
    "inspections.download_attachment": (
        "GET",
        "/inspections/attachments/0",
        only(CASE_READERS, ok=404),
    ),
    "inspections.sheet": ("GET", "/inspections/{inspection_id}/sheet", only(CASE_READERS)),
    "inspections.record": ("GET", "/inspections/{inspection_id}/record", only(OFFICERS)),
    "inspections.schedule": (
        "POST",
        "/inspections/{inspection_id}/schedule",
        only(OFFICERS, ok=302),
    ),
    "inspections.answer": (
        "POST",
        "/inspections/actions/{action_id}/answer",
        only({"vendor"}, ok=302),
    ),
    "inspections.follow_up": (
        "POST",
        "/inspections/actions/{action_id}/follow-up",
        only(OFFICERS, ok=302),
    ),
    # Periodic reports: the report below is owed on that outsourcing (the vendor user holds
    # it), and the violation was raised by it. Vendors see only reports of nodes they hold.
    # Provisions: the one below belongs to the officer's department (chief and auditor read
    # every department's); the pseudonymisation page is the outsourcing's owning department's.
    "provisions.index": ("GET", "/provisions/", only(PROVISION_READERS)),
    "provisions.new": ("GET", "/provisions/new", only(OFFICERS)),
    "provisions.detail": ("GET", "/provisions/{provision_id}", only(PROVISION_READERS)),
    "provisions.edit": ("GET", "/provisions/{provision_id}/edit", only(OFFICERS)),
    "provisions.end": ("POST", "/provisions/{provision_id}/end", only(OFFICERS, ok=302)),
    # 302: the empty upload goes back to the provision with its error.
    "provisions.upload_document": (
        "POST",
        "/provisions/{provision_id}/documents",
        only(OFFICERS, ok=302),
    ),
    "provisions.attach": (
        "POST",
        "/provisions/{provision_id}/attachments",
        only(OFFICERS, ok=302),
    ),
    "provisions.download_attachment": (
        "GET",
        "/provisions/attachments/0",
        only(PROVISION_READERS, ok=404),
    ),
    # 200: the empty check comes back with its errors.
    "provisions.record_check": ("POST", "/provisions/{provision_id}/checks", only(OFFICERS)),
    "provisions.close_improvement": (
        "POST",
        "/provisions/improvements/0/close",
        only(OFFICERS, ok=404),
    ),
    "provisions.outsourcing_pseudonymisation": (
        "GET",
        "/provisions/outsourcings/{outsourcing_id}/pseudonymisation",
        only(OFFICERS),
    ),
    "reports.index": ("GET", "/reports/", only(CASE_READERS)),
    "reports.detail": ("GET", "/reports/{report_id}", only(CASE_READERS)),
    "reports.edit": ("GET", "/reports/{report_id}/edit", only({"vendor"})),
    "reports.attach": ("POST", "/reports/{report_id}/attachments", only({"vendor"}, ok=302)),
    "reports.download_attachment": ("GET", "/reports/attachments/0", only(CASE_READERS, ok=404)),
    "reports.review": ("POST", "/reports/{report_id}/review", only(OFFICERS, ok=302)),
    "reports.node_reports": ("GET", "/reports/outsourcings/{outsourcing_id}", only(CASE_READERS)),
    "reports.set_frequency": (
        "POST",
        "/reports/outsourcings/{outsourcing_id}/frequency",
        only(OFFICERS, ok=302),
    ),
    "reports.resolve_violation": (
        "POST",
        "/reports/violations/{violation_id}/resolve",
        only(OFFICERS, ok=302),
    ),
    "reports.record_violation": (
        "POST",
        "/reports/violations/{violation_id}/record",
        only(OFFICERS, ok=302),
    ),
    # Management structures: the version below is owed (editable) on that outsourcing.
    "structures.index": ("GET", "/structures/", only(CASE_READERS)),
    "structures.node_structures": (
        "GET",
        "/structures/outsourcings/{outsourcing_id}",
        only(CASE_READERS),
    ),
    "structures.detail": ("GET", "/structures/{structure_id}", only(CASE_READERS)),
    "structures.edit": ("GET", "/structures/{structure_id}/edit", only({"vendor"})),
    "structures.review": ("POST", "/structures/{structure_id}/review", only(OFFICERS, ok=302)),
    "structures.revise": (
        "POST",
        "/structures/outsourcings/{outsourcing_id}/revise",
        only({"vendor"}, ok=302),
    ),
    "structures.attach": (
        "POST",
        "/structures/{structure_id}/attachments",
        only({"vendor"}, ok=302),
    ),
    "structures.download_attachment": (
        "GET",
        "/structures/attachments/0",
        only(CASE_READERS, ok=404),
    ),
    # Incidents: the incident below is an open one at that outsourcing, at the first step of
    # the chain, so only the owning department's manager may escalate it; empty posts are
    # sent back with a message (302).
    "incidents.index": ("GET", "/incidents/", only(CASE_READERS)),
    "incidents.new": ("GET", "/incidents/new", only(OFFICERS | {"vendor"})),
    "incidents.shared": ("GET", "/incidents/measures", only(SIGNED_IN - {"admin", "vendor"})),
    "incidents.detail": ("GET", "/incidents/{incident_id}", only(CASE_READERS)),
    "incidents.timeline": ("GET", "/incidents/{incident_id}/timeline", only(CASE_READERS)),
    "incidents.facts": ("POST", "/incidents/{incident_id}/facts", only(OFFICERS, ok=302)),
    "incidents.escalate": ("POST", "/incidents/{incident_id}/escalate", only({"manager"}, ok=302)),
    "incidents.commission": (
        "POST",
        "/incidents/{incident_id}/commission",
        only(OFFICERS, ok=302),
    ),
    "incidents.measures": ("POST", "/incidents/{incident_id}/measures", only(OFFICERS, ok=302)),
    "incidents.publication": (
        "POST",
        "/incidents/{incident_id}/publication",
        only(OFFICERS, ok=302),
    ),
    "incidents.close": ("POST", "/incidents/{incident_id}/close", only(OFFICERS, ok=302)),
    # Contract review: the document below is a version of that outsourcing's contract. The
    # vendor user holds the outsourcing itself, so it may not upload the municipality's
    # contract (only the subcontracts it signs); officers' empty posts are sent back (302).
    "reviews.documents": ("GET", "/outsourcings/{outsourcing_id}/documents", only(CASE_READERS)),
    "reviews.upload": (
        "POST",
        "/outsourcings/{outsourcing_id}/documents",
        only(OFFICERS, ok=302),
    ),
    "reviews.document": ("GET", "/documents/{document_id}", only(CASE_READERS)),
    "reviews.progress": ("GET", "/documents/{document_id}/progress.json", only(CASE_READERS)),
    "reviews.download": ("GET", "/documents/{document_id}/download", only(CASE_READERS)),
    "reviews.review_clause": (
        "POST",
        "/documents/{document_id}/clauses/security",
        only(OFFICERS, ok=302),
    ),
    "reviews.page": ("GET", "/documents/{document_id}/pages/1", only(CASE_READERS)),
    "reviews.page_image": ("GET", "/documents/{document_id}/pages/1.png", only(CASE_READERS)),
    "reviews.reanalyse": (
        "POST",
        "/documents/{document_id}/reanalyse",
        only(OFFICERS, ok=302),
    ),
    # Selection: the vendor below is that outsourcing's; a vendor user sees and changes only
    # its own vendor's certifications (officers change any, chief and auditor read); empty
    # posts are sent back with a message (200 or 302). The municipality's root is answered
    # by its department, not by the vendor that holds it.
    "selection.index": ("GET", "/selection/", only(CASE_READERS)),
    "selection.vendor": ("GET", "/selection/vendors/{vendor_id}", only(CASE_READERS)),
    "selection.add_certification": (
        "POST",
        "/selection/vendors/{vendor_id}/certifications",
        only(OFFICERS | {"vendor"}),
    ),
    "selection.attach": (
        "POST",
        "/selection/certifications/{certification_id}/evidence",
        only(OFFICERS | {"vendor"}, ok=302),
    ),
    # Editing: a form for those who change the vendor's certifications (chief and auditor read).
    "selection.edit_certification": (
        "GET",
        "/selection/certifications/{certification_id}/edit",
        only(OFFICERS | {"vendor"}),
    ),
    "selection.withdraw": (
        "POST",
        "/selection/certifications/{certification_id}/withdraw",
        only(OFFICERS | {"vendor"}, ok=302),
    ),
    "selection.download_attachment": (
        "GET",
        "/selection/attachments/0",
        only(CASE_READERS, ok=404),
    ),
    "selection.node": ("GET", "/selection/outsourcings/{outsourcing_id}", only(CASE_READERS)),
    "ledger.index": ("GET", "/ledger/", only(LEDGER_READERS)),
    "ledger.export": ("GET", "/ledger/export.xlsx", only(LEDGER_READERS)),
    "ledger.import_file": ("GET", "/ledger/import", only(OFFICERS)),
    "ledger.import_template": ("GET", "/ledger/import/template.xlsx", only(OFFICERS)),
    # API endpoints are called with a bearer token of the role (see ``test_matrix``).
    "api.me": ("GET", "/api/v1/me", only(CASE_READERS, anon=401)),
    "api.outsourcings": ("GET", "/api/v1/outsourcings", only(CASE_READERS, anon=401)),
    "api.inspections": ("GET", "/api/v1/inspections", only(CASE_READERS, anon=401)),
    "api.outsourcing": (
        "GET",
        "/api/v1/outsourcings/{outsourcing_id}",
        only(CASE_READERS, anon=401),
    ),
    "api.reports": ("GET", "/api/v1/reports", only(CASE_READERS, anon=401)),
    "api.provisions": ("GET", "/api/v1/provisions", only(PROVISION_READERS, anon=401)),
    "api.incidents": ("GET", "/api/v1/incidents", only(CASE_READERS, anon=401)),
    "api.structures": ("GET", "/api/v1/structures", only(CASE_READERS, anon=401)),
    "api.certifications": ("GET", "/api/v1/certifications", only(CASE_READERS, anon=401)),
    "api.selections": ("GET", "/api/v1/selections", only(CASE_READERS, anon=401)),
    "api.upload_document": (
        "POST",
        "/api/v1/outsourcings/{outsourcing_id}/documents",
        only(OFFICERS, ok=400, anon=401),  # 400: the post carries no file
    ),
    "api.document": ("GET", "/api/v1/documents/{document_id}", only(CASE_READERS, anon=401)),
    "api.outsourcing_tree": (
        "GET",
        "/api/v1/outsourcings/{outsourcing_id}/tree",
        only(CASE_READERS, anon=401),
    ),
    # Worker dispatch contracts: the one below is in the officer's department and the vendor
    # user's vendor is its 派遣元 (see ``_dispatch_for``); vendors read and upload, officers change.
    "dispatch.index": ("GET", "/dispatch/", only(CASE_READERS)),
    "dispatch.new": ("GET", "/dispatch/new", only(OFFICERS)),
    "dispatch.detail": ("GET", "/dispatch/{dispatch_id}", only(CASE_READERS)),
    "dispatch.edit": ("GET", "/dispatch/{dispatch_id}/edit", only(OFFICERS)),
    # 302: the post carries no file (back to the contract with a message). The 派遣元's users
    # upload their own contract (another vendor's: see the test below the matrix).
    "dispatch.upload": (
        "POST",
        "/dispatch/{dispatch_id}/documents",
        only(OFFICERS | {"vendor"}, ok=302),
    ),
    "api.dispatch_contracts": ("GET", "/api/v1/dispatch-contracts", only(CASE_READERS, anon=401)),
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


def _outsourcing_for(factory, role: str) -> Outsourcing:
    """A root the signed-in user may see (and act on, where its role allows)."""
    from datetime import date

    user = factory.last_user if role != ANON else None
    department_id = user.department_id if user is not None and user.department_id else None
    vendor_id = user.vendor_id if user is not None and user.vendor_id else None
    node = Outsourcing(
        task_name="権限確認用の委託",
        department_id=department_id or factory.department().id,
        vendor_id=vendor_id or factory.vendor().id,
        start_date=date(2026, 4, 1),
        end_date=date(2027, 3, 31),
        status="active",
    )
    factory.session.add(node)
    factory.session.flush()
    node.root_id, node.path = node.id, f"/{node.id}/"
    factory.session.commit()
    return node


def _inspection_for(factory, node: Outsourcing) -> tuple[int, int]:
    """An open inspection of ``node`` and a corrective action on it: (inspection, action) ids."""
    from datetime import date

    from portal.inspections.models import CorrectiveAction, Inspection, InspectionFinding

    inspection = Inspection(outsourcing_id=node.id, due_date=date(2027, 3, 31))
    factory.session.add(inspection)
    factory.session.flush()
    finding = InspectionFinding(inspection_id=inspection.id, description="権限確認用の指摘")
    factory.session.add(finding)
    factory.session.flush()
    action = CorrectiveAction(
        finding_id=finding.id,
        outsourcing_id=node.id,
        description="権限確認用の是正措置",
        due_date=date(2027, 1, 31),
    )
    factory.session.add(action)
    factory.session.commit()
    return inspection.id, action.id


def _report_for(factory, node: Outsourcing) -> tuple[int, int]:
    """A report owed on ``node`` and a violation it raised: (report, violation) ids."""
    from datetime import date

    from portal.reports.models import ComplianceReport, SubcontractViolation

    report = ComplianceReport(
        outsourcing_id=node.id,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30),
        due_date=date(2026, 7, 14),
    )
    factory.session.add(report)
    factory.session.flush()
    violation = SubcontractViolation(
        outsourcing_id=node.id,
        report_id=report.id,
        name="権限確認用の再委託先",
        corporate_number=factory.vendor().corporate_number,
    )
    factory.session.add(violation)
    factory.session.commit()
    return report.id, violation.id


def _structure_for(factory, node: Outsourcing) -> int:
    """A management structure owed on ``node`` (the vendor may still edit it)."""
    from datetime import date

    from portal.structures.models import ManagementStructure

    structure = ManagementStructure(outsourcing_id=node.id, due_date=date(2027, 1, 31))
    factory.session.add(structure)
    factory.session.commit()
    return structure.id


def _incident_for(factory, node: Outsourcing) -> int:
    """An open incident at ``node`` (reported today, no Commission report needed)."""
    from datetime import date

    from portal.incidents.models import Incident

    incident = Incident(
        outsourcing_id=node.id,
        summary="権限確認用の事案",
        discovered_on=date(2026, 11, 1),
        aware_on=date(2026, 11, 1),
        persons=3,
    )
    factory.session.add(incident)
    factory.session.commit()
    return incident.id


def _provision_for(factory, node: Outsourcing) -> int:
    """A provision by the department that owns ``node`` (the officer's own)."""
    from datetime import date

    from portal.provisions.models import Provision

    provision = Provision(
        department_id=node.department_id,
        recipient_name="権限確認用の提供先",
        information_name="権限確認用の情報",
        purpose="目的",
        legal_basis="法令",
        record_scope="氏名",
        usage_form="紙",
        start_date=date(2026, 4, 1),
        safety_measures=["secrecy"],
        pseudonymisation="removed",
    )
    factory.session.add(provision)
    factory.session.commit()
    return provision.id


def _certification_for(factory, node: Outsourcing) -> int:
    """A certification of ``node``'s vendor."""
    from datetime import date

    from portal.selection.models import Certification

    certification = Certification(
        vendor_id=node.vendor_id,
        cert_type="pmark",
        number=f"matrix-{node.id}",
        issued_on=date(2026, 4, 1),
        expires_on=date(2028, 3, 31),
    )
    factory.session.add(certification)
    factory.session.commit()
    return certification.id


def _document_for(client, factory, node: Outsourcing) -> int:
    """An analysed contract of ``node`` with its file in the app's storage."""
    import io

    from portal.reviews.models import ContractDocument, DocumentPage

    storage = client.application.extensions["portal.storage"]
    stored = storage.put(f"documents/matrix-{node.id}.pdf", io.BytesIO(b"%PDF-1.7 matrix"))
    document = ContractDocument(
        outsourcing_id=node.id,
        filename="権限確認用.pdf",
        storage_key=f"documents/matrix-{node.id}.pdf",
        sha256=stored.sha256,
        size=stored.size,
        status="done",
        report={"clauses": [{"id": "security", "status": "weak", "evidence": [], "notes": []}]},
        statuses={"security": "weak"},
    )
    factory.session.add(document)
    factory.session.flush()
    page_key = f"documents/matrix-{node.id}/page-1.png"
    png = storage.put(page_key, io.BytesIO(b"\x89PNG\r\n\x1a\n matrix"))
    factory.session.add(
        DocumentPage(
            document_id=document.id,
            number=1,
            storage_key=page_key,
            width=10,
            height=14,
            size=png.size,
            highlights={},
        )
    )
    factory.session.commit()
    return document.id


def _dispatch_for(factory, node: Outsourcing) -> int:
    """A dispatch contract of ``node``'s department whose 派遣元 is ``node``'s vendor."""
    from datetime import date

    from portal.dispatch.models import DispatchContract

    contract = DispatchContract(
        contract_number=f"権限確認-{node.id}",
        department_id=node.department_id,
        vendor_id=node.vendor_id,
        work="窓口受付",
        period_start=date(2026, 4, 1),
        period_end=date(2027, 3, 31),
        workers=2,
    )
    factory.session.add(contract)
    factory.session.commit()
    return contract.id


CASES = [(endpoint, role) for endpoint in MATRIX for role in ROLES]


@pytest.mark.parametrize(("endpoint", "role"), CASES, ids=[f"{e}-{r}" for e, r in CASES])
def test_matrix(client, factory, endpoint, role):
    method, template, expected = MATRIX[endpoint]
    target = factory.user(Role.STAFF)
    token = csrf_token(client)
    headers: dict[str, str] = {}
    if role != ANON:
        user = factory.user(role)
        if endpoint.startswith("api."):
            secret = create_token(session=factory.session, user=user).secret
            factory.session.commit()
            headers["Authorization"] = f"Bearer {secret}"
        else:
            assert sign_in(client, user.email).status_code == 302
            token = csrf_token(client, "/auth/password")
    node = _outsourcing_for(factory, role)
    inspection_id, action_id = _inspection_for(factory, node) if "_id}" in template else (0, 0)
    document_id = _document_for(client, factory, node) if "{document_id}" in template else 0
    report_id, violation_id = _report_for(factory, node) if "/reports/" in template else (0, 0)
    incident_id = _incident_for(factory, node) if "{incident_id}" in template else 0
    provision_id = _provision_for(factory, node) if "{provision_id}" in template else 0
    dispatch_id = _dispatch_for(factory, node) if "{dispatch_id}" in template else 0
    structure_id = _structure_for(factory, node) if "{structure_id}" in template else 0
    certification_id = _certification_for(factory, node) if "{certification_id}" in template else 0
    path = template.format(
        user_id=target.id,
        outsourcing_id=node.id,
        vendor_id=node.vendor_id,
        inspection_id=inspection_id,
        action_id=action_id,
        document_id=document_id,
        report_id=report_id,
        violation_id=violation_id,
        incident_id=incident_id,
        provision_id=provision_id,
        dispatch_id=dispatch_id,
        structure_id=structure_id,
        certification_id=certification_id,
    )
    if method == "GET":
        response = client.get(path, headers=headers)
    else:
        response = client.post(path, data={"csrf_token": token}, headers=headers)
    assert response.status_code == expected[role], (method, path, role)


@pytest.mark.parametrize(
    ("who", "expected", "stored"),
    [
        ("its-vendor", 302, 1),
        ("another-vendor", 404, 0),
        ("staff-of-another-department", 404, 0),
    ],
)
def test_dispatch_upload_by_the_contracts_vendor_only(client, factory, who, expected, stored):
    """The 派遣元's user stores a real PDF of its own contract; another vendor's user (or
    another department's officer) cannot reach the contract at all."""
    import io

    from sqlmodel import select

    from pdfgen import reportlab_pdf
    from portal.reviews.models import ContractDocument

    node = _outsourcing_for(factory, ANON)  # a department and a vendor of their own
    dispatch_id = _dispatch_for(factory, node)
    if who == "its-vendor":
        user = factory.user(Role.VENDOR, vendor_id=node.vendor_id)
    else:
        user = factory.user(Role.VENDOR if who == "another-vendor" else Role.STAFF)
        assert user.vendor_id != node.vendor_id and user.department_id != node.department_id
    assert sign_in(client, user.email).status_code == 302
    pdf = reportlab_pdf("第1条 乙は、派遣労働者に秘密を保持させなければならない。")
    response = client.post(
        f"/dispatch/{dispatch_id}/documents",
        data={
            "file": (io.BytesIO(pdf), "派遣契約書.pdf"),
            "csrf_token": csrf_token(client, "/auth/password"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == expected
    documents = factory.session.exec(
        select(ContractDocument).where(
            ContractDocument.owner_kind == "dispatch", ContractDocument.owner_id == dispatch_id
        )
    ).all()
    assert len(documents) == stored
