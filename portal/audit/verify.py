"""Checking the access log: the chain, the signed checkpoints, and signing a new checkpoint."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from portal.audit.chain import ChainSummary, Problem, canonical_time, check_chain
from portal.audit.checkpoints import (
    Checkpoint,
    append_checkpoint,
    load_private_key,
    load_public_key,
    public_key_path,
    read_checkpoints,
    signature_valid,
)
from portal.audit.models import GENESIS_HASH, AccessEvent, AuditChainHead
from portal.timeutil import utcnow


@dataclass
class VerifyResult:
    summary: ChainSummary
    problems: list[Problem] = field(default_factory=list)
    checkpoints: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _seq_of_hash(session: Session):
    def lookup(value: str) -> int | None:
        return session.exec(select(AccessEvent.seq).where(AccessEvent.hash == value)).first()

    return lookup


def verify_chain(session: Session) -> tuple[ChainSummary, list[Problem]]:
    """Check every record's hash and link, and the chain head (no checkpoints)."""
    rows = session.exec(
        select(AccessEvent).order_by(AccessEvent.seq).execution_options(yield_per=1000)
    )
    summary, problems = check_chain(rows, genesis=GENESIS_HASH, seq_of_hash=_seq_of_hash(session))
    head = session.get(AuditChainHead, 1)
    if head is not None and head.seq > summary.head_seq:
        problems.append(
            Problem(
                "truncated",
                summary.head_seq + 1,
                f"the chain head says seq={head.seq} but the last record is "
                f"seq={summary.head_seq}: records after it were removed",
            )
        )
    return summary, problems


def verify_log(*, session: Session, config: dict[str, Any]) -> VerifyResult:
    """Check every record's hash and link, every checkpoint's signature and presence."""
    summary, problems = verify_chain(session)
    result = VerifyResult(summary=summary, problems=problems)

    directory = Path(config["AUDIT_CHECKPOINT_DIR"])
    checkpoints = read_checkpoints(directory)
    result.checkpoints = len(checkpoints)
    if not checkpoints:
        result.warnings.append(
            f"no checkpoints in {directory}: truncation cannot be detected without them"
        )
        return result
    key = load_public_key(public_key_path(config))
    for checkpoint in checkpoints:
        _check_checkpoint(session, key, checkpoint, summary, result)
    return result


def _check_checkpoint(
    session: Session, key: Any, checkpoint: Checkpoint, summary: ChainSummary, result: VerifyResult
) -> None:
    where = f"checkpoint line {checkpoint.line} (seq={checkpoint.seq}, {checkpoint.signed_at})"
    if not signature_valid(key, checkpoint):
        result.problems.append(
            Problem("checkpoint", checkpoint.seq, f"{where}: the signature is not valid")
        )
        return
    if checkpoint.seq == 0:
        if checkpoint.hash != GENESIS_HASH:
            result.problems.append(
                Problem("checkpoint", 0, f"{where}: an empty chain with a non-genesis hash")
            )
        return
    if checkpoint.seq > summary.head_seq:
        result.problems.append(
            Problem(
                "truncated",
                summary.head_seq + 1,
                f"{where}: the chain ends at seq={summary.head_seq}; "
                f"records seq={summary.head_seq + 1}..{checkpoint.seq} were removed",
            )
        )
        return
    stored = session.exec(select(AccessEvent).where(AccessEvent.seq == checkpoint.seq)).first()
    if stored is None:
        result.problems.append(
            Problem("deleted", checkpoint.seq, f"{where}: record seq={checkpoint.seq} is missing")
        )
    elif stored.hash != checkpoint.hash:
        result.problems.append(
            Problem(
                "edited",
                checkpoint.seq,
                f"{where}: record seq={checkpoint.seq} has a different hash than was signed: "
                "the chain was rewritten up to here",
            )
        )


def make_checkpoint(*, session: Session, config: dict[str, Any]) -> Checkpoint:
    """Sign the current head and append it to the checkpoint file."""
    key_file = config.get("AUDIT_SIGNING_KEY_FILE")
    if not key_file:
        from portal.audit.checkpoints import CheckpointError

        raise CheckpointError("PORTAL_AUDIT_SIGNING_KEY_FILE is not set")
    key = load_private_key(Path(key_file))
    seq, head_hash = _verified_head(session=session, config=config)
    return append_checkpoint(
        directory=Path(config["AUDIT_CHECKPOINT_DIR"]),
        key=key,
        seq=seq,
        head_hash=head_hash,
        signed_at=canonical_time(utcnow()),
    )


def _verified_head(*, session: Session, config: dict[str, Any]) -> tuple[int, str]:
    """The head, after checking every record since the last checkpoint (never sign a chain
    that was already tampered with)."""
    from portal.audit.checkpoints import CheckpointError

    previous = read_checkpoints(Path(config["AUDIT_CHECKPOINT_DIR"]))
    start_seq, start_hash = 1, GENESIS_HASH
    if previous:
        last = previous[-1]
        if last.seq > 0:
            stored = session.exec(select(AccessEvent).where(AccessEvent.seq == last.seq)).first()
            if stored is None or stored.hash != last.hash:
                raise CheckpointError(
                    f"refusing to sign: record seq={last.seq} no longer matches the last "
                    "checkpoint (run `portal audit verify`)"
                )
        start_seq, start_hash = last.seq + 1, last.hash
    rows = session.exec(
        select(AccessEvent)
        .where(AccessEvent.seq >= start_seq)
        .order_by(AccessEvent.seq)
        .execution_options(yield_per=1000)
    )
    summary, problems = check_chain(
        rows, genesis=start_hash, seq_of_hash=_seq_of_hash(session), start_seq=start_seq
    )
    if problems:
        raise CheckpointError(
            "refusing to sign a tampered chain: " + "; ".join(p.message for p in problems)
        )
    return summary.head_seq, summary.head_hash
