"""contract analysis: count of interruptions by a dead worker

Revision ID: 7c1e5a9d3b42
Revises: 56bee83f4318
Create Date: 2026-12-06 20:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c1e5a9d3b42"
down_revision: str | None = "56bee83f4318"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contract_documents") as batch:
        # Existing documents were never taken over: 0, not NULL.
        batch.add_column(
            sa.Column("interruptions", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("contract_documents") as batch:
        batch.drop_column("interruptions")
