"""总览 Overview: the coordinator's first screen on a real SQLite file — counts by level
and state, deadlines, who is on duty, overdue checks, drills and improvement actions;
every item opens where it is handled; it follows changes and the clock."""

from __future__ import annotations

import itertools
import uuid
from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QHeaderView
from sqlalchemy import event

from ebconsole.drills import service as drills
from ebconsole.drills.enums import Audience, ExerciseKind, Method, Scenario
from ebconsole.drills.schemas import PlanCreate, RecordCreate
from ebconsole.improvements import service as improvements
from ebconsole.improvements.enums import SourceKind
from ebconsole.improvements.schemas import ActionCreate
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import Severity, Status
from ebconsole.incidents.schemas import IncidentCreate
from ebconsole.obligations import service as obligations
from ebconsole.obligations.enums import ObligationKind
from ebconsole.resources import service as resources
from ebconsole.resources.enums import ResourceKind
from ebconsole.resources.schemas import ResourceCreate
from ebconsole.roster import service as roster
from ebconsole.roster.enums import DutyRole
from ebconsole.roster.schemas import ShiftCreate
from ebconsole.timeutil import to_local, utcnow
from tests.ebconsole.assessment.flows import LEVEL_I, LEVEL_III, activate, advance, assess, report
from tests.ebconsole.incidents.samples import fraud_intake, outage_intake
from tests.ui.conftest import wait_idle
from ui.models.overview_models import (
    RECORD_ROLE,
    URGENT_ROLE,
    IncidentListModel,
    ObligationListModel,
    SeverityStatusModel,
    Target,
)
from ui.ops import Changes
from ui.overview.data import OPEN_ORDER, gather
from ui.overview.widgets import MAX_COLUMN
from ui.tabs.base import Tab
from ui.tabs.overview_tab import REFRESH_MS, OverviewTab


# -- the duty room's morning ------------------------------------------------------------
def put_on_duty(db, actor, name="刘洋", hours_left=6) -> uuid.UUID:
    now = utcnow()
    with db.session(actor) as s:
        return roster.create_shift(
            ShiftCreate(
                person_name=name,
                person_phone="13911112222",
                role=DutyRole.SHIFT_LEADER,
                starts_at=now - timedelta(hours=2),
                ends_at=now + timedelta(hours=hours_left),
            ),
            session=s,
        ).id


def overdue_switch(db, actor) -> uuid.UUID:
    with db.session(actor) as s:
        return resources.create(
            ResourceCreate(
                kind=ResourceKind.SPARE_EQUIPMENT,
                name="备用核心交换机",
                location="主数据中心备件库",
                quantity=2,
                unit="台",
                contact_name="网络组 王磊",
                contact_phone="13800138000",
                check_interval_days=90,
                last_checked_at=utcnow() - timedelta(days=200),
            ),
            session=s,
        ).id


def overdue_drill(db, actor) -> uuid.UUID:
    """A monthly tabletop drill last held ten weeks ago."""
    today = to_local(utcnow()).date()
    with db.session(actor) as s:
        plan = drills.create_plan(
            PlanCreate(
                kind=ExerciseKind.DRILL,
                title="网银系统故障月度桌面推演",
                audiences=[Audience.STAFF],
                method=Method.TABLETOP,
                scenario=Scenario.SYSTEM_FAILURE,
                cycle_months=1,
            ),
            session=s,
        )
        drills.create_record(
            RecordCreate(plan_id=plan.id, held_on=today - timedelta(days=70)), session=s
        )
        return plan.id


def overdue_action(db, actor) -> uuid.UUID:
    with db.session(actor) as s:
        return improvements.create(
            ActionCreate(
                title="更新应急通讯录并发放至各值班室",
                source_kind=SourceKind.PLAN_REVIEW,
                owner_name="李明",
                due_date=to_local(utcnow()).date() - timedelta(days=5),
            ),
            session=s,
        ).id


def make_late(db, actor, incident_id: uuid.UUID, hours: float = 3) -> None:
    """As if the response had been activated `hours` ago: its report deadlines passed."""
    with db.session(actor) as s:
        incident = incidents.get(incident_id, session=s)
        incident.activated_at = utcnow() - timedelta(hours=hours)
        obligations.sync_for_incident(incident, session=s)


