"""The clause rules, one module per clause, registered by clause id.

Each module has ``candidate`` (a cheap filter on the text), ``rule`` (the findings of one
parsed sentence), ``bound`` (the best strength per facet a sentence could reach, judged from
its vocabulary alone, so that the checker parses only what could change a result) and
``advice`` (advisory notes that never change the status).
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from clauses.catalog import Clause
from clauses.context import Context, Finding
from clauses.facets import (
    breach_remedies,
    confidentiality,
    copying,
    incident,
    reporting_audit,
    return_deletion,
    security,
    subcontracting,
)

Filter = Callable[[Context, Clause, int], bool]
Rule = Callable[[Context, Clause, int], list[Finding]]
Bound = Callable[[Context, Clause, int], dict[str, int]]
Advice = Callable[[Context], list[str]]

RULES: dict[str, ModuleType] = {
    "confidentiality": confidentiality,
    "subcontracting": subcontracting,
    "copying": copying,
    "security": security,
    "incident": incident,
    "return_deletion": return_deletion,
    "breach_remedies": breach_remedies,
    "reporting_audit": reporting_audit,
}


def rules_of(clause_id: str) -> tuple[Filter, Rule, Bound, Advice]:
    """The candidate filter, rule, bound and advice of ``clause_id``."""
    m = RULES[clause_id]
    return m.candidate, m.rule, m.bound, m.advice
