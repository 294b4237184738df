"""Management-structure pages: the lists, one outsourcing's versions, one version, the
vendor's form, the officer's confirmation, and a new version after a change."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select
from werkzeug.wrappers import Response

from portal import audit
from portal.db import db
from portal.models import Outsourcing, User, Vendor
from portal.obligations import views as shared
from portal.obligations.queries import NodeSelection, attachments_of, history_of
from portal.outsourcings.scope import get_visible, holds, owns_department
from portal.permissions import Permission, Role, requires
from portal.structures import operations as ops
from portal.structures import queries
from portal.structures.forms import BLANK_ROWS, ReviewForm, StructureForm
from portal.structures.models import EDITABLE_STATUSES, ManagementStructure, StructureStatus
from portal.structures.obligation import STRUCTURE_OBLIGATION
from portal.structures.rules import StaffMember, summarise
from portal.timeutil import local_today

bp = Blueprint("structures", __name__, url_prefix="/structures")

_me = shared.signed_in


def _visible_or_404(structure_id: int) -> tuple[ManagementStructure, Outsourcing, Vendor]:
    row = queries.get_visible_structure(session=db.session, user=_me(), structure_id=structure_id)
    return row or abort(404)


_held_or_403 = shared.narrowed(_visible_or_404, shared.require_holder)


def labels() -> dict[str, dict[str, Any]]:
    """Display names of statuses and history actions."""
    return {
        "status": {
            "due": _("未提出"),
            "draft": _("作成中"),
            "submitted": _("提出済・確認待ち"),
            "returned": _("差戻し"),
            "confirmed": _("確認済（現行）"),
            "superseded": _("確認済（旧版）"),
        },
        "action": {
            "saved": _("下書き保存"),
            "submitted": _("提出"),
            "returned": _("差戻し"),
            "confirmed": _("確認"),
            "revised": _("変更の版を作成"),
        },
    }


def _articles() -> dict[str, str]:
    profile = current_app.extensions["portal.profile"]
    return {
        "structure": profile.article("structure") or profile.article("outsourcing"),
        "training": profile.article("training"),
        "regulation": profile.regulation,
    }


def _tone(structure: ManagementStructure) -> str:
    if structure.status == StructureStatus.CONFIRMED:
        return "ok"
    if structure.status in EDITABLE_STATUSES and structure.due_date < local_today():
        return "bad"
    return "muted"


@bp.route("/")
@requires(Permission.VIEW_OUTSOURCINGS)
def index() -> str:
    """Structures owed, overdue, awaiting confirmation and returned, in the user's scope."""
    me = _me()
    form, department_id = shared.department_filter(me)
    today = local_today()
    if me.can(Permission.MANAGE_OUTSOURCINGS) and me.department_id:
        # Contracts change between the daily runs; the officer's own list is always current.
        ops.sync_structures(
            session=db.session, today=today, nodes=NodeSelection(department_id=me.department_id)
        )
    elif me.role == Role.VENDOR and me.vendor_id:
        held = db.session.exec(select(Outsourcing.id).where(Outsourcing.vendor_id == me.vendor_id))
        ops.sync_structures(
            session=db.session, today=today, nodes=NodeSelection.of_ids(*held.all())
        )
    return render_template(
        "structures/index.html",
        form=form,
        lists=queries.structure_lists(
            session=db.session, user=me, today=today, department_id=department_id
        ),
        today=today,
        labels=labels(),
        articles=_articles(),
    )


def _node_or_404(outsourcing_id: int) -> Outsourcing:
    node = get_visible(session=db.session, user=_me(), outsourcing_id=outsourcing_id)
    return node or abort(404)


@bp.route("/outsourcings/<int:outsourcing_id>")
@requires(Permission.VIEW_OUTSOURCINGS)
def node_structures(outsourcing_id: int) -> str:
    """Every version of one outsourcing's structure, the one in force first."""
    node = _node_or_404(outsourcing_id)
    me = _me()
    today = local_today()
    ops.sync_structures(session=db.session, today=today, nodes=NodeSelection.of_ids(node.id))  # type: ignore[arg-type]
    versions = queries.versions_of(session=db.session, outsourcing_id=node.id)  # type: ignore[arg-type]
    current = queries.structure_at(session=db.session, outsourcing_id=node.id, when=today)  # type: ignore[arg-type]
    audit.record("structure.list", object_type="outsourcing", object_id=node.id)
    return render_template(
        "structures/node.html",
        node=node,
        vendor=db.session.get(Vendor, node.vendor_id),
        versions=versions,
        current=current,
        can_revise=me.can(Permission.SUBMIT_STRUCTURES)
        and holds(me, node)
        and bool(versions)
        and versions[0].status == StructureStatus.CONFIRMED,
        labels=labels(),
        articles=_articles(),
        today=today,
    )


