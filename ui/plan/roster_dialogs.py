"""Dialogs of the duty roster tab: one shift (add / edit) and a generated rotation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)
from sqlalchemy.orm import Session

from ebconsole.i18n import _
from ebconsole.roster import service as roster
from ebconsole.roster.enums import DutyRole
from ebconsole.roster.schemas import PersonOnDuty, ShiftCreate, ShiftUpdate
from ebconsole.timeutil import local_zone
from ui.context import Context
from ui.models.roster_model import MemberChoice, RosterRow, role_text
from ui.ops import Changes
from ui.plan.form import (
    FormDialog,
    date_edit,
    date_of,
    datetime_edit,
    datetime_of,
    select_data,
    text_or_none,
)


def _roles(current: DutyRole = DutyRole.DUTY_OFFICER) -> QComboBox:
    box = QComboBox()
    for role in DutyRole:
        box.addItem(role_text(role), role)
    select_data(box, current)
    return box


class ShiftDialog(FormDialog):
    """A shift: a group member (name and phone filled in) or anyone by name."""

    changes = Changes(roster=True)

    def __init__(
        self,
        ctx: Context,
        members: Sequence[MemberChoice],
        shift: RosterRow | None = None,
        starts_at: datetime | None = None,
        ends_at: datetime | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(
            ctx, _("Edit duty shift") if shift else _("New duty shift"), "roster", parent
        )
        self.setObjectName("shift_dialog")
        self.shift = shift
        self.members = list(members)

        self.person = QComboBox()
        self.person.setEditable(True)
        self.person.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.person.lineEdit().setPlaceholderText(_("A group member, or type any name"))
        self.person.lineEdit().setMaxLength(80)
        if shift is None:
            for m in self.members:
                self.person.addItem(f"{m.name} · {m.group}", m.id)
            self.person.setCurrentIndex(-1)
            self.person.activated.connect(self._member_chosen)
        self.person.setEditText(shift.person_name if shift else "")
        self.phone = QLineEdit((shift.person_phone or "") if shift else "")
        self.phone.setMaxLength(40)
        self.phone.setPlaceholderText(_("Filled in from the member; any number reachable on duty"))
        self.role = _roles(
            (shift.role or DutyRole.DUTY_OFFICER) if shift else DutyRole.DUTY_OFFICER
        )
        start = shift.starts_at if shift else starts_at
        end = shift.ends_at if shift else ends_at
        self.starts_at = datetime_edit(start)
        self.ends_at = datetime_edit(end or (start + timedelta(hours=12) if start else None))
        self.note = QPlainTextEdit((shift.note or "") if shift else "")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(70)

        self.add_row(_("&Person on duty"), self.person, "person_name", "member_id", "user_id")
        self.add_row(_("P&hone"), self.phone, "person_phone")
        self.add_row(_("&Role"), self.role, "role")
        self.add_row(_("&Starts at"), self.starts_at, "starts_at")
        self.add_row(_("&Ends at"), self.ends_at, "ends_at")
        self.add_row(_("&Note"), self.note, "note")
        self.person.setFocus()

    def _member_chosen(self, index: int) -> None:
        member_id = self.person.itemData(index)
        member = next((m for m in self.members if m.id == member_id), None)
        if member is not None:
            self.person.setEditText(member.name)
            if member.phone:
                self.phone.setText(member.phone)

    def _member(self) -> MemberChoice | None:
        """The member whose name is in the person field, if it is one of the list."""
        text = self.person.currentText().strip()
        same = [m for m in self.members if m.name == text]
        chosen = self.person.currentData()
        return next((m for m in same if m.id == chosen), same[0] if same else None)

    def choose_member(self, name: str) -> None:
        """Pick a member by name as a person would from the list (tests, scripts)."""
        for i in range(self.person.count()):
            if self.person.itemText(i).startswith(name):
                self.person.setCurrentIndex(i)
                self.person.activated.emit(i)
                return
        raise LookupError(name)

    def work(self) -> Callable[[Session], Any]:
        name = self.person.currentText().strip()
        phone = text_or_none(self.phone.text())
        role = self.role.currentData()
        starts_at = datetime_of(self.starts_at)
        ends_at = datetime_of(self.ends_at)
        note = text_or_none(self.note.toPlainText())
        if self.shift is None:
            member = self._member()
            create = ShiftCreate(
                member_id=member.id if member else None,
                person_name=name or None,
                person_phone=phone,
                role=role,
                starts_at=starts_at,
                ends_at=ends_at,
                note=note,
            )
            return lambda s: roster.create_shift(create, session=s).id
        shift_id = self.shift.shift_id
        assert shift_id is not None
        update = ShiftUpdate(
            person_name=name,
            person_phone=phone,
            role=role,
            starts_at=starts_at,
            ends_at=ends_at,
            note=note,
            version=self.shift.version,
        )
        return lambda s: roster.update_shift(shift_id, update, session=s).id


class RotationDialog(FormDialog):
    """Fill days with back-to-back shifts, handed to the chosen members in turn."""

    changes = Changes(roster=True)

    def __init__(
        self,
        ctx: Context,
        members: Sequence[MemberChoice],
        start: date,
        parent: QWidget | None = None,
    ):
        super().__init__(ctx, _("Generate a duty rotation"), "roster", parent)
        self.setObjectName("rotation_dialog")
        self.people = QListWidget()
        self.people.setMinimumHeight(160)
        for m in members:
            item = QListWidgetItem(f"{m.name} · {m.group}  {m.phone or ''}".rstrip())
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.people.addItem(item)
        self.start = date_edit(start)
        self.days = QSpinBox()
        self.days.setRange(1, roster.MAX_ROTATION_DAYS)
        self.days.setValue(7)
        self.days.setSuffix(_(" days"))
        self.hours = QComboBox()
        for h in roster.ROTATION_SHIFT_HOURS:
            self.hours.addItem(_("{hours} hours").format(hours=h), h)
        select_data(self.hours, 12)
        self.handover = QSpinBox()
        self.handover.setRange(0, 23)
        self.handover.setValue(8)
        self.handover.setSuffix(":00")
        self.role = _roles()

        self.add_row(
            _("&People"),
            self.people,
            "people",
            note=_("Tick who takes part (Space); shifts go to them in the order listed."),
        )
        self.add_row(_("&First day"), self.start, "start_date")
        self.add_row(_("&Days"), self.days, "days")
        self.add_row(_("Shift &length"), self.hours, "shift_hours")
        self.add_row(_("&Handover at"), self.handover, "start_hour")
        self.add_row(_("&Role"), self.role, "role")
        self.save_button.setText(_("Generate"))
        self.people.setFocus()
        if self.people.count():
            self.people.setCurrentRow(0)

    def check(self, *names: str) -> None:
        """Tick members by name (tests, scripts)."""
        for i in range(self.people.count()):
            item = self.people.item(i)
            if item.text().split(" · ")[0] in names:
                item.setCheckState(Qt.CheckState.Checked)

    def work(self) -> Callable[[Session], Any]:
        people = [
            PersonOnDuty(member_id=self.people.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.people.count())
            if self.people.item(i).checkState() == Qt.CheckState.Checked
        ]
        start = date_of(self.start)
        days = self.days.value()
        hours = self.hours.currentData()
        handover = self.handover.value()
        role = self.role.currentData()
        zone = local_zone()
        return lambda s: len(
            roster.generate_rotation(
                people, start, days, hours, role=role, start_hour=handover, zone=zone, session=s
            )
        )
