from __future__ import annotations

import pytest

from ebconsole.audit.models import AuditEntry
from ebconsole.errors import StaleRecord, ValidationFailed
from ebconsole.i18n import translator
from ebconsole.organisation import service as org
from ebconsole.organisation.enums import GroupCode, PhaseCode, Responsibility
from ebconsole.organisation.schemas import GroupUpdate, MemberCreate, MemberUpdate


def _group_id(s, code: GroupCode):
    return org.get_group_by_code(code, session=s).id


def _fields(err: pytest.ExceptionInfo[ValidationFailed]) -> dict[str | None, str]:
    return {e.field: e.code for e in err.value.errors}


def test_defaults_hold_the_plans_groups_phases_and_a_lead_for_every_phase(db, world):
    with db.session(readonly=True) as s:
        groups = org.list_groups(session=s)
        assert [g.name_zh for g in groups] == ["应急领导小组", "应急小组", "应急支持小组"]
        assert "法务" in groups[2].composition_zh and groups[2].duties_en
        phases = org.list_phases(session=s)
        assert [p.code for p in phases] == list(PhaseCode)
        assert [p.name_zh for p in phases][:2] == ["事件发现与报告", "初步评估与决策"]
        matrix = org.get_matrix(session=s)
    assert matrix.role_by_code(PhaseCode.ASSESSMENT, GroupCode.LEADERSHIP) is Responsibility.LEAD
    assert matrix.role_by_code(PhaseCode.HANDLING, GroupCode.WORKING) is Responsibility.EXECUTE
    assert matrix.role_by_code(PhaseCode.HANDLING, GroupCode.SUPPORT) is Responsibility.SUPPORT
    assert matrix.phases_without_lead() == []
    assert len(matrix.cells) == len(phases) * len(groups)


def test_load_defaults_again_adds_nothing_and_keeps_edits(db, world):
    with db.session(world.admin) as s:
        leadership = _group_id(s, GroupCode.LEADERSHIP)
        org.update_group(
            leadership, GroupUpdate(duties_zh="统一领导本行电子银行应急工作。"), session=s
        )
        org.load_defaults(session=s)
    with db.session(readonly=True) as s:
        assert len(org.list_groups(session=s)) == 3
        assert len(org.list_phases(session=s)) == 5
        assert len(org.get_matrix(session=s).cells) == 15
        assert org.get_group(leadership, session=s).duties_zh == "统一领导本行电子银行应急工作。"


def test_update_group_is_audited_refuses_a_stale_version_and_names_fields(db, world):
    with db.session(world.admin) as s:
        group = org.get_group_by_code(GroupCode.SUPPORT, session=s)
        version = group.version
        org.update_group(group.id, GroupUpdate(name_en="Support group", version=version), session=s)
        entry = (
            s.query(AuditEntry)
            .filter_by(entity="emergency_group", entity_id=str(group.id), action="update")
            .one()
        )
        assert entry.after == {"name_en": "Support group"}
        assert entry.actor_name == "admin"
    with db.session(world.admin) as s, pytest.raises(StaleRecord):
        org.update_group(group.id, GroupUpdate(name_en="Old", version=version), session=s)
    with db.session(world.admin) as s, pytest.raises(ValidationFailed) as err:
        org.update_group(group.id, GroupUpdate(name_zh="  ", duties_zh="x" * 5000), session=s)
    assert _fields(err) == {"name_zh": "required", "duties_zh": "too_long"}


