"""事件登记 Intake: a keyboard-first form for a new incident report.

* Every field of the intake format (docs/intake-format.md); the fraud report appears for
  customer fraud and takes several transactions.
* Save checks the form with the core's `parse_intake` (the CLI's rules) first: each
  broken rule shows under its field (a transaction's on its table cell), in the
  interface language, and nothing is saved. The write then runs `service.create` off the
  UI thread; the reference appears, copyable (Ctrl+Shift+C).
* Save (Ctrl+S) shows what was saved until New (Ctrl+N): corrections of a recorded
  incident belong to the incident, not to a second intake. Save and new (Ctrl+Shift+S,
  Ctrl+Enter) clears the form for the next caller, keeping reporter and branch.
* Every edit is written to a draft file (debounced); a form left unsaved by a crash or a
  closed window is offered back, with Restore / Discard, when the tab opens again.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QGuiApplication, QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ebconsole.errors import EbError, FieldError
from ebconsole.i18n import _, current_language
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import Category
from ebconsole.incidents.intake import parse_intake
from ebconsole.timeutil import format_local, utcnow
from ebconsole.users import service as users
from ui import icons
from ui.context import Context
from ui.errors import error_text
from ui.intake.draft import Draft, DraftStore
from ui.intake.form import Defaults, IntakeForm
from ui.intake.widgets import Banner, iso_minutes, local_now
from ui.ops import Changes
from ui.permissions import Action
from ui.tabs import register
from ui.tabs.base import Tab
from ui.widgets.forms import ErrorLabel

log = logging.getLogger(__name__)

DRAFT_DELAY_MS = 500
CHECK_DELAY_MS = 400
HEADER = "intake/transactions"
EDITING, SAVING, SAVED = "editing", "saving", "saved"


def load_subtypes(lang: str) -> Any:
    """The subtypes of every class as plain data, labelled in `lang` (for ctx.read)."""

    def read(session: Session) -> dict[str, list[tuple[str, str]]]:
        result: dict[str, list[tuple[str, str]]] = {}
        for category in Category:
            result[category.value] = [
                (s.code, s.label_en if lang == "en" else s.label_zh)
                for s in incidents.list_subtypes(category, session=session)
            ]
        return result

    return read


@register
class IntakeTab(Tab):
    key, order, icon_name = "intake", 20, "intake"
    permission = Action.INTAKE  # every signed-in role, the clerk included

    @classmethod
    def title(cls) -> str:
        return _("Intake")

    def __init__(self, ctx: Context, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.store = DraftStore.for_operator(ctx.actor.username)
        self.mode = EDITING
        self.last_reference = ""
        self.last_incident_id = ""
        self.offered: Draft | None = None
        self._phone = ""
        self._check_live = False
        self._shown = False
        self._closing = False
        self._fresh = True  # untouched since reset: "reported at" follows the clock

        self.form = IntakeForm()
        self.scroll = QScrollArea()
        self.scroll.setObjectName("intake_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(self.form)

        # a draft from before: offered, never forced
        self.draft_banner = Banner("warning")
        self.restore_button = self.draft_banner.add_button(_("&Restore"), "restore_draft")
        self.discard_button = self.draft_banner.add_button(_("Discard"), "discard_draft")
        self.restore_button.clicked.connect(self.restore_draft)
        self.discard_button.clicked.connect(self.discard_draft)

        # the reference of the last saved report
        self.saved_banner = Banner("success")
        self.saved_banner.text.setText(_("Recorded. Reference:"))
        self.saved_banner.text.setSizePolicy(
            QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred
        )
        self.saved_banner.text.setWordWrap(False)
        self.reference_label = QLabel()
        self.reference_label.setObjectName("reference")
        font = QFont(self.reference_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.reference_label.setFont(font)
        self.reference_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.reference_label.setCursor(Qt.CursorShape.IBeamCursor)
        self.saved_banner.row.insertWidget(1, self.reference_label)
        self.saved_banner.row.insertStretch(2, 1)
        self.saved_banner.row.setStretch(0, 0)  # the reference right after its label
        self.copy_button = self.saved_banner.add_button(_("Copy"), "copy_reference")
        self.copy_button.setIcon(icons.icon("copy"))
        self.copy_button.setToolTip(_("Copy the reference (Ctrl+Shift+C)"))
        self.copy_button.clicked.connect(self.copy_reference)
        self.open_button = self.saved_banner.add_button(_("&Open the incident"), "open_incident")
        self.open_button.setToolTip(_("Show the incident in the incident list"))
        self.open_button.setEnabled(ctx.can(Action.VIEW_INCIDENTS))
        self.open_button.clicked.connect(self.open_incident)
        self.saved_hint = QLabel()
        self.saved_hint.setObjectName("saved_hint")
        self.saved_banner.row.insertWidget(3, self.saved_hint)

        # the bottom bar: what is wrong, busy, the buttons
        self.summary = ErrorLabel()
        self.summary.setObjectName("summary")
        self.general_error = ErrorLabel()
        self.general_error.setObjectName("general_error")
        self.form.errors.general = self.general_error
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy_label = QLabel(_("Saving…"))
        self.new_button = QPushButton(_("New report"))
        self.new_button.setObjectName("new_report")
        self.new_button.setToolTip(_("Empty the form for the next report (Ctrl+N)"))
        self.save_button = QPushButton(_("&Save"))
        self.save_button.setObjectName("save")
        self.save_button.setToolTip(_("Save and show the reference (Ctrl+S)"))
        self.save_new_button = QPushButton(_("Save and ne&w"))
        self.save_new_button.setObjectName("save_and_new")
        self.save_new_button.setToolTip(
            _("Save, then empty the form for the next caller (Ctrl+Shift+S or Ctrl+Enter)")
        )
        for button in (self.new_button, self.save_button, self.save_new_button):
            button.setAutoDefault(False)
        self.save_button.setDefault(True)
        self.new_button.clicked.connect(self.new_report)
        self.save_button.clicked.connect(lambda: self.save(and_new=False))
        self.save_new_button.clicked.connect(lambda: self.save(and_new=True))

        messages = QVBoxLayout()
        messages.setSpacing(2)
        messages.addWidget(self.summary)
        messages.addWidget(self.general_error)
        bar = QHBoxLayout()
        bar.addLayout(messages, 1)
        bar.addWidget(self.busy_label)
        bar.addWidget(self.busy)
        bar.addWidget(self.new_button)
        bar.addSpacing(12)
        bar.addWidget(self.save_button)
        bar.addWidget(self.save_new_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.draft_banner)
        layout.addWidget(self.saved_banner)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(bar)
        QWidget.setTabOrder(self.form.focus_chain[-1], self.save_button)
        QWidget.setTabOrder(self.save_button, self.save_new_button)
        QWidget.setTabOrder(self.save_new_button, self.new_button)

        for keys, slot in (
            ("Ctrl+S", lambda: self.save(and_new=False)),
            ("Ctrl+Shift+S", lambda: self.save(and_new=True)),
            ("Ctrl+Return", lambda: self.save(and_new=True)),
            ("Ctrl+Enter", lambda: self.save(and_new=True)),
            ("Ctrl+N", self.new_report),
            ("Ctrl+Shift+C", self.copy_reference),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(DRAFT_DELAY_MS)
        self.draft_timer.timeout.connect(self.write_draft)
        self.check_timer = QTimer(self)
        self.check_timer.setSingleShot(True)
        self.check_timer.setInterval(CHECK_DELAY_MS)
        self.check_timer.timeout.connect(self._check_quietly)
        self.form.edited.connect(self._edited)
        ctx.hub.language_changed.connect(self._language_changed)

        ctx.settings.restore_header(self.form.fraud.table.horizontalHeader(), HEADER)
        self.form.reset(self.defaults())
        self.baseline = self.form.state()
        self._set_mode(EDITING)
        self._offer_draft()

    # -- defaults ---------------------------------------------------------------------------
    def defaults(self) -> Defaults:
        actor, inst = self.ctx.actor, self.ctx.installation
        if self.ctx.can(Action.VIEW_ALL_BRANCHES):
            branch = inst.default_branch or actor.branch or ""
        else:  # a clerk records (and later sees) their own branch's incidents
            branch = actor.branch or inst.default_branch or ""
        return Defaults(
            reporter_name=actor.name,
            reporter_department=actor.branch or "",
            reporter_phone=self._phone,
            branch=branch,
        )

    def _operator_loaded(self, phone: str | None) -> None:
        self._phone = phone or ""
        if not self._phone or self.mode != EDITING:
            return
        pristine = self.is_pristine()
        if self.form.reporter.name.text() == self.ctx.actor.name:
            self.form.apply_defaults(Defaults(reporter_phone=self._phone))
        if pristine:
            self.baseline = self.form.state()

    # -- Tab ----------------------------------------------------------------------------------
    def refresh(self, changes: Changes) -> None:
        if changes.touches("incidents"):  # the subtype table belongs to the incidents
            self.ctx.read(
                load_subtypes(current_language()),
                on_result=self._subtypes_loaded,
                label=_("Loading subtypes…"),
            )
        if changes.touches("users") and self.ctx.actor.user_id is not None:
            user_id = self.ctx.actor.user_id
            self.ctx.read(
                lambda s: users.get(user_id, session=s).phone,
                on_result=self._operator_loaded,
                on_error=self._operator_unknown,
            )

    def _operator_unknown(self, exc: BaseException) -> None:
        log.info("operator's phone not loaded: %s", exc)

    def _subtypes_loaded(self, subtypes: dict[str, list[tuple[str, str]]]) -> None:
        pristine = self.is_pristine()
        self.form.incident.set_subtypes(subtypes)
        if pristine:
            self.baseline = self.form.state()

    def save_state(self) -> None:
        self._closing = True
        self.flush_draft()
        self.ctx.settings.save_header(self.form.fraud.table.horizontalHeader(), HEADER)

    def can_close(self) -> bool:
        self.flush_draft()  # the draft keeps the form: closing loses nothing
        return True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            if self.mode == EDITING:
                self.form.incident.category.setFocus(Qt.FocusReason.OtherFocusReason)

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush_draft()
        super().hideEvent(event)

    # -- modes ------------------------------------------------------------------------------
    def _set_mode(self, mode: str) -> None:
        self.mode = mode
        self.form.setEnabled(mode == EDITING)
        self.save_button.setEnabled(mode == EDITING)
        self.save_new_button.setEnabled(mode == EDITING)
        self.new_button.setEnabled(mode != SAVING)
        self.busy.setVisible(mode == SAVING)
        self.busy_label.setVisible(mode == SAVING)
        self.saved_hint.setText(
            _("Press New (Ctrl+N) for the next report.") if mode == SAVED else ""
        )
        self.saved_hint.setVisible(mode == SAVED)

    def is_pristine(self) -> bool:
        return self.form.state() == self.baseline

    def _edited(self) -> None:
        if self.mode != EDITING:
            return
        if self._fresh:  # the first keystroke of a new report: the call came in now
            self._fresh = False
            reported = self.form.incident.reported_at
            if iso_minutes(reported.value()) == self.baseline.get("reported_at"):
                reported.set_value(local_now())
        self.draft_timer.start()
        if self._check_live:
            self.check_timer.start()

    # -- checking and saving ------------------------------------------------------------
    def check(self, *, focus: bool = True) -> tuple[dict[str, Any], list[int]] | None:
        """The core's rules on the form: None (and the errors shown) when any is broken."""
        obj, rows = self.form.intake()
        try:
            parse_intake(obj)
        except EbError as exc:
            self.show_errors(exc.errors, rows, focus=focus)
            return None
        self.form.clear_errors()
        self.summary.set_error(None)
        return obj, rows

    def _check_quietly(self) -> None:
        if self.mode == EDITING and self._check_live and self.check(focus=False) is not None:
            self._check_live = False

    def show_errors(self, errors: list[FieldError], rows: list[int], *, focus: bool = True) -> None:
        target = self.form.show_errors(errors, rows)
        self.summary.set_error(
            _("Not saved. Problems to fix: {count} (marked in red).").format(count=len(errors))
        )
        self._check_live = True
        if focus and target is not None:
            self.scroll.ensureWidgetVisible(target.widget)
            self.form.focus(target)

    def save(self, *, and_new: bool = False) -> None:
        if self.mode != EDITING:
            return
        checked = self.check()
        if checked is None:
            return
        obj, rows = checked
        self.draft_timer.stop()
        self.check_timer.stop()
        self.flush_draft(force=True)
        self._set_mode(SAVING)
        db, actor, store = self.ctx.db, self.ctx.actor, self.store

        def work() -> tuple[str, str]:
            with db.session(actor) as s:
                # the same rules again, now with the subtype table (the service checks all)
                incident = incidents.create(parse_intake(obj, session=s), session=s)
                saved = (incident.reference, str(incident.id))
            store.discard()  # committed: the draft is done with
            return saved

        self.ctx.ops.write(
            work,
            changes=Changes(incidents=True, obligations=True),
            label=_("Saving the incident…"),
            on_result=lambda ref: self._saved(ref, and_new),
            on_error=lambda exc: self._save_failed(exc, rows),
            owner=self,
        )

    def _saved(self, saved: tuple[str, str], and_new: bool) -> None:
        reference, self.last_incident_id = saved
        self.last_reference = reference
        self.reference_label.setText(reference)
        self.saved_banner.setVisible(True)
        self.summary.set_error(None)
        self.general_error.set_error(None)
        self._check_live = False
        self.ctx.hub.status_message.emit(
            _("Incident {reference} recorded.").format(reference=reference), 10_000
        )
        if and_new:
            self.form.clear_for_next()
            self.baseline = self.form.state()
            self._fresh = True
            self._set_mode(EDITING)
            self.form.incident.category.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.baseline = self.form.state()
            self._set_mode(SAVED)
            self.new_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _save_failed(self, exc: BaseException, rows: list[int]) -> None:
        self._set_mode(EDITING)
        self.flush_draft(force=True)  # nothing was saved: keep the form on disk
        if isinstance(exc, EbError) and any(e.field for e in exc.errors):
            self.show_errors(exc.errors, rows)
            return
        log.warning("intake not saved", exc_info=exc)
        self.summary.set_error(_("Not saved: {error}").format(error=error_text(exc)))

    def new_report(self) -> None:
        """The next report: an empty form, the reporter and branch kept. A form with
        unsaved input is put aside, not lost: the banner offers it back."""
        if self.mode == SAVING:
            return
        previous = None
        if self.mode == EDITING and not self.is_pristine():
            previous = self.form.state()
            self.flush_draft(force=True)  # on disk until restored or discarded
        self.form.clear_for_next()
        self.baseline = self.form.state()
        self._fresh = True
        self.summary.set_error(None)
        self.general_error.set_error(None)
        self._check_live = False
        self._set_mode(EDITING)
        if previous is not None:
            self._offer(
                Draft(self.ctx.actor.username, utcnow(), previous),
                _("The form was emptied: “{title}”. Restore it?"),
            )
        self.form.incident.category.setFocus(Qt.FocusReason.OtherFocusReason)

    def copy_reference(self) -> None:
        if not self.last_reference:
            return
        QGuiApplication.clipboard().setText(self.last_reference)
        self.ctx.hub.status_message.emit(
            _("Reference {reference} copied.").format(reference=self.last_reference), 5000
        )

    def open_incident(self) -> None:
        if self.last_incident_id:
            self.ctx.hub.open_record.emit("incidents", self.last_incident_id)

    # -- drafts -------------------------------------------------------------------------
    def write_draft(self) -> None:
        """The form to its draft file; an untouched form leaves none."""
        self.draft_timer.stop()
        if self.mode != EDITING:
            return
        try:
            if self.is_pristine():
                if self.offered is None:
                    self.store.discard()
            else:
                self.store.save(self.form.state())
        except OSError as exc:
            log.warning("intake draft not written to %s", self.store.path, exc_info=True)
            self.ctx.hub.status_message.emit(
                _("The unsaved form could not be kept on disk: {error}").format(error=exc), 10_000
            )

    def flush_draft(self, *, force: bool = False) -> None:
        if force or self.draft_timer.isActive():
            self.write_draft()

    def _offer_draft(self) -> None:
        draft = self.store.load()
        if draft is not None:
            self._offer(draft, _("An unsaved report from {time} was found: “{title}”. Restore it?"))

    def _offer(self, draft: Draft, text: str) -> None:
        self.offered = draft
        title = str(draft.form.get("title") or "").strip() or _("(no title)")
        self.draft_banner.text.setText(
            text.format(time=format_local(draft.saved_at), title=title[:60])
        )
        self.draft_banner.setVisible(True)

    def restore_draft(self) -> None:
        draft, self.offered = self.offered, None
        self.draft_banner.setVisible(False)
        if draft is None:
            return
        self.form.set_state(draft.form)
        self._fresh = False  # the draft's times are the call's
        self._set_mode(EDITING)
        self.write_draft()
        self.form.incident.category.setFocus(Qt.FocusReason.OtherFocusReason)

    def discard_draft(self) -> None:
        self.offered = None
        self.draft_banner.setVisible(False)
        self.write_draft()  # an untouched form: the file goes; typed since: that is kept
        self.form.incident.category.setFocus(Qt.FocusReason.OtherFocusReason)

    def _language_changed(self, _lang: str) -> None:
        # the window rebuilt its tabs for the new language: the form carries on as it was
        if not self._closing and self.offered is not None and self.is_pristine():
            self.restore_draft()
