"""The chain: the tree, a node, registering, requesting and deciding subcontracts."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    flash,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select
from werkzeug.wrappers import Response

from portal import audit
from portal.db import db
from portal.features import (
    DECISION_CHECKS,
    NODE_SECTIONS,
    REGISTRATION_SECTIONS,
    Badge,
    DecisionRefused,
    SectionRefused,
    current_features,
)
from portal.models import Department, Outsourcing, OutsourcingStatus, User, Vendor
from portal.outsourcings import operations as ops
from portal.outsourcings.badges import badges_for
from portal.outsourcings.forms import (
    DecisionForm,
    EndForm,
    OutsourcingForm,
    SubcontractRequestForm,
    TreeFilterForm,
    VendorForm,
)
from portal.outsourcings.scope import get_visible, holds, owns_department, visible_outsourcings
from portal.outsourcings.tree import Tree, TreeFilter, build_tree
from portal.permissions import Permission, Role, requires

bp = Blueprint("outsourcings", __name__, url_prefix="/outsourcings")


def _me() -> User:
    return current_user._get_current_object()


def _visible_or_404(outsourcing_id: int) -> Outsourcing:
    return get_visible(session=db.session, user=_me(), outsourcing_id=outsourcing_id) or abort(404)


def _entrusted(form: OutsourcingForm | SubcontractRequestForm) -> ops.EntrustedData:
    return ops.EntrustedData(
        categories=form.pi_categories.data.strip(),
        special_care=form.special_care.data,
        persons=form.persons.data or 0,
        scope_note=form.scope_note.data.strip(),
    )


def _department_choices() -> list[tuple[int, str]]:
    from portal.organisation import departments_by_division

    return [
        (d.id, f"{division.name} {d.name}")
        for division, departments in departments_by_division(session=db.session)
        for d in departments
    ]


@bp.route("/tree")
@requires(Permission.VIEW_OUTSOURCINGS)
def tree() -> str:
    """The whole chain in the user's scope, with filters and search."""
    form = TreeFilterForm(request.args)
    form.department.choices = [(None, _("すべての課室")), *_department_choices()]
    valid = form.validate()
    tree_filter = TreeFilter(
        root_id=request.args.get("root", type=int),
        department_id=form.department.data if valid else None,
        unapproved=bool(form.unapproved.data),
        overdue=bool(form.overdue.data),
        min_tier=form.min_tier.data if valid else None,
        vendor_id=request.args.get("vendor", type=int),
        query=(form.q.data or "").strip() if valid else "",
    )
    result = build_tree(session=db.session, user=_me(), tree_filter=tree_filter)
    badge_html, legend = _badge_markup(result)
    # Per-page lookups, so that rendering thousands of nodes translates nothing per node.
    return render_template(
        "outsourcings/tree.html",
        tree=result,
        badge_html=badge_html,
        badge_legend=legend,
        form=form,
        tree_filter=tree_filter,
        status_labels=status_labels(),
        tier_labels={n: _("第%(n)d層", n=n) for n in range(1, result.deepest + 1)},
        detail_prefix=url_for("outsourcings.detail", outsourcing_id=0)[:-1],
    )


def _badge_markup(tree: Tree) -> tuple[dict[int, str], list[tuple[str, Badge]]]:
    """Each shown node's badges rendered once per distinct set (the template's ``badges``
    macro, escaped as any template), and the legend: every badge with an explanation once
    per page, numbered. A badge refers to its explanation (``aria-describedby``; the script
    shows it on hover) instead of repeating it at each of thousands of nodes."""
    render = get_template_attribute("outsourcings/_badges.html", "badges")
    legend: dict[Badge, str] = {}
    made: dict[tuple[int, ...], str] = {}  # by the badge objects: providers reuse them
    html: dict[int, str] = {}
    stack = list(tree.roots)
    while stack:
        item = stack.pop()
        stack.extend(item.children)
        if not item.badges:
            continue
        key = tuple(map(id, item.badges))
        if key not in made:
            for badge in item.badges:
                if badge.title:
                    legend.setdefault(badge, f"badge-{len(legend) + 1}")
            made[key] = render(item.badges, legend)
        html[item.node.id] = made[key]
    return html, [(key, badge) for badge, key in legend.items()]


