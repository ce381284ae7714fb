"""Resources used for an incident: recorded by coordinators with a timeline entry, an
audit row and a change row; refused to clerks; listed in the order they were used."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from ebconsole.audit.models import AuditEntry
from ebconsole.errors import PermissionDenied, ValidationFailed
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import TimelineKind
from ebconsole.incidents.intake import parse_intake
from ebconsole.resources import service as resources
from ebconsole.resources import usage
from ebconsole.resources.enums import ResourceKind
from ebconsole.resources.models import IncidentResourceUse
from ebconsole.resources.schemas import ResourceCreate, ResourceUseCreate
from ebconsole.sync.models import ChangeLog
from ebconsole.timeutil import utcnow
from tests.ebconsole.incidents.samples import outage_intake


@pytest.fixture
def outage(db, world):
    """An outage reported by the clerk, and two reserves of the inventory."""
    with db.session(world.clerk) as s:
        incident_id = incidents.create(parse_intake(outage_intake()), session=s).id
    with db.session(world.admin) as s:
        server = resources.create(
            ResourceCreate(
                kind=ResourceKind.SPARE_EQUIPMENT,
                name="备用应用服务器 华为 2288H V5",
                location="总行数据中心 3 楼备件库",
                quantity=4,
                unit="台",
            ),
            session=s,
        )
        centre = resources.create(
            ResourceCreate(kind=ResourceKind.BACKUP_SYSTEM, name="上海同城灾备中心"), session=s
        )
    return incident_id, server.id, centre.id


def test_a_coordinator_records_resources_used_with_timeline_audit_and_change_rows(
    db, world, outage
):
    incident_id, server_id, centre_id = outage
    earlier = utcnow() - timedelta(minutes=40)
    with db.session(world.coordinator) as s:
        first = usage.record_use(
            incident_id,
            ResourceUseCreate(resource_id=server_id, quantity=2, note="替换故障的应用节点"),
            session=s,
        )
        usage.record_use(
            incident_id, ResourceUseCreate(resource_id=centre_id, used_at=earlier), session=s
        )
        use_id = first.id
    with db.session(readonly=True) as s:
        rows = usage.list_uses(incident_id, session=s)
        assert [r.name for r in rows] == ["上海同城灾备中心", "备用应用服务器 华为 2288H V5"]
        server = rows[1]
        assert (server.quantity, server.unit, server.note) == (2, "台", "替换故障的应用节点")
        assert server.used_by == "李明" and server.kind == "spare_equipment"
        assert abs(rows[0].used_at - earlier) < timedelta(seconds=1)
        timeline = incidents.get(incident_id, session=s).timeline
        texts = [e.text for e in timeline if e.kind is TimelineKind.ACTION]
        assert any("备用应用服务器 华为 2288H V5 × 2 台" in t for t in texts), texts
        assert any("替换故障的应用节点" in t for t in texts)
        audit = s.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "incident_resource_use", AuditEntry.entity_id == str(use_id)
            )
        ).all()
        assert [a.action for a in audit] == ["create"]
        assert audit[0].actor_name == "coord" and audit[0].after["quantity"] == 2
        changes = s.scalars(
            select(ChangeLog).where(
                ChangeLog.entity == "incident_resource_use", ChangeLog.record_id == str(use_id)
            )
        ).all()
        assert len(changes) == 1 and changes[0].state["resource_id"] == str(server_id)


def test_a_clerk_may_not_record_a_resource_used(db, world, outage):
    incident_id, server_id, _centre = outage
    with pytest.raises(PermissionDenied), db.session(world.clerk) as s:
        usage.record_use(incident_id, ResourceUseCreate(resource_id=server_id), session=s)
    with db.session(readonly=True) as s:
        assert s.scalars(select(IncidentResourceUse)).all() == []


def test_a_use_in_the_future_or_of_nothing_is_refused(db, world, outage):
    incident_id, server_id, _centre = outage
    with db.session(world.coordinator) as s:
        with pytest.raises(ValidationFailed) as err:
            usage.record_use(
                incident_id,
                ResourceUseCreate(
                    resource_id=server_id, used_at=utcnow() + timedelta(hours=2), quantity=0
                ),
                session=s,
            )
        assert {e.field for e in err.value.errors} == {"used_at", "quantity"}
    with db.session(world.admin) as s:
        resources.archive(server_id, session=s)
    with pytest.raises(ValidationFailed) as err, db.session(world.coordinator) as s:
        usage.record_use(incident_id, ResourceUseCreate(resource_id=server_id), session=s)
    assert err.value.errors[0].field == "resource_id"
