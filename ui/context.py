"""What every tab and dialog is given: the database, who is acting, the ops runner, the
signal hub and the workstation's settings.

    class IncidentsTab(Tab):
        def refresh(self, changes):
            if changes.touches("incidents"):
                self.ctx.read(lambda s: rows_for(s), on_result=self.model.set_rows)

        def save(self, data):
            self.ctx.write(lambda s: incidents.create(data, session=s),
                           changes=Changes(incidents=True), on_result=self.saved,
                           on_error=self.errors.show)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from sqlalchemy.orm import Session

from ebconsole.actor import Actor
from ebconsole.db.session import Database
from ebconsole.users import service as users
from ui.ops import NOTHING, Changes, Op, Ops
from ui.permissions import Action, can
from ui.settings_store import SettingsStore


class Hub(QObject):
    """Signals that cross the window: tabs listen here instead of to each other."""

    changed = Signal(object)  # Changes: every tab's refresh(changes) follows
    operator_changed = Signal(object)  # Actor: after "switch operator" or an unlock
    language_changed = Signal(str)  # "zh_CN" / "en", after the main window was rebuilt
    open_tab = Signal(str)  # a tab key ("overview", "incidents" …) to bring to front
    # (tab key, record id): bring the tab to front and call its `open_record(id)` if it has one
    open_record = Signal(str, str)
    status_message = Signal(str, int)  # text, milliseconds (0 = until replaced)


@dataclass(frozen=True)
class InstallationInfo:
    site_code: str
    site_name: str
    workstation_name: str
    default_branch: str

    @classmethod
    def load(cls, db: Database) -> InstallationInfo:
        with db.session(readonly=True) as s:
            inst = users.require_installation(session=s)
            return cls(inst.site_code, inst.site_name, inst.workstation_name, inst.default_branch)


class Context:
    """Shared by the main window, its tabs and dialogs. `actor` changes on switch operator
    (listen to `hub.operator_changed`); everything else stays for the window's life."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        ops: Ops,
        hub: Hub,
        settings: SettingsStore,
        installation: InstallationInfo,
        status_probe: Callable[[Database], Any] | None = None,
    ):
        self.db = db
        self.actor = actor
        self.ops = ops
        self.hub = hub
        self.settings = settings
        self.installation = installation
        if status_probe is None:
            from ui.status_bar import probe_status

            status_probe = probe_status
        # called on a worker thread with the database; returns a ui.status_bar.StatusSnapshot
        self.status_probe = status_probe

    def can(self, action: Action) -> bool:
        return can(self.actor, action)

    def set_actor(self, actor: Actor) -> None:
        self.actor = actor
        self.hub.operator_changed.emit(actor)

    # -- the two common ops: a read-only session, or one write transaction -------------
    def read(self, fn: Callable[[Session], Any], **kwargs: Any) -> Op:
        """Run `fn(session)` on a read-only session off the UI thread. Return plain data
        (DTOs, tuples, ids): ORM rows are expired when the session ends."""
        db, actor = self.db, self.actor

        def work() -> Any:
            # as the operator, so the core applies what their role may see (a clerk's branch)
            with db.session(actor, readonly=True) as s:
                return fn(s)

        return self.ops.read(work, **kwargs)

    def write(
        self, fn: Callable[[Session], Any], *, changes: Changes = NOTHING, **kwargs: Any
    ) -> Op:
        """Run `fn(session)` in one transaction as the current operator (captured now, on
        the UI thread), on the single writer thread; broadcast `changes` on success."""
        db, actor = self.db, self.actor

        def work() -> Any:
            with db.session(actor) as s:
                return fn(s)

        return self.ops.write(work, changes=changes, **kwargs)
