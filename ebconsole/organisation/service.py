"""The emergency organisation (plan §3): groups, members, phases and the responsibility
matrix, and the flat contact list the reports print. Services flush, never commit."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, contains_eager

from ebconsole.errors import NotFound, StaleRecord
from ebconsole.i18n import N_
from ebconsole.organisation import messages  # noqa: F401  (registers codes and labels)
from ebconsole.organisation.dto import Axis, Contact, Matrix
from ebconsole.organisation.enums import GroupCode, PhaseCode, Responsibility
from ebconsole.organisation.models import EmergencyGroup, GroupMember, MatrixCell, ResponsePhase
from ebconsole.organisation.schemas import GroupUpdate, MemberCreate, MemberUpdate
from ebconsole.paths import resources_dir
from ebconsole.timeutil import utcnow
from ebconsole.users.models import User
from ebconsole.users.permissions import Permission, authorize
from ebconsole.validation import PHONE, Checker

_NAME = 80
_NAME_EN = 120
_LONG_TEXT = 4000


def _check_version(record: Any, version: int | None) -> None:
    if version is not None and version != record.version:
        raise StaleRecord.one("stale_record")


# -- groups ------------------------------------------------------------------------------
def list_groups(*, session: Session) -> list[EmergencyGroup]:
    return list(session.scalars(select(EmergencyGroup).order_by(EmergencyGroup.position)))


def get_group(group_id: uuid.UUID, *, session: Session) -> EmergencyGroup:
    group = session.get(EmergencyGroup, group_id)
    if group is None:
        raise NotFound.one("not_found", None, entity_label=N_("emergency group"), key=str(group_id))
    return group


def get_group_by_code(code: GroupCode, *, session: Session) -> EmergencyGroup:
    group = session.scalars(select(EmergencyGroup).where(EmergencyGroup.code == code)).first()
    if group is None:
        raise NotFound.one("not_found", None, entity_label=N_("emergency group"), key=str(code))
    return group


def update_group(group_id: uuid.UUID, data: GroupUpdate, *, session: Session) -> EmergencyGroup:
    authorize(session, Permission.MANAGE_MATRIX)
    group = get_group(group_id, session=session)
    _check_version(group, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    c = Checker()
    for key, value in changes.items():
        if key.startswith("name"):
            changes[key] = c.text(
                key, value, required=True, max_len=_NAME if key == "name_zh" else _NAME_EN
            )
        else:
            changes[key] = c.text(key, value, max_len=_LONG_TEXT, multiline=True) or ""
    c.raise_if_failed()
    for key, value in changes.items():
        setattr(group, key, value)
    session.flush()
    return group


# -- members -----------------------------------------------------------------------------
def get_member(member_id: uuid.UUID, *, session: Session) -> GroupMember:
    member = session.get(GroupMember, member_id)
    if member is None:
        raise NotFound.one("not_found", None, entity_label=N_("group member"), key=str(member_id))
    return member


def list_members(
    group_id: uuid.UUID | None = None, *, session: Session, include_archived: bool = False
) -> list[GroupMember]:
    q = (
        select(GroupMember)
        .join(GroupMember.group)
        .options(contains_eager(GroupMember.group))
        .order_by(EmergencyGroup.position, GroupMember.position, GroupMember.name)
    )
    if group_id is not None:
        q = q.where(GroupMember.group_id == group_id)
    if not include_archived:
        q = q.where(GroupMember.archived_at.is_(None))
    return list(session.scalars(q))


def _check_member(
    c: Checker, values: dict[str, Any], *, session: Session, member_id: uuid.UUID | None
) -> dict[str, Any]:
    """Validate the member fields present in `values`; returns them cleaned."""
    out = dict(values)
    if "group_id" in values:
        if values["group_id"] is None:
            c.fail("group_id", "required")
        elif session.get(EmergencyGroup, values["group_id"]) is None:
            c.fail(
                "group_id",
                "not_found",
                entity_label=N_("emergency group"),
                key=str(values["group_id"]),
            )
    if "name" in values:
        out["name"] = c.text("name", values["name"], required=True, max_len=_NAME)
    for key in ("title", "department"):
        if key in values:
            out[key] = c.text(key, values[key], max_len=_NAME)
    for key in ("office_phone", "mobile_phone"):
        if key in values:
            out[key] = c.pattern(key, values[key], PHONE, "invalid_phone")
    if values.get("deputy_id") is not None:
        deputy = session.get(GroupMember, values["deputy_id"])
        if values["deputy_id"] == member_id:
            c.fail("deputy_id", "deputy_self")
        elif deputy is None:
            c.fail(
                "deputy_id",
                "not_found",
                entity_label=N_("group member"),
                key=str(values["deputy_id"]),
            )
        elif deputy.archived_at is not None:
            c.fail("deputy_id", "archived")
    if values.get("user_id") is not None and session.get(User, values["user_id"]) is None:
        c.fail("user_id", "not_found", entity_label=N_("user"), key=str(values["user_id"]))
    if values.get("position") is not None:
        out["position"] = c.integer("position", values["position"], max_value=10_000)
    return out


def _require_a_phone(c: Checker, office: str | None, mobile: str | None) -> None:
    """A contact nobody can call is no contact: one of the two numbers is needed."""
    if (
        not office
        and not mobile
        and not any(e.field in ("office_phone", "mobile_phone") for e in c.errors)
    ):
        c.fail("mobile_phone", "phone_required")


def _next_position(group_id: uuid.UUID, *, session: Session) -> int:
    last = session.scalar(
        select(func.max(GroupMember.position)).where(GroupMember.group_id == group_id)
    )
    return 0 if last is None else last + 1


def create_member(data: MemberCreate, *, session: Session) -> GroupMember:
    authorize(session, Permission.MANAGE_MATRIX)
    c = Checker()
    values = _check_member(c, data.model_dump(), session=session, member_id=None)
    _require_a_phone(c, values["office_phone"], values["mobile_phone"])
    c.raise_if_failed()
    if values["position"] is None:
        values["position"] = _next_position(data.group_id, session=session)
    member = GroupMember(**values)
    session.add(member)
    session.flush()
    return member


def update_member(member_id: uuid.UUID, data: MemberUpdate, *, session: Session) -> GroupMember:
    authorize(session, Permission.MANAGE_MATRIX)
    member = get_member(member_id, session=session)
    _check_version(member, data.version)
    c = Checker()
    if member.archived_at is not None:
        c.fail(None, "archived")
        c.raise_if_failed()
    changes = _check_member(
        c,
        data.model_dump(exclude_unset=True, exclude={"version"}),
        session=session,
        member_id=member_id,
    )
    office = changes.get("office_phone", member.office_phone)
    mobile = changes.get("mobile_phone", member.mobile_phone)
    _require_a_phone(c, office, mobile)
    c.raise_if_failed()
    if "position" in changes and changes["position"] is None:
        changes["position"] = _next_position(
            changes.get("group_id") or member.group_id, session=session
        )
    for key, value in changes.items():
        setattr(member, key, value)
    session.flush()
    return member


def archive_member(member_id: uuid.UUID, *, session: Session) -> GroupMember:
    """Archive a member; whoever named them as deputy no longer has one."""
    authorize(session, Permission.MANAGE_MATRIX)
    member = get_member(member_id, session=session)
    member.archived_at = utcnow()
    for other in session.scalars(select(GroupMember).where(GroupMember.deputy_id == member_id)):
        other.deputy_id = None
    session.flush()
    return member


# -- phases and the responsibility matrix -------------------------------------------------
def list_phases(*, session: Session) -> list[ResponsePhase]:
    return list(session.scalars(select(ResponsePhase).order_by(ResponsePhase.position)))


def get_matrix(*, session: Session) -> Matrix:
    phases = list_phases(session=session)
    groups = list_groups(session=session)
    cells = {
        (cell.phase_id, cell.group_id): cell.role
        for cell in session.scalars(select(MatrixCell))
        if cell.role is not None
    }
    return Matrix(
        phases=tuple(Axis(p.id, p.code.value, p.name_zh, p.name_en) for p in phases),
        groups=tuple(Axis(g.id, g.code.value, g.name_zh, g.name_en) for g in groups),
        cells=cells,
    )


def set_matrix_cell(
    phase_id: uuid.UUID, group_id: uuid.UUID, role: Responsibility | None, *, session: Session
) -> MatrixCell:
    """Give a group a role in a phase, or clear it with None."""
    authorize(session, Permission.MANAGE_MATRIX)
    c = Checker()
    if session.get(ResponsePhase, phase_id) is None:
        c.fail("phase_id", "not_found", entity_label=N_("response phase"), key=str(phase_id))
    if session.get(EmergencyGroup, group_id) is None:
        c.fail("group_id", "not_found", entity_label=N_("emergency group"), key=str(group_id))
    checked = c.choice("responsibility", role, Responsibility)
    c.raise_if_failed()
    cell = session.scalars(
        select(MatrixCell).where(MatrixCell.phase_id == phase_id, MatrixCell.group_id == group_id)
    ).first()
    if cell is None:
        cell = MatrixCell(phase_id=phase_id, group_id=group_id, role=checked)
        session.add(cell)
    else:
        cell.role = checked
    session.flush()
    return cell


# -- contacts ----------------------------------------------------------------------------
def contacts(*, session: Session) -> list[Contact]:
    """The emergency contact list: every current member, group by group, in order."""
    out = []
    for m in list_members(session=session):
        deputy = m.deputy if m.deputy is not None and m.deputy.archived_at is None else None
        out.append(
            Contact(
                group_code=m.group.code,
                group_name_zh=m.group.name_zh,
                group_name_en=m.group.name_en,
                member_id=m.id,
                name=m.name,
                title=m.title,
                department=m.department,
                office_phone=m.office_phone,
                mobile_phone=m.mobile_phone,
                deputy_name=deputy.name if deputy else None,
                deputy_mobile_phone=deputy.mobile_phone if deputy else None,
            )
        )
    return out


# -- defaults ----------------------------------------------------------------------------
def _defaults() -> dict[str, Any]:
    path = resources_dir() / "plan" / "organisation.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def load_defaults(*, session: Session) -> None:
    """Add the plan's groups, phases and matrix cells that are missing; edits are kept."""
    data = _defaults()
    groups = {g.code: g for g in list_groups(session=session)}
    for position, item in enumerate(data["groups"]):
        group_code = GroupCode(item["code"])
        if group_code not in groups:
            groups[group_code] = EmergencyGroup(
                **{**item, "code": group_code, "position": position}
            )
            session.add(groups[group_code])
    phases = {p.code: p for p in list_phases(session=session)}
    for position, item in enumerate(data["phases"]):
        phase_code = PhaseCode(item["code"])
        if phase_code not in phases:
            phases[phase_code] = ResponsePhase(**{**item, "code": phase_code, "position": position})
            session.add(phases[phase_code])
    session.flush()
    existing = {
        (phase_id, group_id)
        for phase_id, group_id in session.execute(select(MatrixCell.phase_id, MatrixCell.group_id))
    }
    for phase_code, row in data["matrix"].items():
        phase = phases[PhaseCode(phase_code)]
        for group_code, role in row.items():
            group = groups[GroupCode(group_code)]
            if (phase.id, group.id) not in existing:
                session.add(
                    MatrixCell(phase_id=phase.id, group_id=group.id, role=Responsibility(role))
                )
    session.flush()
