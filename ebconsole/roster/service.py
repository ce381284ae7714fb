"""The 24-hour duty roster (24小时值班制度): shifts, who is on duty, and the gaps nobody
covers. Services flush, never commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from ebconsole.db.base import new_id
from ebconsole.errors import NotFound, StaleRecord
from ebconsole.i18n import N_
from ebconsole.organisation.models import GroupMember
from ebconsole.roster import messages  # noqa: F401  (registers codes and labels)
from ebconsole.roster.coverage import Period, uncovered
from ebconsole.roster.dto import RosterDay, ShiftView
from ebconsole.roster.enums import DutyRole
from ebconsole.roster.models import DutyShift
from ebconsole.roster.schemas import PersonOnDuty, ShiftCreate, ShiftUpdate
from ebconsole.timeutil import as_utc, format_local, local_zone, utcnow
from ebconsole.users.models import User
from ebconsole.users.permissions import Permission, authorize
from ebconsole.validation import PHONE, Checker

MAX_SHIFT = timedelta(hours=24)
ROTATION_SHIFT_HOURS = (8, 12, 24)
MAX_ROTATION_DAYS = 92


def get_shift(shift_id: uuid.UUID, *, session: Session) -> DutyShift:
    shift = session.get(DutyShift, shift_id)
    if shift is None:
        raise NotFound.one("not_found", None, entity_label=N_("duty shift"), key=str(shift_id))
    return shift


def list_shifts(start: datetime, end: datetime, *, session: Session) -> list[DutyShift]:
    """Current shifts that touch [start, end), in order of start."""
    start, end = as_utc(start), as_utc(end)
    return list(
        session.scalars(
            select(DutyShift)
            .where(
                DutyShift.archived_at.is_(None),
                DutyShift.starts_at < end,
                DutyShift.ends_at > start,
            )
            .order_by(DutyShift.starts_at, DutyShift.role, DutyShift.person_name)
        )
    )


def on_duty(at: datetime | None = None, *, session: Session) -> list[DutyShift]:
    """The shifts running at `at` (now by default): a shift covers [starts_at, ends_at)."""
    at = as_utc(at) if at is not None else utcnow()
    shifts = session.scalars(
        select(DutyShift).where(
            DutyShift.archived_at.is_(None), DutyShift.starts_at <= at, DutyShift.ends_at > at
        )
    )
    roles = list(DutyRole)  # the shift leader first
    return sorted(shifts, key=lambda s: (roles.index(s.role), s.person_name))


def gaps(start: datetime, end: datetime, *, session: Session) -> list[Period]:
    """The periods of [start, end) with nobody on duty."""
    start, end = as_utc(start), as_utc(end)
    shifts = list_shifts(start, end, session=session)
    return uncovered(((s.starts_at, s.ends_at) for s in shifts), start, end)


def week(
    start_date: date, zone: tzinfo | str | None = None, *, session: Session
) -> list[RosterDay]:
    """Seven local days from `start_date`, each with its shifts and gaps, for the roster view."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else (zone or local_zone())
    bounds = [
        as_utc(datetime.combine(start_date + timedelta(days=i), time(0), tzinfo=tz))
        for i in range(8)
    ]
    shifts = list_shifts(bounds[0], bounds[-1], session=session)
    days = []
    for i in range(7):
        lo, hi = bounds[i], bounds[i + 1]
        touching = [s for s in shifts if s.starts_at < hi and s.ends_at > lo]
        days.append(
            RosterDay(
                day=start_date + timedelta(days=i),
                starts_at=lo,
                ends_at=hi,
                shifts=tuple(_view(s) for s in touching),
                gaps=tuple(uncovered(((s.starts_at, s.ends_at) for s in touching), lo, hi)),
            )
        )
    return days


def _view(s: DutyShift) -> ShiftView:
    return ShiftView(
        id=s.id,
        person_name=s.person_name,
        person_phone=s.person_phone,
        role=s.role,
        starts_at=s.starts_at,
        ends_at=s.ends_at,
        note=s.note,
    )


# -- writes ------------------------------------------------------------------------------
def _resolve_person(c: Checker, person: PersonOnDuty, *, session: Session) -> dict[str, Any]:
    """Name and phone of the person, defaulting to the member's or the user's."""
    name, phone = person.person_name, person.person_phone
    if person.member_id is not None:
        member = session.get(GroupMember, person.member_id)
        if member is None:
            c.fail(
                "member_id", "not_found", entity_label=N_("group member"), key=str(person.member_id)
            )
        elif member.archived_at is not None:
            c.fail("member_id", "archived")
        else:
            name = name or member.name
            phone = phone or member.mobile_phone or member.office_phone
    if person.user_id is not None:
        user = session.get(User, person.user_id)
        if user is None:
            c.fail("user_id", "not_found", entity_label=N_("user"), key=str(person.user_id))
        else:
            name = name or user.display_name
            phone = phone or user.phone
    return {
        "member_id": person.member_id,
        "user_id": person.user_id,
        "person_name": c.text("person_name", name, required=True, max_len=80),
        "person_phone": c.pattern("person_phone", phone, PHONE, "invalid_phone"),
    }


def _same_person(shift: DutyShift) -> ColumnElement[bool]:
    if shift.member_id is not None:
        return DutyShift.member_id == shift.member_id
    if shift.user_id is not None:
        return DutyShift.user_id == shift.user_id
    return (
        DutyShift.member_id.is_(None)
        & DutyShift.user_id.is_(None)
        & (DutyShift.person_name == shift.person_name)
    )


