"""The incidents service on SQLite and PostgreSQL: create, read, update, fraud, timeline."""

from __future__ import annotations

import re
import sys
import types
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from ebconsole.audit.models import AuditEntry
from ebconsole.errors import NotFound, StaleRecord, ValidationFailed
from ebconsole.i18n import translator
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import Category, Channel, Severity, Status, TimelineKind
from ebconsole.incidents.intake import parse_intake, parse_intake_list
from ebconsole.incidents.models import (
    FraudReport,
    FraudTransaction,
    Incident,
    IncidentSubtype,
    ReferenceCounter,
)
from ebconsole.incidents.schemas import (
    FraudReportInput,
    IncidentCreate,
    IncidentUpdate,
    ReporterInput,
    TimelineEntryCreate,
    TransactionInput,
)
from ebconsole.incidents.serialize import incident_to_dict
from ebconsole.timeutil import utcnow
from ebconsole.users import service as users
from tests.ebconsole.incidents.samples import ID_CHEN, fraud_intake, outage_intake

ZH = translator("zh_CN")
EN = translator("en")


def add(db, actor, raw) -> Incident:
    with db.session(actor) as s:
        return incidents.create(parse_intake(raw), session=s)


def audit_actions(s, entity: str, entity_id) -> list[str]:
    return [
        a
        for (a,) in s.execute(
            select(AuditEntry.action)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
            .order_by(AuditEntry.at)
        )
    ]


# -- create --------------------------------------------------------------------------------------
def test_create_a_fraud_incident_with_its_report_timeline_and_audit(db, clerk):
    with db.session(clerk) as s:
        inc = incidents.create(parse_intake(fraud_intake()), session=s)
        inc_id = inc.id
    with db.session(clerk, readonly=True) as s:
        inc = incidents.get(inc_id, session=s)
        assert re.fullmatch(r"BJ01-\d{8}-001", inc.reference)
        assert inc.status is Status.REPORTED and inc.in_scope and inc.severity is None
        assert inc.site_code == "BJ01" and inc.created_by == "clerk"
        assert inc.subcategory == "account_theft"
        [entry] = inc.timeline
        assert (entry.kind, entry.from_status, entry.to_status) == (
            TimelineKind.STATUS_CHANGE,
            None,
            Status.REPORTED,
        )
        assert entry.actor_name == "张丽" and entry.at == inc.reported_at
        fraud = inc.fraud
        assert fraud is not None and fraud.customer_name == "王秀英"
        assert fraud.account_number == "6222021234567890123"
        assert [t.amount for t in fraud.transactions] == [
            Decimal("4999.00"),
            Decimal("20000.00"),
            Decimal("1500.00"),
        ]
        assert [t.position for t in fraud.transactions] == [0, 1, 2]
        assert audit_actions(s, "incident", inc.id) == ["create"]
        assert audit_actions(s, "fraud_report", fraud.id) == ["create"]
        assert audit_actions(s, "timeline_entry", entry.id) == ["create"]
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.entity == "fraud_transaction")
            )
            == 3
        )
        actor = s.scalars(
            select(AuditEntry.actor_name).where(AuditEntry.entity_id == str(inc.id))
        ).one()
        assert actor == "clerk"


def test_a_form_can_build_the_typed_object_and_the_service_still_checks_it(db, clerk):
    data = IncidentCreate(
        title="  网点ATM吞卡 ",
        category=Category.OTHER,
        reporter=ReporterInput(name="赵强"),
        channel=None,
        subcategory="其他",
    )
    with db.session(clerk) as s, pytest.raises(ValidationFailed) as err:
        incidents.create(data, session=s)
    assert [(e.field, e.code) for e in err.value.errors] == [("channel", "required")]
    with db.session(clerk) as s:
        inc = incidents.create(
            data.model_copy(update={"channel": Channel.EMPLOYEE_REPORT}), session=s
        )
        assert (inc.title, inc.subcategory) == ("网点ATM吞卡", "other")
        assert utcnow() - inc.reported_at < timedelta(minutes=1)


