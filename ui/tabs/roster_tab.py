"""值班表 — the 24-hour duty roster (plan §5, 24小时值班制度): who is on duty now, the shifts
of a week with the gaps nobody covers, and the shifts themselves.

Coordinators and administrators add, change and archive shifts and generate rotations
(Action.EDIT_ROSTER); everyone else reads.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ebconsole.i18n import _
from ebconsole.roster import service as roster
from ebconsole.timeutil import as_utc, local_zone, to_local, utcnow
from ui.context import Context
from ui.errors import show_error
from ui.models.roster_model import (
    DayCover,
    RosterModel,
    RosterRow,
    Week,
    role_text,
    time_range_text,
    week_loader,
    week_start,
    weekday_text,
)
from ui.ops import Changes
from ui.permissions import Action
from ui.plan.form import confirm
from ui.plan.roster_dialogs import RotationDialog, ShiftDialog
from ui.plan.table import (
    ALERT,
    ALERT_BACKGROUND,
    OK,
    OK_BACKGROUND,
    Latest,
    make_table,
    select_where,
    selected_row,
)
from ui.plan.widgets import Banner, escape, focus_when_shown, tab_action, tool_button
from ui.tabs import register
from ui.tabs.base import Tab

CLOCK_MS = 60_000  # who is on duty changes with the clock


def today() -> date:
    return to_local(utcnow()).date()


@register
class RosterTab(Tab):
    key = "roster"
    order = 60
    icon_name = "roster"
    permission = Action.VIEW_PLAN

    @classmethod
    def title(cls) -> str:
        return _("Duty roster")

    def __init__(self, ctx: Context, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.loader = Latest(ctx, self)
        self.may_edit = ctx.can(Action.EDIT_ROSTER)
        self.start = week_start(today())
        self.week: Week | None = None
        self._pending_select: uuid.UUID | None = None
        self.dialog: QWidget | None = None

        self.on_duty = Banner(scale=1.35)
        self.on_duty.setObjectName("on_duty")

        # -- week navigation -------------------------------------------------------------
        self.prev_action = tab_action(
            self, "previous_week", _("◀ &Previous week"), self.previous_week, "Alt+Left"
        )
        self.this_action = tab_action(
            self, "this_week", _("&This week"), self.this_week, "Alt+Home"
        )
        self.next_action = tab_action(
            self, "next_week", _("&Next week ▶"), self.next_week, "Alt+Right"
        )
        self.week_label = QLabel()
        self.week_label.setObjectName("week_label")
        font = self.week_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.week_label.setFont(font)

        self.add_action = tab_action(
            self, "add_shift", _("&Add shift…"), self.add_shift, "Ctrl+N", "roster"
        )
        self.edit_action = tab_action(self, "edit_shift", _("&Edit…"), self.edit_shift)
        self.archive_action = tab_action(self, "archive_shift", _("Archi&ve"), self.archive_shift)
        self.rotation_action = tab_action(
            self,
            "generate_rotation",
            _("&Generate rotation…"),
            self.generate_rotation,
            "Ctrl+G",
            "duty",
        )
        if not self.may_edit:
            for action in (
                self.add_action,
                self.edit_action,
                self.archive_action,
                self.rotation_action,
            ):
                action.setToolTip(_("Only a coordinator or an administrator edits the roster."))

        nav = QHBoxLayout()
        for action in (self.prev_action, self.this_action, self.next_action):
            nav.addWidget(tool_button(action))
        nav.addSpacing(12)
        nav.addWidget(self.week_label)
        nav.addStretch(1)
        for action in (self.add_action, self.edit_action, self.archive_action):
            nav.addWidget(tool_button(action))
        nav.addSpacing(8)
        nav.addWidget(tool_button(self.rotation_action))

        # -- the week: a strip of days, then every shift and gap --------------------------
        self.day_buttons: list[QPushButton] = []
        strip = QHBoxLayout()
        strip.setSpacing(4)
        for i in range(7):
            button = QPushButton()
            button.setObjectName(f"day_{i}")
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(lambda _checked=False, n=i: self.show_day(n))
            strip.addWidget(button)
            self.day_buttons.append(button)

        self.model = RosterModel(self)
        self.table = make_table(
            self.model, name="shifts", sortable=False, widths=(110, 200, 110, 220, 150, 200)
        )
        self.table.activated.connect(lambda _index: self._activated())
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)

        layout = QVBoxLayout(self)
        layout.addWidget(self.on_duty)
        layout.addLayout(nav)
        layout.addLayout(strip)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

        ctx.settings.restore_header(self.table.horizontalHeader(), "roster/table")
        self.clock = QTimer(self)
        self.clock.setInterval(CLOCK_MS)
        self.clock.timeout.connect(self._tick)
        self.clock.start()
        self._show_week_label()
        self._update_actions()

    # -- loading -----------------------------------------------------------------------
    def refresh(self, changes: Changes) -> None:
        if changes.touches("roster", "organisation"):
            self._load()

    def _load(self) -> None:
        self.loader.read(week_loader(self.start), self._loaded)

    def _tick(self) -> None:
        if self.isVisible():
            self._load()

    def _loaded(self, week: Week) -> None:
        if week.start != self.start:
            return
        self.week = week
        selected = self.selected_shift()
        wanted = self._pending_select or (selected.shift_id if selected else None)
        self._pending_select = None
        self.model.set_week(week)
        self._show_on_duty(week)
        self._show_days(week)
        self._show_summary(week)
        if wanted is None or not select_where(self.table, lambda r: r.shift_id == wanted):
            self._select_now_or_first()
        self._update_actions()

    def _show_on_duty(self, week: Week) -> None:
        now = to_local(week.now)
        if week.on_duty:
            people = "；".join(self._person_html(s) for s in week.on_duty)
            self.on_duty.show_text(
                _("On duty now ({time}): {people}").format(time=f"{now:%H:%M}", people=people),
                "ok",
                "duty",
            )
            return
        text = (
            "<b>"
            + escape(_("Nobody is on duty now ({time})!").format(time=f"{now:%H:%M}"))
            + "</b>"
        )
        if week.next_shift is not None:
            nxt = week.next_shift
            text += " " + escape(
                _("Next: {person} from {start}.").format(
                    person=nxt.person_name, start=f"{to_local(nxt.starts_at):%m-%d %H:%M}"
                )
            )
        self.on_duty.show_text(text, "alert", "overdue")

    @staticmethod
    def _person_html(shift: RosterRow) -> str:
        until = _("until {time}").format(time=f"{to_local(shift.ends_at):%H:%M}")
        phone = f" {escape(shift.person_phone)}" if shift.person_phone else ""
        return (
            f"{escape(role_text(shift.role))} <b>{escape(shift.person_name)}</b>{phone}"
            f" <small>（{escape(until)}）</small>"
        )

    def _show_week_label(self) -> None:
        end = self.start + timedelta(days=6)
        iso = self.start.isocalendar()
        text = _("{start} to {end} (week {week})").format(
            start=self.start.isoformat(), end=end.isoformat(), week=iso.week
        )
        if self.start == week_start(today()):
            text += " · " + _("this week")
        self.week_label.setText(text)
        self.this_action.setEnabled(self.start != week_start(today()))

    def _show_days(self, week: Week) -> None:
        current = today()
        for button, cover in zip(self.day_buttons, week.days, strict=True):
            button.setText(self._day_text(cover))
            colour, background = (OK, OK_BACKGROUND) if cover.covered else (ALERT, ALERT_BACKGROUND)
            border = (
                f"2px solid {colour.name()}"
                if cover.day == current
                else f"1px solid {colour.name()}"
            )
            button.setStyleSheet(
                f"QPushButton {{ color: {colour.name()}; background: {background.name()};"
                f" border: {border}; border-radius: 4px; padding: 4px; }}"
                f" QPushButton:focus {{ border: 2px solid palette(highlight); }}"
            )
            button.setToolTip(
                _("Covered around the clock")
                if cover.covered
                else _("{hours} hours with nobody on duty").format(hours=f"{cover.gap_hours:g}")
            )

    def _day_text(self, cover: DayCover) -> str:
        head = f"{weekday_text(cover.day)} {cover.day:%m-%d}"
        if cover.day == today():
            head += " · " + _("today")
        if cover.covered:
            return f"{head}  ✓ " + _("covered")
        return f"{head}  ✗ " + _("gap {hours} h").format(hours=f"{cover.gap_hours:g}")

    def _show_summary(self, week: Week) -> None:
        shifts = sum(1 for r in week.rows if not r.is_gap)
        gaps = [r for r in week.rows if r.is_gap]
        text = _("{count} shifts this week").format(count=shifts)
        if gaps:
            hours = sum((r.ends_at - r.starts_at).total_seconds() for r in gaps) / 3600
            text += " · " + (
                f"<b style='color:{ALERT.name()}'>"
                + escape(
                    _("{count} gaps, {hours} hours with nobody on duty").format(
                        count=len(gaps), hours=f"{hours:g}"
                    )
                )
                + "</b>"
            )
        else:
            text += " · " + escape(_("covered around the clock"))
        self.summary.setText(text)

    def _select_now_or_first(self) -> None:
        now = self.model.now
        running = select_where(self.table, lambda r: r.starts_at <= now < r.ends_at)
        if not running and self.model.rowCount():
            self.table.selectRow(0)

    # -- navigation --------------------------------------------------------------------
    def go_to_week(self, start: date) -> None:
        self.start = week_start(start)
        self._show_week_label()
        self.model.set_rows([])
        self._load()

    def previous_week(self) -> None:
        self.go_to_week(self.start - timedelta(days=7))

    def next_week(self) -> None:
        self.go_to_week(self.start + timedelta(days=7))

    def this_week(self) -> None:
        self.go_to_week(today())

    def show_day(self, number: int) -> None:
        day = self.start + timedelta(days=number)
        lo = as_utc(datetime.combine(day, time(0), tzinfo=local_zone()))
        hi = lo + timedelta(days=1)
        if select_where(self.table, lambda r: r.starts_at < hi and r.ends_at > lo):
            self.table.setFocus()

    def open_record(self, record_id: str) -> None:
        """Show one shift: go to its week and select it."""
        try:
            shift_id = uuid.UUID(str(record_id))
        except ValueError:
            return

        def found(starts_at: datetime | None) -> None:
            if starts_at is None:
                return
            self._pending_select = shift_id
            self.go_to_week(to_local(starts_at).date())
            self.table.setFocus()

        self.ctx.read(
            lambda s: roster.get_shift(shift_id, session=s).starts_at,
            on_result=found,
            on_error=lambda exc: show_error(self, exc),
            owner=self,
        )

    # -- shifts ------------------------------------------------------------------------
    def selected_shift(self) -> RosterRow | None:
        row = selected_row(self.table)
        return row if isinstance(row, RosterRow) else None

    def _update_actions(self, *_args: Any) -> None:
        row = self.selected_shift()
        is_shift = row is not None and not row.is_gap
        self.add_action.setEnabled(self.may_edit and self.week is not None)
        self.rotation_action.setEnabled(self.may_edit and self.week is not None)
        self.edit_action.setEnabled(self.may_edit and is_shift)
        self.archive_action.setEnabled(self.may_edit and is_shift)

    def _activated(self) -> None:
        row = self.selected_shift()
        if row is None:
            return
        if row.is_gap:
            self.add_shift()
        else:
            self.edit_shift()

    def _open(self, dialog: Any) -> Any:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        dialog.open()
        self.dialog = dialog
        return dialog

    def _saved(self, value: Any) -> None:
        if isinstance(value, uuid.UUID):
            self._pending_select = value

    def _suggested_period(self) -> tuple[datetime, datetime]:
        row = self.selected_shift()
        if row is not None and row.is_gap:
            return row.starts_at, min(row.ends_at, row.starts_at + timedelta(hours=12))
        if row is not None:
            return row.ends_at, row.ends_at + timedelta(hours=12)
        if self.start == week_start(today()):
            now = to_local(utcnow()).replace(minute=0, second=0, microsecond=0)
            start = now + timedelta(hours=1)
        else:
            start = datetime.combine(self.start, time(8), tzinfo=local_zone())
        return as_utc(start), as_utc(start + timedelta(hours=12))

    def add_shift(self) -> ShiftDialog | None:
        if not self.may_edit or self.week is None:
            return None
        start, end = self._suggested_period()
        return self._open(ShiftDialog(self.ctx, self.week.members, None, start, end, self))

    def edit_shift(self) -> ShiftDialog | None:
        row = self.selected_shift()
        if not self.may_edit or self.week is None or row is None or row.is_gap:
            return None
        return self._open(ShiftDialog(self.ctx, self.week.members, row, parent=self))

    def archive_shift(self) -> Any:
        row = self.selected_shift()
        if not self.may_edit or row is None or row.shift_id is None:
            return None
        shift_id = row.shift_id

        def archive() -> None:
            self.ctx.write(
                lambda s: roster.archive_shift(shift_id, session=s).id,
                changes=Changes(roster=True),
                on_error=lambda exc: show_error(self, exc),
                owner=self,
            )

        return confirm(
            self,
            _("Archive duty shift"),
            _("Archive the shift of {person} ({time})? The period becomes a gap.").format(
                person=row.person_name, time=time_range_text(row.starts_at, row.ends_at)
            ),
            _("Archive"),
            archive,
        )

    def generate_rotation(self) -> RotationDialog | None:
        if not self.may_edit or self.week is None:
            return None
        dialog = RotationDialog(self.ctx, self.week.members, max(self.start, today()), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(
            lambda count: self.ctx.hub.status_message.emit(
                _("{count} shifts added to the roster.").format(count=count), 5000
            )
        )
        dialog.open()
        self.dialog = dialog
        return dialog

    # -- state -------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        focus_when_shown(self, self.table)

    def save_state(self) -> None:
        self.ctx.settings.save_header(self.table.horizontalHeader(), "roster/table")
