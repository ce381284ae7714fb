"""Roles enforced in the services: every role is refused every action it may not do.

The table below names one or more service calls for each permission. Each (role, call)
pair runs through the real service on a real SQLite file: a role without the permission
gets PermissionDenied (naming the action and the role) and nothing is written; a role
with it passes the gate (the call then fails on its made-up input or succeeds, but never
with PermissionDenied). Runs on SQLite only: the gate does not depend on the database.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from ebconsole.assessment import service as assessment
from ebconsole.assessment.schemas import AssessmentCreate, PolicyInput
from ebconsole.audit.models import AuditEntry
from ebconsole.drills import service as drills
from ebconsole.drills.enums import Audience, ExerciseKind, Method
from ebconsole.drills.schemas import PlanCreate, RecordCreate
from ebconsole.errors import EbError, PermissionDenied
from ebconsole.i18n import translator
from ebconsole.improvements import service as improvements
from ebconsole.improvements.enums import SourceKind
from ebconsole.improvements.schemas import ActionCreate
from ebconsole.incidents import privacy
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import Category, Status
from ebconsole.incidents.intake import parse_intake
from ebconsole.incidents.schemas import (
    IncidentCreate,
    IncidentFilter,
    IncidentReview,
    IncidentUpdate,
    TimelineEntryCreate,
)
from ebconsole.obligations import service as obligations
from ebconsole.organisation import service as organisation
from ebconsole.organisation.schemas import GroupUpdate, MemberCreate, MemberUpdate
from ebconsole.reports.builders import BuildOptions, gather, generate
from ebconsole.resources import service as resources
from ebconsole.resources.enums import ResourceKind
from ebconsole.resources.schemas import ResourceCreate, ResourceUpdate
from ebconsole.roster import service as roster
from ebconsole.roster.schemas import ShiftCreate, ShiftUpdate
from ebconsole.users import service as users
from ebconsole.users.enums import Role
from ebconsole.users.permissions import ROLE_PERMISSIONS, Permission, has
from ebconsole.users.schemas import InstallationCreate, UserCreate, UserUpdate
from tests.ebconsole.incidents.samples import ID_WANG, fraud_intake
from tests.ebconsole.reports.conftest import pdftotext


@pytest.fixture
def backend() -> str:
    return "sqlite"  # the gate does not depend on the database: SQLite only, fast


X = uuid.UUID("00000000-0000-4000-8000-00000000beef")  # an id that names nothing
P = Permission
Call = Callable[[Any], Any]
LATER = datetime(2026, 12, 1, 8, 0)

# permission -> the service calls that need it (each gets the session)
CALLS: dict[Permission, dict[str, Call]] = {
    P.RECORD_INTAKE: {
        "incidents.create": lambda s: incidents.create(
            IncidentCreate(title="", category=Category.SYSTEM_FAILURE), session=s
        ),
        "incidents.create_many": lambda s: incidents.create_many([], session=s),
        "incidents.record_action": lambda s: incidents.record_action(
            X, TimelineEntryCreate(text="已电话回访客户"), session=s
        ),
        # the branch that takes the fraud call asks for the stop-payment and freeze
        "incidents.request_stop_payment": lambda s: incidents.request_stop_payment(X, session=s),
        "incidents.extend_stop_payment": lambda s: incidents.extend_stop_payment(X, session=s),
        "incidents.request_freeze": lambda s: incidents.request_freeze(X, session=s),
    },
    P.ASSESS: {
        "assessment.assess": lambda s: assessment.assess(X, AssessmentCreate(), session=s),
    },
    P.DRIVE_RESPONSE: {
        "incidents.advance": lambda s: incidents.advance(X, Status.ASSESSING, session=s),
        "incidents.assign_owner": lambda s: incidents.assign_owner(X, None, session=s),
        "incidents.archive": lambda s: incidents.archive(X, session=s),
        "incidents.mark_out_of_scope": lambda s: incidents.mark_out_of_scope(
            X, "刑事案件", "公安机关", session=s
        ),
        "incidents.review": lambda s: incidents.review(
            X, IncidentReview(cause="", lessons=""), session=s
        ),
    },
    P.RECORD_OBLIGATIONS: {
        "obligations.complete": lambda s: obligations.complete(X, session=s),
    },
    P.CHECK_RESOURCES: {
        "resources.mark_checked": lambda s: resources.mark_checked(X, session=s),
    },
    P.MANAGE_ROSTER: {
        "roster.create_shift": lambda s: roster.create_shift(
            ShiftCreate(starts_at=LATER, ends_at=LATER - timedelta(hours=1)), session=s
        ),
        "roster.update_shift": lambda s: roster.update_shift(X, ShiftUpdate(), session=s),
        "roster.archive_shift": lambda s: roster.archive_shift(X, session=s),
        "roster.generate_rotation": lambda s: roster.generate_rotation(
            [], date(2026, 12, 1), 7, session=s
        ),
    },
    P.MANAGE_DRILLS: {
        "drills.create_plan": lambda s: drills.create_plan(
            PlanCreate(
                kind=ExerciseKind.TRAINING,
                title="",
                audiences=[Audience.STAFF],
                method=Method.ONLINE,
            ),
            session=s,
        ),
        "drills.archive_plan": lambda s: drills.archive_plan(X, session=s),
        "drills.create_record": lambda s: drills.create_record(
            RecordCreate(plan_id=X, held_on=date(2026, 11, 20)), session=s
        ),
        "drills.archive_record": lambda s: drills.archive_record(X, session=s),
    },
    P.MANAGE_IMPROVEMENTS: {
        "improvements.create": lambda s: improvements.create(
            ActionCreate(
                title="", source_kind=SourceKind.DRILL, owner_name="", due_date=date(2026, 12, 31)
            ),
            session=s,
        ),
        "improvements.complete": lambda s: improvements.complete(X, "已完成", session=s),
        "improvements.cancel": lambda s: improvements.cancel(X, "不再需要", session=s),
        "improvements.archive": lambda s: improvements.archive(X, session=s),
        "drills.raise_improvement": lambda s: drills.raise_improvement(
            X, 0, "李明", date(2026, 12, 31), session=s
        ),
    },
    P.REVEAL_CUSTOMER_DATA: {
        "privacy.reveal_customer_field": lambda s: privacy.reveal_customer_field(
            X, "fraud.id_number", session=s
        ),
    },
    P.MANAGE_USERS: {
        "users.create": lambda s: users.create(
            UserCreate(username="", display_name="", role=Role.CLERK, password="x"), session=s
        ),
        "users.update": lambda s: users.update(X, UserUpdate(), session=s),
        "users.archive": lambda s: users.archive(X, session=s),
    },
    P.MANAGE_MATRIX: {
        "organisation.update_group": lambda s: organisation.update_group(
            X, GroupUpdate(), session=s
        ),
        "organisation.create_member": lambda s: organisation.create_member(
            MemberCreate(group_id=X, name=""), session=s
        ),
        "organisation.update_member": lambda s: organisation.update_member(
            X, MemberUpdate(), session=s
        ),
        "organisation.archive_member": lambda s: organisation.archive_member(X, session=s),
        "organisation.set_matrix_cell": lambda s: organisation.set_matrix_cell(
            X, X, None, session=s
        ),
    },
    P.MANAGE_INVENTORY: {
        "resources.create": lambda s: resources.create(
            ResourceCreate(kind=ResourceKind.BACKUP_SYSTEM, name=""), session=s
        ),
        "resources.update": lambda s: resources.update(X, ResourceUpdate(), session=s),
        "resources.archive": lambda s: resources.archive(X, session=s),
        "resources.set_default_check_days": lambda s: resources.set_default_check_days(
            ResourceKind.BACKUP_SYSTEM, 0, session=s
        ),
    },
    P.MANAGE_POLICY: {
        "assessment.update_policy": lambda s: assessment.update_policy(
            PolicyInput(document={}), session=s
        ),
        "obligations.update_policy": lambda s: obligations.update_policy(
            PolicyInput(document={}), session=s
        ),
    },
    P.MANAGE_SETTINGS: {
        "users.create_installation": lambda s: users.create_installation(
            InstallationCreate(site_code="!", workstation_name=""), session=s
        ),
    },
}
# permissions every role has, or whose services live elsewhere (sync: ebconsole/sync)
NOT_IN_THE_TABLE = {
    P.VIEW_INCIDENTS,
    P.VIEW_PLAN,
    P.PRINT_OWN_INCIDENT_REPORT,
    P.PRINT_REPORTS,  # reports take a database, not a session: see the test below
    P.VIEW_ALL_INCIDENTS,  # a filter, not a refusal: tests/ebconsole/incidents/test_visibility.py
    P.SYNC,
    # backups take a database file, not a session: tests/ebconsole/backup and, for every
    # role, tests/cli/test_cli_roles.py
    P.BACK_UP,
    P.RESTORE_BACKUP,
}
ROLES = ("clerk", "coordinator", "admin")
CASES = [
    pytest.param(role, permission, id=f"{role}-{permission.name.lower()}")
    for role in ROLES
    for permission in CALLS
]


def audit_rows(db) -> int:
    with db.session(readonly=True) as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_the_table_covers_every_permission():
    assert set(CALLS) | NOT_IN_THE_TABLE == set(Permission)


@pytest.mark.parametrize(("role", "permission"), CASES)
def test_each_role_may_do_only_what_the_table_allows(db, world, role, permission):
    actor = {"clerk": world.clerk, "coordinator": world.coordinator, "admin": world.admin}[role]
    tr = translator("zh_CN")
    for name, call in CALLS[permission].items():
        before = audit_rows(db)
        if has(actor, permission):
            try:
                with db.session(actor) as s:
                    call(s)
            except PermissionDenied as exc:  # pragma: no cover - the failure being tested
                pytest.fail(f"{role} refused {name}: {exc}")
            except EbError:
                pass  # the gate let it through; the made-up input was then refused
            continue
        with pytest.raises(PermissionDenied) as err, db.session(actor) as s:
            call(s)
        message = err.value.message(tr)
        assert tr(actor.role.label) in message and tr(permission.label) in message, name
        assert audit_rows(db) == before, name  # nothing written


def test_the_roles_build_on_each_other():
    clerk, coordinator, admin = (
        ROLE_PERMISSIONS[r] for r in (Role.CLERK, Role.COORDINATOR, Role.ADMINISTRATOR)
    )
    assert clerk < coordinator < admin
    assert ROLE_PERMISSIONS[Role.SYSTEM] == frozenset(Permission)
    assert not has(Role.CLERK, P.REVEAL_CUSTOMER_DATA)
    assert not has(Role.COORDINATOR, P.MANAGE_USERS)


@pytest.mark.parametrize("kind", ["status", "matrix", "resources", "drills"])
def test_a_clerk_prints_no_plan_or_status_report(db, world, kind):
    params = {"year": 2026} if kind == "drills" else {}
    with pytest.raises(PermissionDenied) as err:
        gather(db, kind, params, actor=world.clerk)
    assert "generate reports" in str(err.value)
    assert gather(db, kind, params, actor=world.coordinator) is not None


# -- what a clerk sees ----------------------------------------------------------------------
def record(db, actor, **overrides: Any) -> uuid.UUID:
    with db.session(actor) as s:
        return incidents.create(parse_intake(fraud_intake(**overrides)), session=s).id


def test_a_clerk_sees_their_branch_and_what_they_recorded(db, world):
    beijing = record(db, world.coordinator, title="北京客户被骗", branch="北京分行营业部")
    shanghai = record(db, world.coordinator, title="上海客户被骗", branch="上海分行营业部")
    phoned_in = record(db, world.clerk, title="外地客户来电", branch="广州分行营业部")

    def visible(actor) -> list[str]:
        with db.session(actor, readonly=True) as s:
            flt = IncidentFilter()
            rows = incidents.list_incidents(flt, session=s)
            assert incidents.count_incidents(flt, session=s) == len(rows)
            return sorted(i.title for i in rows)

    assert visible(world.clerk) == ["北京客户被骗", "外地客户来电"]
    assert visible(world.clerk_other_branch) == ["上海客户被骗"]
    assert len(visible(world.coordinator)) == 3
    with db.session(world.clerk_other_branch, readonly=True) as s:
        with pytest.raises(PermissionDenied):
            incidents.get(beijing, session=s)
        with pytest.raises(PermissionDenied):
            incidents.get(phoned_in, session=s)
        assert incidents.get(shanghai, session=s).branch == "上海分行营业部"
    # notes on an incident of their branch, not on another's
    with db.session(world.clerk) as s:
        incidents.record_action(beijing, TimelineEntryCreate(text="客户补充材料"), session=s)
    with pytest.raises(PermissionDenied), db.session(world.clerk_other_branch) as s:
        incidents.record_action(beijing, TimelineEntryCreate(text="不应写入"), session=s)
    # corrections of the intake only while the incident is still reported
    with db.session(world.coordinator) as s:
        incidents.advance(beijing, Status.ASSESSING, session=s)
    with pytest.raises(PermissionDenied), db.session(world.clerk) as s:
        incidents.update(beijing, IncidentUpdate(title="改标题"), session=s)


# -- customer data ---------------------------------------------------------------------------
def test_revealing_a_customer_field_is_audited_without_the_value(db, world):
    inc = record(db, world.clerk)
    with pytest.raises(PermissionDenied), db.session(world.clerk) as s:
        privacy.reveal_customer_field(inc, "fraud.id_number", session=s, actor=world.clerk)
    with db.session(world.coordinator) as s:
        value = privacy.reveal_customer_field(
            inc, "fraud.id_number", session=s, actor=world.coordinator
        )
    assert value == ID_WANG
    with db.session(readonly=True) as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.action == "reveal")).all()
        assert [(r.actor_name, r.entity_id, r.after["field"]) for r in rows] == [
            ("coord", str(inc), "fraud.id_number")
        ]
        assert ID_WANG not in str(rows[0].after) and rows[0].before is None
    with pytest.raises(EbError), db.session(world.coordinator) as s:
        privacy.reveal_customer_field(inc, "fraud.customer_name", session=s)


def test_masked_values_are_absent_from_a_clerks_incident_report(db, world, tmp_path):
    inc = record(db, world.clerk)
    with db.session(readonly=True) as s:
        ref = incidents.get(inc, session=s).reference
    secrets = (ID_WANG, "13812345678", "6222021234567890123", "6217000010012345678")
    texts = {}
    for who in ("clerk", "coordinator"):
        out = tmp_path / f"{who}.pdf"
        generate(
            db, "incident", {"ref": ref}, out, BuildOptions("zh_CN"), actor=getattr(world, who)
        )
        texts[who] = "".join(pdftotext(out).split())
    for text in texts.values():  # reports leave the system: masked for every role
        assert ref in text and "110***********0027" in text and "138****5678" in text
        for secret in secrets:
            assert secret not in text
    with pytest.raises(PermissionDenied):  # another branch's clerk: not their incident
        generate(
            db,
            "incident",
            {"ref": ref},
            tmp_path / "x.pdf",
            BuildOptions(),
            actor=world.clerk_other_branch,
        )
    assert not (tmp_path / "x.pdf").exists()