@pytest.fixture
def morning(db, coordinator, admin):
    """A level I outage whose first deadlines have passed, a level III fraud case just
    activated, one report not yet assessed; a shift leader on duty, an overdue check, an
    overdue drill and an overdue improvement action."""
    grave = activate(db, coordinator, LEVEL_I)
    make_late(db, coordinator, grave)
    fraud = report(db, coordinator, fraud_intake())
    assess(db, coordinator, fraud, LEVEL_III)
    advance(db, coordinator, fraud, Status.ACTIVATED)
    fresh = report(db, coordinator, outage_intake(title="手机银行转账交易响应缓慢"))
    return {
        "grave": grave,
        "fraud": fraud,
        "fresh": fresh,
        "shift": put_on_duty(db, coordinator),
        "switch": overdue_switch(db, admin),  # the inventory is the administrator's
        "drill": overdue_drill(db, coordinator),
        "action": overdue_action(db, coordinator),
    }


def texts(view, column: int) -> list[str]:
    model = view.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def row_of(view, column: int, text: str) -> QModelIndex:
    model = view.model()
    for r in range(model.rowCount()):
        if text in (model.index(r, column).data() or ""):
            return model.index(r, column)
    raise AssertionError(f"{text!r} not in {texts(view, column)}")


# -- what it shows -----------------------------------------------------------------------
def test_the_overview_shows_the_duty_rooms_morning(make_tab, coordinator, morning, db):
    tab = make_tab(OverviewTab, coordinator)
    data = tab.data
    assert data is not None

    # counts by level, with the colours of the plan
    assert tab.tiles[Severity.I].count == 1
    assert tab.tiles[Severity.III].count == 1
    assert tab.tiles[None].count == 1  # reported, not yet assessed
    assert tab.tiles[Severity.II].count == tab.tiles[Severity.IV].count == 0
    assert "#d32f2f" in tab.tiles[Severity.I].styleSheet()
    assert "#f9a825" in tab.tiles[Severity.III].styleSheet()
    assert "#1e6fd0" in tab.tiles[Severity.IV].styleSheet()
    assert tab.incidents_card.badge.text() == "(3)"

    # … and by state: the table crosses level and state
    counts = tab.counts
    activated = OPEN_ORDER.index(Status.ACTIVATED)
    level_i = SeverityStatusModel.FIRST_LEVEL
    assert counts.index(activated, level_i).data() == "1"
    assert counts.index(activated, SeverityStatusModel.COL_TOTAL).data() == "2"
    reported = OPEN_ORDER.index(Status.REPORTED)
    assert counts.index(reported, SeverityStatusModel.COL_NOT_GRADED).data() == "1"
    assert counts.index(SeverityStatusModel.TOTAL_ROW, SeverityStatusModel.COL_TOTAL).data() == "3"
    assert counts.index(activated, SeverityStatusModel.COL_STATE).data() == "已启动应急响应"

    # the gravest incidents: the one not yet graded first, then level I
    titles = texts(tab.incident_list, IncidentListModel.COL_TITLE)
    assert titles[0] == "手机银行转账交易响应缓慢"
    assert titles[1] == "网上银行登录页面无法访问"
    assert texts(tab.incident_list, IncidentListModel.COL_SEVERITY)[:2] == ["未评估", "I级"]

    # deadlines: the level I outage's two reports overdue, the fraud case's coming up
    kinds = [(o.reference, o.kind, o.overdue(data.now)) for o in data.obligations]
    assert sum(1 for *_x, late in kinds if late) == 2
    assert {k for _r, k, late in kinds if late} == {
        ObligationKind.INITIAL_REPORT,
        ObligationKind.WRITTEN_REPORT,
    }
    assert len(data.obligations) == 4
    left = texts(tab.obligation_list, ObligationListModel.COL_LEFT)
    assert left[0].startswith("逾期") and left[-1].startswith("还剩")
    first = tab.obligation_list.model().index(0, ObligationListModel.COL_LEFT)
    assert first.data(URGENT_ROLE) is True
    assert first.data(Qt.ItemDataRole.ForegroundRole) is not None  # drawn in red
    assert tab.obligations_card.note.text() == "已逾期 2 项"

    # who is on duty, and when nobody will be
    assert texts(tab.shift_list, 1) == ["刘洋"]
    assert texts(tab.shift_list, 0) == ["值班长"]
    assert tab.duty_card.note.text().startswith("下一段无人值班时段")

    # overdue check, drill and improvement action
    assert texts(tab.resource_list, 0) == ["备用核心交换机"]
    assert texts(tab.resource_list, 1)[0].startswith("逾期")
    assert "网银系统故障月度桌面推演" in texts(tab.drill_list, 0)
    assert texts(tab.action_list, 0) == ["更新应急通讯录并发放至各值班室"]
    assert texts(tab.action_list, 3) == ["逾期 5 天"]


