"""The lifecycle: only the table's transitions, each one step on the timeline."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from ebconsole.errors import InvalidTransition, ValidationFailed
from ebconsole.i18n import translator
from ebconsole.incidents import lifecycle
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import CLOSED_STATUSES, OPEN_STATUSES, Severity, Status, TimelineKind
from ebconsole.incidents.intake import parse_intake
from ebconsole.incidents.models import Incident, TimelineEntry
from ebconsole.incidents.schemas import IncidentFilter, IncidentReview, IncidentUpdate
from tests.ebconsole.incidents.samples import fraud_intake, outage_intake

ZH = translator("zh_CN")
EN = translator("en")
S = Status


def new_incident(db, actor, raw=None, severity: Severity | None = None):
    with db.session(actor) as s:
        inc = incidents.create(parse_intake(raw or outage_intake()), session=s)
        if severity is not None:
            incidents.update(inc.id, IncidentUpdate(severity=severity), session=s)
        return inc.id


def status_changes(s, incident_id) -> list[TimelineEntry]:
    return list(
        s.scalars(
            select(TimelineEntry)
            .where(
                TimelineEntry.incident_id == incident_id,
                TimelineEntry.kind == TimelineKind.STATUS_CHANGE,
            )
            .order_by(TimelineEntry.at)
        )
    )


# -- the table -----------------------------------------------------------------------------------
def test_the_table_is_data_and_the_ui_can_ask_it():
    assert lifecycle.allowed_transitions(S.REPORTED) == [S.ASSESSING, S.OUT_OF_SCOPE]
    assert lifecycle.allowed_transitions(S.ASSESSING) == [S.ACTIVATED, S.DISMISSED, S.OUT_OF_SCOPE]
    assert lifecycle.allowed_transitions(S.RESTORED) == [S.REVIEWED, S.HANDLING]
    for terminal in (S.REVIEWED, S.DISMISSED, S.OUT_OF_SCOPE):
        assert lifecycle.allowed_transitions(terminal) == []
        assert lifecycle.is_terminal(terminal)
    # every open status can be handed off; nothing leads back to reported
    for status in OPEN_STATUSES:
        assert S.OUT_OF_SCOPE in lifecycle.allowed_transitions(status)
    assert all(t.target is not S.REPORTED for t in lifecycle.TRANSITIONS)
    assert {t.target for t in lifecycle.TRANSITIONS} | {S.REPORTED} == set(Status)
    handed_off_or_dismissed = {
        t.target for t in lifecycle.TRANSITIONS if t.needs_reason and not t.reopens
    }
    assert handed_off_or_dismissed <= CLOSED_STATUSES


def test_the_whole_response_with_milestones(db, coordinator):
    inc_id = new_incident(db, coordinator)
    with db.session(coordinator) as s:
        incidents.advance(inc_id, S.ASSESSING, session=s, note="值班经理开始初步评估")
        incidents.update(inc_id, IncidentUpdate(severity=Severity.II), session=s)
        inc = incidents.advance(inc_id, S.ACTIVATED, session=s)
        assert inc.assessed_at is not None and inc.activated_at is not None
        incidents.advance(inc_id, S.HANDLING, session=s)
        incidents.advance(inc_id, S.RECOVERING, session=s)
        inc = incidents.advance(inc_id, S.RESTORED, session=s, note="网银服务全部恢复")
        assert inc.restored_at is not None and inc.closed_at is None
        inc = incidents.review(
            inc_id,
            IncidentReview(
                cause="应用服务器内存泄漏导致节点宕机",
                handling="切换灾备节点，45分钟恢复",
                lessons="增加内存监控阈值告警；完善切换演练",
            ),
            session=s,
        )
        assert inc.status is S.REVIEWED and inc.closed_at is not None
        assert inc.reviewed_by == "coord"
    with db.session(coordinator, readonly=True) as s:
        steps = [(e.from_status, e.to_status) for e in status_changes(s, inc_id)]
        assert steps == [
            (None, S.REPORTED),
            (S.REPORTED, S.ASSESSING),
            (S.ASSESSING, S.ACTIVATED),
            (S.ACTIVATED, S.HANDLING),
            (S.HANDLING, S.RECOVERING),
            (S.RECOVERING, S.RESTORED),
            (S.RESTORED, S.REVIEWED),
        ]
        entries = status_changes(s, inc_id)
        assert entries[1].text == "值班经理开始初步评估"
        assert entries[2].text == "评估中 → 已启动应急响应"
        assert all(e.actor_name == "李明" for e in entries[1:])


def test_an_invalid_transition_names_both_statuses(db, coordinator):
    inc_id = new_incident(db, coordinator)
    with db.session(coordinator) as s, pytest.raises(InvalidTransition) as err:
        incidents.advance(inc_id, S.RESTORED, session=s)
    e = err.value.errors[0]
    assert (e.code, e.params["from_label"], e.params["to_label"]) == (
        "invalid_transition",
        "Reported",
        "Service restored",
    )
    assert "“已报告”" in e.message(ZH) and "“已恢复服务”" in e.message(ZH)
    assert "cannot go from Reported to Service restored" in e.message(EN)


def test_activation_needs_a_severity(db, coordinator):
    inc_id = new_incident(db, coordinator)
    with db.session(coordinator) as s:
        incidents.advance(inc_id, S.ASSESSING, session=s)
    with db.session(coordinator) as s, pytest.raises(InvalidTransition) as err:
        incidents.advance(inc_id, S.ACTIVATED, session=s)
    assert err.value.code == "not_assessed"
    assert "尚未完成初步评估" in err.value.message(ZH)


def test_dismissal_needs_a_reason(db, coordinator):
    inc_id = new_incident(db, coordinator)
    with db.session(coordinator) as s:
        incidents.advance(inc_id, S.ASSESSING, session=s)
    with db.session(coordinator) as s, pytest.raises(ValidationFailed) as err:
        incidents.advance(inc_id, S.DISMISSED, session=s, note="无影响")
    assert (err.value.errors[0].field, err.value.code) == ("reason", "reason_required")
    with db.session(coordinator) as s:
        inc = incidents.advance(
            inc_id, S.DISMISSED, session=s, reason="经评估为客户操作失误，未达到启动应急响应标准"
        )
        assert inc.dismissed_reason.startswith("经评估")
        assert inc.closed_at is not None and inc.assessed_at is not None
        assert inc.activated_at is None


def test_reopening_a_restored_incident_is_recorded_with_its_reason(db, coordinator):
    inc_id = new_incident(db, coordinator, severity=Severity.III)
    with db.session(coordinator) as s:
        for to in (S.ASSESSING, S.ACTIVATED, S.HANDLING, S.RECOVERING, S.RESTORED):
            incidents.advance(inc_id, to, session=s)
    with db.session(coordinator) as s, pytest.raises(ValidationFailed):
        incidents.advance(inc_id, S.HANDLING, session=s)
    with db.session(coordinator) as s:
        inc = incidents.advance(
            inc_id, S.HANDLING, session=s, reason="恢复后再次出现交易超时，重新处置"
        )
        assert inc.status is S.HANDLING and inc.restored_at is None
        last = status_changes(s, inc_id)[-1]
        assert (last.from_status, last.to_status, last.text) == (
            S.RESTORED,
            S.HANDLING,
            "恢复后再次出现交易超时，重新处置",
        )


def test_closing_needs_the_review(db, coordinator):
    inc_id = new_incident(db, coordinator, severity=Severity.IV)
    with db.session(coordinator) as s:
        for to in (S.ASSESSING, S.ACTIVATED, S.HANDLING):
            incidents.advance(inc_id, to, session=s)
    with db.session(coordinator) as s, pytest.raises(InvalidTransition):
        incidents.review(inc_id, IncidentReview(cause="网络抖动", lessons="无"), session=s)
    with db.session(coordinator) as s:
        incidents.advance(inc_id, S.RECOVERING, session=s)
        incidents.advance(inc_id, S.RESTORED, session=s)
    with db.session(coordinator) as s, pytest.raises(ValidationFailed) as err:
        incidents.advance(inc_id, S.REVIEWED, session=s)
    assert {e.field: e.code for e in err.value.errors} == {
        "cause": "required",
        "lessons": "required",
    }
    with db.session(coordinator) as s, pytest.raises(ValidationFailed) as err:
        incidents.review(inc_id, IncidentReview(cause=" ", lessons="完善监控"), session=s)
    assert {e.field: e.code for e in err.value.errors} == {"cause": "required"}
    assert "事件原因" in err.value.message(ZH)


def test_out_of_scope_is_handed_off_with_a_reason(db, clerk, coordinator):
    inc_id = new_incident(db, clerk, fraud_intake(title="客户称遭持刀胁迫转账"))
    with db.session(coordinator) as s, pytest.raises(ValidationFailed) as err:
        incidents.mark_out_of_scope(inc_id, "", "", session=s)
    assert {e.field: e.code for e in err.value.errors} == {
        "reason": "required",
        "handed_off_to": "required",
    }
    assert "移交单位" in err.value.message(ZH)
    with db.session(coordinator) as s:
        inc = incidents.mark_out_of_scope(
            inc_id, "涉嫌抢劫的刑事案件，不适用本预案", "北京市公安局朝阳分局", session=s
        )
        assert (inc.status, inc.in_scope) == (S.OUT_OF_SCOPE, False)
        assert inc.handed_off_to == "北京市公安局朝阳分局"
        assert inc.out_of_scope_reason == "涉嫌抢劫的刑事案件，不适用本预案"
        assert inc.closed_at is not None
        assert "已移交北京市公安局朝阳分局" in status_changes(s, inc_id)[-1].text
    with db.session(coordinator) as s, pytest.raises(InvalidTransition):
        incidents.mark_out_of_scope(inc_id, "重复", "法务部", session=s)


def test_archive_only_closed_incidents_and_then_they_are_read_only(db, coordinator):
    inc_id = new_incident(db, coordinator)
    with db.session(coordinator) as s, pytest.raises(ValidationFailed) as err:
        incidents.archive(inc_id, session=s)
    assert err.value.code == "archive_open"
    with db.session(coordinator) as s:
        incidents.advance(inc_id, S.ASSESSING, session=s)
        incidents.advance(inc_id, S.DISMISSED, session=s, reason="重复登记")
        incidents.archive(inc_id, session=s)
    with db.session(coordinator) as s, pytest.raises(ValidationFailed) as err:
        incidents.update(inc_id, IncidentUpdate(title="改"), session=s)
    assert err.value.code == "incident_archived"
    with db.session(coordinator, readonly=True) as s:
        assert incidents.list_incidents(IncidentFilter(), session=s) == []
        assert [
            i.id for i in incidents.list_incidents(IncidentFilter(include_archived=True), session=s)
        ] == [inc_id]


# -- property: random sequences of transitions ---------------------------------------------------
def expected_ok(
    status: Status, target: Status, *, reason: bool, severity: bool, reviewed: bool
) -> bool:
    rule = lifecycle.transition(status, target)
    return (
        rule is not None
        and (reason or not rule.needs_reason)
        and (severity or not rule.needs_severity)
        and (reviewed or not rule.needs_review)
    )


steps = st.lists(st.tuples(st.sampled_from(list(Status)), st.booleans()), min_size=1, max_size=12)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps, severity=st.booleans(), reviewed=st.booleans())
def test_random_sequences_follow_the_table(db, coordinator, steps, severity, reviewed):
    with db.session(coordinator) as s:
        inc = incidents.create(parse_intake(outage_intake()), session=s)
        inc.severity = Severity.II if severity else None
        if reviewed:
            inc.review_cause, inc.review_lessons = "线路故障", "增加冗余线路"
        inc_id = inc.id
    for target, with_reason in steps:
        with db.session(coordinator) as s:
            inc = s.get(Incident, inc_id)
            before = (inc.status, inc.version, len(status_changes(s, inc_id)))
            ok = expected_ok(
                inc.status, target, reason=with_reason, severity=severity, reviewed=reviewed
            )
            reason = "经评估决定" if with_reason else None
            if ok:
                incidents.advance(inc_id, target, session=s, reason=reason)
                changes = status_changes(s, inc_id)
                assert inc.status is target
                assert len(changes) == before[2] + 1
                assert (changes[-1].from_status, changes[-1].to_status) == (before[0], target)
            else:
                with pytest.raises((InvalidTransition, ValidationFailed)):
                    incidents.advance(inc_id, target, session=s, reason=reason)
                assert not s.new and not s.dirty
                assert (inc.status, inc.version, len(status_changes(s, inc_id))) == before
    with db.session(coordinator, readonly=True) as s:
        inc = s.get(Incident, inc_id)
        changes = status_changes(s, inc_id)
        # the timeline replays the lifecycle exactly
        assert changes[0].to_status is S.REPORTED
        for a, b in itertools.pairwise(changes):
            assert a.to_status is b.from_status
            assert lifecycle.transition(b.from_status, b.to_status) is not None
        assert changes[-1].to_status is inc.status
        assert s.scalar(
            select(func.count())
            .select_from(TimelineEntry)
            .where(TimelineEntry.incident_id == inc_id)
        ) >= len(changes)
