"""The hash chain, pure: canonical serialization, the hash, and the checks ``verify`` runs.

hash = SHA-256( prev_hash || "\\n" || canonical JSON of the recorded fields ). ``seq`` is not
hashed: the order is what the ``prev_hash`` links say, so a renumbered or moved row shows as
*reordered* and a missing one as *deleted*, while an altered field shows as *edited*.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

HASHED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_label",
    "role",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "address",
    "request_id",
    "detail",
)


class ChainRow(Protocol):
    seq: int
    id: int | None
    prev_hash: str
    hash: str


def canonical_time(value: datetime) -> str:
    """A timestamp as UTC ISO 8601 with microseconds (naive values are taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_detail(detail: dict[str, Any] | None) -> str:
    """The detail as canonical JSON: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(
        detail or {}, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )


def canonical(row: Any) -> str:
    """The bytes-to-be of one event: its hashed fields as canonical JSON."""
    fields: dict[str, Any] = {}
    for name in HASHED_FIELDS:
        value = getattr(row, name)
        if name == "occurred_at":
            value = canonical_time(value)
        fields[name] = value
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(row: Any, prev_hash: str) -> str:
    """The chain hash of ``row`` following ``prev_hash``."""
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical(row).encode("utf-8"))
    return digest.hexdigest()


@dataclass(frozen=True)
class Problem:
    """One thing ``verify`` found wrong: its kind and the record it concerns."""

    kind: str  # edited, deleted, reordered, truncated, checkpoint
    seq: int | None
    message: str


@dataclass
class ChainSummary:
    count: int = 0
    head_seq: int = 0
    head_hash: str = ""


def check_chain(
    rows: Iterable[ChainRow],
    *,
    genesis: str,
    seq_of_hash: Callable[[str], int | None],
    start_seq: int = 1,
) -> tuple[ChainSummary, list[Problem]]:
    """Walk ``rows`` in ``seq`` order from ``start_seq`` (whose predecessor's hash is
    ``genesis``); report edits, deletions and reordering by record."""
    problems: list[Problem] = []
    summary = ChainSummary(head_seq=start_seq - 1, head_hash=genesis)
    expected_seq = start_seq
    previous_hash = genesis
    for row in rows:
        summary.count += 1
        if event_hash(row, row.prev_hash) != row.hash:
            problems.append(
                Problem(
                    "edited",
                    row.seq,
                    f"record seq={row.seq} (id={row.id}): its content no longer matches its hash",
                )
            )
        if row.seq != expected_seq:
            if row.seq > expected_seq:
                missing = (
                    f"seq={expected_seq}"
                    if row.seq == expected_seq + 1
                    else f"seq={expected_seq}..{row.seq - 1}"
                )
                problems.append(
                    Problem("deleted", expected_seq, f"record(s) {missing} are missing")
                )
            else:
                problems.append(
                    Problem("reordered", row.seq, f"record seq={row.seq} appears out of sequence")
                )
        elif row.prev_hash != previous_hash:
            linked = seq_of_hash(row.prev_hash)
            if row.prev_hash == genesis or linked is not None:
                where = "the start" if linked is None else f"seq={linked}"
                problems.append(
                    Problem(
                        "reordered",
                        row.seq,
                        f"record seq={row.seq} (id={row.id}) follows {where} in the chain, "
                        f"not seq={row.seq - 1}: records were reordered",
                    )
                )
            else:
                problems.append(
                    Problem(
                        "deleted",
                        row.seq,
                        f"the record before seq={row.seq} (id={row.id}) is missing: "
                        "a record was deleted",
                    )
                )
        expected_seq = row.seq + 1
        previous_hash = row.hash
        summary.head_seq, summary.head_hash = row.seq, row.hash
    return summary, problems