def test_every_overview_model_passes_the_model_tester(
    make_tab, coordinator, morning, qtmodeltester
):
    tab = make_tab(OverviewTab, coordinator)
    qtmodeltester.check(tab.counts)
    for view in tab._lists().values():
        assert view.model().rowCount() > 0
        qtmodeltester.check(view.model())  # the sort proxy
        qtmodeltester.check(view.model().sourceModel())


def test_an_empty_database_shows_what_is_missing(make_tab, coordinator):
    tab = make_tab(OverviewTab, coordinator)
    assert all(t.count == 0 for t in tab.tiles.values())
    assert tab.incident_list.model().rowCount() == 0
    assert tab.incident_list.placeholder == "没有未结事件。"
    assert tab.duty_card.note.text() == "当前无人值班：请补排值班表。"


def test_a_clerk_sees_the_incidents_of_their_own_branch(make_tab, clerk, coordinator, db):
    report(db, coordinator, outage_intake())  # 总行数据中心
    mine = report(db, coordinator, fraud_intake())  # 北京分行营业部, the clerk's
    tab = make_tab(OverviewTab, clerk)
    assert tab.incidents_card.badge.text() == "(1)"
    assert tab.data.incidents[0].id == mine
    assert tab.scope_note.text() == "仅显示北京分行营业部的事件"


def test_everything_is_read_with_a_handful_of_queries(db, coordinator, morning):
    for _ in range(3):
        activate(db, coordinator)
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with db.session(readonly=True) as s:
            data = gather(s, coordinator, utcnow())
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert data.open_total == 6
    # one per part (the restored incidents are a count of their own), whatever the number
    assert len(statements) <= 13


# -- where items open --------------------------------------------------------------------
def test_enter_on_a_deadline_opens_its_incident(make_tab, coordinator, morning, qtbot):
    tab = make_tab(OverviewTab, coordinator)
    view = tab.obligation_list
    index = row_of(view, ObligationListModel.COL_INCIDENT, "网上银行登录页面无法访问")
    view.setFocus()
    view.setCurrentIndex(index)
    with qtbot.waitSignal(tab.ctx.hub.open_record, timeout=2000) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == ["incidents", str(morning["grave"])]


@pytest.mark.parametrize(
    ("list_name", "tab_key", "record"),
    [
        ("incident_list", "incidents", "fresh"),
        ("resource_list", "resources", "switch"),
        ("shift_list", "roster", "shift"),
        ("drill_list", "drills", "drill"),
    ],
)
def test_double_click_opens_where_the_item_is_handled(
    make_tab, coordinator, morning, qtbot, list_name, tab_key, record
):
    tab = make_tab(OverviewTab, coordinator)
    view = getattr(tab, list_name)
    model = view.model()
    wanted = str(morning[record])
    row = next(
        r
        for r in range(model.rowCount())
        if model.index(r, 0).data(RECORD_ROLE).record_id == wanted
    )
    rect = view.visualRect(model.index(row, 0))
    with qtbot.waitSignal(tab.ctx.hub.open_record, timeout=2000) as blocker:
        # a double-click as a hand makes it: the first click, then the second one
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [tab_key, wanted]


