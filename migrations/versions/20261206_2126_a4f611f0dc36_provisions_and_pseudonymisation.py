"""provisions to other bodies (register, agreements, checks, improvement requests) and the
pseudonymisation decision of each outsourcing

Revision ID: a4f611f0dc36
Revises: 5a1c64ec1e0c
Create Date: 2026-12-06 21:26:44.672492
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "a4f611f0dc36"
down_revision: str | None = "5a1c64ec1e0c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "provisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("recipient_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("recipient_kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("information_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("legal_basis", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("record_scope", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("usage_form", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("agreement_date", sa.Date(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("safety_measures", sa.JSON(), nullable=False),
        sa.Column(
            "safety_measures_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False
        ),
        sa.Column("pseudonymisation", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column(
            "pseudonymisation_reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False
        ),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("provisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provisions_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_provisions_status"), ["status"], unique=False)

    op.create_table(
        "outsourcing_pseudonymisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outsourcing_id", sa.Integer(), nullable=False),
        sa.Column("pseudonymisation", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["outsourcing_id"], ["outsourcings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("outsourcing_id"),
    )
    op.create_table(
        "provision_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("storage_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("provision_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["provision_id"], ["provisions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provision_id", "sha256"),
        sa.UniqueConstraint("storage_key"),
    )
    with op.batch_alter_table("provision_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provision_attachments_provision_id"), ["provision_id"], unique=False
        )

    op.create_table(
        "provision_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provision_id", sa.Integer(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("timing", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("method", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("findings", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("checked_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["checked_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(["provision_id"], ["provisions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("provision_checks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provision_checks_provision_id"), ["provision_id"], unique=False
        )

    op.create_table(
        "provision_improvements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("provision_id", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.Integer(), nullable=False),
        sa.Column("request", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("response", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["check_id"], ["provision_checks.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(["provision_id"], ["provisions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("provision_improvements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provision_improvements_check_id"), ["check_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_provision_improvements_due_date"), ["due_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_provision_improvements_provision_id"), ["provision_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_provision_improvements_status"), ["status"], unique=False
        )

    op.create_table(
        "improvement_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("improvement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["improvement_id"], ["provision_improvements.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("improvement_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_improvement_events_improvement_id"), ["improvement_id"], unique=False
        )

    op.create_table(
        "improvement_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("recipients", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("improvement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["improvement_id"], ["provision_improvements.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("improvement_id", "kind"),
    )
    with op.batch_alter_table("improvement_reminders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_improvement_reminders_improvement_id"), ["improvement_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("improvement_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_improvement_reminders_improvement_id"))

    op.drop_table("improvement_reminders")
    with op.batch_alter_table("improvement_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_improvement_events_improvement_id"))

    op.drop_table("improvement_events")
    with op.batch_alter_table("provision_improvements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provision_improvements_status"))
        batch_op.drop_index(batch_op.f("ix_provision_improvements_provision_id"))
        batch_op.drop_index(batch_op.f("ix_provision_improvements_due_date"))
        batch_op.drop_index(batch_op.f("ix_provision_improvements_check_id"))

    op.drop_table("provision_improvements")
    with op.batch_alter_table("provision_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provision_checks_provision_id"))

    op.drop_table("provision_checks")
    with op.batch_alter_table("provision_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provision_attachments_provision_id"))

    op.drop_table("provision_attachments")
    op.drop_table("outsourcing_pseudonymisations")
    with op.batch_alter_table("provisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provisions_status"))
        batch_op.drop_index(batch_op.f("ix_provisions_department_id"))

    op.drop_table("provisions")
