"""Shared mode: this workstation's SQLite database syncs with a PostgreSQL hub.

Users always work on the local database. `HubSync.run_once()` (from the CLI, or from the
console's background thread every few minutes) pushes local changes to the hub and
pulls everyone else's:

* push: the local changes past the push cursor (and not received from the hub) are
  applied on the hub in one hub transaction, which numbers them (`hub_seq`); only after
  the hub committed does the local push cursor advance;
* pull: the hub's changes past the pull cursor are applied locally in one local
  transaction which also advances the pull cursor.

An interrupted sync (hub stopped, process killed) loses nothing: a cursor advances only
after the other side committed, and the idempotent apply makes a re-sent batch
harmless. An unreachable hub sets "offline since …"; the next run retries.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError

from ebconsole.actor import Actor
from ebconsole.db.session import Database, normalize_url
from ebconsole.errors import EbError
from ebconsole.sync import state as sync_state
from ebconsole.sync.apply import apply_changes, change_dict
from ebconsole.sync.baseline import ensure_baseline
from ebconsole.sync.messages import SyncError
from ebconsole.sync.models import ChangeLog
from ebconsole.sync.service import SyncStatus, sync_status
from ebconsole.timeutil import utcnow

log = logging.getLogger(__name__)

HUB_ENV = "EBCONSOLE_HUB_URL"
BATCH_SIZE = 500
_PREPARED: set[str] = set()  # hubs this process has brought to head already
# one Database per hub URL for the process: a sync run every few minutes reuses the
# statements compiled for the hub (a new engine compiled them all again, ~0.1 s a run);
# `close` still closes its connections
_HUBS: dict[str, Database] = {}
_HUBS_LOCK = threading.Lock()

# progress(phase, done, total): phase is "push" or "pull"; total may be None (unknown)
Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class SyncResult:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    offline: bool = False
    error: str | None = None
    status: SyncStatus | None = None

    @property
    def ok(self) -> bool:
        return not self.offline and self.error is None


def display_url(url: str) -> str:
    """The URL without its password (for status lines and the state table)."""
    try:
        return make_url(normalize_url(url)).render_as_string(hide_password=True)
    except Exception:
        return url


def _is_offline(exc: BaseException) -> bool:
    if isinstance(exc, OperationalError | InterfaceError | DisconnectionError | OSError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


CONNECT_TIMEOUT_S = 10  # a hub behind a silent firewall must not hold a sync for minutes


def with_connect_timeout(url: str) -> str:
    """A PostgreSQL hub URL with `connect_timeout` (unless it names one already), so an
    unreachable hub is reported offline in seconds rather than after the system's TCP
    timeout; other URLs unchanged."""
    try:
        parsed = make_url(url)
    except Exception:
        return url
    if not parsed.drivername.startswith("postgresql") or "connect_timeout" in parsed.query:
        return url
    query = {"connect_timeout": str(CONNECT_TIMEOUT_S)}
    return parsed.update_query_dict(query).render_as_string(hide_password=False)


class HubSync:
    """Push/pull between one local database and the hub. One instance per workstation;
    `run_once` may run on a background thread (it opens its own sessions)."""

    def __init__(
        self,
        local: Database,
        hub_url: str,
        *,
        actor: Actor | None = None,
        batch_size: int = BATCH_SIZE,
        progress: Progress | None = None,
        prepare_hub: bool = True,
    ):
        self.local = local
        self.hub_url = with_connect_timeout(normalize_url(hub_url))
        if self.hub_url == local.url:
            raise SyncError.one("hub_is_local", "hub")
        self.actor = actor
        self.batch_size = batch_size
        self.progress = progress
        self.prepare_hub = prepare_hub
        self._hub: Database | None = None
        self._prepared = False
        self._sent = self._received = self._conflicts = 0

    # -- plumbing ---------------------------------------------------------------------
    def _local_actor(self) -> Actor:
        if self.actor is not None:
            return self.actor
        from ebconsole.users import service as users

        with self.local.session(readonly=True) as s:
            inst = users.get_installation(session=s)
            actor = Actor.system(inst.site_code, inst.workstation_name) if inst else Actor.system()
        self.actor = actor
        return actor

    def hub(self) -> Database:
        if self._hub is None:
            with _HUBS_LOCK:
                hub = _HUBS.get(self.hub_url)
                if hub is None:
                    hub = _HUBS[self.hub_url] = Database(self.hub_url)
            self._hub = hub
        if not self._prepared:
            if self.prepare_hub and self.hub_url not in _PREPARED:
                from ebconsole.db.migrate import prepare

                prepare(self._hub)
                _PREPARED.add(self.hub_url)
            self._prepared = True
        return self._hub

    def close(self) -> None:
        """Close the hub connections (the engine stays, with its compiled statements)."""
        if self._hub is not None:
            self._hub.dispose()
            self._hub = None
            self._prepared = False

    def _report(self, phase: str, done: int, total: int | None) -> None:
        if self.progress is not None:
            self.progress(phase, done, total)

    def _check_hub_identity(self) -> None:
        """Cursors belong to one hub, known by the id it keeps in its sync_state (not by
        its URL, which may change): pointed at another hub, start from zero."""
        import uuid

        with self.hub().session(Actor.system("hub", "hub")) as h:
            conn = h.connection()
            hub_id = sync_state.get(conn, sync_state.HUB_ID)
            if hub_id is None:
                hub_id = str(uuid.uuid4())
                sync_state.put(conn, sync_state.HUB_ID, hub_id)
        with self.local.session(self._local_actor()) as s:
            conn = s.connection()
            ensure_baseline(session=s)
            if sync_state.get(conn, sync_state.HUB_ID) != hub_id:
                for key in (sync_state.PUSH_CURSOR, sync_state.PULL_CURSOR):
                    sync_state.remove(conn, key)
                sync_state.put(conn, sync_state.HUB_ID, hub_id)
            sync_state.put(conn, sync_state.HUB_URL, display_url(self.hub_url))

    # -- the two directions ----------------------------------------------------------
    def push(self) -> int:
        """Send local changes the hub has not committed; returns how many were sent."""
        hub = self.hub()
        actor = self._local_actor()
        sent = 0
        with self.local.session(readonly=True) as s:
            cursor = sync_state.get_int(s.connection(), sync_state.PUSH_CURSOR)
            total = s.execute(
                select(func.count())
                .select_from(ChangeLog)
                .where(ChangeLog.local_seq > cursor, ChangeLog.hub_seq.is_(None))
            ).scalar_one()
        self._report("push", 0, int(total))
        while True:
            with self.local.session(readonly=True) as s:
                rows = s.scalars(
                    select(ChangeLog)
                    .where(ChangeLog.local_seq > cursor, ChangeLog.hub_seq.is_(None))
                    .order_by(ChangeLog.local_seq)
                    .limit(self.batch_size)
                ).all()
                batch = [change_dict(r) for r in rows]
                last = rows[-1].local_seq if rows else None
            if last is None:
                break
            for c in batch:
                c["hub_seq"] = None
            with hub.session(Actor.system("hub", "hub")) as h:
                apply_changes(h, batch, assign_hub_seq=True)
            # the hub has committed: only now may the cursor move
            with self.local.session(actor) as s:
                sync_state.put(s.connection(), sync_state.PUSH_CURSOR, str(last))
            cursor = last
            sent += len(batch)
            self._sent = sent
            self._report("push", sent, int(total))
        with self.local.session(actor) as s:
            sync_state.put_time(s.connection(), sync_state.LAST_PUSH, utcnow())
        return sent

    def pull(self) -> tuple[int, int]:
        """Apply the hub's changes not yet seen here; returns (received, conflicts)."""
        hub = self.hub()
        actor = self._local_actor()
        received = conflicts = 0
        with self.local.session(readonly=True) as s:
            cursor = sync_state.get_int(s.connection(), sync_state.PULL_CURSOR)
        with hub.session(readonly=True) as h:
            total = h.execute(
                select(func.count()).select_from(ChangeLog).where(ChangeLog.hub_seq > cursor)
            ).scalar_one()
        self._report("pull", 0, int(total))
        while True:
            with hub.session(readonly=True) as h:
                rows = h.scalars(
                    select(ChangeLog)
                    .where(ChangeLog.hub_seq > cursor)
                    .order_by(ChangeLog.hub_seq)
                    .limit(self.batch_size)
                ).all()
                batch = [change_dict(r) for r in rows]
            if not batch:
                break
            last = max(int(c["hub_seq"]) for c in batch)
            with self.local.session(actor) as s:
                result = apply_changes(s, batch)
                sync_state.put(s.connection(), sync_state.PULL_CURSOR, str(last))
            cursor = last
            received += result.applied
            conflicts += result.conflicts
            self._received, self._conflicts = received, conflicts
            self._report("pull", received, int(total))
        with self.local.session(actor) as s:
            sync_state.put_time(s.connection(), sync_state.LAST_PULL, utcnow())
        return received, conflicts

    # -- one round ---------------------------------------------------------------------
    def run_once(self) -> SyncResult:
        """Push, then pull. Never raises for an unreachable hub: the result (and the
        stored status) says offline since when; call again later."""
        self._sent = self._received = self._conflicts = 0
        offline = False
        error: str | None = None
        try:
            self._check_hub_identity()
            self.push()
            self.pull()
        except EbError as exc:
            error = exc.message(_translate())
            log.warning("sync with the hub failed: %s", exc)
        except Exception as exc:
            if not _is_offline(exc):
                raise
            offline = True
            error = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
            log.info("hub unreachable: %s", error)
            self.close()  # a restarted hub needs fresh connections
        self._record(offline, error)
        with self.local.session(readonly=True) as s:
            status = sync_status(session=s)
        return SyncResult(self._sent, self._received, self._conflicts, offline, error, status)

    def _record(self, offline: bool, error: str | None) -> None:
        with self.local.session(self._local_actor()) as s:
            conn = s.connection()
            if offline:
                if sync_state.get(conn, sync_state.OFFLINE_SINCE) is None:
                    sync_state.put_time(conn, sync_state.OFFLINE_SINCE, utcnow())
            else:
                sync_state.remove(conn, sync_state.OFFLINE_SINCE)
            if error:
                sync_state.put(conn, sync_state.LAST_ERROR, error)
            else:
                sync_state.remove(conn, sync_state.LAST_ERROR)


def _translate() -> Any:
    from ebconsole.i18n import current_language, translator

    return translator(current_language())