def test_the_subtype_must_be_one_of_the_class_in_the_table(db, clerk):
    with db.session(clerk) as s, pytest.raises(ValidationFailed) as err:
        incidents.create(parse_intake(outage_intake(subcategory="ddos")), session=s)
    [e] = err.value.errors
    assert (e.field, e.code) == ("subcategory", "unknown_subtype")
    assert "子类" in e.message(ZH) and "系统故障类事件" in e.message(ZH)
    assert "server_down" in e.message(EN) and "Subtype" in e.message(EN)
    # with a session, parse_intake checks it too; a Chinese or English label is accepted
    with db.session(clerk) as s:
        with pytest.raises(ValidationFailed):
            parse_intake(outage_intake(subcategory="ddos"), session=s)
        assert (
            parse_intake(outage_intake(subcategory="数据库崩溃"), session=s).subcategory
            == "database_crash"
        )
        assert (
            parse_intake(outage_intake(subcategory="Hardware failure"), session=s).subcategory
            == "hardware_failure"
        )


def test_create_many_is_all_or_nothing(db, clerk):
    # one reporting day for all three (the numbers count per local day)
    day = {"occurred_at": "2026-11-20T09:00:00", "reported_at": "2026-11-20T10:00:00"}
    items = [
        parse_intake(outage_intake(**day)),
        parse_intake(fraud_intake(**day)),
        parse_intake(outage_intake(subcategory="earthquake", **day)),
    ]
    with pytest.raises(ValidationFailed) as err, db.session(clerk) as s:
        incidents.create_many(items, session=s)
    assert [(e.field, e.code) for e in err.value.errors] == [("[2].subcategory", "unknown_subtype")]
    assert "事件 3 › 子类" in err.value.message(ZH)
    with db.session(clerk, readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(Incident)) == 0
        assert s.scalar(select(func.count()).select_from(ReferenceCounter)) == 0
    with db.session(clerk) as s:
        created = incidents.create_many(items[:2], session=s)
        refs = [i.reference for i in created]
    assert [r[-3:] for r in refs] == ["001", "002"]


def test_an_intake_list_with_one_bad_item_adds_nothing(db, clerk):
    raw = [outage_intake(), fraud_intake(), outage_intake(title="")]
    with pytest.raises(ValidationFailed), db.session(clerk) as s:
        incidents.create_many(parse_intake_list(raw), session=s)
    with db.session(clerk, readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(Incident)) == 0


def test_stop_payment_given_at_intake_is_on_the_timeline(db, clerk):
    raw = fraud_intake()
    raw["fraud"]["stop_payment_requested_at"] = raw["reported_at"]
    inc = add(db, clerk, raw)
    with db.session(clerk, readonly=True) as s:
        inc = incidents.get(inc.id, session=s)
        kinds = [(e.kind, e.text) for e in inc.timeline]
        assert (TimelineKind.ACTION, "已申请紧急止付") in kinds


# -- read ----------------------------------------------------------------------------------------
def test_get_and_get_by_reference(db, clerk):
    inc = add(db, clerk, outage_intake())
    with db.session(clerk, readonly=True) as s:
        assert incidents.get_by_reference(inc.reference.lower(), session=s).id == inc.id
        with pytest.raises(NotFound) as err:
            incidents.get_by_reference("BJ01-20260101-999", session=s)
        assert "找不到事件" in err.value.message(ZH)
        assert "no incident 'BJ01-20260101-999'" in err.value.message(EN)


def test_serialized_incident_prints_the_intake_keys_back(db, clerk):
    raw = fraud_intake()
    inc = add(db, clerk, raw)
    with db.session(clerk, readonly=True) as s:
        data = incident_to_dict(incidents.get(inc.id, session=s))
    for key in raw:
        assert key in data
    assert data["reported_at"] == raw["reported_at"] + "+08:00"
    assert data["fraud"]["transactions"][1]["amount"] == "20000.00"
    assert data["fraud"]["transactions"][0]["time"].endswith("+08:00")
    assert (data["status"], data["severity"], data["owner"], data["in_scope"]) == (
        "reported",
        None,
        None,
        True,
    )
    assert data["timeline"][0]["to_status"] == "reported"
    assert data["timeline"][0]["actor"] == "张丽"