def status_labels() -> dict[str, str]:
    """The names of the statuses in the user's language."""
    return {
        OutsourcingStatus.REQUESTED: _("申請中"),
        OutsourcingStatus.APPROVED: _("承認済"),
        OutsourcingStatus.REJECTED: _("却下"),
        OutsourcingStatus.ACTIVE: _("実施中"),
        OutsourcingStatus.ENDED: _("終了"),
    }


@bp.route("/<int:outsourcing_id>")
@requires(Permission.VIEW_OUTSOURCINGS)
def detail(outsourcing_id: int) -> str:
    """One node: its place in the chain, what is entrusted, the request and its decision."""
    node = _visible_or_404(outsourcing_id)
    me = _me()
    visible = visible_outsourcings(me)
    ancestor_ids = [int(p) for p in node.path.strip("/").split("/")[:-1]]
    ancestors = (
        db.session.exec(
            visible.where(Outsourcing.id.in_(ancestor_ids)).order_by(Outsourcing.path)
        ).all()
        if ancestor_ids
        else []
    )
    children = db.session.exec(
        visible_outsourcings(me).where(Outsourcing.parent_id == node.id).order_by(Outsourcing.id)
    ).all()
    vendors = {
        v.id: v
        for v in db.session.exec(
            select(Vendor).where(Vendor.id.in_({node.vendor_id, *(c.vendor_id for c in children)}))
        ).all()
    }
    people = {
        u.id: u
        for u in db.session.exec(
            select(User).where(
                User.id.in_({i for i in (node.requested_by_id, node.decided_by_id) if i})
            )
        ).all()
    }
    # The page shows what personal information is entrusted (categories, persons).
    audit.record(
        "outsourcing.view_pi",
        object_type="outsourcing",
        object_id=node.id,
        detail={"special_care": node.special_care, "persons": node.persons},
    )
    return render_template(
        "outsourcings/detail.html",
        node=node,
        ancestors=ancestors,
        children=children,
        vendors=vendors,
        people=people,
        department=db.session.get(Department, node.department_id),
        badges=badges_for(db.session, [node, *children]),
        decision_form=DecisionForm(),
        end_form=EndForm(),
        can_decide=me.can(Permission.DECIDE_SUBCONTRACTS) and owns_department(me, node),
        can_manage=me.can(Permission.MANAGE_OUTSOURCINGS) and owns_department(me, node),
        can_request=me.can(Permission.REQUEST_SUBCONTRACT) and holds(me, node),
        is_violation=ops.is_violation(node),
        # Blocks other features add (e.g. the pseudonymisation decision of the provisions).
        sections=[show(db.session, node, me) for show in current_features().get(NODE_SECTIONS)],
    )


class _Sections:
    """The blocks other features add to a registration form (e.g. the selection checklist):
    checked with the form, saved with the new node, shown with their errors."""

    def __init__(self, parent: Outsourcing | None) -> None:
        self.parent = parent
        self.sections = current_features().get(REGISTRATION_SECTIONS)
        self.errors: list[list[str]] = [[] for _section in self.sections]
        if request.method == "POST":
            # Checked even when the form itself is refused: every problem shows at once.
            for index, section in enumerate(self.sections):
                self.errors[index] = section.check(db.session, parent, request.form)

    @property
    def valid(self) -> bool:
        """Whether no block refused what was entered."""
        return not any(self.errors)

    def register(self, actor: User, create: Callable[[], Outsourcing]) -> Outsourcing | None:
        """``create`` the node and save every block for it, in one savepoint: the node when
        all is recorded; None, with nothing kept, when a block refuses (ChainError: raised,
        nothing kept). The node is tried even when a block is refused, so that the chain's
        own refusals (e.g. a wrong 法人番号) show at the same time."""
        savepoint = db.session.begin_nested()
        try:
            node = create()
            if self.valid:
                for index, section in enumerate(self.sections):
                    try:
                        section.save(db.session, actor, node, request.form)
                    except SectionRefused as refused:
                        self.errors[index] = [refused.message]
        except BaseException:
            savepoint.rollback()
            raise
        if not self.valid:
            savepoint.rollback()
            return None
        savepoint.commit()
        return node

    def shown(self) -> list[tuple[object, list[str]]]:
        """Each block to render, with its errors."""
        posted = request.form if request.method == "POST" else None
        return [
            (section.show(db.session, self.parent, posted), errors)
            for section, errors in zip(self.sections, self.errors, strict=True)
        ]


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_OUTSOURCINGS)
def new() -> Response | str:
    """Register an outsourcing contracted by the municipality (tier 1)."""
    me = _me()
    form = OutsourcingForm()
    form.department_id.choices = [c for c in _department_choices() if c[0] == me.department_id]
    if request.method == "GET":
        form.department_id.data = me.department_id
    sections = _Sections(None)
    if form.validate_on_submit():
        try:
            node = sections.register(
                me,
                lambda: ops.create_root(
                    session=db.session,
                    actor=me,
                    task_name=form.task_name.data,
                    department_id=form.department_id.data,
                    vendor_id=_vendor_of(form).id,  # type: ignore[arg-type]
                    start_date=form.start_date.data,
                    end_date=form.end_date.data,
                    data=_entrusted(form),
                ),
            )
        except ops.ChainError as error:
            form.corporate_number.errors.append(error.message)
        else:
            if node is not None:
                flash(_("委託「%(name)s」を登録しました。", name=node.task_name), "success")
                return redirect(url_for("outsourcings.detail", outsourcing_id=node.id))
    return render_template(
        "outsourcings/form.html", form=form, parent=None, sections=sections.shown()
    )