def _check_period(c: Checker, shift: DutyShift, *, session: Session) -> None:
    """End after start, at most 24 hours, and no overlap with the person's other shifts."""
    if shift.ends_at <= shift.starts_at:
        c.fail("ends_at", "must_be_later", other_label=N_("Starts at"))
        return
    if shift.ends_at - shift.starts_at > MAX_SHIFT:
        c.fail("ends_at", "shift_too_long", max=int(MAX_SHIFT.total_seconds() // 3600))
        return
    clash = session.scalars(
        select(DutyShift)
        .where(
            _same_person(shift),
            DutyShift.archived_at.is_(None),
            DutyShift.id != shift.id,
            DutyShift.starts_at < shift.ends_at,
            DutyShift.ends_at > shift.starts_at,
        )
        .order_by(DutyShift.starts_at)
        .limit(1)
    ).first()
    if clash is not None:
        c.fail(
            "starts_at",
            "shift_overlap",
            person=clash.person_name,
            start=format_local(clash.starts_at),
            end=format_local(clash.ends_at),
        )


def create_shift(data: ShiftCreate, *, session: Session) -> DutyShift:
    authorize(session, Permission.MANAGE_ROSTER)
    c = Checker()
    values = _resolve_person(c, data, session=session)
    starts_at = c.when("starts_at", data.starts_at, required=True, not_future=False)
    ends_at = c.when("ends_at", data.ends_at, required=True, not_future=False)
    note = c.text("note", data.note, max_len=500, multiline=True)
    c.raise_if_failed()
    shift = DutyShift(
        id=new_id(), role=data.role, starts_at=starts_at, ends_at=ends_at, note=note, **values
    )
    with session.no_autoflush:
        _check_period(c, shift, session=session)
    c.raise_if_failed()
    session.add(shift)
    session.flush()
    return shift


def update_shift(shift_id: uuid.UUID, data: ShiftUpdate, *, session: Session) -> DutyShift:
    authorize(session, Permission.MANAGE_ROSTER)
    shift = get_shift(shift_id, session=session)
    if data.version is not None and data.version != shift.version:
        raise StaleRecord.one("stale_record")
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    c = Checker()
    if shift.archived_at is not None:
        c.fail(None, "archived")
    for key in ("starts_at", "ends_at"):
        if key in changes:
            changes[key] = c.when(key, changes[key], required=True, not_future=False)
    if "person_name" in changes:
        changes["person_name"] = c.text(
            "person_name", changes["person_name"], required=True, max_len=80
        )
    if "person_phone" in changes:
        changes["person_phone"] = c.pattern(
            "person_phone", changes["person_phone"], PHONE, "invalid_phone"
        )
    if "role" in changes:
        changes["role"] = c.choice("role", changes["role"], DutyRole, required=True)
    if "note" in changes:
        changes["note"] = c.text("note", changes["note"], max_len=500, multiline=True)
    c.raise_if_failed()
    with session.no_autoflush:
        for key, value in changes.items():
            setattr(shift, key, value)
        _check_period(c, shift, session=session)
    if not c.ok:
        session.expire(shift)  # leave nothing half-changed in this session
        c.raise_if_failed()
    session.flush()
    return shift


def archive_shift(shift_id: uuid.UUID, *, session: Session) -> DutyShift:
    authorize(session, Permission.MANAGE_ROSTER)
    shift = get_shift(shift_id, session=session)
    shift.archived_at = utcnow()
    session.flush()
    return shift


def generate_rotation(
    people: Sequence[PersonOnDuty],
    start_date: date,
    days: int,
    shift_hours: int = 12,
    *,
    session: Session,
    role: DutyRole = DutyRole.DUTY_OFFICER,
    start_hour: int = 8,
    zone: tzinfo | str | None = None,
) -> list[DutyShift]:
    """Fill `days` days from `start_date` at `start_hour` (local time) with back-to-back
    shifts of `shift_hours`, handing them to `people` in turn. Nobody gets two shifts at
    once; a clash with an existing shift of the same person fails the whole rotation."""
    authorize(session, Permission.MANAGE_ROSTER)
    c = Checker()
    if not people:
        c.fail("people", "required")
    c.integer("days", days, required=True, min_value=1, max_value=MAX_ROTATION_DAYS)
    if shift_hours not in ROTATION_SHIFT_HOURS:
        c.fail(
            "shift_hours",
            "invalid_choice",
            value=str(shift_hours),
            allowed=", ".join(str(h) for h in ROTATION_SHIFT_HOURS),
        )
    c.integer("start_hour", start_hour, required=True, max_value=23)
    c.raise_if_failed()
    tz = ZoneInfo(zone) if isinstance(zone, str) else (zone or local_zone())
    first = as_utc(datetime.combine(start_date, time(start_hour), tzinfo=tz))
    length = timedelta(hours=shift_hours)
    created = []
    for i in range(days * 24 // shift_hours):
        person = people[i % len(people)]
        created.append(
            create_shift(
                ShiftCreate(
                    **person.model_dump(),
                    role=role,
                    starts_at=first + i * length,
                    ends_at=first + (i + 1) * length,
                ),
                session=session,
            )
        )
    return created
