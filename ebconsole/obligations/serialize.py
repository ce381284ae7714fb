"""Obligations as plain JSON-ready dicts (the CLI's `obligations` command and reports).

Times are ISO 8601 in the workstation's zone; `due_at_dt`/`done_at_dt` keep the aware
datetimes for callers that format them themselves (drop them before printing JSON).
Labels are English source strings: translate them with the caller's `tr`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ebconsole.incidents.serialize import iso_local
from ebconsole.obligations.models import Obligation
from ebconsole.timeutil import utcnow


def obligation_to_dict(row: Obligation, now: datetime | None = None) -> dict[str, Any]:
    state = row.state_at(now or utcnow())
    return {
        "id": str(row.id),
        "incident_id": str(row.incident_id),
        "incident_reference": row.incident.reference,
        "kind": row.kind.value,
        "kind_label": row.kind.label,
        "due_at": iso_local(row.due_at),
        "due_estimated": row.due_estimated,
        "state": state.value,
        "state_label": state.label,
        "done_at": iso_local(row.done_at),
        "done_by": row.done_by,
        "note": row.note,
        "due_at_dt": row.due_at,
        "done_at_dt": row.done_at,
    }
