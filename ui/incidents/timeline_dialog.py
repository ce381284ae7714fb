"""Add an action, decision, notification or note to an incident's timeline."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget
from sqlalchemy.orm import Session

from ebconsole.i18n import _
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import TIMELINE_LABELS
from ebconsole.incidents.schemas import TimelineEntryCreate
from ebconsole.incidents.service import USER_KINDS
from ui.context import Context
from ui.incidents.widgets import INCIDENT_CHANGES, FormDialog, LocalDateTimeEdit, TextEdit


class TimelineEntryDialog(FormDialog):
    changes = INCIDENT_CHANGES

    def __init__(
        self, ctx: Context, incident_id: uuid.UUID, reference: str, parent: QWidget | None = None
    ):
        super().__init__(ctx, _("Add to the timeline"), parent)
        self.setObjectName("timeline_dialog")
        self.incident_id = incident_id
        self.set_intro(reference)
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in USER_KINDS:
            self.kind.addItem(_(TIMELINE_LABELS[kind]), kind)
        self.text = TextEdit(_("What was done, decided or told to whom"), rows=5)
        self.text.setObjectName("text")
        self.at = LocalDateTimeEdit()
        self.at.setObjectName("at")
        self.add_field("kind", _("Kind"), self.kind)
        self.add_field("text", _("Entry"), self.text)
        self.add_field("at", _("Time"), self.at)
        self.ok_button.setText(_("Add"))
        self.text.setFocus()

    def set_kind(self, kind: Any) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))

    def work(self) -> Callable[[Session], Any] | None:
        data = TimelineEntryCreate(
            kind=self.kind.currentData(), text=self.text.text(), at=self.at.value()
        )
        incident_id = self.incident_id
        return lambda s: incidents.record_action(incident_id, data, session=s).id
