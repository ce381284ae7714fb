from __future__ import annotations

from datetime import date

import pytest

from ebconsole.audit.models import AuditEntry
from ebconsole.drills import service as drills
from ebconsole.drills.enums import Audience, ExerciseKind, Method, Rating, Scenario
from ebconsole.drills.schemas import PlanCreate, PlanUpdate, RecordCreate, RecordUpdate
from ebconsole.errors import ValidationFailed
from ebconsole.improvements import service as improvements
from ebconsole.improvements.enums import SourceKind
from ebconsole.timeutil import to_local


def _fields(err: pytest.ExceptionInfo[ValidationFailed]) -> dict[str | None, str]:
    return {e.field: e.code for e in err.value.errors}


def _plans(s) -> dict[str, object]:
    return {p.code: p for p in drills.list_plans(session=s)}


def _drill_record(plan_id, held_on: date, **kw) -> RecordCreate:
    return RecordCreate(
        **{
            "plan_id": plan_id,
            "held_on": held_on,
            "participants": ["周涛", "孙磊", "黄丽", "吴敏"],
            "participant_count": 18,
            "duration_minutes": 150,
            "score": 82,
            "rating": Rating.GOOD,
            "evaluation": "流程总体可行；发现报告环节耗时偏长，对外口径准备不足。",
            "findings": [
                "初步评估到启动应急响应用时 40 分钟，超过 15 分钟目标",
                "客户服务中心未及时收到统一答复口径",
            ],
            **kw,
        }
    )


def test_default_plans_are_one_training_and_two_annual_drills(db, world):
    with db.session(readonly=True) as s:
        plans = _plans(s)
        assert set(plans) == {
            "annual_plan_training",
            "annual_network_attack_tabletop",
            "annual_system_failure_live",
        }
        assert all(p.cycle_months == 12 for p in plans.values())
        tabletop = plans["annual_network_attack_tabletop"]
        assert (tabletop.kind, tabletop.method, tabletop.scenario) == (
            ExerciseKind.DRILL,
            Method.TABLETOP,
            Scenario.NETWORK_ATTACK,
        )
        assert plans["annual_plan_training"].audiences == ["staff", "management"]
    with db.session(world.admin) as s:
        drills.load_defaults(session=s)
        assert len(drills.list_plans(session=s)) == 3


def test_plan_rules_name_the_field(db, world):
    with db.session(world.coordinator) as s:
        with pytest.raises(ValidationFailed) as err:
            drills.create_plan(
                PlanCreate(
                    kind=ExerciseKind.DRILL,
                    title="自然灾害演练",
                    audiences=[],
                    method=Method.LECTURE,
                    cycle_months=0,
                ),
                session=s,
            )
        assert _fields(err) == {
            "audiences": "required",
            "method": "method_not_for_kind",
            "scenario": "scenario_required",
            "cycle_months": "not_in_range",
        }
        assert "Drill" in str(err.value)
        plan = drills.create_plan(
            PlanCreate(
                kind=ExerciseKind.TRAINING,
                title="合作伙伴应急协同培训",
                audiences=[Audience.PARTNERS, Audience.PARTNERS],
                method=Method.ONLINE,
                content="外包运维商、第三方支付机构的报告渠道与协同要求",
                cycle_months=6,
            ),
            session=s,
        )
        assert plan.audiences == ["partners"]
        with pytest.raises(ValidationFailed) as err:
            drills.update_plan(plan.id, PlanUpdate(method=Method.LIVE, title=""), session=s)
        assert _fields(err) == {"method": "method_not_for_kind", "title": "required"}
        drills.update_plan(plan.id, PlanUpdate(method=Method.CASE_STUDY), session=s)
        assert plan.method is Method.CASE_STUDY


def test_records_take_the_plans_method_and_check_their_fields(db, world):
    with db.session(world.coordinator) as s:
        live = _plans(s)["annual_system_failure_live"]
        record = drills.create_record(_drill_record(live.id, date(2026, 4, 18)), session=s)
        assert (record.method, record.scenario, record.kind) == (
            Method.LIVE,
            Scenario.SYSTEM_FAILURE,
            ExerciseKind.DRILL,
        )
        quick = drills.create_record(
            RecordCreate(plan_id=live.id, held_on=date(2026, 4, 19), participants=["孙磊", "郑伟"]),
            session=s,
        )
        assert quick.participant_count == 2
        future = to_local(record.created_at).date().replace(year=2100)
        with pytest.raises(ValidationFailed) as err:
            drills.create_record(
                _drill_record(
                    live.id,
                    future,
                    method=Method.ONLINE,
                    participant_count=3,
                    score=120,
                    findings=["切换成功", " "],
                ),
                session=s,
            )
        assert _fields(err) == {
            "held_on": "datetime_in_future",
            "method": "method_not_for_kind",
            "participant_count": "count_below_names",
            "score": "not_in_range",
            "findings[1]": "required",
        }
        drills.update_record(
            quick.id,
            RecordUpdate(participants=["孙磊", "郑伟", "黄丽"], rating=Rating.SATISFACTORY),
            session=s,
        )
        assert quick.participant_count == 3


