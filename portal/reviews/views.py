"""Contract review pages: versions and upload, the review page with its progress, download."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select
from werkzeug.wrappers import Response as BaseResponse

from portal import audit
from portal.db import db
from portal.downloads import attachment_response
from portal.models import Outsourcing, User
from portal.outsourcings.scope import get_visible
from portal.permissions import Permission, requires
from portal.reviews import operations as ops
from portal.reviews.diff import evidence_changes
from portal.reviews.forms import ClauseReviewForm, ReanalyseForm, UploadForm
from portal.reviews.models import ClauseReview, ContractDocument, DocumentPage
from portal.reviews.owners import DocumentOwner, document_owner
from portal.reviews.presenters import (
    clause_titles,
    ocr_warnings,
    progress_data,
    status_names,
)
from portal.reviews.uploads import receive_upload
from portal.storage import StorageError, get_storage

bp = Blueprint("reviews", __name__)


def _me() -> User:
    return current_user._get_current_object()


def _node_or_404(outsourcing_id: int) -> Outsourcing:
    return get_visible(session=db.session, user=_me(), outsourcing_id=outsourcing_id) or abort(404)


@dataclass(frozen=True)
class Place:
    """Where a document belongs: an outsourcing (``node``) or another feature's record."""

    node: Outsourcing | None
    record: Any
    owner: DocumentOwner | None
    can_review: bool
    crumbs: list[tuple[str, str]]  # (label, url) from the record to its document list
    detail: dict[str, Any]  # what the access log says of the owner

    @property
    def catalog_titles(self) -> dict[str, str]:
        """The titles of the matters the document is checked against."""
        return clause_titles(self.owner.catalog if self.owner else "outsourcing")


def _document_or_404(document_id: int) -> tuple[ContractDocument, Place]:
    """The document if its owner is in the user's scope (404 otherwise, not 403)."""
    document = db.session.get(ContractDocument, document_id) or abort(404)
    me = _me()
    if document.outsourcing_id is not None:
        node = _node_or_404(document.outsourcing_id)
        crumbs = [
            (node.task_name, url_for("outsourcings.detail", outsourcing_id=node.id)),
            (_("契約書"), url_for("reviews.documents", outsourcing_id=node.id)),
        ]
        return document, Place(
            node, node, None, ops.can_review(me, node), crumbs, {"outsourcing_id": node.id}
        )
    owner = document_owner(document.owner_kind or "") or abort(404)
    record = owner.load(db.session, me, document.owner_id) or abort(404)
    return document, Place(
        None,
        record,
        owner,
        owner.can_review(me, record),
        [(owner.label(record), owner.url(record))],
        {"owner": owner.kind, "owner_id": document.owner_id},
    )


def _parent(node: Outsourcing) -> Outsourcing | None:
    return db.session.get(Outsourcing, node.parent_id) if node.parent_id else None


@bp.route("/outsourcings/<int:outsourcing_id>/documents")
@requires(Permission.VIEW_OUTSOURCINGS)
def documents(outsourcing_id: int) -> str:
    """The contract versions of an outsourcing, and the upload form for those who may."""
    node = _node_or_404(outsourcing_id)
    versions = db.session.exec(
        select(ContractDocument)
        .where(ContractDocument.outsourcing_id == node.id)
        .order_by(ContractDocument.version.desc())
    ).all()
    return render_template(
        "reviews/documents.html",
        node=node,
        versions=versions,
        form=UploadForm(),
        can_upload=ops.can_upload(_me(), node, _parent(node)),
    )


@bp.route("/outsourcings/<int:outsourcing_id>/documents", methods=["POST"])
@requires(Permission.UPLOAD_CONTRACTS)
def upload(outsourcing_id: int) -> BaseResponse | str:
    """Store an uploaded contract and queue its analysis."""
    node = _node_or_404(outsourcing_id)
    if not ops.can_upload(_me(), node, _parent(node)):
        abort(403)
    return receive_upload(
        store=lambda stream, filename: ops.upload_document(
            session=db.session,
            storage=get_storage(),
            actor=_me(),
            outsourcing=node,
            stream=stream,
            filename=filename,
        ),
        back=url_for("reviews.documents", outsourcing_id=node.id),
        detail={"outsourcing_id": node.id},
        done=_("契約書を登録しました。解析を始めます。"),
    )


