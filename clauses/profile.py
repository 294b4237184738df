"""Regulation profiles: what varies by municipality, kept as TOML data.

A profile names the municipality, the article numbers of its regulation, the title each
portal role carries there, and the defaults for inspections, reports and incidents. A new
municipality is a new TOML file, either in ``clauses/profiles/`` or in a directory passed as
``search_path`` (the portal passes ``PORTAL_PROFILE_PATH``).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

BUILTIN_DIR = Path(__file__).with_name("profiles")
ROLES = ("admin", "chief", "manager", "staff", "auditor", "vendor")
REQUIRED_ARTICLES = ("outsourcing", "provision", "incident_report")
# How often a contractor reports its compliance (定期報告), in months per period.
REPORTING_FREQUENCIES = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
_PROFILE_ID = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


class ProfileError(ValueError):
    """A profile is missing, or its file is not a valid profile."""


@dataclass(frozen=True)
class Profile:
    """One municipality's regulation, as the portal and the checker need it."""

    id: str
    municipality: str
    regulation: str
    articles: Mapping[str, str]
    roles: Mapping[str, str]
    inspection: Mapping[str, Any]
    reporting: Mapping[str, Any]
    incident: Mapping[str, Any]
    security: Mapping[str, Any]
    source: Path

    def article(self, key: str) -> str:
        """The article number (e.g. ``第37条``) the regulation uses for ``key``."""
        return self.articles.get(key, "")

    def role_title(self, role: str) -> str:
        """The title a portal role carries in this municipality (e.g. ``取扱責任者``)."""
        return self.roles.get(role, role)


def _search_dirs(search_path: Iterable[str | os.PathLike[str]] | None) -> list[Path]:
    dirs = [Path(p) for p in (search_path or ()) if p]
    return [*dirs, BUILTIN_DIR]


def available_profiles(search_path: Iterable[str | os.PathLike[str]] | None = None) -> list[str]:
    """Profile ids found on the search path, extra directories first, sorted."""
    found: set[str] = set()
    for directory in _search_dirs(search_path):
        if directory.is_dir():
            found.update(p.stem for p in directory.glob("*.toml") if _PROFILE_ID.match(p.stem))
    return sorted(found)


def load_profile(name: str, search_path: Iterable[str | os.PathLike[str]] | None = None) -> Profile:
    """Load and validate the profile ``name`` (``miki``, ``kuki``, or one on ``search_path``)."""
    if not _PROFILE_ID.match(name or ""):
        raise ProfileError(f"invalid profile name: {name!r}")
    for directory in _search_dirs(search_path):
        path = directory / f"{name}.toml"
        if path.is_file():
            return _parse(path)
    raise ProfileError(
        f"profile {name!r} not found (available: {', '.join(available_profiles(search_path))})"
    )


def _parse(path: Path) -> Profile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"{path}: {exc}") from exc

    def text(key: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ProfileError(f"{path}: '{key}' must be a non-empty string")
        return value

    def table(key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise ProfileError(f"{path}: [{key}] must be a table")
        return value

    if text("id") != path.stem:
        raise ProfileError(f"{path}: id {data['id']!r} does not match the file name")
    articles, roles = table("articles"), table("roles")
    missing = [k for k in REQUIRED_ARTICLES if not articles.get(k)]
    missing += [f"roles.{r}" for r in ROLES if not roles.get(r)]
    if missing:
        raise ProfileError(f"{path}: missing {', '.join(missing)}")
    inspection = {
        "interval_months": 12,
        "high_sensitivity_interval_months": 12,
        "high_sensitivity_persons": 1000,
        **table("inspection"),
    }
    interval = inspection["interval_months"]
    if not isinstance(interval, int) or not 1 <= interval <= 12:
        raise ProfileError(
            f"{path}: inspection.interval_months must be 1..12 (at least once a year)"
        )
    reporting = {
        "default_frequency": "quarterly",
        "due_days_after_period": 14,
        **table("reporting"),
    }
    if reporting["default_frequency"] not in REPORTING_FREQUENCIES:
        raise ProfileError(
            f"{path}: reporting.default_frequency must be one of {', '.join(REPORTING_FREQUENCIES)}"
        )
    due_days = reporting["due_days_after_period"]
    if not isinstance(due_days, int) or not 0 <= due_days <= 90:
        raise ProfileError(f"{path}: reporting.due_days_after_period must be 0..90 (days)")
    return Profile(
        id=data["id"],
        municipality=text("municipality"),
        regulation=text("regulation"),
        articles=MappingProxyType(dict(articles)),
        roles=MappingProxyType(dict(roles)),
        inspection=MappingProxyType(inspection),
        reporting=MappingProxyType(reporting),
        incident=MappingProxyType(dict(table("incident"))),
        security=MappingProxyType({"totp_required": False, **table("security")}),
        source=path,
    )
