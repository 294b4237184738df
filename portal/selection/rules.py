"""The selection rules as plain data and functions (no Flask, no database): which
certifications exist and which the profile requires, whether one is valid, the selection
checklist, and the personal-information items entrusted at each tier (minimum scope).

Everything comes from the profile's ``[selection]`` table (the outsourcing article's 第1項:
選定, 第2項: 必要最小限); a municipality changes the lists there, never here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

#: When a requirement applies (see ``Requirement``).
CONDITIONS = ("always", "special_care", "persons", "cloud")
#: Days before an expiry at which a certification counts as expiring soon (the first reminder).
DEFAULT_REMINDER_DAYS = (60, 30)


class SelectionRuleError(ValueError):
    """The profile's ``[selection]`` table is not valid (a configuration error, in English)."""


@dataclass(frozen=True)
class Choice:
    """One entry of a controlled list: a fixed key and its Japanese label."""

    id: str
    label: str


@dataclass(frozen=True)
class Requirement:
    """The vendor must hold a valid certification of one of ``any_of`` when the outsourcing
    entrusts 要配慮個人情報 (``special_care``), at least ``min_persons`` persons
    (``persons``), is handled in a cloud service (``cloud``), or ``always``."""

    when: str
    any_of: tuple[str, ...]
    min_persons: int = 0

    def applies(self, *, special_care: bool, persons: int, cloud: bool) -> bool:
        """Whether the requirement applies to an outsourcing with these facts."""
        if self.when == "special_care":
            return special_care
        if self.when == "persons":
            return persons >= self.min_persons
        if self.when == "cloud":
            return cloud
        return True


@dataclass(frozen=True)
class HeldCertification:
    """What the rules need of a certification the vendor holds."""

    type: str
    expires_on: date


@dataclass(frozen=True)
class Finding:
    """An unmet requirement: ``expired`` when only expired certifications of it are held."""

    requirement: Requirement
    expired: bool


@dataclass(frozen=True)
class SelectionRule:
    """The profile's ``[selection]`` table, checked."""

    certifications: tuple[Choice, ...]
    required: tuple[Requirement, ...]
    checklist: tuple[Choice, ...]
    items: tuple[Choice, ...]
    reminder_days: tuple[int, ...] = DEFAULT_REMINDER_DAYS

    @classmethod
    def from_profile(cls, table: Mapping[str, Any]) -> SelectionRule:
        """The rule of a profile's ``selection`` table; SelectionRuleError when invalid."""
        certifications = _choices(table.get("certifications", ()), "certifications", "type")
        checklist = _choices(table.get("checklist", ()), "checklist", "id", label="text")
        items = _choices(table.get("items", ()), "items", "id")
        known = {c.id for c in certifications}
        required = []
        for entry in table.get("required", ()):
            when = entry.get("when", "always")
            any_of = tuple(entry.get("any_of", ()))
            if when not in CONDITIONS:
                raise SelectionRuleError(f"selection.required.when must be one of {CONDITIONS}")
            if not any_of or not set(any_of) <= known:
                raise SelectionRuleError(
                    "selection.required.any_of must list certification types of the profile"
                )
            min_persons = entry.get("min_persons", 0)
            if not isinstance(min_persons, int) or min_persons < 0:
                raise SelectionRuleError("selection.required.min_persons must be >= 0")
            required.append(Requirement(when, any_of, min_persons))
        days = tuple(table.get("reminder_days", DEFAULT_REMINDER_DAYS))
        if not days or not all(isinstance(d, int) and d > 0 for d in days):
            raise SelectionRuleError("selection.reminder_days must be whole numbers > 0")
        return cls(certifications, tuple(required), checklist, items, days)

    # Certifications ---------------------------------------------------------------------

    def certification_label(self, type_: str) -> str:
        """The label of a certification type (the key itself when the profile lost it)."""
        return next((c.label for c in self.certifications if c.id == type_), type_)

    def certification_type(self, text: str) -> str | None:
        """The type named by its key or its label (as the ledger writes it), or None."""
        text = text.strip()
        return next((c.id for c in self.certifications if text in (c.id, c.label)), None)

    def findings(
        self,
        held: Iterable[HeldCertification],
        *,
        special_care: bool,
        persons: int,
        cloud: bool,
        today: date,
    ) -> list[Finding]:
        """The requirements that apply and that no valid certification meets."""
        held = list(held)
        found = []
        for requirement in self.required:
            if not requirement.applies(special_care=special_care, persons=persons, cloud=cloud):
                continue
            matching = [h for h in held if h.type in requirement.any_of]
            if any(is_valid(h.expires_on, today) for h in matching):
                continue
            found.append(Finding(requirement, expired=bool(matching)))
        return found

    def describe(self, requirement: Requirement) -> str:
        """The certifications of a requirement as the user reads them (「A又はB」)."""
        return "又は".join(self.certification_label(t) for t in requirement.any_of)

    # Checklist and items ----------------------------------------------------------------

    def unanswered(self, answers: Mapping[str, Any]) -> list[Choice]:
        """The checklist questions not yet answered (yes or no)."""
        return [q for q in self.checklist if answers.get(q.id) not in ("yes", "no")]

    def concerns(self, answers: Mapping[str, Any]) -> list[Choice]:
        """The checklist questions answered "no"."""
        return [q for q in self.checklist if answers.get(q.id) == "no"]

    def item_labels(self, ids: Iterable[str]) -> list[str]:
        """The labels of item ids, in the profile's order."""
        wanted = set(ids)
        return [i.label for i in self.items if i.id in wanted]

    def item_ids(self, texts: Iterable[str]) -> tuple[list[str], list[str]]:
        """Item ids named by key or label, in the profile's order, and the unknown texts."""
        ids, unknown = set(), []
        for text in texts:
            text = text.strip()
            if not text:
                continue
            match = next((i.id for i in self.items if text in (i.id, i.label)), None)
            if match is None:
                unknown.append(text)
            else:
                ids.add(match)
        return [i.id for i in self.items if i.id in ids], unknown


def is_valid(expires_on: date, today: date) -> bool:
    """A certification is valid through its expiry date."""
    return expires_on >= today


def expiry_state(expires_on: date, today: date, warn_days: int) -> str:
    """``expired``, ``expiring`` (within ``warn_days``) or ``valid``."""
    if not is_valid(expires_on, today):
        return "expired"
    if (expires_on - today).days <= warn_days:
        return "expiring"
    return "valid"


def excess_items(child: Sequence[str], parent: Sequence[str] | None) -> list[str]:
    """The items a subcontract is entrusted beyond its parent's (第2項), in the child's order;
    none when the parent's items are not recorded (nothing to compare with)."""
    if parent is None:
        return []
    allowed = set(parent)
    return [item for item in child if item not in allowed]


def _choices(entries: Any, name: str, key: str, *, label: str = "label") -> tuple[Choice, ...]:
    if not isinstance(entries, list | tuple):
        raise SelectionRuleError(f"selection.{name} must be a list of tables")
    choices = []
    for entry in entries:
        if not isinstance(entry, Mapping) or not entry.get(key) or not entry.get(label):
            raise SelectionRuleError(f"selection.{name} entries need '{key}' and '{label}'")
        choices.append(Choice(str(entry[key]), str(entry[label])))
    if len({c.id for c in choices}) != len(choices):
        raise SelectionRuleError(f"selection.{name}: a {key} is listed twice")
    return tuple(choices)
