"""The web side of storing a contract PDF, said once for every upload form: the outsourcing's
contract and the records of other features (a dispatch contract, a provision agreement).

A view finds its record (404 outside the scope), then hands over; the file is checked and stored
as the record's next version (refusals, duplicates and versions are the review's, as for any
upload), the upload is written to the access log and the user lands on the review page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import audit
from portal.db import db
from portal.reviews.forms import UploadForm
from portal.reviews.models import ContractDocument
from portal.reviews.operations import ReviewError, store_document
from portal.reviews.owners import DocumentOwner
from portal.storage import get_storage

#: Stores the sent file (its stream and name) as the record's next version, or ReviewError.
Store = Callable[[BinaryIO, str], ContractDocument]


def receive_upload(*, store: Store, back: str, detail: dict[str, Any], done: str) -> Response:
    """Validate the posted ``UploadForm``, ``store`` its file and say how it went: back to
    ``back`` with the refusal (or to the version already holding the same file), else to the
    new version's review page with ``done``; ``detail`` names the record in the access log."""
    form = UploadForm()
    if not form.validate_on_submit():
        for error in form.file.errors or [_("入力内容を確認してください。")]:
            flash(str(error), "error")
        return redirect(back)
    sent = form.file.data
    try:
        document = store(sent.stream, sent.filename or "")
    except ReviewError as error:
        flash(error.message, "error")
        if error.existing is not None:
            return redirect(url_for("reviews.document", document_id=error.existing.id))
        return redirect(back)
    audit.record(
        "document.upload",
        object_type="contract_document",
        object_id=document.id,
        detail={**detail, "filename": document.filename},
    )
    flash(done, "success")
    return redirect(url_for("reviews.document", document_id=document.id))


def receive_owned_upload(*, owner: DocumentOwner, record: Any, back: str, done: str) -> Response:
    """``receive_upload`` for a record of another feature: 403 unless the signed-in user may
    upload to it (``owner.can_upload``); the file is checked against ``owner.catalog``."""
    me = current_user._get_current_object()
    if not owner.can_upload(me, record):
        abort(403)
    return receive_upload(
        store=lambda stream, filename: store_document(
            session=db.session,
            storage=get_storage(),
            actor=me,
            owner=owner,
            record_id=record.id,
            stream=stream,
            filename=filename,
        ),
        back=back,
        detail={"owner": owner.kind, "owner_id": record.id},
        done=done,
    )