@bp.route("/<int:outsourcing_id>/subcontract", methods=["GET", "POST"])
@requires(Permission.REQUEST_SUBCONTRACT)
def request_subcontract(outsourcing_id: int) -> Response | str:
    """A vendor user asks for approval to subcontract part of a node its vendor holds."""
    parent = _visible_or_404(outsourcing_id)
    me = _me()
    if not holds(me, parent):
        abort(403)
    form = SubcontractRequestForm()
    if request.method == "GET":
        form.start_date.data, form.end_date.data = parent.start_date, parent.end_date
    sections = _Sections(parent)
    if form.validate_on_submit():
        try:
            node = sections.register(me, lambda: _request(me, parent, form))
        except ops.ChainError as error:
            form.corporate_number.errors.append(error.message)
        else:
            if node is not None:
                flash(
                    _("再委託の承認を申請しました。市の担当課の判断をお待ちください。"), "success"
                )
                return redirect(url_for("outsourcings.detail", outsourcing_id=node.id))
    return render_template(
        "outsourcings/form.html", form=form, parent=parent, sections=sections.shown()
    )


def _vendor_of(form: OutsourcingForm | SubcontractRequestForm) -> Vendor:
    return ops.find_or_create_vendor(
        session=db.session,
        name=form.vendor_name.data,
        corporate_number=form.corporate_number.data,
    )


def _request(me: User, parent: Outsourcing, form: SubcontractRequestForm) -> Outsourcing:
    """The requested subcontract (with its vendor, found or registered)."""
    vendor = _vendor_of(form)
    return ops.request_subcontract(
        session=db.session,
        actor=me,
        parent=parent,
        request=ops.SubcontractRequest(
            task_name=form.task_name.data,
            vendor_id=vendor.id,
            start_date=form.start_date.data,
            end_date=form.end_date.data,
            data=_entrusted(form),
            reason=form.reason.data,
            responsible_persons=form.responsible_persons.data,
            protection_measures=form.protection_measures.data,
            oversight_method=form.oversight_method.data,
            declared_subsidiary=form.declared_subsidiary.data,
        ),
    )


@bp.route("/<int:outsourcing_id>/decide", methods=["POST"])
@requires(Permission.DECIDE_SUBCONTRACTS)
def decide(outsourcing_id: int) -> Response:
    """Approve or reject a subcontracting request, with a comment."""
    node = _visible_or_404(outsourcing_id)
    me = _me()
    if not owns_department(me, node):
        abort(403)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("判断を選んでください。"), "error")
    else:
        approve, comment = form.decision.data == "approve", form.comment.data or ""
        checked: dict[str, object] = {}
        try:
            # Other features' checks (e.g. items beyond the parent's need a reason).
            for check in current_features().get(DECISION_CHECKS):
                checked |= check(db.session, node, approve, comment)
            ops.decide_request(
                session=db.session, actor=me, node=node, approve=approve, comment=comment
            )
        except (ops.ChainError, DecisionRefused) as error:
            flash(error.message, "error")
        else:
            audit.record(
                "outsourcing.decide",
                object_type="outsourcing",
                object_id=node.id,
                detail={"status": node.status, "comment": comment, **checked},
            )
            if node.status == OutsourcingStatus.APPROVED:
                flash(_("再委託を承認しました。"), "success")
            else:
                flash(_("再委託の申請を却下しました。"), "success")
    return redirect(url_for("outsourcings.detail", outsourcing_id=node.id))