@bp.route("/documents/<int:document_id>")
@requires(Permission.VIEW_OUTSOURCINGS)
def document(document_id: int) -> str:
    """The review page: progress, then the eight matters as cards with evidence and reviews."""
    document, place = _document_or_404(document_id)
    node = place.node
    audit.record(
        "document.view",
        object_type="contract_document",
        object_id=document.id,
        detail={**place.detail, "version": document.version},
    )
    reviews = ops.latest_reviews(session=db.session, document_id=document.id)
    history = db.session.exec(
        select(ClauseReview)
        .where(ClauseReview.document_id == document.id)
        .order_by(ClauseReview.reviewed_at.desc(), ClauseReview.id.desc())
    ).all()
    previous = db.session.exec(
        select(ContractDocument)
        .where(
            ops.documents_of(document),
            ContractDocument.version < document.version,
            ContractDocument.status == "done",
        )
        .order_by(ContractDocument.version.desc())
    ).first()
    parent = _parent(node) if node is not None else None
    parent_document = (
        ops.latest_done(session=db.session, outsourcing_ids=[parent.id]).get(parent.id)
        if parent is not None
        else None
    )
    statuses = document.statuses or {}
    rendered = set(
        db.session.exec(
            select(DocumentPage.number).where(DocumentPage.document_id == document.id)
        ).all()
    )
    people = {
        u.id: u
        for u in db.session.exec(
            select(User).where(User.id.in_({r.reviewed_by_id for r in history}))
        ).all()
    }
    return render_template(
        "reviews/document.html",
        document=document,
        node=node,
        place=place,
        clauses=(document.report or {}).get("clauses", []),
        ocr_warnings=ocr_warnings(document.report),
        statuses=statuses,
        reviews=reviews,
        history=history,
        people=people,
        titles=place.catalog_titles,
        status_names=status_names(),
        progress=progress_data(document),
        previous=previous,
        version_changes=ops.compare(previous.statuses, statuses) if previous else [],
        evidence_changes=(
            evidence_changes(previous.report, document.report, previous.statuses, statuses)
            if previous
            else []
        ),
        parent=parent,
        parent_document=parent_document,
        flow_down=ops.compare(parent_document.statuses, statuses) if parent_document else [],
        can_review=place.can_review,
        form=ClauseReviewForm(),
        reanalyse_form=ReanalyseForm(),
        rendered=rendered,
        evidence_key=ops.evidence_key,
    )


@bp.route("/documents/<int:document_id>/progress.json")
@requires(Permission.VIEW_OUTSOURCINGS)
def progress(document_id: int) -> Any:
    """The analysis state, polled by the review page while it runs."""
    document, _place = _document_or_404(document_id)
    return jsonify(status=document.status, progress=progress_data(document))


@bp.route("/documents/<int:document_id>/download")
@requires(Permission.VIEW_OUTSOURCINGS)
def download(document_id: int) -> Response:
    """The stored file, streamed as an attachment that no browser renders inline."""
    document, place = _document_or_404(document_id)
    audit.record_download(
        "document.download",
        object_type="contract_document",
        object_id=document.id,
        detail={**place.detail, "filename": document.filename},
    )
    return attachment_response(
        get_storage().open(document.storage_key),
        filename=document.filename,
        fallback=f"contract-{document.id}.pdf",
        mimetype="application/pdf",
        size=document.size,
    )