def _people(*ids: int | None) -> dict[int, User]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {u.id: u for u in db.session.exec(select(User).where(User.id.in_(wanted))).all()}  # type: ignore[misc,attr-defined]


@bp.route("/<int:structure_id>")
@requires(Permission.VIEW_OUTSOURCINGS)
def detail(structure_id: int) -> str:
    """One version: the responsible person, the staff, places and systems, history, review."""
    structure, node, vendor = _visible_or_404(structure_id)
    audit.record(
        "structure.view",
        object_type="management_structure",
        object_id=structure.id,
        detail={"outsourcing_id": node.id, "version": structure.version},
    )
    me = _me()
    history = history_of(session=db.session, kind=STRUCTURE_OBLIGATION, owed_id=structure.id)  # type: ignore[arg-type]
    staff = [StaffMember.from_json(item) for item in structure.staff]
    return render_template(
        "structures/detail.html",
        structure=structure,
        node=node,
        vendor=vendor,
        staff=staff,
        summary=summarise(staff),
        history=history,
        people=_people(
            structure.submitted_by_id, structure.reviewed_by_id, *(e.actor_id for e in history)
        ),
        attachments=attachments_of(
            session=db.session,
            kind=STRUCTURE_OBLIGATION,
            owed_id=structure.id,  # type: ignore[arg-type]
        ),
        labels=labels(),
        articles=_articles(),
        tone=_tone(structure),
        today=local_today(),
        can_edit=me.can(Permission.SUBMIT_STRUCTURES)
        and holds(me, node)
        and structure.status in EDITABLE_STATUSES,
        can_review=me.can(Permission.MANAGE_OUTSOURCINGS) and owns_department(me, node),
        review_form=ReviewForm(),
    )


def _initial_data(structure: ManagementStructure) -> dict[str, Any]:
    staff = [StaffMember.from_json(item) for item in structure.staff]
    rows = [
        {
            "name": m.name,
            "count": m.count,
            "training_date": m.training_date,
            "pledge_date": m.pledge_date,
            "dispatched": m.dispatched,
        }
        for m in staff
    ]
    rows += [{"count": 1} for _i in range(BLANK_ROWS)]
    return {
        "responsible_name": structure.responsible_name,
        "responsible_title": structure.responsible_title,
        "responsible_contact": structure.responsible_contact,
        "staff": rows,
        "places": "\n".join(structure.places),
        "systems": "\n".join(structure.systems),
        "remarks": structure.remarks,
    }


def _content_from(form: StructureForm) -> ops.StructureContent:
    staff = []
    for entry in form.staff.entries:
        sub = entry.form
        name = (sub.name.data or "").strip()
        if not name and not sub.training_date.data and not sub.pledge_date.data:
            continue  # a blank row
        staff.append(
            StaffMember(
                name=name,
                count=sub.count.data if sub.count.data is not None else 1,
                training_date=sub.training_date.data,
                pledge_date=sub.pledge_date.data,
                dispatched=bool(sub.dispatched.data),
            )
        )
    return ops.StructureContent(
        responsible_name=form.responsible_name.data or "",
        responsible_title=form.responsible_title.data or "",
        responsible_contact=form.responsible_contact.data or "",
        staff=tuple(staff),
        places=tuple((form.places.data or "").splitlines()),
        systems=tuple((form.systems.data or "").splitlines()),
        remarks=form.remarks.data or "",
    )


