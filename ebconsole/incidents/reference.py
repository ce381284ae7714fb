"""Human-readable reference numbers, unique across workstations without coordination.

    {site_code}-{YYYYMMDD}-{NNN}        e.g. BJ01A-20260501-007

The site code belongs to one workstation (two workstations at one site use distinct codes
such as BJ01A / BJ01B), the date is the local day of reporting, and NNN counts per site and
day in the ReferenceCounter table. The counter is bumped by one atomic upsert inside the
caller's transaction, so two sessions of the same workstation never draw the same number
and a rolled-back intake gives its number back. Past 999 the number simply widens (1000).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from ebconsole.incidents.models import ReferenceCounter
from ebconsole.timeutil import to_local

REFERENCE = re.compile(r"^(?P<site>[A-Z][A-Z0-9]{1,19})-(?P<day>\d{8})-(?P<seq>\d{3,})$")


def day_key(reported_at: datetime) -> str:
    """The local (workstation zone) day of reporting, as YYYYMMDD."""
    return to_local(reported_at).strftime("%Y%m%d")


def format_reference(site_code: str, day: str, number: int) -> str:
    return f"{site_code}-{day}-{number:03d}"


_BUMP: dict[str, Any] = {}  # per dialect: the upsert, built once (it runs on every intake)


def _bump_statement(dialect: str) -> Any:
    stmt = _BUMP.get(dialect)
    if stmt is None:
        from sqlalchemy.dialects import postgresql, sqlite

        rc = ReferenceCounter.__table__.c
        values = {"site_code": bindparam("site_code"), "day": bindparam("day"), "last": 1}
        bump = {"last": rc.last + 1}
        keys = [rc.site_code, rc.day]
        if dialect == "postgresql":
            pg = postgresql.insert(ReferenceCounter).values(values)
            stmt = pg.on_conflict_do_update(index_elements=keys, set_=bump).returning(rc.last)
        else:
            lite = sqlite.insert(ReferenceCounter).values(values)
            stmt = lite.on_conflict_do_update(index_elements=keys, set_=bump).returning(rc.last)
        _BUMP[dialect] = stmt
    return stmt


def next_number(session: Session, site_code: str, day: str) -> int:
    rc = ReferenceCounter
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        return int(
            session.connection()
            .execute(_bump_statement(dialect), {"site_code": site_code, "day": day})
            .scalar_one()
        )
    # Any other backend: lock the row, then bump it.
    current = session.execute(
        select(rc.last).where(rc.site_code == site_code, rc.day == day).with_for_update()
    ).scalar_one_or_none()
    if current is None:
        session.execute(insert(rc).values(site_code=site_code, day=day, last=1))
        return 1
    session.execute(
        update(rc).where(rc.site_code == site_code, rc.day == day).values(last=current + 1)
    )
    return int(current) + 1


def next_reference(session: Session, site_code: str, reported_at: datetime) -> str:
    day = day_key(reported_at)
    return format_reference(site_code, day, next_number(session, site_code, day))


def normalize_reference(text: str) -> str:
    return text.strip().upper()
