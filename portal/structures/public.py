"""What other features may read of management structures (the inspection record shows the
structure confirmed in force on the inspection day)."""

from __future__ import annotations

from portal.structures.queries import confirmed_on, structure_at
from portal.structures.rules import StaffMember, summarise

__all__ = ["StaffMember", "confirmed_on", "structure_at", "summarise"]