def test_members_with_deputy_order_and_the_contact_list(db, world):
    with db.session(world.admin) as s:
        leadership = _group_id(s, GroupCode.LEADERSHIP)
        working = _group_id(s, GroupCode.WORKING)
        deputy = org.create_member(
            MemberCreate(
                group_id=leadership,
                name="陈静",
                title="副行长",
                department="行领导",
                mobile_phone="13901234567",
            ),
            session=s,
        )
        head = org.create_member(
            MemberCreate(
                group_id=leadership,
                name="刘志强",
                title="行长",
                department="行领导",
                office_phone="010-66001001",
                mobile_phone="13801234567",
                deputy_id=deputy.id,
                position=0,
            ),
            session=s,
        )
        tech = org.create_member(
            MemberCreate(
                group_id=working,
                name="周涛",
                title="总经理",
                department="信息科技部",
                office_phone="010-66001101",
            ),
            session=s,
        )
        assert deputy.position == 0 and tech.position == 0
        org.update_member(deputy.id, MemberUpdate(position=1), session=s)
    with db.session(readonly=True) as s:
        assert [m.name for m in org.list_members(leadership, session=s)] == ["刘志强", "陈静"]
        contacts = org.contacts(session=s)
    assert [(c.group_name_zh, c.name) for c in contacts] == [
        ("应急领导小组", "刘志强"),
        ("应急领导小组", "陈静"),
        ("应急小组", "周涛"),
    ]
    assert contacts[0].deputy_name == "陈静" and contacts[0].deputy_mobile_phone == "13901234567"
    assert contacts[2].mobile_phone is None and contacts[2].office_phone == "010-66001101"

    with db.session(world.admin) as s:
        org.archive_member(deputy.id, session=s)
    with db.session(readonly=True) as s:
        assert org.get_member(head.id, session=s).deputy_id is None
        assert [c.name for c in org.contacts(session=s)] == ["刘志强", "周涛"]
        actions = {e.action for e in s.query(AuditEntry).filter_by(entity="group_member")}
    assert actions == {"create", "update", "archive"}


def test_member_rules_name_the_field(db, world):
    with db.session(world.admin) as s:
        support = _group_id(s, GroupCode.SUPPORT)
        with pytest.raises(ValidationFailed) as err:
            org.create_member(
                MemberCreate(group_id=support, name="", department="法律合规部"), session=s
            )
        assert _fields(err) == {"name": "required", "mobile_phone": "phone_required"}
        with pytest.raises(ValidationFailed) as err:
            org.create_member(
                MemberCreate(group_id=support, name="吴敏", office_phone="电话不详"), session=s
            )
        assert _fields(err) == {"office_phone": "invalid_phone"}
        member = org.create_member(
            MemberCreate(
                group_id=support,
                name="吴敏",
                title="主任",
                department="客户服务中心",
                mobile_phone="+86 137 0000 1234",
            ),
            session=s,
        )
        with pytest.raises(ValidationFailed) as err:
            org.update_member(
                member.id, MemberUpdate(deputy_id=member.id, mobile_phone=None), session=s
            )
        assert _fields(err) == {"deputy_id": "deputy_self", "mobile_phone": "phone_required"}


def test_matrix_cells_can_be_changed_and_cleared(db, world):
    with db.session(world.admin) as s:
        matrix = org.get_matrix(session=s)
        review = next(p for p in matrix.phases if p.code == PhaseCode.REVIEW)
        leadership, working, support = (g.id for g in matrix.groups)
        org.set_matrix_cell(review.id, support, Responsibility.INFORMED, session=s)
        org.set_matrix_cell(review.id, leadership, None, session=s)
    with db.session(readonly=True) as s:
        matrix = org.get_matrix(session=s)
        assert matrix.role(review.id, support) is Responsibility.INFORMED
        assert matrix.role(review.id, leadership) is None
        assert [p.code for p in matrix.phases_without_lead()] == [PhaseCode.REVIEW]
        assert review.name("zh_CN") == "总结与改进"
    with db.session(world.admin) as s:
        org.set_matrix_cell(review.id, working, Responsibility.LEAD, session=s)
        assert org.get_matrix(session=s).phases_without_lead() == []
        with pytest.raises(ValidationFailed) as err:
            org.set_matrix_cell(working, review.id, "owner", session=s)  # type: ignore[arg-type]
    assert _fields(err) == {
        "phase_id": "not_found",
        "group_id": "not_found",
        "responsibility": "invalid_choice",
    }


def test_errors_read_in_chinese_with_the_fields_named(db, world):
    with db.session(world.admin) as s, pytest.raises(ValidationFailed) as err:
        org.create_member(
            MemberCreate(
                group_id=_group_id(s, GroupCode.WORKING), name="郑伟", office_phone="总机转"
            ),
            session=s,
        )
    assert err.value.message(translator("zh_CN")) == "办公电话：“总机转”不是有效的电话号码"
