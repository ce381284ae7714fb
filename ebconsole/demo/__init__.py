"""A realistic Chinese demo dataset: a year of incidents of every class and state, fraud
reports, the three groups with members and a filled matrix, inventory, roster, drills.

    ebconsole demo --incidents 500
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from ebconsole.actor import Actor
from ebconsole.audit import recorder as audit_recorder
from ebconsole.db.session import Database


def generate(
    db: Database,
    actor: Actor,
    *,
    incidents: int = 300,
    seed: int = 2026,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Add the demo dataset in one transaction: all of it or, on an error, nothing."""
    from ebconsole.demo.incidents import generate_incidents
    from ebconsole.demo.plan import generate_plan_data
    from ebconsole.users.enums import Role
    from ebconsole.users.models import User

    rng = random.Random(seed)
    with db.session(actor) as s:
        summary: dict[str, Any] = dict(generate_plan_data(s, rng))
        owners = [
            (u.id, u.display_name)
            for u in s.scalars(
                select(User).where(User.role.in_([Role.COORDINATOR, Role.ADMINISTRATOR]))
            )
        ]
        summary.update(generate_incidents(s, actor, incidents, rng, owners, progress))
        _leave_to_baseline(s)
        # bulk rows bypass the per-row audit hook: one entry records the whole run
        audit_recorder.append(
            s,
            [
                audit_recorder.entry(
                    actor, "demo", str(seed), "demo_generate", after=dict(summary.items())
                )
            ],
        )
    return summary


def _leave_to_baseline(session: Any) -> None:
    """The bulk rows write no change-log rows (one per row would double the run and the
    file): like records from before the change log they are the baseline
    (`ebconsole.sync.baseline`), recorded as this workstation's changes by the next sync
    or export. On a database whose baseline was already taken, the flag is cleared so the
    next one records the new rows (it skips every record the log already holds)."""
    from ebconsole.sync import state as sync_state
    from ebconsole.sync.baseline import FLAG

    conn = session.connection()
    if sync_state.get(conn, FLAG):
        sync_state.remove(conn, FLAG)
