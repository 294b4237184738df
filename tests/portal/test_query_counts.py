"""No page that lists the tree sends a query per node: the number of SQL statements for the
tree, the ledger and the inspections list is the same for a small and a five times larger
tree (counts, not times: bench/bench_tree.py measures the times)."""

from __future__ import annotations

from datetime import date

import pytest
from chain_helpers import make_node
from sqlalchemy import event

from portal.inspections.operations import sync_inspections
from portal.permissions import Role
from portal.reviews.models import ContractDocument, DocumentStatus

PAGES = ["/outsourcings/tree", "/ledger/", "/inspections/", "/api/v1/outsourcings?limit=500"]


def grow(app, factory, *, chains: int, depth: int, uploader_id: int) -> None:
    """``chains`` chains of ``depth`` tiers, each node with its own vendor; every other node
    has an analysed contract and every active node its inspection (badges have data)."""
    department = factory.department()
    for _ in range(chains):
        parent = None
        for tier in range(depth):
            node = make_node(
                factory, department_id=department.id, vendor=factory.vendor(), parent=parent
            )
            if tier % 2 == 0:
                factory.session.add(
                    ContractDocument(
                        outsourcing_id=node.id,
                        version=1,
                        kind="original",
                        filename="契約書.pdf",
                        storage_key=f"documents/n{node.id}.pdf",
                        sha256=f"{node.id:064x}",
                        size=1,
                        uploaded_by_id=uploader_id,
                        status=DocumentStatus.DONE,
                        statuses={"c1": "satisfied"},
                    )
                )
            parent = node
    with app.app_context():
        sync_inspections(session=factory.session, today=date.today())
    factory.session.commit()


def statements(connection, client, path: str) -> int:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_rest) -> None:
        seen.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(connection, "before_cursor_execute", record)
    assert response.status_code == 200, (path, response.status_code)
    return len(seen)


@pytest.mark.parametrize("path", PAGES)
def test_statements_do_not_grow_with_the_tree(app, client, login, factory, connection, path):
    chief = login(Role.CHIEF)
    if path.startswith("/api/"):
        from portal.api.operations import create_token

        secret = create_token(session=factory.session, user=chief).secret
        factory.session.commit()
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    grow(app, factory, chains=2, depth=3, uploader_id=chief.id)
    client.get(path)  # first request: caches warmed on both sizes alike
    small = statements(connection, client, path)
    grow(app, factory, chains=8, depth=4, uploader_id=chief.id)  # 6 → 38 nodes
    large = statements(connection, client, path)
    assert small > 0
    assert large == small, f"{path}: {small} statements for 6 nodes, {large} for 38"
