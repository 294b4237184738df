"""The web side every obligation shares: who may change a row (the owning department, the
holder), the department filter of its lists, a form step (validate, run the operation, say how
it went), the API page of its rows, and the attachment routes (keep a file with an owed row,
download it), added to a feature's blueprint.

A feature's blueprint stays its own (its URLs and endpoints do not change); it hands these
helpers its ``ObligationKind`` and the scope checks that say who may see or change a row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from portal import audit
from portal.db import db
from portal.downloads import attachment_response
from portal.models import Outsourcing, User
from portal.obligations.forms import DepartmentFilterForm
from portal.obligations.operations import attach_file
from portal.obligations.registry import ObligationKind
from portal.obligations.rules import ObligationError
from portal.outsourcings.scope import holds, owns_department
from portal.permissions import Permission, Role, requires
from portal.storage import get_storage


def signed_in() -> User:
    """The signed-in user (the row behind Flask-Login's proxy)."""
    return current_user._get_current_object()


def require_department(node: Outsourcing) -> None:
    """403 unless the signed-in user is an officer of the department that owns ``node``."""
    if not owns_department(signed_in(), node):
        abort(403)


def require_holder(node: Outsourcing) -> None:
    """403 unless the signed-in user's vendor holds ``node`` (owes what it owes)."""
    if not holds(signed_in(), node):
        abort(403)


Lookup = Callable[[int], tuple[Any, ...]]


def narrowed(visible: Lookup, require: Callable[[Outsourcing], None]) -> Lookup:
    """``visible`` (a row with its outsourcing second, or 404), then ``require`` on that
    outsourcing (``require_department`` or ``require_holder``: 403)."""

    def lookup(row_id: int) -> tuple[Any, ...]:
        row = visible(row_id)
        require(row[1])
        return row

    return lookup


def department_choices() -> list[tuple[int, str]]:
    """Every department as (id, "division department"), division by division."""
    from portal.organisation import departments_by_division

    return [
        (d.id, f"{division.name} {d.name}")  # type: ignore[misc]
        for division, departments in departments_by_division(session=db.session)
        for d in departments
    ]


def department_filter(user: User) -> tuple[DepartmentFilterForm, int | None]:
    """The list filter of the request: the department chosen, else an officer's own."""
    form = DepartmentFilterForm(request.args)
    form.department.choices = [(None, _("すべての課室")), *department_choices()]
    department_id = form.department.data if form.validate() else None
    if department_id is None and user.department_id and user.role in {Role.MANAGER, Role.STAFF}:
        department_id = user.department_id
    return form, department_id


def form_step(
    form: FlaskForm, step: Callable[[], object], *, done: str, incomplete: str | None = None
) -> bool:
    """Run ``step`` (an operation) when the posted ``form`` is valid, and flash how it went:
    ``incomplete`` (or each field's error) for an invalid form, the refusal of the rules, or
    ``done``. True when the step ran."""
    if not form.validate_on_submit():
        if incomplete is not None:
            flash(incomplete, "error")
        else:
            for error in (e for errors in form.errors.values() for e in errors):
                flash(str(error), "error")
        return False
    try:
        step()
    except ObligationError as error:
        flash(error.message, "error")
        return False
    flash(done, "success")
    return True


def owed_item(row: Any) -> dict[str, Any]:
    """The API fields every owed row has: id, outsourcing, due date and status."""
    from portal.api.views import iso

    return {
        "id": row.id,
        "outsourcing_id": row.outsourcing_id,
        "due_date": iso(row.due_date),
        "status": row.status,
    }


def owed_page(statement: Any, model: Any, endpoint: str, item: Callable[[Any], Any]) -> Any:
    """An API page of owed rows by id (``statement`` selects (row, outsourcing, vendor), as
    ``with_node`` does); ``item(row)`` is the API form of one row."""
    from portal.api.views import keyset_page

    return keyset_page(
        statement,
        model.id,
        endpoint=endpoint,
        item=lambda found: item(found[0]),
        id_of=lambda found: found[0].id,
    )


def add_upload_route(
    bp: Blueprint,
    kind: ObligationKind,
    permission: Permission,
    writable: Callable[[int], tuple[Any, ...]],
    back_to: str,
) -> None:
    """Add ``POST /<owner id>/attachments`` (endpoint ``attach``) to ``bp``: keep a PDF or
    photo with an owed row. ``writable(id)`` returns the row first (or aborts: 403/404);
    the user then goes back to the ``back_to`` page of the row (its attachments)."""
    param = kind.owner

    def attach(**ids: int) -> Response:
        """Keep a PDF or photo with the owed row."""
        owed = writable(ids[param])[0]
        sent = request.files.get("file")
        if sent is None or not sent.filename:
            flash(_("添付するファイルを選んでください。"), "error")
        else:
            try:
                attachment = attach_file(
                    session=db.session,
                    storage=get_storage(),
                    kind=kind,
                    owed=owed,
                    actor=signed_in(),
                    stream=sent.stream,
                    filename=sent.filename,
                )
            except ObligationError as error:
                flash(error.message, "error")
            else:
                flash(_("「%(name)s」を添付しました。", name=attachment.filename), "success")
        return redirect(url_for(back_to, **{param: owed.id}, _anchor="attachments"))

    rule = f"/<int:{param}>/attachments"
    bp.add_url_rule(rule, "attach", requires(permission)(attach), methods=["POST"])


def add_download_route(
    bp: Blueprint,
    kind: ObligationKind,
    permission: Permission,
    visible: Callable[[int], tuple[Any, ...]],
) -> None:
    """Add ``GET /attachments/<id>`` (endpoint ``download_attachment``) to ``bp``, for whoever
    may see the owed row (``visible(id)`` aborts with 404 otherwise); each download is
    recorded in the access log."""

    def download_attachment(attachment_id: int) -> Response:
        """An attachment, streamed as a download that no browser renders inline."""
        item = db.session.get(kind.attachment_model, attachment_id) or abort(404)
        owed_id = getattr(item, kind.owner)
        visible(owed_id)  # the same scope as the owed row itself
        audit.record_download(
            f"{kind.name}.attachment_download",
            object_type=f"{kind.name}_attachment",
            object_id=item.id,
            detail={kind.owner: owed_id, "filename": item.filename},
        )
        return attachment_response(
            get_storage().open(item.storage_key),
            filename=item.filename,
            fallback=f"attachment-{item.id}",
            mimetype=item.content_type,
            size=item.size,
        )

    view = requires(permission)(download_attachment)
    bp.add_url_rule("/attachments/<int:attachment_id>", "download_attachment", view)