# -- update --------------------------------------------------------------------------------------
def test_update_changes_only_the_given_fields_and_is_audited(db, coordinator):
    inc = add(db, coordinator, outage_intake())
    with db.session(coordinator) as s:
        incidents.update(
            inc.id,
            IncidentUpdate(title="网银登录故障（两台应用服务器宕机）", branch=None),
            session=s,
            expected_version=inc.version,
        )
    with db.session(coordinator, readonly=True) as s:
        again = incidents.get(inc.id, session=s)
        assert again.title == "网银登录故障（两台应用服务器宕机）"
        assert again.branch is None
        assert again.description == inc.description
        assert again.version == inc.version + 1
        assert audit_actions(s, "incident", inc.id) == ["create", "update"]
        update = s.scalars(
            select(AuditEntry).where(
                AuditEntry.entity_id == str(inc.id), AuditEntry.action == "update"
            )
        ).one()
        assert update.before == {"title": inc.title, "branch": "总行数据中心"}


def test_update_with_an_old_version_is_refused(db, coordinator):
    inc = add(db, coordinator, outage_intake())
    with db.session(coordinator) as s:
        incidents.update(inc.id, IncidentUpdate(description="已切换至备用节点"), session=s)
    with pytest.raises(StaleRecord) as err, db.session(coordinator) as s:
        incidents.update(
            inc.id, IncidentUpdate(title="另一人的修改"), session=s, expected_version=inc.version
        )
    assert "刷新" in err.value.message(ZH)


def test_update_checks_every_rule(db, coordinator):
    inc = add(db, coordinator, outage_intake())
    with db.session(coordinator) as s, pytest.raises(ValidationFailed) as err:
        incidents.update(
            inc.id,
            IncidentUpdate(
                title="",
                subcategory="flood",
                occurred_at=utcnow() + timedelta(hours=1),
                affected_services=["网银\x00"],
            ),
            session=s,
        )
    assert {e.field: e.code for e in err.value.errors} == {
        "title": "required",
        "subcategory": "unknown_subtype",
        "occurred_at": "datetime_in_future",
        "affected_services[0]": "control_characters",
    }


def test_a_class_change_keeps_the_subtype_consistent_and_the_fraud_report(db, coordinator):
    fraud = add(db, coordinator, fraud_intake())
    with db.session(coordinator) as s, pytest.raises(ValidationFailed) as err:
        incidents.update(
            fraud.id,
            IncidentUpdate(category=Category.NETWORK_ATTACK, subcategory="phishing_site"),
            session=s,
        )
    assert {e.field: e.code for e in err.value.errors} == {"category": "fraud_not_allowed"}
    outage = add(db, coordinator, outage_intake())
    with db.session(coordinator) as s:
        with pytest.raises(ValidationFailed) as err:
            incidents.update(outage.id, IncidentUpdate(category=Category.NETWORK_ATTACK), session=s)
        assert err.value.errors[0].field == "subcategory"  # server_down is no attack
    with db.session(coordinator) as s:
        inc = incidents.update(
            outage.id,
            IncidentUpdate(category=Category.NETWORK_ATTACK, subcategory="ddos"),
            session=s,
        )
        assert (inc.category, inc.subcategory) == (Category.NETWORK_ATTACK, "ddos")


def test_setting_the_severity_is_on_the_timeline(db, coordinator):
    inc = add(db, coordinator, outage_intake())
    with db.session(coordinator) as s:
        inc = incidents.update(inc.id, IncidentUpdate(severity=Severity.III), session=s)
        assert inc.timeline[-1].kind is TimelineKind.ASSESSMENT
        assert "III级 较大" in inc.timeline[-1].text


def test_assign_owner(db, coordinator, clerk):
    inc = add(db, clerk, outage_intake())
    with db.session(coordinator) as s:
        user = users.get_by_username("coord", session=s)
        inc = incidents.assign_owner(inc.id, user.id, session=s)
        assert inc.owner_id == user.id
        assert inc.timeline[-1].kind is TimelineKind.DECISION
        assert "李明" in inc.timeline[-1].text
        with pytest.raises(NotFound):
            incidents.assign_owner(inc.id, clerk.user_id.__class__(int=1), session=s)
    with db.session(coordinator, readonly=True) as s:
        assert incident_to_dict(incidents.get(inc.id, session=s))["owner"] == "coord"


