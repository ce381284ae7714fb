"""Writes an audit row for every insert, update and delete of an `Audited` model.

It hooks the session's flush, so no service can forget it: the rows go into the same
transaction as the change they describe.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from ebconsole.audit.models import AuditEntry
from ebconsole.db.base import Audited, new_id
from ebconsole.timeutil import utcnow


def jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return str(value)


def snapshot(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    skip = getattr(obj, "__audit_exclude__", ())
    return {
        a.key: jsonable(getattr(obj, a.key))
        for a in mapper.column_attrs
        if a.key not in skip
    }


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    skip = getattr(obj, "__audit_exclude__", ())
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in skip or attr.key in ("updated_at", "version"):
            continue
        hist = state.attrs[attr.key].history
        if hist.has_changes():
            before[attr.key] = jsonable(hist.deleted[0]) if hist.deleted else None
            after[attr.key] = jsonable(hist.added[0]) if hist.added else None
    return before, after


@event.listens_for(Session, "before_flush")
def _assign_ids(session: Session, _ctx: Any, _instances: Any) -> None:
    # Give new records their id before the flush so audit rows can name them.
    for obj in session.new:
        if isinstance(obj, Audited) and getattr(obj, "id", None) is None:
            obj.id = new_id()  # type: ignore[attr-defined]


@event.listens_for(Session, "after_flush")
def _write_audit(session: Session, _ctx: Any) -> None:
    rows: list[dict[str, Any]] = []
    actor = session.info.get("actor")
    for action, objs in (("create", session.new), ("update", session.dirty),
                         ("delete", session.deleted)):
        for obj in objs:
            if not isinstance(obj, Audited):
                continue
            kind = action
            if action == "create":
                before, after = None, snapshot(obj)
            elif action == "delete":
                before, after = snapshot(obj), None
            else:
                if not session.is_modified(obj, include_collections=False):
                    continue
                before, after = _changes(obj)
                if not after:
                    continue
                if after.get("archived_at") is not None:
                    kind = "archive"
            if actor is None:
                raise RuntimeError(
                    f"write to {type(obj).__name__} without an actor: "
                    "open the session with db.session(actor)")
            rows.append({
                "id": new_id(), "at": utcnow(),
                "actor_user_id": actor.user_id, "actor_name": actor.username,
                "actor_role": str(actor.role), "site_code": actor.site_code,
                "workstation": actor.workstation,
                "entity": obj.__tablename__,  # type: ignore[attr-defined]
                "entity_id": str(obj.id),  # type: ignore[attr-defined]
                "action": kind, "before": before, "after": after,
                "note": session.info.get("audit_note"),
            })
    if rows:
        session.connection().execute(insert(AuditEntry), rows)
