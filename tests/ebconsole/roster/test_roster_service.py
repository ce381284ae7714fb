from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from ebconsole.audit.models import AuditEntry
from ebconsole.errors import ValidationFailed
from ebconsole.organisation import service as org
from ebconsole.organisation.enums import GroupCode
from ebconsole.organisation.schemas import MemberCreate
from ebconsole.roster import service as roster
from ebconsole.roster.enums import DutyRole
from ebconsole.roster.schemas import PersonOnDuty, ShiftCreate, ShiftUpdate

BJ = ZoneInfo("Asia/Shanghai")


def bj(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, day, hour, minute, tzinfo=BJ)


def _fields(err: pytest.ExceptionInfo[ValidationFailed]) -> dict[str | None, str]:
    return {e.field: e.code for e in err.value.errors}


def _shift(name: str, start: datetime, end: datetime, role=DutyRole.DUTY_OFFICER, **kw):
    return ShiftCreate(
        person_name=name, person_phone="13800000000", role=role, starts_at=start, ends_at=end, **kw
    )


def test_night_shift_across_midnight_is_on_duty_until_handover(db, world):
    with db.session(world.coordinator) as s:
        night = roster.create_shift(
            _shift("孙磊", bj(1, 20), bj(2, 8), DutyRole.SHIFT_LEADER), session=s
        )
        roster.create_shift(_shift("黄丽", bj(2, 8), bj(2, 20)), session=s)
    with db.session(readonly=True) as s:
        names = lambda at: [x.person_name for x in roster.on_duty(at, session=s)]  # noqa: E731
        assert names(bj(1, 19, 59)) == []
        assert names(bj(1, 20)) == ["孙磊"]
        assert names(bj(1, 23, 59)) == names(bj(2, 0)) == ["孙磊"]
        assert names(bj(2, 8)) == ["黄丽"]  # half-open: the night shift has handed over
        assert roster.gaps(bj(1, 20), bj(2, 20), session=s) == []
        assert roster.gaps(bj(1, 0), bj(3, 0), session=s) == [
            (bj(1, 0), bj(1, 20)),
            (bj(2, 20), bj(3, 0)),
        ]
        assert [x.id for x in roster.list_shifts(bj(2, 0), bj(2, 1), session=s)] == [night.id]
        # a naive time is read in the workstation's zone (Asia/Shanghai)
        assert names(datetime(2026, 6, 2, 7, 59)) == ["孙磊"]


def test_week_view_splits_local_days_and_shows_their_gaps(db, world):
    with db.session(world.coordinator) as s:
        roster.create_shift(_shift("孙磊", bj(1, 20), bj(2, 8)), session=s)
        days = roster.week(date(2026, 6, 1), "Asia/Shanghai", session=s)
    assert [d.day for d in days] == [date(2026, 6, 1) + timedelta(days=i) for i in range(7)]
    assert days[0].starts_at == bj(1, 0) and days[0].ends_at == bj(2, 0)
    assert [v.person_name for v in days[0].shifts] == [v.person_name for v in days[1].shifts]
    assert days[0].gaps == ((bj(1, 0), bj(1, 20)),)
    assert days[1].gaps == ((bj(2, 8), bj(3, 0)),)
    assert not days[2].shifts and days[2].gaps == ((bj(3, 0), bj(4, 0)),)
    assert not days[0].covered


def test_shift_rules_name_the_field(db, world):
    with db.session(world.coordinator) as s:
        with pytest.raises(ValidationFailed) as err:
            roster.create_shift(_shift("孙磊", bj(2, 8), bj(1, 20)), session=s)
        assert _fields(err) == {"ends_at": "must_be_later"}
        with pytest.raises(ValidationFailed) as err:
            roster.create_shift(_shift("孙磊", bj(1, 8), bj(2, 8, 1)), session=s)
        assert _fields(err) == {"ends_at": "shift_too_long"}
        with pytest.raises(ValidationFailed) as err:
            roster.create_shift(
                ShiftCreate(person_phone="值班室", starts_at=bj(1, 8), ends_at=bj(1, 20)), session=s
            )
        assert _fields(err) == {"person_name": "required", "person_phone": "invalid_phone"}

        roster.create_shift(_shift("孙磊", bj(1, 8), bj(1, 20)), session=s)
        with pytest.raises(ValidationFailed) as err:
            roster.create_shift(_shift("孙磊", bj(1, 19), bj(2, 7), DutyRole.TECHNICAL), session=s)
        assert _fields(err) == {"starts_at": "shift_overlap"}
        assert "2026-06-01 08:00" in str(err.value)
        # someone else may well be on duty at the same time
        roster.create_shift(_shift("郑伟", bj(1, 19), bj(2, 7), DutyRole.TECHNICAL), session=s)