# -- timeline ------------------------------------------------------------------------------------
def test_record_action_decision_notification_and_note(db, coordinator):
    inc = add(db, coordinator, outage_intake())
    earlier = utcnow() - timedelta(minutes=20)
    with db.session(coordinator) as s:
        incidents.record_action(
            inc.id,
            TimelineEntryCreate(
                kind=TimelineKind.ACTION, text="暂停网银转账服务，切换至灾备中心", at=earlier
            ),
            session=s,
        )
        incidents.record_action(
            inc.id,
            TimelineEntryCreate(
                kind=TimelineKind.NOTIFICATION, text="已电话通知应急领导小组组长王建国"
            ),
            session=s,
        )
    with db.session(coordinator, readonly=True) as s:
        entries = incidents.get(inc.id, session=s).timeline
        # the timeline is in time order: the action was taken before it was entered
        assert [e.kind for e in entries] == [
            TimelineKind.ACTION,
            TimelineKind.STATUS_CHANGE,
            TimelineKind.NOTIFICATION,
        ]
        assert entries[0].at == earlier
        assert all(e.actor_name == "李明" for e in entries)
    with db.session(coordinator) as s, pytest.raises(ValidationFailed) as err:
        incidents.record_action(
            inc.id,
            TimelineEntryCreate(
                kind=TimelineKind.STATUS_CHANGE, text="", at=utcnow() + timedelta(hours=2)
            ),
            session=s,
        )
    assert {e.field: e.code for e in err.value.errors} == {
        "kind": "invalid_choice",
        "text": "required",
        "at": "datetime_in_future",
    }


# -- fraud ---------------------------------------------------------------------------------------
def test_stop_payment_extensions_and_freeze(db, clerk, coordinator):
    inc = add(db, clerk, fraud_intake())
    with db.session(coordinator) as s, pytest.raises(ValidationFailed) as err:
        incidents.extend_stop_payment(inc.id, session=s)
    assert err.value.code == "stop_payment_not_requested"
    with db.session(coordinator) as s:
        report = incidents.request_stop_payment(inc.id, utcnow() - timedelta(minutes=5), session=s)
        assert report.stop_payment_requested_at is not None
    with db.session(coordinator) as s, pytest.raises(ValidationFailed) as err:
        incidents.request_stop_payment(inc.id, session=s)
    assert err.value.errors[0].field == "fraud.stop_payment_requested_at"
    assert "已于" in err.value.message(ZH)
    for n in (1, 2):
        with db.session(coordinator) as s:
            assert incidents.extend_stop_payment(inc.id, session=s).stop_payment_extensions == n
    with db.session(coordinator) as s, pytest.raises(ValidationFailed) as err:
        incidents.extend_stop_payment(inc.id, session=s)
    assert err.value.code == "stop_payment_extension_limit"
    assert "2 次" in err.value.message(ZH)
    with db.session(coordinator) as s:
        incidents.request_freeze(inc.id, session=s)
        with pytest.raises(ValidationFailed):
            incidents.request_freeze(inc.id, session=s)
    with db.session(clerk, readonly=True) as s:
        inc = incidents.get(inc.id, session=s)
        texts = [e.text for e in inc.timeline if e.kind is TimelineKind.ACTION]
        assert texts[0] == "已申请紧急止付"
        assert texts[1].startswith("紧急止付延期（第 1 次")
        assert texts[-1] == "已申请账户冻结"
        assert inc.fraud is not None and inc.fraud.freeze_requested_at is not None


def test_update_fraud_keeps_unchanged_transactions(db, clerk):
    inc = add(db, clerk, fraud_intake())
    with db.session(clerk, readonly=True) as s:
        report = incidents.get(inc.id, session=s).fraud
        old = [(t.id, t.time, t.amount, t.reference) for t in report.transactions]
        version = report.version
    kept = [
        TransactionInput(
            time=t,
            amount=a,
            reference=r,
            counterparty_account="6217000010012345678",
            counterparty_name="李强",
            counterparty_bank="中国建设银行",
        )
        for (_, t, a, r) in old[:1]
    ]
    new = TransactionInput(
        time=utcnow() - timedelta(minutes=30),
        amount=Decimal("88.80"),
        counterparty_name="陈静",
        counterparty_account="6212260200012345678",
        counterparty_bank="中国工商银行",
        reference="TX202611281030009",
    )
    data = FraudReportInput(
        customer_name="王秀英",
        id_number=ID_CHEN,
        phone="13812345678",
        account_number="6222021234567890123",
        transactions=[*kept, new],
        police_report_no="京公朝立字〔2026〕1234号",
    )
    with db.session(clerk) as s:
        report = incidents.update_fraud(inc.id, data, session=s, expected_version=version)
        assert report.transactions[0].id == old[0][0]
        assert report.id_number == ID_CHEN
    with db.session(clerk, readonly=True) as s:
        rows = s.scalars(select(FraudTransaction).order_by(FraudTransaction.position)).all()
        assert [r.amount for r in rows] == [Decimal("4999.00"), Decimal("88.80")]
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.entity == "fraud_transaction", AuditEntry.action == "delete")
            )
            == 2
        )
    with db.session(clerk) as s, pytest.raises(StaleRecord):
        incidents.update_fraud(inc.id, data, session=s, expected_version=version)
    with db.session(clerk) as s, pytest.raises(ValidationFailed) as err:
        incidents.update_fraud(
            inc.id,
            data.model_copy(
                update={
                    "id_number": "110105198503150021",
                    "transactions": [new.model_copy(update={"amount": Decimal("-5")})],
                }
            ),
            session=s,
        )
    assert {e.field: e.code for e in err.value.errors} == {
        "fraud.id_number": "invalid_id_number",
        "fraud.transactions[0].amount": "amount_not_positive",
    }


