"""Move an incident one step along its lifecycle, with a note, and a reason where the core
requires one (closing without activation, handing off, reopening). Handing off also asks
to whom (公安机关, 法务部 …)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLineEdit, QWidget
from sqlalchemy.orm import Session

from ebconsole.i18n import _
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import STATUS_LABELS, Status
from ebconsole.incidents.lifecycle import Transition
from ui.context import Context
from ui.incidents.widgets import FormDialog, TextEdit


class TransitionDialog(FormDialog):
    def __init__(
        self,
        ctx: Context,
        incident_id: uuid.UUID,
        reference: str,
        transition: Transition,
        parent: QWidget | None = None,
    ):
        super().__init__(ctx, _(transition.action), parent)
        self.setObjectName("transition_dialog")
        self.incident_id = incident_id
        self.transition = transition
        self.hand_off = transition.target is Status.OUT_OF_SCOPE
        self.set_intro(
            _("{reference}: {source} → {target}").format(
                reference=reference,
                source=_(STATUS_LABELS[transition.source]),
                target=_(STATUS_LABELS[transition.target]),
            )
        )
        self.reason = TextEdit(_("Why (required)"))
        self.reason.setObjectName("reason")
        self.handed_off_to = QLineEdit()
        self.handed_off_to.setObjectName("handed_off_to")
        self.handed_off_to.setPlaceholderText(_("e.g. 公安机关, 法务部"))
        self.note = TextEdit(_("What was done or decided (optional)"))
        self.note.setObjectName("note")
        if transition.needs_reason:
            self.add_field("reason", _("Reason"), self.reason)
        if self.hand_off:
            self.add_field("handed_off_to", _("Handed off to"), self.handed_off_to)
        else:
            self.add_field("note", _("Note"), self.note)
        self.ok_button.setText(_(transition.action))
        first = self.reason if transition.needs_reason else self.note
        first.setFocus()

    def work(self) -> Callable[[Session], Any] | None:
        incident_id, to = self.incident_id, self.transition.target
        reason = self.reason.text() if self.transition.needs_reason else None
        if self.hand_off:
            handed_off_to = self.handed_off_to.text()
            return lambda s: (
                incidents.mark_out_of_scope(incident_id, reason or "", handed_off_to, session=s).id
            )
        note = self.note.text() or None
        return lambda s: incidents.advance(incident_id, to, note=note, reason=reason, session=s).id
