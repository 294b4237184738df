"""``POST /api/v1/outsourcings/<id>/documents`` and ``GET /api/v1/documents/<id>``."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _

from portal import audit
from portal.api.auth import api_user, token_required
from portal.db import db
from portal.errors import render_error
from portal.features import ApiRoute
from portal.models import Outsourcing
from portal.outsourcings.scope import get_visible
from portal.permissions import Permission
from portal.reviews import operations as ops
from portal.reviews.models import ContractDocument
from portal.reviews.presenters import progress_data
from portal.storage import get_storage


@token_required(Permission.UPLOAD_CONTRACTS)
def upload_document(outsourcing_id: int) -> Any:
    """Upload a contract PDF (multipart field ``file``): 202 with its id, analysed later."""
    user = api_user()
    node = get_visible(session=db.session, user=user, outsourcing_id=outsourcing_id)
    if node is None:
        return render_error(404)
    parent = db.session.get(Outsourcing, node.parent_id) if node.parent_id else None
    if not ops.can_upload(user, node, parent):
        return render_error(403)
    upload = request.files.get("file")
    if upload is None:
        return render_error(400, _("multipart の file フィールドでPDFを送ってください。"))
    try:
        document = ops.upload_document(
            session=db.session,
            storage=get_storage(),
            actor=user,
            outsourcing=node,
            stream=upload.stream,
            filename=upload.filename or "",
        )
    except ops.ReviewError as error:
        response, status = render_error(409 if error.existing else 400, error.message)  # type: ignore[misc]
        # ``code`` tells a client why (broken_pdf, encrypted, no_pages, …) without parsing
        # the Japanese message; a duplicate also names the version already registered.
        payload = response.get_json() | {"code": error.code}
        if error.existing is not None:
            payload["id"] = error.existing.id
        return jsonify(payload), status
    audit.record(
        "document.upload",
        object_type="contract_document",
        object_id=document.id,
        detail={"outsourcing_id": node.id, "filename": document.filename},
    )
    return jsonify(id=document.id, status=document.status), 202


@token_required(Permission.VIEW_OUTSOURCINGS)
def document(document_id: int) -> Any:
    """A document's analysis: status, progress, error and the clause check."""
    document = db.session.get(ContractDocument, document_id)
    if document is None or (
        get_visible(session=db.session, user=api_user(), outsourcing_id=document.outsourcing_id)
        is None
    ):
        return render_error(404)
    audit.record(
        "document.view",
        object_type="contract_document",
        object_id=document.id,
        detail={"outsourcing_id": document.outsourcing_id, "version": document.version},
    )
    report = document.report or {}
    return jsonify(
        id=document.id,
        outsourcing_id=document.outsourcing_id,
        version=document.version,
        kind=document.kind,
        filename=document.filename,
        sha256=document.sha256,
        size=document.size,
        status=document.status,
        progress=progress_data(document),
        error=document.error_message or None,
        error_code=document.error_code or None,
        file=report.get("file"),
        profile=report.get("profile"),
        pages=report.get("pages"),
        ocr=report.get("ocr"),
        seconds=report.get("seconds"),
        clauses=report.get("clauses"),
        reviewed_statuses=document.statuses,
    )


#: The routes this module adds to the read API (``/api/v1``).
ROUTES: tuple[ApiRoute, ...] = (
    ApiRoute("/outsourcings/<int:outsourcing_id>/documents", upload_document, methods=("POST",)),
    ApiRoute("/documents/<int:document_id>", document),
)
