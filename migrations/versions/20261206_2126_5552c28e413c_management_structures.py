"""management structures: the written structure (責任者及び業務従事者の管理体制) per version,
its history, reminders and attachments

Revision ID: 5552c28e413c
Revises: a4f611f0dc36
Create Date: 2026-12-06 21:26:01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "5552c28e413c"
down_revision: str | None = "a4f611f0dc36"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "management_structures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("outsourcing_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("responsible_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "responsible_title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False
        ),
        sa.Column(
            "responsible_contact", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False
        ),
        sa.Column("staff", sa.JSON(), nullable=False),
        sa.Column("places", sa.JSON(), nullable=False),
        sa.Column("systems", sa.JSON(), nullable=False),
        sa.Column("remarks", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("review_comment", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["outsourcing_id"], ["outsourcings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("outsourcing_id", "version"),
    )
    with op.batch_alter_table("management_structures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_management_structures_due_date"), ["due_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_management_structures_outsourcing_id"), ["outsourcing_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_management_structures_status"), ["status"], unique=False
        )

    op.create_table(
        "structure_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("storage_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("structure_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["structure_id"], ["management_structures.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("storage_key"),
        sa.UniqueConstraint("structure_id", "sha256"),
    )
    with op.batch_alter_table("structure_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_structure_attachments_structure_id"), ["structure_id"], unique=False
        )

    op.create_table(
        "structure_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("structure_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(["structure_id"], ["management_structures.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("structure_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_structure_events_structure_id"), ["structure_id"], unique=False
        )

    op.create_table(
        "structure_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("recipients", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("structure_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["structure_id"], ["management_structures.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("structure_id", "kind"),
    )
    with op.batch_alter_table("structure_reminders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_structure_reminders_structure_id"), ["structure_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("structure_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_structure_reminders_structure_id"))

    op.drop_table("structure_reminders")
    with op.batch_alter_table("structure_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_structure_events_structure_id"))

    op.drop_table("structure_events")
    with op.batch_alter_table("structure_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_structure_attachments_structure_id"))

    op.drop_table("structure_attachments")
    with op.batch_alter_table("management_structures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_management_structures_status"))
        batch_op.drop_index(batch_op.f("ix_management_structures_outsourcing_id"))
        batch_op.drop_index(batch_op.f("ix_management_structures_due_date"))

    op.drop_table("management_structures")
