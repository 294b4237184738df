"""selection: vendor certifications (evidence, reminders, withdrawal) and per-outsourcing selection records

Revision ID: 7c32497adbf5
Revises: 5552c28e413c
Create Date: 2026-12-06 21:39:22.077509
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "7c32497adbf5"
down_revision: str | None = "5552c28e413c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "certifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("cert_type", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("withdrawn_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "withdrawal_reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(["vendor_id"], ["vendors.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("certifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certifications_expires_on"), ["expires_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_certifications_vendor_id"), ["vendor_id"], unique=False
        )
        batch_op.create_index(
            "uq_certifications_current_number",
            ["cert_type", "number"],
            unique=True,
            sqlite_where=sa.text("withdrawn_at IS NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL"),
        )

    op.create_table(
        "certification_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("storage_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("certification_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["certification_id"], ["certifications.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("certification_id", "sha256"),
        sa.UniqueConstraint("storage_key"),
    )
    with op.batch_alter_table("certification_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certification_attachments_certification_id"),
            ["certification_id"],
            unique=False,
        )

    op.create_table(
        "certification_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("recipients", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("certification_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["certification_id"], ["certifications.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("certification_id", "kind"),
    )
    with op.batch_alter_table("certification_reminders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certification_reminders_certification_id"),
            ["certification_id"],
            unique=False,
        )

    op.create_table(
        "selection_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outsourcing_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column(
            "checklist_comment", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False
        ),
        sa.Column("uses_cloud", sa.Boolean(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=True),
        sa.Column("excess_reason", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["outsourcing_id"], ["outsourcings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("outsourcing_id"),
    )


def downgrade() -> None:
    op.drop_table("selection_records")
    with op.batch_alter_table("certification_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certification_reminders_certification_id"))

    op.drop_table("certification_reminders")
    with op.batch_alter_table("certification_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certification_attachments_certification_id"))

    op.drop_table("certification_attachments")
    with op.batch_alter_table("certifications", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_certifications_current_number",
            sqlite_where=sa.text("withdrawn_at IS NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_certifications_vendor_id"))
        batch_op.drop_index(batch_op.f("ix_certifications_expires_on"))

    op.drop_table("certifications")
