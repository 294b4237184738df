"""The subcontract tree as the manager sees it: one query, built in memory, linear in nodes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from portal.features import NodeSet
from portal.models import Outsourcing, User, Vendor
from portal.outsourcings.badges import Badge, badges_for
from portal.outsourcings.scope import visibility_clause


@dataclass(slots=True)
class NodeRow:
    """The columns of one node the tree shows (lighter than a full ORM object)."""

    id: int
    parent_id: int | None
    root_id: int | None
    path: str
    task_name: str
    status: str
    start_date: date
    end_date: date
    entered_without_approval: bool
    declared_subsidiary: bool

    @property
    def tier(self) -> int:
        return max(self.path.count("/") - 1, 1)


@dataclass(slots=True)
class VendorRow:
    id: int
    name: str
    corporate_number: str


@dataclass(slots=True)
class TreeNode:
    node: NodeRow
    vendor: VendorRow
    badges: list[Badge] = field(default_factory=list)
    children: list[TreeNode] = field(default_factory=list)
    matched: bool = True


@dataclass(frozen=True)
class TreeFilter:
    """What the manager narrows the tree to; nodes that match are shown with their ancestors."""

    root_id: int | None = None
    department_id: int | None = None
    unapproved: bool = False
    overdue: bool = False
    min_tier: int | None = None
    vendor_id: int | None = None
    query: str = ""

    @property
    def narrows(self) -> bool:
        """Whether anything beyond the root and department is asked for."""
        return bool(
            self.unapproved or self.overdue or self.min_tier or self.vendor_id or self.query
        )


@dataclass
class Tree:
    roots: list[TreeNode]
    shown: int
    matched: int
    deepest: int = 1


def _ancestor_ids(node: NodeRow) -> list[int]:
    return [int(part) for part in node.path.strip("/").split("/")[:-1] if part]


def build_tree(
    *, session: Session, user: User, tree_filter: TreeFilter, today: date | None = None
) -> Tree:
    """The visible nodes (filtered) as nested TreeNodes, roots first, each level by id."""
    o = Outsourcing
    conditions = [visibility_clause(user)]
    if tree_filter.root_id:
        conditions.append(o.root_id == tree_filter.root_id)
    if tree_filter.department_id:
        conditions.append(o.department_id == tree_filter.department_id)
    statement = (
        select(
            o.id,
            o.parent_id,
            o.root_id,
            o.path,
            o.task_name,
            o.status,
            o.start_date,
            o.end_date,
            o.entered_without_approval,
            o.declared_subsidiary,
            Vendor.id,
            Vendor.name,
            Vendor.corporate_number,
        )
        .join(Vendor, Vendor.id == o.vendor_id)
        .where(*conditions)
        .order_by(o.path)
    )
    rows = session.exec(statement).all()
    nodes = {row[0]: TreeNode(NodeRow(*row[:10]), VendorRow(*row[10:])) for row in rows}
    # The providers select by the same conditions rather than by 5,000 bound ids.
    shown = NodeSet([n.node for n in nodes.values()], where=conditions)
    badge_map = badges_for(session, shown)
    for node_id, badges in badge_map.items():
        if node_id in nodes:
            nodes[node_id].badges = badges

    keep: set[int] = set(nodes)
    if tree_filter.narrows:
        matches = {node_id for node_id, tn in nodes.items() if _matches(tn, tree_filter)}
        keep = set(matches)
        for node_id in matches:
            keep.update(a for a in _ancestor_ids(nodes[node_id].node) if a in nodes)
        for node_id, tn in nodes.items():
            tn.matched = node_id in matches
    else:
        matches = keep

    roots: list[TreeNode] = []
    for node_id in sorted(keep, key=lambda i: nodes[i].node.path):
        tn = nodes[node_id]
        parent = nodes.get(tn.node.parent_id) if tn.node.parent_id else None
        if parent is not None and parent.node.id in keep:
            parent.children.append(tn)
        else:
            roots.append(tn)  # a root, or the top of what this user may see
    deepest = max((nodes[i].node.tier for i in keep), default=1)
    return Tree(roots=roots, shown=len(keep), matched=len(matches), deepest=deepest)


def _matches(tn: TreeNode, f: TreeFilter) -> bool:
    flags = {flag for badge in tn.badges for flag in badge.flags}
    if f.unapproved and "unapproved" not in flags:
        return False
    if f.overdue and "overdue" not in flags:
        return False
    if f.min_tier and tn.node.tier < f.min_tier:
        return False
    if f.vendor_id and tn.vendor.id != f.vendor_id:
        return False
    if f.query:
        q = f.query.strip().lower()
        digits = q.replace("-", "").replace(" ", "")
        if q not in tn.vendor.name.lower() and not (
            digits.isdigit() and digits in tn.vendor.corporate_number
        ):
            return False
    return True


__all__ = ["NodeRow", "Tree", "TreeFilter", "TreeNode", "VendorRow", "build_tree"]
