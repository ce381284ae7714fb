"""Check the audit trail's hash chains: every origin's rows, in `seq` order, recomputed.

    result = verify(db)                    # or verify_session(session)
    result.intact                          # every chain unbroken
    for chain in result.chains:            # per origin: rows, head, first broken row
        print(chain.origin, chain.rows, chain.head.seq, chain.head.short, chain.broken)

Rows are streamed in batches, so a trail of any length is checked in constant memory.
What the chain shows (first broken row of each origin):

* edited      — the row's content no longer gives its stored hash;
* deleted     — a `seq` is missing, or `prev_hash` names no row of the chain (a row was
                removed and the rest renumbered, or the row before was rewritten with a
                new hash);
* reordered   — `prev_hash` names another row of the chain than the one before it;
* duplicate   — two rows share a `seq` (possible only if the unique constraint is gone).

Deleting the *latest* rows of a chain leaves a shorter, valid chain: compare the heads
with those printed on an earlier report (every report prints them) to see that.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ebconsole.audit.chain import CONTENT_FIELDS, GENESIS, row_hash, short
from ebconsole.audit.models import AuditEntry
from ebconsole.db.session import Database
from ebconsole.i18n import N_

BATCH = 2000

Progress = Callable[[int, int], None]  # (rows checked, rows in all)


class Reason(StrEnum):
    EDITED = "edited"
    DELETED = "deleted"
    REORDERED = "reordered"
    DUPLICATE = "duplicate"


REASON_LABELS: dict[Reason, str] = {
    Reason.EDITED: N_("content edited (hash mismatch)"),
    Reason.DELETED: N_("row deleted or rewritten (sequence gap or broken link)"),
    Reason.REORDERED: N_("rows reordered (link points to another row)"),
    Reason.DUPLICATE: N_("duplicate sequence number"),
}


@dataclass(frozen=True)
class ChainHead:
    """The latest row of one origin's chain."""

    origin: str
    seq: int
    hash: str

    @property
    def short(self) -> str:
        return short(self.hash)


@dataclass(frozen=True)
class Break:
    """The first row of a chain that does not follow from the rows before it."""

    origin: str
    seq: int
    id: uuid.UUID
    at: datetime
    reason: Reason
    expected_seq: int  # the seq the row should have had
    linked_seq: int | None = None  # reordered: the seq of the row its prev_hash names


@dataclass(frozen=True)
class ChainReport:
    origin: str
    rows: int
    head: ChainHead
    broken: Break | None = None

    @property
    def intact(self) -> bool:
        return self.broken is None


@dataclass(frozen=True)
class VerifyResult:
    chains: tuple[ChainReport, ...] = field(default=())

    @property
    def intact(self) -> bool:
        return all(c.intact for c in self.chains)

    @property
    def rows(self) -> int:
        return sum(c.rows for c in self.chains)

    @property
    def first_break(self) -> Break | None:
        return next((c.broken for c in self.chains if c.broken is not None), None)


_AUDIT = AuditEntry.__table__.c
_LAST = select(_AUDIT.origin, func.max(_AUDIT.seq).label("seq")).group_by(_AUDIT.origin).subquery()
# printed by every report: built once, run on the connection (plain columns, no ORM)
_CHAIN_HEADS = (
    select(_AUDIT.origin, _AUDIT.seq, _AUDIT.hash)
    .join(_LAST, (_AUDIT.origin == _LAST.c.origin) & (_AUDIT.seq == _LAST.c.seq))
    .order_by(_AUDIT.origin)
)


def chain_heads(*, session: Session) -> list[ChainHead]:
    """Each origin's latest row (highest seq), by origin: what a report prints."""
    rows = session.connection().execute(_CHAIN_HEADS)
    return [ChainHead(origin, seq, digest) for origin, seq, digest in rows]


_COLUMNS = [getattr(AuditEntry, f) for f in CONTENT_FIELDS] + [
    AuditEntry.prev_hash,
    AuditEntry.hash,
]


def _stream(session: Session) -> Iterator[Any]:
    q = select(*_COLUMNS).order_by(AuditEntry.origin, AuditEntry.seq)
    result = session.execute(q, execution_options={"yield_per": BATCH})
    for part in result.partitions():
        yield from part


class _Walker:
    """The state of one chain while its rows go past."""

    def __init__(self, origin: str):
        self.origin = origin
        self.rows = 0
        self.seq = 0
        self.hash = GENESIS
        self.broken: Break | None = None
        self.unresolved: str | None = None  # a prev_hash to look up when the walk ends

    def step(self, row: Any) -> None:
        self.rows += 1
        expected = self.seq + 1
        if self.broken is None:
            reason: Reason | None = None
            if row.seq == self.seq:
                reason = Reason.DUPLICATE
            elif row.seq != expected:
                reason = Reason.DELETED
            elif row.prev_hash != self.hash:
                reason = Reason.DELETED  # or REORDERED: decided once the walk is over
                self.unresolved = row.prev_hash
            elif row_hash(row._mapping, row.prev_hash) != row.hash:
                reason = Reason.EDITED
            if reason is not None:
                self.broken = Break(self.origin, row.seq, row.id, row.at, reason, expected)
        # carry on from the row as stored, so the rest is counted and the head is real
        self.seq = row.seq
        self.hash = row.hash

    def report(self, session: Session) -> ChainReport:
        broken = self.broken
        if broken is not None and self.unresolved is not None:
            linked = session.execute(
                select(AuditEntry.seq)
                .where(AuditEntry.origin == self.origin, AuditEntry.hash == self.unresolved)
                .limit(1)
            ).scalar()
            if linked is not None:
                broken = Break(
                    broken.origin,
                    broken.seq,
                    broken.id,
                    broken.at,
                    Reason.REORDERED,
                    broken.expected_seq,
                    linked,
                )
        return ChainReport(
            self.origin, self.rows, ChainHead(self.origin, self.seq, self.hash), broken
        )


def verify_session(session: Session, progress: Progress | None = None) -> VerifyResult:
    """Walk every chain in `session` (read-only)."""
    total = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    walkers: list[_Walker] = []
    done = 0
    for row in _stream(session):
        if not walkers or walkers[-1].origin != row.origin:
            walkers.append(_Walker(row.origin))
        walkers[-1].step(row)
        done += 1
        if progress is not None and done % BATCH == 0:
            progress(done, total)
    if progress is not None:
        progress(done, max(total, done))
    return VerifyResult(tuple(w.report(session) for w in walkers))


def verify(db: Database, progress: Progress | None = None) -> VerifyResult:
    """Walk every chain of `db` in one read-only session."""
    with db.session(readonly=True) as s:
        return verify_session(s, progress)