def test_a_fraud_report_belongs_to_customer_fraud_only(db, clerk, coordinator):
    inc = add(db, clerk, outage_intake())
    with db.session(clerk) as s, pytest.raises(ValidationFailed) as err:
        incidents.update_fraud(
            inc.id, FraudReportInput(customer_name="王秀英", phone="13812345678"), session=s
        )
    assert err.value.code == "fraud_not_allowed"
    with db.session(coordinator) as s, pytest.raises(ValidationFailed) as err:
        incidents.request_stop_payment(inc.id, session=s)
    assert err.value.code == "no_fraud_report"


# -- plan defaults -------------------------------------------------------------------------------
def test_load_defaults_is_idempotent_and_keeps_edits(db, admin):
    with db.session(admin) as s:
        before = s.scalar(select(func.count()).select_from(IncidentSubtype))
        row = s.scalars(select(IncidentSubtype).where(IncidentSubtype.code == "flood")).one()
        row.label_zh = "洪涝灾害"
        incidents.load_defaults(session=s)
        incidents.load_defaults(session=s)
        assert s.scalar(select(func.count()).select_from(IncidentSubtype)) == before == 19
    with db.session(admin, readonly=True) as s:
        labels = {
            st.code: st.label_zh
            for st in incidents.list_subtypes(Category.NATURAL_DISASTER, session=s)
        }
        assert labels == {
            "earthquake": "地震",
            "flood": "洪涝灾害",
            "typhoon": "台风",
            "fire": "火灾",
            "power_outage": "停电",
        }
        fraud = [st.code for st in incidents.list_subtypes(Category.CUSTOMER_FRAUD, session=s)]
        assert fraud == ["suspected_fraud", "account_theft", "telecom_fraud", "phishing"]


def test_a_fraud_report_row_per_incident(db, clerk):
    add(db, clerk, fraud_intake())
    add(db, clerk, outage_intake())
    with db.session(clerk, readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(FraudReport)) == 1


# -- obligations ---------------------------------------------------------------------------------
def test_deadlines_are_synced_after_every_step_that_moves_them(db, clerk, coordinator, monkeypatch):
    calls: list[tuple[str, Status]] = []
    hook = types.ModuleType("ebconsole.obligations.service")
    hook.sync_for_incident = lambda incident, *, session: (
        calls.append(  # type: ignore[attr-defined]
            (incident.reference, incident.status)
        )
        or []
    )
    # a new incident has no deadlines yet: they are created without reading first
    hook.create_for_new_incident = hook.sync_for_incident  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ebconsole.obligations.service", hook)
    inc = add(db, clerk, fraud_intake())
    with db.session(coordinator) as s:
        incidents.advance(inc.id, Status.ASSESSING, session=s)
        incidents.request_stop_payment(inc.id, session=s)
        incidents.extend_stop_payment(inc.id, session=s)
        incidents.request_freeze(inc.id, session=s)
        incidents.record_action(inc.id, TimelineEntryCreate(text="已联系客户"), session=s)
    assert [status for _, status in calls] == [Status.REPORTED] + [Status.ASSESSING] * 4
    assert {ref for ref, _ in calls} == {inc.reference}
    # an obligations module without the function (not written yet) is skipped
    monkeypatch.setitem(
        sys.modules,
        "ebconsole.obligations.service",
        types.ModuleType("ebconsole.obligations.service"),
    )
    add(db, clerk, outage_intake())
