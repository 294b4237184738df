"""Property: for random trees and users, every answer holds exactly what the user may see."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.models import Outsourcing, User
from portal.outsourcings.scope import visible_outsourcings
from portal.permissions import Permission, Role
from portal_testing import sign_in

# A tree: for each node after the first few roots, the index of its parent (or None), its
# vendor index and its department index (departments only matter at the roots).
trees = st.lists(
    st.tuples(st.integers(min_value=-1, max_value=30), st.integers(0, 4), st.integers(0, 2)),
    min_size=1,
    max_size=18,
)
viewers = st.tuples(st.sampled_from([r.value for r in Role]), st.integers(0, 4), st.integers(0, 2))


def expected(nodes: list[Outsourcing], user: User) -> set[int]:
    """The rule, written independently of the SQL."""
    if user.role in {"chief", "auditor"}:
        return {n.id for n in nodes}
    if user.role == "admin":
        return set()
    if user.role in {"manager", "staff"}:
        return {n.id for n in nodes if n.department_id == user.department_id}
    by_id = {n.id: n for n in nodes}
    visible = set()
    for node in nodes:
        cursor: Outsourcing | None = node
        while cursor is not None:
            if cursor.vendor_id == user.vendor_id:
                visible.add(node.id)
                break
            cursor = by_id.get(cursor.parent_id) if cursor.parent_id else None
    return visible


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(shape=trees, viewer=viewers)
def test_every_answer_holds_exactly_the_users_scope(app, db_session, factory, shape, viewer):
    # Each example adds its own vendors and departments; answers are compared on its own
    # nodes only, and the test's transaction is rolled back at the end.
    vendors = [factory.vendor() for _ in range(5)]
    departments = [factory.department() for _ in range(3)]
    nodes: list[Outsourcing] = []
    for parent_index, vendor_index, department_index in shape:
        parent = nodes[parent_index % len(nodes)] if nodes and parent_index >= 0 else None
        node = Outsourcing(
            task_name=f"業務{len(nodes)}",
            department_id=parent.department_id if parent else departments[department_index].id,
            vendor_id=vendors[vendor_index].id,
            parent_id=parent.id if parent else None,
            start_date=date(2026, 4, 1),
            end_date=date(2027, 3, 31),
            status="active",
        )
        db_session.add(node)
        db_session.flush()
        node.root_id = parent.root_id if parent else node.id
        node.path = f"{parent.path}{node.id}/" if parent else f"/{node.id}/"
        nodes.append(node)
    role, vendor_index, department_index = viewer
    fields = {}
    if role == "vendor":
        fields["vendor_id"] = vendors[vendor_index].id
    if role in {"manager", "staff"}:
        fields["department_id"] = departments[department_index].id
    user = factory.user(role, **fields)
    db_session.commit()

    want = expected(nodes, user)
    ours = {n.id for n in nodes}
    # The query every list uses.
    got = {o.id for o in db_session.exec(visible_outsourcings(user)).all()} & ours
    assert got == want

    # The authorization matrix is the app's (its features grant the permissions).
    with app.app_context():
        reads_outsourcings = user.can(Permission.VIEW_OUTSOURCINGS)
        exports_ledger = user.can(Permission.EXPORT_LEDGER)
    client = app.test_client()
    assert sign_in(client, user.email).status_code == 302
    if not reads_outsourcings:
        # The administrator's role holds no outsourcing pages at all.
        assert client.get("/outsourcings/tree").status_code == 403
        return
    # The tree page.
    html = client.get("/outsourcings/tree").get_data(as_text=True)
    linked = {int(i) for i in re.findall(r'href="/outsourcings/(\d+)"', html)} & ours
    assert linked == want
    # The read API, following ``next`` to the end.
    with app.app_context():
        from portal.api.operations import create_token

        secret = create_token(session=db_session, user=user).secret
        db_session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    api_ids: set[int] = set()
    url: str | None = "/api/v1/outsourcings?limit=7"
    while url:
        answer = client.get(url, headers=headers).get_json()
        api_ids |= {item["id"] for item in answer["items"]}
        url = answer["next"]
    assert api_ids & ours == want
    for node in nodes:
        status = client.get(f"/api/v1/outsourcings/{node.id}", headers=headers).status_code
        assert status == (200 if node.id in want else 404)
    # The ledger export (officers, the chief and the auditor may export).
    if exports_ledger:
        text = client.get("/ledger/export.csv").get_data().decode("utf-8-sig")
        rows = csv.reader(io.StringIO(text))
        exported = {int(row[0]) for row in rows if row and row[0].isdigit()}
        assert exported & ours == want
    # Every detail page: 200 inside the scope, 404 outside.
    for node in nodes:
        status = client.get(f"/outsourcings/{node.id}").status_code
        assert status == (200 if node.id in want else 404), (node.id, role)
