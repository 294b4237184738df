"""dispatch contracts and documents of other records

A contract document may now belong to another feature's record (owner_kind, owner_id) instead
of an outsourcing, and records the clause catalog it is checked against (existing rows:
"outsourcing"). The dispatch contracts (労働者派遣契約) are a new table.

Revision ID: 5a1c64ec1e0c
Revises: 7c1e5a9d3b42
Create Date: 2026-12-06 21:29:21.579108
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "5a1c64ec1e0c"
down_revision: str | None = "7c1e5a9d3b42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dispatch_contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_number", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("work", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column(
            "personal_information", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False
        ),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=False),
        sa.Column("trained_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"]),
        sa.ForeignKeyConstraint(["vendor_id"], ["vendors.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contract_number"),
    )
    with op.batch_alter_table("dispatch_contracts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dispatch_contracts_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_dispatch_contracts_vendor_id"), ["vendor_id"], unique=False
        )

    with op.batch_alter_table("contract_documents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("owner_kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        # Every existing document is an outsourcing's contract, checked against the eight.
        batch_op.add_column(
            sa.Column(
                "catalog",
                sqlmodel.sql.sqltypes.AutoString(length=32),
                nullable=False,
                server_default="outsourcing",
            )
        )
        batch_op.alter_column("outsourcing_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(
            batch_op.f("ix_contract_documents_owner_id"), ["owner_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contract_documents_owner_kind"), ["owner_kind"], unique=False
        )
        batch_op.create_unique_constraint(
            "uq_contract_documents_owner_sha256", ["owner_kind", "owner_id", "sha256"]
        )
        batch_op.create_unique_constraint(
            "uq_contract_documents_owner_version", ["owner_kind", "owner_id", "version"]
        )
        # Exactly one owner (autogenerate does not compare CHECK constraints: written by hand).
        batch_op.create_check_constraint(
            "ck_contract_documents_owner", "(outsourcing_id IS NULL) <> (owner_id IS NULL)"
        )
    with op.batch_alter_table("contract_documents", schema=None) as batch_op:
        # The default served the existing rows; the model sets the value from now on.
        batch_op.alter_column("catalog", server_default=None)


def downgrade() -> None:
    # Documents of other records have no outsourcing: they go with the feature's table.
    op.execute("DELETE FROM contract_documents WHERE outsourcing_id IS NULL")
    with op.batch_alter_table("contract_documents", schema=None) as batch_op:
        batch_op.drop_constraint("ck_contract_documents_owner", type_="check")
        batch_op.drop_constraint("uq_contract_documents_owner_version", type_="unique")
        batch_op.drop_constraint("uq_contract_documents_owner_sha256", type_="unique")
        batch_op.drop_index(batch_op.f("ix_contract_documents_owner_kind"))
        batch_op.drop_index(batch_op.f("ix_contract_documents_owner_id"))
        batch_op.alter_column("outsourcing_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("catalog")
        batch_op.drop_column("owner_id")
        batch_op.drop_column("owner_kind")

    with op.batch_alter_table("dispatch_contracts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispatch_contracts_vendor_id"))
        batch_op.drop_index(batch_op.f("ix_dispatch_contracts_department_id"))

    op.drop_table("dispatch_contracts")