def test_a_level_tile_and_the_count_table_open_the_incidents(make_tab, coordinator, morning, qtbot):
    tab = make_tab(OverviewTab, coordinator)
    with qtbot.waitSignal(tab.ctx.hub.open_tab, timeout=2000) as blocker:
        qtbot.mouseClick(tab.tiles[Severity.I], Qt.MouseButton.LeftButton)
    assert blocker.args == ["incidents"]
    table = tab.count_table
    table.setFocus()
    table.setCurrentIndex(tab.counts.index(0, SeverityStatusModel.FIRST_LEVEL))
    with qtbot.waitSignal(tab.ctx.hub.open_tab, timeout=2000) as blocker:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert blocker.args == ["incidents"]


class IncidentsStandIn(Tab):
    """Stands in for the Incidents tab: records which incident it was asked to show."""

    key, order, icon_name = "incidents", 30, "incidents"

    @classmethod
    def title(cls):
        return "Incidents"

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.opened: list[str] = []

    def open_record(self, record_id: str) -> None:
        self.opened.append(record_id)


def test_the_main_window_brings_the_incident_to_front(make_main_window, morning, qtbot):
    window = make_main_window(tabs=[OverviewTab, IncidentsStandIn])
    window.show_tab("overview")
    wait_idle(qtbot, window.ctx.ops)
    overview = window.tab("overview")
    view = overview.obligation_list
    view.setFocus()
    view.setCurrentIndex(row_of(view, ObligationListModel.COL_INCIDENT, "客户反映手机银行"))
    qtbot.keyClick(view, Qt.Key.Key_Enter)
    assert window.current_tab_key() == "incidents"
    assert window.tab("incidents").opened == [str(morning["fraud"])]
    # a tab this operator does not have: nothing happens, the overview stays usable
    assert window.open_record("sync", str(uuid.uuid4())) is False


class DrillsStandIn(IncidentsStandIn):
    key, order, icon_name = "drills", 70, "drills"


def test_an_improvement_action_opens_where_it_is_handled(make_main_window, coordinator, db, qtbot):
    incident_id = activate(db, coordinator)
    late = to_local(utcnow()).date() - timedelta(days=2)
    with db.session(coordinator) as s:
        from_review = improvements.create(
            ActionCreate(
                title="优化网银登录服务器集群的健康检查阈值",
                source_kind=SourceKind.INCIDENT_REVIEW,
                source_id=incident_id,
                owner_name="李明",
                due_date=late,
            ),
            session=s,
        ).id
        from_drill = improvements.create(
            ActionCreate(
                title="补充客服中心统一答复口径",
                source_kind=SourceKind.DRILL,
                owner_name="李明",
                due_date=late - timedelta(days=1),
            ),
            session=s,
        ).id
    overdue_action(db, coordinator)  # from a plan review: only an Improvements tab has it
    window = make_main_window(coordinator, tabs=[OverviewTab, IncidentsStandIn, DrillsStandIn])
    window.show_tab("overview")
    wait_idle(qtbot, window.ctx.ops)
    tab = window.tab("overview")
    view = tab.action_list

    def target(title):
        return row_of(view, 0, title).data(RECORD_ROLE)

    assert target("补充客服中心统一答复口径") == Target("drills", str(from_drill))
    assert target("优化网银登录服务器集群的健康检查阈值") == Target("incidents", str(incident_id))
    view.setFocus()
    view.setCurrentIndex(row_of(view, 0, "更新应急通讯录"))
    with qtbot.waitSignal(window.ctx.hub.status_message, timeout=2000) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert "无权" in blocker.args[0]
    assert window.current_tab_key() == "overview"
    view.setCurrentIndex(row_of(view, 0, "补充客服中心统一答复口径"))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert window.current_tab_key() == "drills"
    assert window.tab("drills").opened == [str(from_drill)]
    # with an Improvements tab, every action opens there
    tab.action_model.set_tabs(["overview", "incidents", "drills", "improvements"])
    assert target("优化网银登录服务器集群的健康检查阈值") == Target(
        "improvements", str(from_review)
    )