def test_member_on_duty_takes_name_and_mobile_and_cannot_double_up(db, world):
    with db.session(world.admin) as s:
        working = org.get_group_by_code(GroupCode.WORKING, session=s).id
        member = org.create_member(
            MemberCreate(
                group_id=working,
                name="周涛",
                title="总经理",
                department="信息科技部",
                office_phone="010-66001101",
                mobile_phone="13700001111",
            ),
            session=s,
        )
        shift = roster.create_shift(
            ShiftCreate(
                member_id=member.id, role=DutyRole.TECHNICAL, starts_at=bj(3, 8), ends_at=bj(3, 20)
            ),
            session=s,
        )
        assert (shift.person_name, shift.person_phone) == ("周涛", "13700001111")
        with pytest.raises(ValidationFailed) as err:
            roster.create_shift(
                ShiftCreate(
                    member_id=member.id,
                    person_name="周涛（代）",
                    starts_at=bj(3, 12),
                    ends_at=bj(3, 14),
                ),
                session=s,
            )
        assert _fields(err) == {"starts_at": "shift_overlap"}
        coord = world.coordinator.user_id
        by_user = roster.create_shift(
            ShiftCreate(user_id=coord, starts_at=bj(3, 12), ends_at=bj(3, 14)), session=s
        )
        assert by_user.person_name == "李明"


def test_update_and_archive_shift(db, world):
    with db.session(world.coordinator) as s:
        first = roster.create_shift(_shift("黄丽", bj(4, 8), bj(4, 20)), session=s)
        second = roster.create_shift(_shift("黄丽", bj(5, 8), bj(5, 20)), session=s)
        roster.update_shift(
            first.id, ShiftUpdate(ends_at=bj(4, 21), note="延长一小时交接"), session=s
        )
        with pytest.raises(ValidationFailed) as err:
            roster.update_shift(
                first.id, ShiftUpdate(starts_at=bj(4, 20), ends_at=bj(5, 9)), session=s
            )
        assert _fields(err) == {"starts_at": "shift_overlap"}
        assert roster.get_shift(first.id, session=s).ends_at == bj(4, 21)
        roster.archive_shift(second.id, session=s)
        assert roster.on_duty(bj(5, 9), session=s) == []
        actions = [
            e.action
            for e in s.query(AuditEntry)
            .filter_by(entity="duty_shift", entity_id=str(first.id))
            .order_by(AuditEntry.seq)
        ]
        assert sorted(actions) == ["create", "update"]


def test_generate_rotation_covers_the_window_without_double_booking(db, world):
    people = [
        PersonOnDuty(person_name=n, person_phone=p)
        for n, p in (("孙磊", "13600000001"), ("黄丽", "13600000002"), ("郑伟", "13600000003"))
    ]
    with db.session(world.coordinator) as s:
        shifts = roster.generate_rotation(
            people, date(2026, 7, 1), 7, 12, session=s, zone="Asia/Shanghai"
        )
        assert len(shifts) == 14
        start = datetime(2026, 7, 1, 8, tzinfo=BJ)
        assert shifts[0].starts_at == start and shifts[-1].ends_at == start + timedelta(days=7)
        assert roster.gaps(start, start + timedelta(days=7), session=s) == []
        assert [x.person_name for x in shifts[:4]] == ["孙磊", "黄丽", "郑伟", "孙磊"]
        for name in ("孙磊", "黄丽", "郑伟"):
            own = [x for x in shifts if x.person_name == name]
            assert all(a.ends_at <= b.starts_at for a, b in pairwise(own))
        with pytest.raises(ValidationFailed) as err:
            roster.generate_rotation([], date(2026, 7, 1), 0, 10, session=s)
        assert _fields(err) == {
            "people": "required",
            "days": "not_in_range",
            "shift_hours": "invalid_choice",
        }
    # a clash with an existing shift fails the whole rotation (the transaction rolls back)
    with db.session(world.coordinator) as s, pytest.raises(ValidationFailed):
        roster.generate_rotation(
            people[:1], date(2026, 7, 7), 2, 24, session=s, zone="Asia/Shanghai"
        )
    with db.session(readonly=True) as s:
        assert len(roster.list_shifts(start, start + timedelta(days=9), session=s)) == 14
