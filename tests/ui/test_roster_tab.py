"""The duty roster tab: who is on duty now, the week's shifts with the gaps nobody covers,
week by week; coordinators keep the roster."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import shiboken6
from PySide6.QtCore import Qt

from ebconsole.organisation import service as organisation
from ebconsole.organisation.enums import GroupCode
from ebconsole.organisation.schemas import MemberCreate
from ebconsole.roster import service as roster
from ebconsole.roster.enums import DutyRole
from ebconsole.roster.schemas import PersonOnDuty, ShiftCreate
from ebconsole.timeutil import as_utc, local_zone, to_local, utcnow
from tests.ui.conftest import wait_idle
from tests.ui.typing import type_text
from ui.models.roster_model import RosterModel, RosterRow, week_loader, week_start
from ui.ops import Changes
from ui.plan.form import select_data, set_datetime
from ui.plan.roster_dialogs import RotationDialog, ShiftDialog
from ui.plan.table import ALERT_BACKGROUND, ALERT_ROLE, OK_BACKGROUND, ROW_ROLE
from ui.tabs.roster_tab import RosterTab
from ui.widgets.forms import ErrorLabel


@pytest.fixture
def members(db, admin):
    """Two members of the working group who take duty."""
    with db.session(admin) as s:
        group = organisation.get_group_by_code(GroupCode.WORKING, session=s)
        for name, phone in (("钱峰", "13600001111"), ("冯丽", "13600002222")):
            organisation.create_member(
                MemberCreate(group_id=group.id, name=name, title="值班经理", mobile_phone=phone),
                session=s,
            )


@pytest.fixture
def window(make_main_window, coordinator, members):
    return make_main_window(coordinator, tabs=[RosterTab])


def roster_tab(window) -> RosterTab:
    tab = window.tab("roster")
    assert isinstance(tab, RosterTab)
    return tab


def rows(tab: RosterTab) -> list[RosterRow]:
    return [tab.model.index(r, 0).data(ROW_ROLE) for r in range(tab.model.rowCount())]


def closed(dialog) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def shown_errors(dialog) -> list[str]:
    return [label.text() for label in dialog.findChildren(ErrorLabel) if label.isVisible()]


def back_to_window(window, qtbot) -> None:
    """The offscreen platform leaves no window active once a dialog closed (a desktop
    gives the main window back); shortcuts need an active window."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def next_monday_at(hour: int) -> datetime:
    monday = week_start(to_local(utcnow()).date()) + timedelta(days=7)
    return as_utc(datetime.combine(monday, time(hour), tzinfo=local_zone()))


def test_a_shift_running_now_shows_who_is_on_duty_and_the_gaps_around_it(window, qtbot, db, ops):
    tab = roster_tab(window)
    # nobody on the roster yet: the banner says so, the whole week is one gap
    assert tab.on_duty.level == "alert"
    assert "无人值班" in tab.on_duty.plain_text()
    assert [r.is_gap for r in rows(tab)] == [True]
    assert all("空档" in b.text() for b in tab.day_buttons)

    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = tab.dialog
    assert isinstance(dialog, ShiftDialog)
    type_text(qtbot, dialog.person.lineEdit(), "李明")
    type_text(qtbot, dialog.phone, "13810001000")
    select_data(dialog.role, DutyRole.SHIFT_LEADER)
    now = utcnow()
    set_datetime(dialog.starts_at, now - timedelta(hours=2))
    set_datetime(dialog.ends_at, now + timedelta(hours=6))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert closed(dialog)

    # on duty now, prominent
    assert tab.on_duty.level == "ok"
    banner = tab.on_duty.plain_text()
    assert (
        "当前值班" in banner and "值班长" in banner and "李明" in banner and "13810001000" in banner
    )

    # the shift is selected and marked as running; gaps before and after it are red
    shift = tab.selected_shift()
    assert shift is not None and shift.person_name == "李明" and not shift.is_gap
    position = rows(tab).index(shift)
    assert (
        tab.model.index(position, RosterModel.PERSON).data(Qt.ItemDataRole.BackgroundRole)
        == OK_BACKGROUND
    )
    assert tab.model.index(position, RosterModel.PERSON).data(Qt.ItemDataRole.FontRole).bold()
    after = rows(tab)[position + 1]
    assert after.is_gap and after.starts_at == shift.ends_at
    gap_index = tab.model.index(position + 1, RosterModel.PERSON)
    assert gap_index.data(ALERT_ROLE) is True
    assert gap_index.data(Qt.ItemDataRole.BackgroundRole) == ALERT_BACKGROUND
    assert "无人值班" in gap_index.data()
    assert "空档" in tab.summary.text()
    with db.session(readonly=True) as s:
        assert [x.person_name for x in roster.on_duty(session=s)] == ["李明"]


