"""Dialogs of the responsibility matrix tab: a group member (add / edit) and a group's
composition and duties."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget
from sqlalchemy.orm import Session

from ebconsole.i18n import _, current_language
from ebconsole.organisation import service as organisation
from ebconsole.organisation.schemas import GroupUpdate, MemberCreate, MemberUpdate
from ui.context import Context
from ui.models.members_model import GroupRow, MemberRow
from ui.ops import Changes
from ui.plan.form import FormDialog, select_data, text_or_none


def _line(text: str | None = None, placeholder: str = "", max_len: int = 80) -> QLineEdit:
    edit = QLineEdit(text or "")
    edit.setMaxLength(max_len)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    return edit


def _text(text: str) -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(70)
    return edit


class MemberDialog(FormDialog):
    """Add a member to a group, or edit one: phones and the deputy who stands in."""

    changes = Changes(organisation=True)

    def __init__(
        self,
        ctx: Context,
        groups: Sequence[GroupRow],
        members: Sequence[MemberRow],
        group_id: uuid.UUID | None,
        member: MemberRow | None = None,
        parent: QWidget | None = None,
    ):
        title = _("Edit group member") if member else _("New group member")
        super().__init__(ctx, title, "matrix", parent)
        self.setObjectName("member_dialog")
        self.member = member
        lang = current_language()
        group_names = {g.id: g.name(lang) for g in groups}

        self.group = QComboBox()
        for g in groups:
            self.group.addItem(g.name(lang), g.id)
        select_data(self.group, member.group_id if member else group_id)
        self.name = _line(member.name if member else "", _("e.g. Zhang Wei"))
        self.title_ = _line(member.title if member else "", _("e.g. Deputy general manager"))
        self.department = _line(member.department if member else "", _("e.g. E-banking department"))
        self.office_phone = _line(member.office_phone if member else "", "010-66668888", 40)
        self.mobile_phone = _line(member.mobile_phone if member else "", "13800138000", 40)
        self.deputy = QComboBox()
        self.deputy.addItem(_("— none —"), None)
        current_group = member.group_id if member else group_id
        others = [m for m in members if member is None or m.id != member.id]
        others.sort(key=lambda m: (m.group_id != current_group, m.position))
        for m in others:
            phone = m.mobile_phone or m.office_phone or ""
            label = f"{m.name} · {group_names.get(m.group_id, '')}"
            self.deputy.addItem(f"{label}  {phone}".strip(), m.id)
        select_data(self.deputy, member.deputy_id if member else None)

        self.add_row(_("&Group"), self.group, "group_id")
        self.add_row(_("&Name"), self.name, "name")
        self.add_row(_("&Job title"), self.title_, "title")
        self.add_row(_("De&partment"), self.department, "department")
        self.add_row(_("&Office phone"), self.office_phone, "office_phone")
        self.add_row(
            _("&Mobile phone"),
            self.mobile_phone,
            "mobile_phone",
            note=_("At least one of the two numbers; the mobile is called first."),
        )
        self.add_row(
            _("&Deputy"),
            self.deputy,
            "deputy_id",
            note=_("Who stands in when this member cannot be reached."),
        )
        self.name.setFocus()

    def work(self) -> Callable[[Session], Any]:
        values: dict[str, Any] = {
            "group_id": self.group.currentData(),
            "name": self.name.text().strip(),
            "title": text_or_none(self.title_.text()),
            "department": text_or_none(self.department.text()),
            "office_phone": text_or_none(self.office_phone.text()),
            "mobile_phone": text_or_none(self.mobile_phone.text()),
            "deputy_id": self.deputy.currentData(),
        }
        if self.member is None:
            create = MemberCreate(**values)
            return lambda s: organisation.create_member(create, session=s).id
        member_id = self.member.id
        update = MemberUpdate(**values, version=self.member.version)
        return lambda s: organisation.update_member(member_id, update, session=s).id


class GroupDutiesDialog(FormDialog):
    """What a group is made of and what it does, in Chinese and in English."""

    changes = Changes(organisation=True)

    def __init__(self, ctx: Context, group: GroupRow, parent: QWidget | None = None):
        super().__init__(
            ctx,
            _("Duties of {group}").format(group=group.name(current_language())),
            "matrix",
            parent,
        )
        self.setObjectName("group_duties_dialog")
        self.setMinimumWidth(620)
        self.group = group
        self.composition_zh = self.add_row(
            _("Composition (&Chinese)"), _text(group.composition_zh), "composition_zh"
        )
        self.duties_zh = self.add_row(_("D&uties (Chinese)"), _text(group.duties_zh), "duties_zh")
        self.composition_en = self.add_row(
            _("Composition (&English)"), _text(group.composition_en), "composition_en"
        )
        self.duties_en = self.add_row(_("Duties (E&nglish)"), _text(group.duties_en), "duties_en")
        self.composition_zh.setFocus()

    def work(self) -> Callable[[Session], Any]:
        group_id = self.group.id
        update = GroupUpdate(
            composition_zh=self.composition_zh.toPlainText(),
            duties_zh=self.duties_zh.toPlainText(),
            composition_en=self.composition_en.toPlainText(),
            duties_en=self.duties_en.toPlainText(),
            version=self.group.version,
        )
        return lambda s: organisation.update_group(group_id, update, session=s).id