@bp.route("/documents/<int:document_id>/clauses/<clause_id>", methods=["POST"])
@requires(Permission.REVIEW_CONTRACTS)
def review_clause(document_id: int, clause_id: str) -> BaseResponse:
    """Confirm or override one clause's status with a reason."""
    document, place = _document_or_404(document_id)
    if not place.can_review:
        abort(403)
    form = ClauseReviewForm()
    target = url_for("reviews.document", document_id=document.id, _anchor=f"clause-{clause_id}")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(target)
    before = (document.statuses or {}).get(clause_id)
    try:
        ops.review_clause(
            session=db.session,
            actor=_me(),
            document=document,
            clause_id=clause_id,
            status=form.status.data,
            reason=form.reason.data,
        )
    except ops.ReviewError as error:
        flash(error.message, "error")
        return redirect(target)
    audit.record(
        "document.override" if form.status.data != before else "document.confirm",
        object_type="contract_document",
        object_id=document.id,
        detail={
            "clause": clause_id,
            "status_from": before,
            "status_to": form.status.data,
            "reason": form.reason.data,
        },
    )
    title = place.catalog_titles.get(clause_id)
    flash(_("「%(title)s」の判定を記録しました。", title=title), "success")
    return redirect(target)


@bp.route("/documents/<int:document_id>/reanalyse", methods=["POST"])
@requires(Permission.REVIEW_CONTRACTS)
def reanalyse(document_id: int) -> BaseResponse:
    """Run the analysis again (after a failure or a checker upgrade); once if asked twice."""
    document, place = _document_or_404(document_id)
    if not place.can_review:
        abort(403)
    target = url_for("reviews.document", document_id=document.id)
    if not ReanalyseForm().validate_on_submit():
        flash(_("入力内容を確認してください。"), "error")
        return redirect(target)
    if ops.reanalyse_document(session=db.session, document=document):
        audit.record(
            "document.reanalyse",
            object_type="contract_document",
            object_id=document.id,
            detail=place.detail,
        )
        flash(_("再解析を受け付けました。"), "success")
    else:
        flash(_("この契約書は解析の順番待ち、または解析中です。"), "info")
    return redirect(target)


def _page_or_404(document: ContractDocument, number: int) -> DocumentPage:
    return db.session.exec(
        select(DocumentPage).where(
            DocumentPage.document_id == document.id, DocumentPage.number == number
        )
    ).first() or abort(404)


@bp.route("/documents/<int:document_id>/pages/<int:number>")
@requires(Permission.VIEW_OUTSOURCINGS)
def page(document_id: int, number: int) -> str:
    """A page of the contract as an image, the chosen evidence sentence highlighted."""
    document, place = _document_or_404(document_id)
    page = _page_or_404(document, number)
    audit.record(
        "document.page_view",
        object_type="contract_document",
        object_id=document.id,
        detail={**place.detail, "page": number},
    )
    chosen = request.args.get("e", "")
    # The evidence on this page (or running on to it), with its clause, for the list.
    evidence = [
        (clause["id"], e)
        for clause in (document.report or {}).get("clauses", [])
        for e in clause.get("evidence", [])
        if ops.evidence_key(e) in page.highlights or int(e["page"]) == number
    ]
    pages = db.session.exec(
        select(DocumentPage.number)
        .where(DocumentPage.document_id == document.id)
        .order_by(DocumentPage.number)
    ).all()
    return render_template(
        "reviews/page.html",
        document=document,
        node=place.node,
        place=place,
        page=page,
        chosen=chosen,
        boxes=page.highlights.get(chosen, []),
        others=[b for k, v in page.highlights.items() if k != chosen for b in v],
        evidence=evidence,
        evidence_key=ops.evidence_key,
        titles=place.catalog_titles,
        pages=pages,
        ocr_warnings=ocr_warnings(document.report),
    )


@bp.route("/documents/<int:document_id>/pages/<int:number>.png")
@requires(Permission.VIEW_OUTSOURCINGS)
def page_image(document_id: int, number: int) -> Response:
    """The page PNG: private to the signed-in user's browser, revalidated by its ETag."""
    document, _place = _document_or_404(document_id)
    page = _page_or_404(document, number)
    etag = f"{page.storage_key}@{page.rendered_at.timestamp():.6f}"
    if request.if_none_match.contains(etag):
        response = Response(status=304)  # the browser's copy is current: nothing is read
    else:
        try:
            data = get_storage().read_bytes(page.storage_key)
        except StorageError:
            abort(404)
        response = Response(data, mimetype="image/png")
    response.set_etag(etag)
    # Kept by this user's browser only and revalidated on every use: the scope is checked
    # each time (another account on the same browser gets no cached copy), while an
    # unchanged image costs a 304 without reading or decrypting the stored file.
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