@bp.route("/<int:structure_id>/edit", methods=["GET", "POST"])
@requires(Permission.SUBMIT_STRUCTURES)
def edit(structure_id: int) -> Response | str:
    """The vendor writes its structure: save a draft, or submit it for confirmation."""
    structure, node, vendor = _held_or_403(structure_id)
    if structure.status not in EDITABLE_STATUSES:
        flash(
            _("提出済みまたは確認済みの管理体制は変更できません（変更は新しい版で行います）。"),
            "warning",
        )
        return redirect(url_for("structures.detail", structure_id=structure_id))
    form = (
        StructureForm()
        if request.method == "POST"
        else StructureForm(data=_initial_data(structure))
    )
    if request.method == "POST" and not form.validate():
        for error in _form_errors(form):
            form.form_errors.append(error)
    elif request.method == "POST":
        submit = request.form.get("action") == "submit"
        try:
            ops.save_structure(
                session=db.session,
                actor=_me(),
                structure=structure,
                outsourcing=node,
                content=_content_from(form),
                submit=submit,
                today=local_today(),
            )
        except ops.StructureError as error:
            form.form_errors.append(error.message)
        else:
            audit.record(
                "structure.submit" if submit else "structure.save_draft",
                object_type="management_structure",
                object_id=structure.id,
                detail={"outsourcing_id": node.id, "version": structure.version},
            )
            if not submit:
                flash(_("下書きを保存しました。"), "success")
                return redirect(url_for("structures.edit", structure_id=structure_id))
            flash(_("管理体制を提出しました。所管課室が確認します。"), "success")
            return redirect(url_for("structures.detail", structure_id=structure_id))
    return render_template(
        "structures/edit.html",
        form=form,
        structure=structure,
        node=node,
        vendor=vendor,
        attachments=attachments_of(
            session=db.session,
            kind=STRUCTURE_OBLIGATION,
            owed_id=structure.id,  # type: ignore[arg-type]
        ),
        labels=labels(),
        articles=_articles(),
    )


def _form_errors(form: StructureForm) -> list[str]:
    found: list[str] = []
    for name, errors in form.errors.items():
        if name == "staff":
            for number, row in enumerate(errors, start=1):
                for messages in (row or {}).values() if isinstance(row, dict) else ():
                    # The first message of a cell says it (a bad number also fails the range).
                    found.extend(_("%(n)d行目：%(m)s", n=number, m=m) for m in messages[:1])
        elif isinstance(errors, list):
            found.extend(str(e) for e in errors)
    return found or [_("入力内容を確認してください。")]


@bp.route("/<int:structure_id>/review", methods=["POST"])
@requires(Permission.MANAGE_OUTSOURCINGS)
def review(structure_id: int) -> Response:
    """The officer confirms the structure or returns it to the vendor with comments."""
    structure, node, _vendor = _visible_or_404(structure_id)
    shared.require_department(node)
    form = ReviewForm()
    accept = form.decision.data == "accept"
    reviewed = shared.form_step(
        form,
        lambda: ops.review_structure(
            session=db.session,
            actor=_me(),
            structure=structure,
            outsourcing=node,
            accept=accept,
            comment=form.comment.data or "",
        ),
        done=_("管理体制を確認しました。") if accept else _("管理体制を差し戻しました。"),
        incomplete=_("確認結果を選んでください。"),
    )
    if reviewed:
        audit.record(
            "structure.confirm" if accept else "structure.return",
            object_type="management_structure",
            object_id=structure.id,
            detail={"outsourcing_id": node.id, "version": structure.version},
        )
    return redirect(url_for("structures.detail", structure_id=structure_id))


@bp.route("/outsourcings/<int:outsourcing_id>/revise", methods=["POST"])
@requires(Permission.SUBMIT_STRUCTURES)
def revise(outsourcing_id: int) -> Response:
    """The vendor's structure changed after confirmation: start a new version."""
    node = _node_or_404(outsourcing_id)
    shared.require_holder(node)
    try:
        revision = ops.start_revision(
            session=db.session, actor=_me(), outsourcing=node, today=local_today()
        )
    except ops.StructureError as error:
        flash(error.message, "error")
        return redirect(url_for("structures.node_structures", outsourcing_id=outsourcing_id))
    audit.record(
        "structure.revise",
        object_type="management_structure",
        object_id=revision.id,
        detail={"outsourcing_id": node.id, "version": revision.version},
    )
    flash(
        _("第%(v)d版を作成しました。変更点を直して提出してください。", v=revision.version),
        "success",
    )
    return redirect(url_for("structures.edit", structure_id=revision.id))


# The routes every obligation shares: the vendor keeps files (e.g. the signed 誓約書 or the
# training record) with the version it writes; whoever sees the version downloads them.
shared.add_upload_route(
    bp, STRUCTURE_OBLIGATION, Permission.SUBMIT_STRUCTURES, _held_or_403, "structures.edit"
)
shared.add_download_route(bp, STRUCTURE_OBLIGATION, Permission.VIEW_OUTSOURCINGS, _visible_or_404)
