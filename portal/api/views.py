"""The read API (``/api/v1``): the caller's outsourcings, within its scope, as JSON."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from flask_babel import gettext as _
from sqlmodel import select
from sqlmodel.sql.expression import Select

from portal import audit
from portal.api.auth import api_user, token_required
from portal.db import db
from portal.errors import render_error
from portal.features import ApiRoute
from portal.models import Department, Outsourcing, Vendor
from portal.outsourcings.scope import get_visible, visibility_clause
from portal.permissions import Permission

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _item(node: Outsourcing, vendor: Vendor, department: Department) -> dict[str, Any]:
    return {
        "id": node.id,
        "parent_id": node.parent_id,
        "root_id": node.root_id,
        "tier": node.tier,
        "task_name": node.task_name,
        "status": node.status,
        "start_date": node.start_date.isoformat(),
        "end_date": node.end_date.isoformat(),
        "department": {"id": department.id, "name": department.name},
        "vendor": {
            "id": vendor.id,
            "name": vendor.name,
            "corporate_number": vendor.corporate_number,
        },
    }


def _detail(node: Outsourcing, vendor: Vendor, department: Department) -> dict[str, Any]:
    return _item(node, vendor, department) | {
        "personal_information": {
            "categories": node.pi_categories,
            "special_care": node.special_care,
            "persons": node.persons,
            "scope_note": node.scope_note,
        },
        "decided_at": node.decided_at.isoformat() if node.decided_at else None,
        "entered_without_approval": node.entered_without_approval,
    }


def _joined():
    """Visible outsourcings with their vendor and department."""
    return (
        select(Outsourcing, Vendor, Department)
        .join(Vendor, Vendor.id == Outsourcing.vendor_id)
        .join(Department, Department.id == Outsourcing.department_id)
        .where(visibility_clause(api_user()))
    )


def _int_arg(name: str, default: int | None) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise ValueError(name)
    return int(raw)


def iso(value: Any) -> str | None:
    """A date or time in ISO 8601, or None."""
    return value.isoformat() if value is not None else None


def keyset_page(
    query: Select,
    id_column: Any,
    *,
    endpoint: str,
    item: Callable[[Any], dict[str, Any]],
    id_of: Callable[[Any], int],
) -> Any:
    """One page of ``query`` in ``id_column`` order: ``limit`` rows after the id ``after``,
    as ``{"items": [...], "next": url}`` (``next`` is null on the last page)."""
    try:
        limit = _int_arg("limit", DEFAULT_LIMIT)
        after = _int_arg("after", 0)
    except ValueError as error:
        return render_error(
            400, _("パラメーター %(name)s は0以上の整数で指定してください。", name=str(error))
        )
    limit = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    rows = db.session.exec(
        query.where(id_column > (after or 0)).order_by(id_column).limit(limit + 1)
    ).all()
    page = rows[:limit]
    following = None
    if len(rows) > limit:
        following = url_for(endpoint, limit=limit, after=id_of(page[-1]), _external=True)
    return jsonify(items=[item(row) for row in page], next=following)


@token_required(Permission.USE_API)
def me() -> Response:
    """Who the token belongs to."""
    user = api_user()
    return jsonify(
        email=user.email,
        name=user.name,
        role=user.role,
        vendor_id=user.vendor_id,
        department_id=user.department_id,
    )


@token_required(Permission.VIEW_OUTSOURCINGS)
def outsourcings() -> Any:
    """The visible outsourcings by id, a page at a time (``limit``; ``next`` carries ``after``)."""
    return keyset_page(
        _joined(),
        Outsourcing.id,
        endpoint="api.outsourcings",
        item=lambda row: _item(*row),
        id_of=lambda row: row[0].id,
    )


def _visible_or_404(outsourcing_id: int) -> Outsourcing | None:
    return get_visible(session=db.session, user=api_user(), outsourcing_id=outsourcing_id)


@token_required(Permission.VIEW_OUTSOURCINGS)
def outsourcing(outsourcing_id: int) -> Any:
    """One outsourcing; 404 when it is outside the caller's scope."""
    if _visible_or_404(outsourcing_id) is None:
        return render_error(404)
    row = db.session.exec(_joined().where(Outsourcing.id == outsourcing_id)).one()
    audit.record("outsourcing.view_pi", object_type="outsourcing", object_id=outsourcing_id)
    return jsonify(_detail(*row))


@token_required(Permission.VIEW_OUTSOURCINGS)
def outsourcing_tree(outsourcing_id: int) -> Any:
    """The outsourcing and its visible subtree, each node with nested ``children``."""
    node = _visible_or_404(outsourcing_id)
    if node is None:
        return render_error(404)
    rows = db.session.exec(
        _joined()
        .where(Outsourcing.path.startswith(node.path, autoescape=False))
        .order_by(Outsourcing.path)
    ).all()
    items: dict[int, dict[str, Any]] = {}
    for row in rows:
        item = _item(*row) | {"children": []}
        items[item["id"]] = item
        parent = items.get(item["parent_id"]) if item["id"] != node.id else None
        if parent is not None:
            parent["children"].append(item)
    for item in items.values():
        item["children"].sort(key=lambda child: child["id"])
    return jsonify(items[node.id])


#: The routes this module adds to the read API (``/api/v1``).
ROUTES: tuple[ApiRoute, ...] = (
    ApiRoute("/me", me),
    ApiRoute("/outsourcings", outsourcings),
    ApiRoute("/outsourcings/<int:outsourcing_id>", outsourcing),
    ApiRoute("/outsourcings/<int:outsourcing_id>/tree", outsourcing_tree),
)


def make_blueprint(routes: Iterable[ApiRoute]) -> Blueprint:
    """The API blueprint of one app: these routes and those the features added."""
    bp = Blueprint("api", __name__, url_prefix="/api/v1")
    bp.after_request(_no_store)
    for route in (*ROUTES, *routes):
        bp.add_url_rule(route.rule, view_func=route.view, methods=list(route.methods))
    return bp