def test_a_member_on_duty_next_week_and_week_navigation(window, qtbot, db, ops):
    tab = roster_tab(window)
    this_monday = tab.start
    assert not tab.this_action.isEnabled()
    dialog = tab.add_shift()
    dialog.choose_member("钱峰")
    assert dialog.person.currentText() == "钱峰"
    assert dialog.phone.text() == "13600001111"  # the member's mobile
    set_datetime(dialog.starts_at, next_monday_at(8))
    set_datetime(dialog.ends_at, next_monday_at(20))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert closed(dialog)
    assert all(r.is_gap for r in rows(tab))  # not this week

    back_to_window(window, qtbot)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    wait_idle(qtbot, ops)
    assert tab.start == this_monday + timedelta(days=7)
    assert (this_monday + timedelta(days=7)).isoformat() in tab.week_label.text()
    assert tab.this_action.isEnabled()
    shifts = [r for r in rows(tab) if not r.is_gap]
    assert [(s.person_name, s.person_phone) for s in shifts] == [("钱峰", "13600001111")]
    assert "✓" not in tab.day_buttons[0].text() and "空档 12" in tab.day_buttons[0].text()
    with db.session(readonly=True) as s:
        stored = roster.get_shift(shifts[0].shift_id, session=s)
        member = next(m for m in organisation.list_members(session=s) if m.name == "钱峰")
        assert stored.member_id == member.id

    qtbot.keyClick(tab.table, Qt.Key.Key_Home, Qt.KeyboardModifier.AltModifier)
    wait_idle(qtbot, ops)
    assert tab.start == this_monday
    qtbot.keyClick(tab.table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    wait_idle(qtbot, ops)
    assert tab.start == this_monday - timedelta(days=7)


def test_edit_refuses_an_overlap_then_saves_and_archive_reopens_the_gap(window, qtbot, db, ops):
    with db.session(window.ctx.actor) as s:
        roster.create_shift(
            ShiftCreate(
                person_name="李明",
                person_phone="13810001000",
                starts_at=utcnow() - timedelta(hours=1),
                ends_at=utcnow() + timedelta(hours=3),
            ),
            session=s,
        )
    tab = roster_tab(window)
    tab.this_week()
    wait_idle(qtbot, ops)
    shift = tab.selected_shift()
    assert shift is not None and shift.person_name == "李明"

    dialog = tab.add_shift()  # 李明 again, overlapping his own shift
    type_text(qtbot, dialog.person.lineEdit(), "李明")
    set_datetime(dialog.starts_at, utcnow())
    set_datetime(dialog.ends_at, utcnow() + timedelta(hours=8))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert dialog.isVisible()
    assert any("已有值班安排" in text for text in shown_errors(dialog))
    dialog.reject()

    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    dialog = tab.dialog
    assert isinstance(dialog, ShiftDialog) and dialog.person.currentText() == "李明"
    select_data(dialog.role, DutyRole.TECHNICAL)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert tab.selected_shift().role == DutyRole.TECHNICAL
    assert "技术值班" in tab.on_duty.plain_text()

    box = tab.archive_shift()
    box.buttons()[0].click()
    wait_idle(qtbot, ops)
    assert all(r.is_gap for r in rows(tab))
    assert tab.on_duty.level == "alert"


def test_a_coordinator_generates_a_rotation(window, qtbot, db, ops):
    tab = roster_tab(window)
    back_to_window(window, qtbot)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    dialog = tab.dialog
    assert isinstance(dialog, RotationDialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # nobody ticked
    wait_idle(qtbot, ops)
    assert dialog.isVisible()
    dialog.check("钱峰", "冯丽")
    monday = next_monday_at(0)
    dialog.start.setDate(to_local(monday).date())
    dialog.days.setValue(2)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert closed(dialog)
    assert "4" in window.status.currentMessage()

    tab.next_week()
    wait_idle(qtbot, ops)
    shifts = [r for r in rows(tab) if not r.is_gap]
    assert [s.person_name for s in shifts] == ["钱峰", "冯丽", "钱峰", "冯丽"]
    assert to_local(shifts[0].starts_at).hour == 8
    gaps = [r for r in rows(tab) if r.is_gap]
    assert gaps[0].starts_at == monday and gaps[0].ends_at == shifts[0].starts_at
    assert "✓" in tab.day_buttons[1].text()  # Tuesday is covered around the clock


def test_a_clerk_reads_the_roster_only(make_tab, clerk, members, qtbot):
    tab = make_tab(RosterTab, clerk)
    for action in (tab.add_action, tab.edit_action, tab.archive_action, tab.rotation_action):
        assert not action.isEnabled()
    assert tab.add_shift() is None and tab.generate_rotation() is None
    assert tab.on_duty.isVisible()


def test_roster_model_passes_the_model_tester(window, qtmodeltester, db, qtbot, ops):
    tab = roster_tab(window)
    with db.session(window.ctx.actor) as s:
        roster.generate_rotation(
            [PersonOnDuty(person_name="李明"), PersonOnDuty(person_name="张丽")],
            tab.start,
            3,
            12,
            start_hour=8,
            zone=local_zone(),
            session=s,
        )
    tab.refresh(Changes(roster=True))
    wait_idle(qtbot, ops)
    assert any(not r.is_gap for r in rows(tab)) and any(r.is_gap for r in rows(tab))
    qtmodeltester.check(tab.model, force_py=True)
    with db.session(readonly=True) as s:
        week = week_loader(tab.start)(s)
    model = RosterModel()
    model.set_week(week)
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(RosterModel(), force_py=True)