# -- keeping current ---------------------------------------------------------------------
def test_it_follows_what_others_record(make_main_window, coordinator, morning, qtbot):
    window = make_main_window(coordinator, tabs=[OverviewTab])
    tab = window.tab("overview")
    assert tab.tiles[None].count == 1
    ctx = tab.ctx
    ctx.write(
        lambda s: incidents.create(
            IncidentCreate.model_validate(outage_intake(title="网银短信验证码发送失败")), session=s
        ),
        changes=Changes(incidents=True),
    )
    qtbot.waitUntil(lambda: tab.tiles[None].count == 2, timeout=10_000)
    assert "网银短信验证码发送失败" in texts(tab.incident_list, IncidentListModel.COL_TITLE)

    # a shift handed over: the roster change shows at once
    read_at = tab.updated_at
    ctx.write(
        lambda s: roster.archive_shift(morning["shift"], session=s), changes=Changes(roster=True)
    )
    qtbot.waitUntil(lambda: tab.updated_at != read_at, timeout=10_000)
    wait_idle(qtbot, ctx.ops)
    assert tab.shift_list.model().rowCount() == 0
    assert "无人值班" in tab.duty_card.note.text()


def test_changes_it_does_not_show_do_not_reload_it(make_tab, coordinator, qtbot):
    tab = make_tab(OverviewTab, coordinator)
    read_at = tab.updated_at
    tab.refresh(Changes(users=True, settings=True, organisation=True))
    assert not tab.ctx.ops.active
    assert tab.updated_at == read_at
    tab.refresh(Changes(obligations=True))
    wait_idle(qtbot, tab.ctx.ops)
    assert tab.updated_at != read_at


def test_deadlines_move_with_the_clock(make_tab, coordinator, qtbot):
    tab = make_tab(OverviewTab, coordinator)
    assert tab.timer.isActive() and tab.timer.interval() == REFRESH_MS == 60_000
    read_at = tab.updated_at
    tab.timer.timeout.emit()  # a minute later
    wait_idle(qtbot, tab.ctx.ops)
    assert tab.updated_at > read_at
    # while hidden it waits, and reads again when shown
    tab.hide()
    read_at = tab.updated_at
    tab.timer.timeout.emit()
    assert not tab.ctx.ops.active and tab.updated_at == read_at
    tab.show()
    wait_idle(qtbot, tab.ctx.ops)
    assert tab.updated_at > read_at


def test_columns_are_fitted_as_qt_fits_them_to_their_contents(make_tab, coordinator, morning):
    """`fit_columns` measures only the widest texts of a column: the widths are those
    `resizeColumnToContents` gives after measuring every cell (capped at MAX_COLUMN)."""
    tab = make_tab(OverviewTab, coordinator)
    for name, view in tab._lists().items():
        header = view.header()
        fitted = [
            c
            for c in range(header.count())
            if header.sectionResizeMode(c) != QHeaderView.ResizeMode.Stretch
        ]
        assert view.model().rowCount() and fitted, name
        ours = [header.sectionSize(c) for c in fitted]
        for c in fitted:
            view.resizeColumnToContents(c)
            header.resizeSection(c, min(header.sectionSize(c), MAX_COLUMN))
        assert [header.sectionSize(c) for c in fitted] == ours, name


def test_column_layout_is_remembered(make_tab, coordinator, morning, qtbot):
    tab = make_tab(OverviewTab, coordinator)
    header = tab.resource_list.header()
    header.resizeSection(1, 177)
    header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    tab.save_state()
    again = make_tab(OverviewTab, coordinator)
    assert again.resource_list.header().sectionSize(1) == 177
    assert again.resource_list.header().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_keyboard_reaches_every_list_in_reading_order(make_tab, coordinator, morning, qtbot):
    tab = make_tab(OverviewTab, coordinator)
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow, timeout=2000)
    chain = [
        tab.tiles[Severity.I],
        tab.tiles[Severity.II],
        tab.tiles[Severity.III],
        tab.tiles[Severity.IV],
        tab.tiles[None],
        tab.count_table,
        tab.incident_list,
        tab.obligation_list,
        tab.action_list,
        tab.shift_list,
        tab.resource_list,
        tab.drill_list,
    ]
    chain[0].setFocus()
    for first, second in itertools.pairwise(chain):
        assert first.hasFocus()
        qtbot.keyClick(first, Qt.Key.Key_Tab)
        assert second.hasFocus(), f"Tab from {first.objectName()} went to {tab.focusWidget()}"
    # each card's title carries a mnemonic whose buddy is its list
    assert tab.obligations_card.title.buddy() is tab.obligation_list
    assert "(&D)" in tab.obligations_card.title.text()
