from __future__ import annotations

import uuid
from datetime import date

import pytest

from ebconsole.audit.models import AuditEntry
from ebconsole.errors import InvalidTransition, ValidationFailed
from ebconsole.improvements import service as improvements
from ebconsole.improvements.enums import ActionStatus, SourceKind
from ebconsole.improvements.schemas import ActionCreate, ActionUpdate

INCIDENT = uuid.UUID("5b0c6f2e-0d7a-4e8b-9a51-3f1f3c1d2e01")


def _fields(err: pytest.ExceptionInfo[ValidationFailed]) -> dict[str | None, str]:
    return {e.field: e.code for e in err.value.errors}


def _action(title: str, due: date, **kw) -> ActionCreate:
    return ActionCreate(
        **{
            "title": title,
            "source_kind": SourceKind.INCIDENT_REVIEW,
            "source_id": INCIDENT,
            "source_ref": "BJ01-20260412-0003 网银登录中断",
            "owner_name": "周涛",
            "due_date": due,
            **kw,
        }
    )


def test_overdue_lists_pending_actions_past_due_oldest_first(db, world):
    with db.session(world.coordinator) as s:
        simplify = improvements.create(
            _action(
                "简化应急响应流程，压缩初步评估环节",
                date(2026, 3, 31),
                source_kind=SourceKind.PLAN_REVIEW,
                source_id=None,
            ),
            session=s,
        )
        alerts = improvements.create(
            _action("补充数据库主备切换监控告警", date(2026, 2, 28)), session=s
        )
        later = improvements.create(_action("修订客户安抚话术", date(2026, 6, 30)), session=s)
        done = improvements.create(_action("更新应急联系人名单", date(2026, 1, 15)), session=s)
        improvements.complete(done.id, "已更新并下发各分行", session=s)
        improvements.update(alerts.id, ActionUpdate(status=ActionStatus.IN_PROGRESS), session=s)
    with db.session(readonly=True) as s:
        overdue = improvements.overdue(date(2026, 4, 1), session=s)
        assert [a.id for a in overdue] == [alerts.id, simplify.id]
        assert not improvements.get(alerts.id, session=s).is_overdue(date(2026, 2, 28))
        from_incident = improvements.list_actions(source_id=INCIDENT, session=s)
        assert [a.id for a in from_incident] == [done.id, alerts.id, later.id]
        assert [a.id for a in improvements.list_actions(ActionStatus.DONE, session=s)] == [done.id]
        assert [
            a.id
            for a in improvements.list_actions(overdue_only=True, today=date(2026, 7, 1), session=s)
        ] == [alerts.id, simplify.id, later.id]


def test_complete_needs_a_result_and_happens_once(db, world):
    with db.session(world.coordinator) as s:
        action = improvements.create(
            _action("补充数据库主备切换监控告警", date(2026, 2, 28)), session=s
        )
        with pytest.raises(ValidationFailed) as err:
            improvements.complete(action.id, "  ", session=s)
        assert _fields(err) == {"result": "required"}
        improvements.complete(action.id, "已接入统一监控平台，阈值 30 秒", session=s)
        assert action.status is ActionStatus.DONE and action.done_at is not None
        with pytest.raises(InvalidTransition) as terr:
            improvements.complete(action.id, "再次完成", session=s)
        assert terr.value.errors[0].params["from_label"] == "Completed"
        with pytest.raises(InvalidTransition):
            improvements.cancel(action.id, "不再需要", session=s)
        # reopening clears the closing time
        improvements.update(action.id, ActionUpdate(status=ActionStatus.OPEN), session=s)
        assert action.status is ActionStatus.OPEN and action.done_at is None
        improvements.cancel(action.id, "已由总行统一改造", session=s)
        assert action.status is ActionStatus.CANCELLED and action.result == "已由总行统一改造"
        actions = [
            e.action
            for e in s.query(AuditEntry)
            .filter_by(entity="improvement_action")
            .order_by(AuditEntry.seq)
        ]
        assert actions.count("update") == 3


def test_update_cannot_close_and_rules_name_the_field(db, world):
    with db.session(world.coordinator) as s:
        with pytest.raises(ValidationFailed) as err:
            improvements.create(
                _action("", date(2026, 2, 28), owner_name=" ", owner_user_id=uuid.uuid4()),
                session=s,
            )
        assert _fields(err) == {
            "title": "required",
            "owner_name": "required",
            "owner_user_id": "not_found",
        }
        action = improvements.create(
            _action(
                "演练脚本增加客户投诉环节",
                date(2026, 9, 30),
                owner_user_id=world.coordinator.user_id,
            ),
            session=s,
        )
        with pytest.raises(InvalidTransition):
            improvements.update(action.id, ActionUpdate(status=ActionStatus.DONE), session=s)
        with pytest.raises(ValidationFailed) as err:
            improvements.update(action.id, ActionUpdate(due_date=None), session=s)
        assert _fields(err) == {"due_date": "required"}
        improvements.update(
            action.id, ActionUpdate(owner_name="吴敏", owner_user_id=None), session=s
        )
        assert (action.owner_name, action.owner_user_id) == ("吴敏", None)
        improvements.archive(action.id, session=s)
        assert improvements.list_actions(session=s) == []
        assert improvements.list_actions(session=s, include_archived=True) == [action]
