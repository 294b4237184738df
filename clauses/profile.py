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
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

BUILTIN_DIR = Path(__file__).with_name("profiles")
ROLES = ("admin", "chief", "manager", "staff", "auditor", "vendor")
REQUIRED_ARTICLES = ("outsourcing", "provision", "incident_report")
# How often a contractor reports its compliance (定期報告), in months per period.
REPORTING_FREQUENCIES = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
#: The facts that make a report to the 個人情報保護委員会 necessary (個人情報保護法第68条第1項,
#: 施行規則第43条 for 行政機関等); a profile lists the ones in force.
COMMISSION_TRIGGERS = (
    "special_care",
    "financial_harm",
    "wrongful_purpose",
    "persons",
    "ordinance_designated",
)
COMMISSION_DEFAULTS: dict[str, Any] = {
    "triggers": list(COMMISSION_TRIGGERS),
    "persons_threshold": 100,  # more than this many persons (101 or more)
    "first_report_days": 5,  # 速報: 速やかに, guidance おおむね3〜5日
    "first_report_guidance": "速やかに（おおむね3〜5日以内）",
    "final_report_days": 30,  # 確報: within 30 days of becoming aware
    "final_report_days_wrongful": 60,  # 60 days for a wrongful-purpose case
    "legal_basis": "個人情報の保護に関する法律第68条第1項、同法施行規則第43条・第44条",
}
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
    # 保有個人情報の提供: the safety measures a recipient may be asked for, the follow-up days.
    provision: Mapping[str, Any] = field(
        default_factory=lambda: MappingProxyType({"follow_up_days": 30, "safety_measures": ()})
    )

    def safety_measures(self) -> dict[str, str]:
        """The safety measures (code → wording) a provision may request, in profile order."""
        return {m["code"]: m["label"] for m in self.provision.get("safety_measures", ())}

    # 選定 and 最小限 (the outsourcing article, 第1項・第2項): certification types, which are
    # required, the selection checklist and the personal-information items (portal.selection
    # reads and checks it).
    selection: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

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
        incident=_incident(path, table("incident")),
        security=MappingProxyType({"totp_required": False, **table("security")}),
        source=path,
        provision=_provision(path, table("provision")),
        selection=MappingProxyType(table("selection")),
    )


def _provision(path: Path, table: dict[str, Any]) -> Mapping[str, Any]:
    """The ``[provision]`` table: safety measures as ``{code, label}`` and the follow-up days."""
    days = table.get("follow_up_days", 30)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
        raise ProfileError(f"{path}: provision.follow_up_days must be 1..365 (days)")
    measures = table.get("safety_measures", [])
    codes: set[str] = set()
    for measure in measures if isinstance(measures, list) else [None]:
        code = measure.get("code") if isinstance(measure, dict) else None
        label = measure.get("label") if isinstance(measure, dict) else None
        if not isinstance(code, str) or not _PROFILE_ID.match(code) or code in codes:
            raise ProfileError(f"{path}: provision.safety_measures needs unique lower-case codes")
        if not isinstance(label, str) or not label.strip():
            raise ProfileError(f"{path}: provision.safety_measures.{code} needs a label")
        codes.add(code)
    frozen = tuple(MappingProxyType({"code": m["code"], "label": m["label"]}) for m in measures)
    return MappingProxyType({"follow_up_days": days, "safety_measures": frozen})


def _incident(path: Path, table: dict[str, Any]) -> Mapping[str, Any]:
    """The ``[incident]`` table: the escalation chain and the Commission-report rules."""
    escalation = table.get("escalation", [])
    if (
        not isinstance(escalation, list)
        or not escalation
        or not all(isinstance(step, str) and step.strip() for step in escalation)
    ):
        raise ProfileError(f"{path}: incident.escalation must be a non-empty list of titles")
    commission_table = table.get("commission", {})
    if not isinstance(commission_table, dict):
        raise ProfileError(f"{path}: [incident.commission] must be a table")
    commission = {**COMMISSION_DEFAULTS, **commission_table}
    triggers = commission["triggers"]
    if not isinstance(triggers, list) or not set(triggers) <= set(COMMISSION_TRIGGERS):
        raise ProfileError(
            f"{path}: incident.commission.triggers must be a list of "
            f"{', '.join(COMMISSION_TRIGGERS)}"
        )
    for key in ("persons_threshold", "first_report_days", "final_report_days"):
        value = commission[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ProfileError(f"{path}: incident.commission.{key} must be a whole number >= 0")
    wrongful = commission["final_report_days_wrongful"]
    if not isinstance(wrongful, int) or wrongful < commission["final_report_days"]:
        raise ProfileError(
            f"{path}: incident.commission.final_report_days_wrongful must be a whole number "
            "no smaller than final_report_days"
        )
    if commission["first_report_days"] > commission["final_report_days"]:
        raise ProfileError(
            f"{path}: incident.commission.first_report_days exceeds final_report_days"
        )
    for key in ("first_report_guidance", "legal_basis"):
        if not isinstance(commission[key], str):
            raise ProfileError(f"{path}: incident.commission.{key} must be a string")
    commission["triggers"] = tuple(triggers)
    return MappingProxyType(
        {**table, "escalation": tuple(escalation), "commission": MappingProxyType(commission)}
    )
