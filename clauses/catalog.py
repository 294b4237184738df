"""The clause catalog (``catalog.toml``): ids, titles and vocabulary, loaded as data."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

CATALOG_PATH = Path(__file__).with_name("catalog.toml")


@dataclass(frozen=True)
class Facet:
    """One half of a clause (e.g. the "purpose" half of confidentiality)."""

    id: str
    title: str
    patterns: MappingProxyType  # name → compiled regex

    def rx(self, name: str) -> re.Pattern[str]:
        """The compiled pattern ``name`` of this facet."""
        return self.patterns[name]


@dataclass(frozen=True)
class Clause:
    """One of the eight required matters."""

    id: str
    title: str
    regulation: str
    prefilter: re.Pattern[str]
    facets: tuple[Facet, ...]
    # The matter's own words, for texts that defer it (…については、別途協議して定める).
    topic: re.Pattern[str] | None = None
    # Words whose mere presence shows the matter is touched (weak when nothing else is found).
    mention: re.Pattern[str] | None = None

    def facet(self, facet_id: str) -> Facet:
        """The facet ``facet_id``."""
        return next(f for f in self.facets if f.id == facet_id)


@dataclass(frozen=True)
class Catalog:
    """All clauses in CLAUSES.md order plus the shared vocabulary."""

    clauses: tuple[Clause, ...]
    personal: re.Pattern[str]
    principal_terms: tuple[str, ...]
    contractor_terms: tuple[str, ...]
    mutual_terms: tuple[str, ...]
    staff_terms: tuple[str, ...]
    self_terms: tuple[str, ...]
    customer_terms: tuple[str, ...]
    service_user_terms: tuple[str, ...]
    approval: re.Pattern[str]
    notice: re.Pattern[str]
    consult: re.Pattern[str]
    generic_secret: re.Pattern[str]
    carrier: re.Pattern[str]
    information: re.Pattern[str]
    other_matter: re.Pattern[str]
    law_name: re.Pattern[str]
    # Every pattern of [vocabulary] by name, for the rules' other words (occurrence …).
    patterns: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    def rx(self, name: str) -> re.Pattern[str]:
        """The compiled vocabulary pattern ``name``."""
        return self.patterns[name]

    @property
    def ids(self) -> tuple[str, ...]:
        """Clause ids in catalog order."""
        return tuple(c.id for c in self.clauses)

    def clause(self, clause_id: str) -> Clause:
        """The clause ``clause_id``."""
        return next(c for c in self.clauses if c.id == clause_id)


def _compile(data: dict[str, Any]) -> MappingProxyType:
    return MappingProxyType(
        {
            k: re.compile(v)
            for k, v in data.items()
            if k not in ("id", "title") and isinstance(v, str)
        }
    )


@functools.cache
def load_catalog(path: Path = CATALOG_PATH) -> Catalog:
    """Load and compile the clause catalog."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    voc = data["vocabulary"]
    clauses = tuple(
        Clause(
            id=c["id"],
            title=c["title"],
            regulation=c["regulation"],
            prefilter=re.compile(c["prefilter"]),
            facets=tuple(Facet(f["id"], f["title"], _compile(f)) for f in c.get("facet", [])),
            topic=re.compile(c["topic"]) if "topic" in c else None,
            mention=re.compile(c["mention"]) if "mention" in c else None,
        )
        for c in data["clause"]
    )
    return Catalog(
        clauses=clauses,
        personal=re.compile(voc["personal"]),
        principal_terms=tuple(voc["principal_terms"]),
        contractor_terms=tuple(voc["contractor_terms"]),
        mutual_terms=tuple(voc["mutual_terms"]),
        staff_terms=tuple(voc["staff_terms"]),
        self_terms=tuple(voc["self_terms"]),
        customer_terms=tuple(voc["customer_terms"]),
        service_user_terms=tuple(voc["service_user_terms"]),
        approval=re.compile(voc["approval"]),
        notice=re.compile(voc["notice"]),
        consult=re.compile(voc["consult"]),
        generic_secret=re.compile(voc["generic_secret"]),
        carrier=re.compile(voc["carrier"]),
        information=re.compile(voc["information"]),
        other_matter=re.compile(voc["other_matter"]),
        patterns=_compile(voc),
        law_name=re.compile(voc["law_name"]),
    )
