"""The clause catalog (``catalog.toml``): ids, titles and vocabulary, loaded as data."""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

CATALOG_PATH = Path(__file__).with_name("catalog.toml")
# Further catalogs (the matters of other kinds of contract), one TOML file each, by name.
CATALOGS_DIR = Path(__file__).with_name("catalogs")
DEFAULT_CATALOG = "outsourcing"


class CatalogError(ValueError):
    """A catalog name that names no catalog file."""


@dataclass(frozen=True)
class Facet:
    """One half of a clause (e.g. the "purpose" half of confidentiality)."""

    id: str
    title: str
    patterns: MappingProxyType  # name → compiled regex
    # For the data-driven rule (clauses/facets/generic.py): how the act must be worded
    # (duty, forbid, right, stated) and whether personal information must be named.
    mode: str = ""
    personal: str = ""

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
    # The rule module that decides the clause (clauses/facets/); the id when empty.
    rule: str = ""

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

    # Which catalog this is, the profile article that requires its matters and the paragraph.
    name: str = DEFAULT_CATALOG
    title: str = ""
    article: str = "outsourcing"
    paragraph: str = "第1項"
    # Names that hold a party's word but denote someone else (再委託先, サブ処理者).
    third_party_terms: tuple[str, ...] = ()

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
            if k not in ("id", "title", "mode", "personal") and isinstance(v, str)
        }
    )


def _facet(f: dict[str, Any]) -> Facet:
    return Facet(
        f["id"], f["title"], _compile(f), mode=f.get("mode", ""), personal=f.get("personal", "")
    )


def _clause(c: dict[str, Any]) -> Clause:
    if "from" in c:
        # A matter another catalog already defines (its vocabulary and rule), under this
        # catalog's title and regulation wording.
        base = load_named_catalog(c["from"]).clause(c.get("base", c["id"]))
        return dataclasses.replace(
            base,
            id=c["id"],
            title=c.get("title", base.title),
            regulation=c.get("regulation", base.regulation),
            rule=base.rule or base.id,
        )
    return Clause(
        id=c["id"],
        title=c["title"],
        regulation=c["regulation"],
        prefilter=re.compile(c["prefilter"]),
        facets=tuple(_facet(f) for f in c.get("facet", [])),
        topic=re.compile(c["topic"]) if "topic" in c else None,
        mention=re.compile(c["mention"]) if "mention" in c else None,
        rule=c.get("rule", ""),
    )


def _vocabulary(data: dict[str, Any]) -> dict[str, Any]:
    """The catalog's vocabulary; ``[catalog] vocabulary = "outsourcing"`` starts from that
    catalog's and adds this one's: term lists are extended, patterns are replaced."""
    own = data.get("vocabulary", {})
    base_name = data.get("catalog", {}).get("vocabulary")
    if not base_name:
        return own
    base_path = catalog_path(base_name)
    voc = dict(tomllib.loads(base_path.read_text(encoding="utf-8"))["vocabulary"])
    for key, value in own.items():
        if isinstance(value, list):
            voc[key] = [*voc.get(key, []), *value]
        else:
            voc[key] = value
    return voc


def available_catalogs() -> list[str]:
    """Names of the catalogs a check can use (``outsourcing`` first)."""
    names = sorted(p.stem for p in CATALOGS_DIR.glob("*.toml"))
    return [DEFAULT_CATALOG, *(n for n in names if n != DEFAULT_CATALOG)]


def catalog_path(name: str) -> Path:
    """The TOML file of the catalog ``name``."""
    if name == DEFAULT_CATALOG:
        return CATALOG_PATH
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or not (CATALOGS_DIR / f"{name}.toml").is_file():
        raise CatalogError(name)
    return CATALOGS_DIR / f"{name}.toml"


def load_named_catalog(name: str = DEFAULT_CATALOG) -> Catalog:
    """Load the catalog ``name`` (``outsourcing``: the eight matters of CLAUSES.md)."""
    return load_catalog(catalog_path(name))


@functools.cache
def load_catalog(path: Path = CATALOG_PATH) -> Catalog:
    """Load and compile a clause catalog."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    voc = _vocabulary(data)
    head = data.get("catalog", {})
    clauses = tuple(_clause(c) for c in data["clause"])
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
        name=head.get("name", DEFAULT_CATALOG),
        title=head.get("title", ""),
        article=head.get("article", "outsourcing"),
        paragraph=head.get("paragraph", "第1項"),
        third_party_terms=tuple(voc.get("third_party_terms", ())),
    )