def test_compliance_follows_the_cycle_across_years(db, world):
    with db.session(world.coordinator) as s:
        plans = _plans(s)
        tabletop = plans["annual_network_attack_tabletop"]
        drills.create_record(_drill_record(tabletop.id, date(2025, 11, 10)), session=s)
        training = plans["annual_plan_training"]
        drills.create_record(
            RecordCreate(plan_id=training.id, held_on=date(2026, 3, 2), participant_count=45),
            session=s,
        )
    with db.session(readonly=True) as s:
        rows = {r.plan_id: r for r in drills.compliance(2026, date(2026, 6, 1), session=s)}
        row = rows[tabletop.id]
        assert (row.last_held, row.next_due, row.overdue, row.held_in_year) == (
            date(2025, 11, 10),
            date(2026, 11, 10),
            False,
            0,
        )
        assert rows[training.id].held_in_year == 1
        late = {r.plan_id: r for r in drills.compliance(2026, date(2026, 11, 11), session=s)}
        assert late[tabletop.id].overdue and not late[training.id].overdue
        # as seen from before the drill was held, it does not count yet
        early = {r.plan_id: r for r in drills.compliance(2025, date(2025, 11, 9), session=s)}
        assert early[tabletop.id].last_held is None

        year_2025 = drills.yearly_compliance(2025, session=s)
        assert (year_2025.drill_ok, year_2025.training_ok, year_2025.ok) == (True, False, False)
        year_2026 = drills.yearly_compliance(2026, session=s)
        assert (year_2026.trainings, year_2026.drills, year_2026.ok) == (
            (date(2026, 3, 2),),
            (),
            False,
        )


def test_a_plan_never_held_falls_due_one_cycle_after_it_was_set_up(db, world):
    with db.session(readonly=True) as s:
        live = _plans(s)["annual_system_failure_live"]
        set_up = to_local(live.created_at).date()
        due = drills.add_months(set_up, 12)
        row = next(r for r in drills.compliance(due.year, due, session=s) if r.plan_id == live.id)
        assert (row.last_held, row.next_due, row.overdue) == (None, due, False)
        row = next(
            r
            for r in drills.compliance(due.year, drills.add_months(due, 1), session=s)
            if r.plan_id == live.id
        )
        assert row.overdue


def test_archived_records_do_not_count_but_those_of_archived_plans_do(db, world):
    with db.session(world.coordinator) as s:
        plans = _plans(s)
        live = drills.create_record(
            _drill_record(plans["annual_system_failure_live"].id, date(2026, 5, 20)), session=s
        )
        drills.create_record(
            RecordCreate(
                plan_id=plans["annual_plan_training"].id,
                held_on=date(2026, 2, 1),
                participant_count=30,
            ),
            session=s,
        )
        drills.archive_plan(plans["annual_system_failure_live"].id, session=s)
        assert drills.yearly_compliance(2026, session=s).ok
        drills.archive_record(live.id, session=s)
        assert not drills.yearly_compliance(2026, session=s).drill_ok
        assert [
            e.action
            for e in s.query(AuditEntry)
            .filter_by(entity="exercise_record", entity_id=str(live.id))
            .order_by(AuditEntry.seq)
        ] == ["create", "archive"]


def test_add_months_clamps_to_the_end_of_the_month():
    assert drills.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert drills.add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)
    assert drills.add_months(date(2025, 11, 10), 12) == date(2026, 11, 10)
    assert drills.add_months(date(2026, 6, 15), 30) == date(2028, 12, 15)


def test_a_finding_becomes_one_improvement_action(db, world):
    with db.session(world.coordinator) as s:
        tabletop = _plans(s)["annual_network_attack_tabletop"]
        record = drills.create_record(_drill_record(tabletop.id, date(2026, 5, 12)), session=s)
        action = drills.raise_improvement(record.id, 1, "吴敏", date(2026, 6, 30), session=s)
        assert (action.source_kind, action.source_id, action.source_item) == (
            SourceKind.DRILL,
            record.id,
            1,
        )
        assert action.title == "客户服务中心未及时收到统一答复口径"
        assert action.source_ref == "网络攻击应急桌面演练 2026-05-12 #2"
        with pytest.raises(ValidationFailed) as err:
            drills.raise_improvement(record.id, 1, "吴敏", date(2026, 6, 30), session=s)
        assert _fields(err) == {"finding_index": "finding_already_raised"}
        with pytest.raises(ValidationFailed) as err:
            drills.raise_improvement(record.id, 2, "吴敏", date(2026, 6, 30), session=s)
        assert _fields(err) == {"finding_index": "not_in_range"}
        improvements.cancel(action.id, "并入总行统一整改", session=s)
        again = drills.raise_improvement(record.id, 1, "周涛", date(2026, 7, 31), session=s)
        assert [a.id for a in improvements.list_actions(source_id=record.id, session=s)] == [
            action.id,
            again.id,
        ]
