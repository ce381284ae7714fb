"""Hybrid logical clock: stamps that follow wall time yet never go backwards.

A stamp is ``PPPPPPPPPPPPPPP.CCCCCC.NNNNNNNNNNNN``: 15 digits of physical time in
milliseconds since the epoch, 6 digits of logical counter and 12 hex digits naming the
node (a hash of the origin). Every part has a fixed width, so comparing two stamps as
strings compares them as clocks; two nodes never make the same stamp.

`tick()` stamps a local event, `observe(stamp)` moves the clock past a stamp received
from elsewhere, so that whatever this node records next is newer than everything it has
seen. The clock's state lives in `sync_state` (key ``hlc``), inside the caller's
transaction, so it survives restarts and is shared by every process on the database.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

STAMP = re.compile(r"^(\d{15})\.(\d{6})\.([0-9a-f]{12})$")
ZERO = ""  # the base stamp of a record's first version: older than every stamp
MAX_COUNTER = 999_999


def node_id(origin: str) -> str:
    return hashlib.sha256(origin.encode("utf-8")).hexdigest()[:12]


def format_stamp(physical_ms: int, counter: int, node: str) -> str:
    return f"{physical_ms:015d}.{counter:06d}.{node}"


def parse(stamp: str) -> tuple[int, int, str]:
    m = STAMP.match(stamp)
    if m is None:
        raise ValueError(f"not a clock stamp: {stamp!r}")
    return int(m.group(1)), int(m.group(2)), m.group(3)


def is_stamp(value: object) -> bool:
    return isinstance(value, str) and STAMP.match(value) is not None


def floor_of(moment: datetime) -> str:
    """The smallest stamp at or after `moment` (for "all changes since")."""
    ms = int(moment.astimezone(UTC).timestamp() * 1000)
    return format_stamp(ms, 0, "0" * 12)


def stamp_time(stamp: str) -> datetime:
    return datetime.fromtimestamp(parse(stamp)[0] / 1000, UTC)


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass
class Clock:
    """The clock of one node; `physical`/`counter` are the last stamp it issued."""

    node: str
    physical: int = 0
    counter: int = 0
    now: Callable[[], int] = wall_ms

    @classmethod
    def for_origin(
        cls, origin: str, last: str | None = None, now: Callable[[], int] = wall_ms
    ) -> Clock:
        clock = cls(node_id(origin), now=now)
        if last:
            clock.physical, clock.counter, _node = parse(last)
        return clock

    def _bump(self, physical: int, counter: int) -> str:
        if counter > MAX_COUNTER:  # a thousand thousand events in one ms: borrow the next ms
            physical, counter = physical + 1, 0
        self.physical, self.counter = physical, counter
        return format_stamp(physical, counter, self.node)

    def tick(self) -> str:
        """A stamp for a local event, newer than every stamp issued or observed."""
        wall = self.now()
        if wall > self.physical:
            return self._bump(wall, 0)
        return self._bump(self.physical, self.counter + 1)

    def observe(self, remote: str) -> None:
        """Move past a received stamp (the next tick is newer than it)."""
        r_phys, r_count, _node = parse(remote)
        if (r_phys, r_count) > (self.physical, self.counter):
            self.physical, self.counter = r_phys, r_count

    @property
    def last(self) -> str:
        return format_stamp(self.physical, self.counter, self.node)