@bp.route("/<int:outsourcing_id>/activate", methods=["POST"])
@requires(Permission.VIEW_OUTSOURCINGS)
def activate(outsourcing_id: int) -> Response:
    """The contract is concluded: the vendor holding the parent, or an officer, starts it."""
    node = _visible_or_404(outsourcing_id)
    me = _me()
    parent = db.session.get(Outsourcing, node.parent_id) if node.parent_id else None
    allowed = (me.can(Permission.MANAGE_OUTSOURCINGS) and owns_department(me, node)) or (
        me.role == Role.VENDOR and parent is not None and holds(me, parent)
    )
    if not allowed:
        abort(403)
    try:
        ops.activate(session=db.session, node=node)
    except ops.ChainError as error:
        flash(error.message, "error")
    else:
        audit.record("outsourcing.activate", object_type="outsourcing", object_id=node.id)
        flash(_("委託を実施中にしました。"), "success")
    return redirect(url_for("outsourcings.detail", outsourcing_id=node.id))


@bp.route("/<int:outsourcing_id>/end", methods=["POST"])
@requires(Permission.MANAGE_OUTSOURCINGS)
def end(outsourcing_id: int) -> Response:
    """End a node; with open subcontracts below, only when asked to end them too."""
    node = _visible_or_404(outsourcing_id)
    if not owns_department(_me(), node):
        abort(403)
    form = EndForm()
    form.validate_on_submit()
    try:
        ended = ops.end_outsourcing(session=db.session, node=node, cascade=bool(form.cascade.data))
    except ops.ChainError as error:
        flash(error.message, "warning")
    else:
        flash(_("委託を終了しました（%(n)d件）。", n=len(ended)), "success")
    return redirect(url_for("outsourcings.detail", outsourcing_id=node.id))


@bp.route("/requests")
@requires(Permission.DECIDE_SUBCONTRACTS)
def requests() -> str:
    """Subcontracting requests waiting for this department's decision."""
    me = _me()
    rows = db.session.exec(
        select(Outsourcing, Vendor)
        .join(Vendor, Vendor.id == Outsourcing.vendor_id)
        .where(
            Outsourcing.status == OutsourcingStatus.REQUESTED,
            Outsourcing.department_id == me.department_id,
        )
        .order_by(Outsourcing.requested_at)
    ).all()
    # Every feature's flags (e.g. a missing certification) are in front of the approver.
    badges = badges_for(db.session, [node for node, _vendor in rows])
    return render_template("outsourcings/requests.html", rows=rows, badges=badges)


@bp.route("/vendors")
@requires(Permission.MANAGE_VENDORS)
def vendors() -> str:
    """Every registered vendor with its 法人番号 and parent company."""
    rows = db.session.exec(select(Vendor).order_by(Vendor.name)).all()
    return render_template("outsourcings/vendors.html", vendors=rows, by_id={v.id: v for v in rows})


@bp.route("/vendors/<int:vendor_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_VENDORS)
def vendor_edit(vendor_id: int) -> Response | str:
    """Change a vendor's details and its parent company (so a 子会社 is recognised)."""
    vendor = db.session.get(Vendor, vendor_id) or abort(404)
    form = VendorForm(obj=vendor)
    others = db.session.exec(
        select(Vendor).where(Vendor.id != vendor.id).order_by(Vendor.name)
    ).all()
    form.parent_vendor_id.choices = [(None, _("（なし）"))] + [(v.id, v.name) for v in others]
    if form.validate_on_submit():
        try:
            ops.update_vendor(
                session=db.session,
                vendor=vendor,
                name=form.name.data,
                address=form.address.data or "",
                contact=form.contact.data or "",
                parent_vendor_id=form.parent_vendor_id.data,
            )
        except ops.ChainError as error:
            form.parent_vendor_id.errors.append(error.message)
        else:
            flash(_("委託先「%(name)s」を更新しました。", name=vendor.name), "success")
            return redirect(url_for("outsourcings.vendors"))
    return render_template("outsourcings/vendor_form.html", form=form, vendor=vendor)
