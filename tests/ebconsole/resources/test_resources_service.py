from __future__ import annotations

from datetime import timedelta

import pytest

from ebconsole.audit.models import AuditEntry
from ebconsole.errors import ValidationFailed
from ebconsole.resources import service as resources
from ebconsole.resources.enums import ResourceKind, ResourceStatus
from ebconsole.resources.schemas import ResourceCreate, ResourceUpdate
from ebconsole.timeutil import utcnow


def _fields(err: pytest.ExceptionInfo[ValidationFailed]) -> dict[str | None, str]:
    return {e.field: e.code for e in err.value.errors}


def _media(**kw):
    return ResourceCreate(
        **{
            "kind": ResourceKind.BACKUP_MEDIA,
            "name": "LTO-8 磁带库（异地）",
            "location": "上海同城灾备中心 B2 机房",
            "quantity": 40,
            "unit": "盘",
            "contact_name": "孙磊",
            "contact_phone": "021-58880000",
            **kw,
        }
    )


def test_kinds_come_with_default_intervals_that_new_items_take(db, world):
    with db.session(world.admin) as s:
        kinds = resources.list_kinds(session=s)
        assert [k.kind for k in kinds] == list(ResourceKind)
        media = resources.create(_media(), session=s)
        assert media.check_interval_days == 30
        resources.set_default_check_days(ResourceKind.SPARE_EQUIPMENT, 60, session=s)
        server = resources.create(
            ResourceCreate(
                kind=ResourceKind.SPARE_EQUIPMENT,
                name="备用应用服务器 华为 2288H V5",
                location="总行数据中心 3 楼备件库",
                quantity=2,
                unit="台",
            ),
            session=s,
        )
        assert server.check_interval_days == 60
        own = resources.create(_media(name="备份硬盘", check_interval_days=7), session=s)
        assert own.check_interval_days == 7
        resources.update(own.id, ResourceUpdate(check_interval_days=None), session=s)
        assert own.check_interval_days == 30


def test_overdue_means_never_checked_or_past_the_interval(db, world):
    now = utcnow()
    with db.session(world.admin) as s:
        never = resources.create(_media(name="应急发电车租赁"), session=s)
        old = resources.create(
            _media(
                name="UPS 蓄电池组",
                kind=ResourceKind.EMERGENCY_SUPPLIES,
                last_checked_at=now - timedelta(days=45),
            ),
            session=s,
        )
        fresh = resources.create(_media(last_checked_at=now - timedelta(days=10)), session=s)
        edge = resources.create(
            _media(name="异地备份光盘", last_checked_at=now - timedelta(days=30)), session=s
        )
    with db.session(readonly=True) as s:
        assert fresh.id not in {r.id for r in resources.overdue(now, session=s)}
        assert [r.id for r in resources.overdue(now, session=s)] == [never.id, old.id]
        edge_row = resources.get(edge.id, session=s)
        assert edge_row.next_check_due == now and not edge_row.is_overdue(now)
        assert edge_row.is_overdue(now + timedelta(seconds=1))
        media = resources.list_resources(
            ResourceKind.BACKUP_MEDIA, overdue_only=True, now=now, session=s
        )
        assert [r.id for r in media] == [never.id]
        later = now + timedelta(days=25)
        assert {r.id for r in resources.overdue(later, session=s)} == {
            never.id,
            old.id,
            fresh.id,
            edge.id,
        }


def test_mark_checked_keeps_a_history_and_moves_the_due_date(db, world):
    now = utcnow()
    with db.session(world.admin) as s:
        item = resources.create(_media(last_checked_at=now - timedelta(days=40)), session=s)
    with db.session(world.coordinator) as s:
        check = resources.mark_checked(
            item.id,
            session=s,
            at=now - timedelta(hours=2),
            status=ResourceStatus.DEGRADED,
            note="3 盘读取出错，已报修",
        )
        assert check.checked_by == "李明" and check.result is ResourceStatus.DEGRADED
        late = resources.mark_checked(item.id, session=s, at=now - timedelta(days=20))
        assert late.result is ResourceStatus.DEGRADED
    with db.session(readonly=True) as s:
        item = resources.get(item.id, session=s)
        assert item.last_checked_at == now - timedelta(hours=2)
        assert item.status is ResourceStatus.DEGRADED
        assert not item.is_overdue(now)
        assert [c.id for c in resources.list_checks(item.id, session=s)] == [check.id, late.id]
        audited = s.query(AuditEntry).filter_by(entity="resource_check").count()
        assert audited == 2
        assert (
            s.query(AuditEntry)
            .filter_by(entity="resource_item", entity_id=str(item.id), action="update")
            .count()
            == 1
        )


def test_mark_checked_refuses_the_future_and_archived_items(db, world):
    with db.session(world.admin) as s:
        item = resources.create(_media(), session=s)
        with pytest.raises(ValidationFailed) as err:
            resources.mark_checked(
                item.id, session=s, at=utcnow() + timedelta(hours=1), status="broken"
            )  # type: ignore[arg-type]
        assert _fields(err) == {"checked_at": "datetime_in_future", "status": "invalid_choice"}
        resources.archive(item.id, session=s)
        with pytest.raises(ValidationFailed) as err:
            resources.mark_checked(item.id, session=s)
        assert err.value.code == "archived"
        assert resources.list_resources(session=s) == []


def test_item_rules_name_the_field(db, world):
    with db.session(world.admin) as s:
        with pytest.raises(ValidationFailed) as err:
            resources.create(
                _media(name="", quantity=-1, contact_phone="找孙磊", check_interval_days=0),
                session=s,
            )
        assert _fields(err) == {
            "name": "required",
            "quantity": "not_in_range",
            "contact_phone": "invalid_phone",
            "check_interval_days": "not_in_range",
        }
        item = resources.create(_media(), session=s)
        with pytest.raises(ValidationFailed) as err:
            resources.update(item.id, ResourceUpdate(name=None, unit="盘" * 30), session=s)
        assert _fields(err) == {"name": "required", "unit": "too_long"}
