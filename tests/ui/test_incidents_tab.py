"""事件处置: a coordinator finds an incident, assesses it and drives it to its review
through the buttons the lifecycle allows; a clerk sees their branch only and cannot
assess; the fraud report counts the stop-payment down; the table stays responsive and
paged over 100 000 incidents."""

from __future__ import annotations

import itertools
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from ebconsole.db.migrate import prepare
from ebconsole.db.session import Database
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import Category, Severity, Status, TimelineKind
from ebconsole.incidents.lifecycle import allowed_transitions
from ebconsole.incidents.schemas import IncidentFilter, SortKey
from ebconsole.obligations.enums import ObligationKind
from tests.support.world import World, make_world
from tests.ui.incidents.support import (
    click,
    click_header,
    open_incident,
    record_sample,
    relay,
    wait_idle,
)
from tests.ui.typing import type_text
from ui.incidents.assessment_dialog import AssessmentDialog
from ui.incidents.detail import TAB_FRAUD, TAB_REVIEW
from ui.incidents.transition_dialog import TransitionDialog
from ui.models import incidents_model
from ui.models.incidents_model import FIRST_PAGE, PAGE_SIZE, IncidentsModel
from ui.tabs.incidents_tab import IncidentsTab


@pytest.fixture
def sample(db, coordinator):
    return record_sample(db, coordinator)


@pytest.fixture
def open_tab(make_tab, ops, qtbot):
    def make(actor) -> IncidentsTab:
        tab = relay(make_tab(IncidentsTab, actor))
        wait_idle(qtbot, ops)
        return tab

    return make


def titles(tab: IncidentsTab) -> list[str]:
    return [r.title for r in tab.model.rows()]


def status_of(db: Database, incident_id) -> Status:
    with db.session(readonly=True) as s:
        return incidents.get(incident_id, session=s).status


def test_filter_by_class_and_text_then_open_an_incident(open_tab, coordinator, sample, qtbot, ops):
    tab = open_tab(coordinator)
    assert tab.model.rowCount() == 5  # every open incident, newest first
    assert tab.total.text() == "共 5 条"
    assert titles(tab)[0] == "客户接到冒充公检法电话后转账"

    tab.filters.set_category(Category.SYSTEM_FAILURE)
    wait_idle(qtbot, ops)
    assert sorted(titles(tab)) == sorted(
        ["核心系统数据库主备切换失败", "上海分行机房停电，网点终端中断"]
    )

    qtbot.keyClick(tab, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert tab.filters.text.hasFocus()
    type_text(qtbot, tab.filters.text, "数据库")
    qtbot.waitUntil(lambda: titles(tab) == ["核心系统数据库主备切换失败"], timeout=5000)
    qtbot.waitUntil(lambda: tab.total.text() == "共 1 条")  # counted after the rows came

    open_incident(qtbot, tab, sample.outage)
    detail = tab.detail
    assert detail.title.text() == "核心系统数据库主备切换失败"
    assert detail.status.text() == "已报告"
    assert detail.severity.text() == "未评估"
    assert detail.values["category"].text() == "系统故障类事件 / 数据库崩溃"
    assert detail.values["channel"].text() == "系统监控"
    assert detail.values["branch"].text() == "北京分行营业部"
    assert detail.values["reporter"].text() == "李明（电子银行部，13911112222）"
    assert detail.values["in_scope"].text() == "是"
    assert not detail.tabs.isTabVisible(TAB_FRAUD)
    assert detail.timeline.rowCount() == 1  # 事件登记

    # Esc clears the search; reset shows the open incidents again
    tab.filters.text.setFocus()
    qtbot.keyClick(tab.filters.text, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(titles(tab)) == 2, timeout=5000)
    click(qtbot, tab.filters.reset_button)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 5, timeout=5000)
    assert tab.detail.detail.id == sample.outage  # the detail stays on the incident


def buttons(tab: IncidentsTab) -> dict[Status, bool]:
    return {s: b.isEnabled() for s, b in tab.detail.transition_buttons.items()}


def advance_by_button(qtbot, tab: IncidentsTab, to: Status, note: str, reason: str = "") -> None:
    click(qtbot, tab.detail.transition_buttons[to])
    dialog = tab.detail.dialog
    assert isinstance(dialog, TransitionDialog)
    if reason:
        type_text(qtbot, dialog.reason, reason)
    if not dialog.hand_off:
        type_text(qtbot, dialog.note, note)
    click(qtbot, dialog.ok_button)
    wait_idle(qtbot, tab.ctx.ops)
    qtbot.waitUntil(lambda: tab.detail.detail.status is to)


def test_assess_and_walk_to_restored_with_the_buttons_only(
    open_tab, coordinator, sample, qtbot, ops, db
):
    tab = open_tab(coordinator)
    open_incident(qtbot, tab, sample.outage)
    detail = tab.detail

    # reported: start assessment or hand off; assess is there for a coordinator
    assert buttons(tab) == {Status.ASSESSING: True, Status.OUT_OF_SCOPE: True}
    assert detail.enabled_actions() == {"assess", "assessing", "out_of_scope"}

    # the assessment: criteria → the proposal with its why → confirm → deadlines
    click(qtbot, detail.assess_button)
    dialog = detail.dialog
    assert isinstance(dialog, AssessmentDialog)
    wait_idle(qtbot, ops)
    assert dialog.proposed_level.text() == "IV级 一般"
    outage = dialog.editors[next(iter(dialog.editors))]
    outage.selectAll()
    qtbot.keyClicks(outage, "240")
    qtbot.waitUntil(lambda: "240 ≥" in dialog.why.text(), timeout=5000)
    assert dialog.proposed_level.text() == "III级 较大"
    assert "中断时长（分钟） 240 ≥" in dialog.why.text()
    type_text(qtbot, dialog.notify, "应急领导小组、科技部")
    assert dialog.confirm.isChecked()
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == 1, timeout=10_000)
    assert dialog.result_level.text() == "评估为III级 较大"
    assert "事发简要报告" in dialog.later.text()  # starts when the response is activated
    click(qtbot, dialog.close_button)
    wait_idle(qtbot, ops)
    qtbot.waitUntil(lambda: detail.detail.status is Status.ASSESSING)
    assert detail.severity.text() == "III级 较大"
    assert tab.model.rows()[tab.model.row_of(sample.outage)].severity is Severity.III
    kinds = [r.kind for r in detail.timeline.rows()]
    assert TimelineKind.ASSESSMENT in kinds and TimelineKind.NOTIFICATION in kinds

    # assessing: activate, close without activation, hand off
    assert buttons(tab) == {
        Status.ACTIVATED: True,
        Status.DISMISSED: True,
        Status.OUT_OF_SCOPE: True,
    }
    steps = [
        (Status.ACTIVATED, "领导小组决定启动应急响应"),
        (Status.HANDLING, "切换至备用数据库，暂停网银转账"),
        (Status.RECOVERING, "主库修复，开始回切"),
        (Status.RESTORED, "网银交易恢复正常"),
    ]
    for to, note in steps:
        before = detail.timeline.rowCount()
        allowed = set(allowed_transitions(detail.detail.status))
        assert set(buttons(tab)) == allowed  # only the steps valid now are offered
        assert all(buttons(tab).values())
        advance_by_button(qtbot, tab, to, note)
        assert detail.timeline.rowCount() > before
        assert detail.timeline.rows()[-1].text == note
        assert status_of(db, sample.outage) is to
        if to is Status.ACTIVATED:  # the report deadlines now run
            kinds = {o.kind for o in detail.obligations.model.rows()}
            assert kinds == {ObligationKind.INITIAL_REPORT, ObligationKind.WRITTEN_REPORT}

    # restored: close with the review, or reopen (with a reason)
    assert buttons(tab) == {Status.REVIEWED: True, Status.HANDLING: True}
    assert ObligationKind.POST_INCIDENT_REPORT in {o.kind for o in detail.obligations.model.rows()}
    click(qtbot, detail.transition_buttons[Status.REVIEWED])
    assert detail.tabs.currentIndex() == TAB_REVIEW
    review = detail.review
    click(qtbot, review.save_button)  # nothing written yet: errors next to the fields
    wait_idle(qtbot, ops)
    assert review.errors._labels["cause"][0].isVisible()
    assert review.errors._labels["lessons"][0].isVisible()
    type_text(qtbot, review.cause, "主库存储控制器故障，自动切换脚本超时")
    type_text(qtbot, review.handling, "响应及时，但切换耗时过长")
    type_text(qtbot, review.lessons, "每季度演练主备切换，缩短切换超时")
    click(qtbot, review.save_button)
    wait_idle(qtbot, ops)
    qtbot.waitUntil(lambda: detail.detail.status is Status.REVIEWED)
    assert detail.transition_buttons == {}
    assert not detail.assess_button.isVisible()
    assert "王建国" in review.state.text() or "coord" in review.state.text()

    # an improvement action from the review
    click(qtbot, review.add_button)
    improvement = detail.dialog
    type_text(qtbot, improvement.title, "每季度开展数据库主备切换演练")
    click(qtbot, improvement.ok_button)
    wait_idle(qtbot, ops)
    qtbot.waitUntil(lambda: review.actions.rowCount() == 1)
    assert review.actions.rows()[0].title == "每季度开展数据库主备切换演练"


def test_reasons_are_asked_where_the_core_requires_them(open_tab, coordinator, sample, qtbot, ops):
    tab = open_tab(coordinator)
    open_incident(qtbot, tab, sample.attack)
    click(qtbot, tab.detail.transition_buttons[Status.OUT_OF_SCOPE])
    dialog = tab.detail.dialog
    assert isinstance(dialog, TransitionDialog) and dialog.hand_off
    click(qtbot, dialog.ok_button)  # no reason, nobody to hand off to
    wait_idle(qtbot, ops)
    assert dialog.isVisible()
    assert dialog.error_labels["reason"].isVisible()
    assert dialog.error_labels["handed_off_to"].isVisible()
    type_text(qtbot, dialog.reason, "攻击者实施敲诈勒索，属刑事案件")
    type_text(qtbot, dialog.handed_off_to, "公安机关网安部门")
    click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ops)
    qtbot.waitUntil(lambda: tab.detail.detail.status is Status.OUT_OF_SCOPE)
    assert tab.detail.values["in_scope"].text() == "否：已移交公安机关网安部门"
    assert tab.detail.transition_buttons == {}
    # it left the open list
    qtbot.waitUntil(lambda: tab.model.row_of(sample.attack) < 0)


def test_add_a_timeline_note(open_tab, clerk, sample, qtbot, ops):
    tab = open_tab(clerk)
    open_incident(qtbot, tab, sample.fraud)
    before = tab.detail.timeline.rowCount()
    qtbot.keyClick(tab.detail, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dialog = tab.detail.dialog
    assert dialog is not None and dialog.objectName() == "timeline_dialog"
    qtbot.waitUntil(dialog.isActiveWindow)  # Ctrl+Enter is the dialog's shortcut
    dialog.set_kind(TimelineKind.NOTE)
    type_text(qtbot, dialog.text, "客户已到网点补交身份证复印件")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, ops)
    qtbot.waitUntil(lambda: tab.detail.timeline.rowCount() == before + 1)
    last = tab.detail.timeline.rows()[-1]
    assert (last.kind, last.text, last.actor) == (
        TimelineKind.NOTE,
        "客户已到网点补交身份证复印件",
        "张丽",
    )
    assert tab.detail.timeline.index(before, 1).data() == "备注"


def test_an_empty_timeline_entry_is_refused_next_to_the_field(
    open_tab, coordinator, sample, qtbot, ops
):
    tab = open_tab(coordinator)
    open_incident(qtbot, tab, sample.attack)
    dialog = tab.detail.open_timeline_entry()
    click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ops)
    assert dialog.error_labels["text"].isVisible()
    assert dialog.error_labels["text"].text()


def test_a_clerk_sees_their_branch_and_cannot_assess_or_drive(open_tab, clerk, sample, qtbot):
    tab = open_tab(clerk)
    assert sample.shanghai not in {r.id for r in tab.model.rows()}
    assert tab.model.rowCount() == 4
    assert "北京分行营业部" in tab.scope.text()
    open_incident(qtbot, tab, sample.outage)
    detail = tab.detail
    assert detail.assess_button.isVisible()
    assert not detail.assess_button.isEnabled()
    assert detail.assess_button.toolTip() == "只有应急协调员可以评估定级"
    assert set(buttons(tab)) == {Status.ASSESSING, Status.OUT_OF_SCOPE}
    assert not any(buttons(tab).values())
    assert detail.enabled_actions() == set()
    qtbot.keyClick(tab, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert detail.dialog is None
    assert detail.timeline_button.isEnabled()  # notes are for everyone on the case
    # an incident of another branch is not shown, even when asked for by id
    tab.open_record(str(sample.shanghai))
    qtbot.waitUntil(lambda: detail.stack.currentIndex() == 0)
    assert detail.placeholder.text() == "该事件属于其他机构网点。"


def test_override_needs_a_reason_next_to_the_field(open_tab, coordinator, sample, qtbot, ops):
    tab = open_tab(coordinator)
    open_incident(qtbot, tab, sample.attack)
    dialog = tab.detail.open_assessment()
    wait_idle(qtbot, ops)
    assert dialog.proposal is not None and dialog.proposal.level is Severity.IV
    assert not dialog.override_level.isEnabled()
    click(qtbot, dialog.override)
    assert dialog.override_level.isEnabled()
    dialog.set_override(Severity.II)
    click(qtbot, dialog.save_button)
    wait_idle(qtbot, ops)
    assert dialog.stack.currentIndex() == 0
    error = dialog.errors._labels["override_reason"][0]
    assert error.isVisible() and error.text()
    assert dialog.override_reason.hasFocus()

    type_text(qtbot, dialog.override_reason, "攻击持续扩大，涉及多家分行")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == 1, timeout=10_000)
    assert dialog.result_level.text() == "评估为II级 重大"
    assert "IV级 一般" in dialog.result_text.text()
    click(qtbot, dialog.close_button)
    wait_idle(qtbot, ops)
    qtbot.waitUntil(lambda: tab.detail.severity.text() == "II级 重大")


def test_fraud_report_counts_the_stop_payment_down(open_tab, clerk, sample, qtbot, ops):
    tab = open_tab(clerk)
    open_incident(qtbot, tab, sample.fraud)
    detail = tab.detail
    assert detail.tabs.isTabVisible(TAB_FRAUD)
    fraud = detail.fraud
    assert fraud.fields["customer_name"].text() == "王秀英"
    assert fraud.fields["channel"].text() == "手机银行"
    assert fraud.transactions.rowCount() == 2
    assert fraud.total.text() == "共 2 笔交易，合计 24,999.00 元"
    countdown = fraud.countdown
    assert countdown.state == "running"
    assert countdown.text().startswith("紧急止付：剩余 45:59:") or countdown.text().startswith(
        "紧急止付：剩余 46:00:"
    )
    assert detail.countdown.isVisible()  # the header shows it on every section
    first = countdown.text()
    qtbot.waitUntil(lambda: countdown.text() != first, timeout=3000)
    assert not fraud.stop_button.isEnabled()  # requested already
    assert fraud.extend_button.isEnabled()
    assert fraud.extensions.text() == "0/2"

    # a freeze, requested now
    click(qtbot, fraud.freeze_button)
    dialog = detail.dialog
    click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ops)
    qtbot.waitUntil(lambda: not fraud.freeze_button.isEnabled())
    assert fraud.freeze_requested.text() != "未申请"
    assert detail.timeline.rows()[-1].text == "已申请账户冻结"


def test_requesting_a_stop_payment_starts_the_countdown(open_tab, clerk, sample, qtbot, ops):
    tab = open_tab(clerk)
    open_incident(qtbot, tab, sample.fraud_no_stop)
    tab.detail.tabs.setCurrentIndex(TAB_FRAUD)
    fraud = tab.detail.fraud
    assert not fraud.countdown.isVisible()
    assert fraud.stop_state.isVisible()
    click(qtbot, fraud.stop_button)
    click(qtbot, tab.detail.dialog.ok_button)
    wait_idle(qtbot, ops)
    qtbot.waitUntil(lambda: fraud.countdown.state == "running")
    assert fraud.countdown.text().startswith("紧急止付：剩余 4")  # 47:59:5x
    assert not fraud.stop_button.isEnabled()
    deadlines = tab.detail.obligations.model.rows()
    assert [o.kind for o in deadlines] == [ObligationKind.STOP_PAYMENT_EXPIRY]


def test_a_coordinator_records_a_deadline_as_done(open_tab, coordinator, sample, qtbot, ops):
    tab = open_tab(coordinator)
    open_incident(qtbot, tab, sample.fraud)
    panel = tab.detail.obligations
    assert panel.model.rowCount() == 1
    assert not panel.done_button.isEnabled()
    panel.table.selectRow(0)
    click(qtbot, panel.done_button)
    dialog = tab.detail.dialog
    type_text(qtbot, dialog.note, "公安机关已续冻，止付处理完毕")
    click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ops)
    qtbot.waitUntil(lambda: panel.model.rows()[0].done_at is not None)
    assert panel.model.index(0, 2).data() == "已完成"
    assert tab.detail.fraud.countdown.state == "done"


def test_sorting_is_done_by_the_database(open_tab, coordinator, sample, qtbot, ops):
    tab = open_tab(coordinator)
    click_header(qtbot, tab.table, IncidentsModel.TITLE)
    wait_idle(qtbot, ops)
    assert tab.model.filter.sort is SortKey.TITLE
    listed = titles(tab)
    with tab.ctx.db.session(readonly=True) as s:
        expected = [
            i.title
            for i in incidents.list_incidents(
                tab.model.filter.model_copy(update={"limit": 50}), session=s
            )
        ]
    assert listed == expected
    # owner and next deadline are not sortable: the sort stays as it was
    click_header(qtbot, tab.table, IncidentsModel.OWNER)
    wait_idle(qtbot, ops)
    assert tab.model.filter.sort is SortKey.TITLE
    assert tab.table.horizontalHeader().sortIndicatorSection() == IncidentsModel.TITLE


def test_the_layout_is_remembered(make_tab, coordinator, sample, qtbot):
    tab = make_tab(IncidentsTab, coordinator)
    tab.table.setColumnWidth(IncidentsModel.TITLE, 333)
    tab.splitter.setSizes([700, 500])
    tab.save_state()
    again = make_tab(IncidentsTab, coordinator)
    assert again.table.columnWidth(IncidentsModel.TITLE) == 333


def test_every_model_passes_the_model_tester(open_tab, coordinator, sample, qtbot, qtmodeltester):
    tab = open_tab(coordinator)
    qtmodeltester.check(tab.model)
    open_incident(qtbot, tab, sample.fraud)
    detail = tab.detail
    assert detail.timeline.rowCount() and detail.fraud.transactions.rowCount()
    for model in (
        detail.timeline,
        detail.obligations.model,
        detail.fraud.transactions,
        detail.review.actions,
    ):
        qtmodeltester.check(model)


# -- 100 000 incidents ------------------------------------------------------------------------
@pytest.fixture(scope="session")
def incidents_100k(tmp_path_factory) -> Path:
    """A real SQLite file with the test world and 100 000 incidents, built once a session.

    Five incidents are recorded through the service; SQLite then copies them 20 000 times
    each, less five (new id, reference, title and time; one in 250 still 已报告), which
    takes seconds where the demo generator takes minutes. The tab only reads these rows, so what matters
    is their number and that they are the real schema's rows.
    """
    path = tmp_path_factory.mktemp("incidents-100k") / "ebconsole.sqlite3"
    db = Database(str(path))
    prepare(db)
    make_world(db)
    world = World.load(db)
    record_sample(db, world.coordinator)
    db.dispose()
    with sqlite3.connect(path) as con:
        columns = [row[1] for row in con.execute("PRAGMA table_info(incident)")]
        varied = {
            "id": "lower(hex(randomblob(16)))",
            "reference": "'BJ01A-T' || printf('%07d', n.i) || '-' || seed.rowid",
            "title": "CASE WHEN n.i % 7 = 0 THEN '客户遭冒充公检法电信诈骗（第' || n.i || '起）' "
            "ELSE seed.title || '（第' || n.i || '起）' END",
            "reported_at": "datetime(seed.reported_at, printf('-%d minutes', n.i))",
            "status": f"CASE WHEN n.i % 250 = 0 THEN '{Status.REPORTED.value}' "
            f"ELSE '{Status.HANDLING.value}' END",
        }
        select = ", ".join(varied.get(c, f"seed.{c}") for c in columns)
        con.execute(
            f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "
            f"INSERT INTO incident ({', '.join(columns)}) "
            f"SELECT {select} FROM n, (SELECT rowid, * FROM incident) AS seed "
            f"LIMIT {100_000 - 5}"  # with the five seeds: 100 000
        )
    return path


@pytest.fixture
def big_db(incidents_100k, tmp_path):
    path = tmp_path / "big.sqlite3"
    shutil.copyfile(incidents_100k, path)
    db = Database(str(path))
    yield db
    db.dispose()


@pytest.mark.slow
def test_100k_incidents_page_while_the_ui_stays_responsive(
    big_db, settings_store, ops, hub, qtbot, qtmodeltester, monkeypatch
):
    from ui.context import Context, InstallationInfo
    from ui.ops import Changes

    db = big_db
    try:
        coordinator = World.load(db).coordinator
        ctx = Context(db, coordinator, ops, hub, settings_store, InstallationInfo.load(db))
        tab = IncidentsTab(ctx)
        qtbot.addWidget(tab)
        tab.show()
        qtbot.waitExposed(tab)
        tab.filters.set_status("all")
        tab.grab()  # painted once, as a tab is before anyone works in it
        QApplication.processEvents()

        # the page is read off the UI thread: the read waits until the UI thread's event
        # loop has run a timer while the model loads, which it could never do if the read
        # ran on the UI thread (a page reads in a few milliseconds: a test that waits for
        # a timer to fire during a plain read would only measure the machine's speed)
        loop_ran = threading.Event()
        readers: list[threading.Thread] = []
        plain_read = incidents_model.read_rows

        def read_after_the_loop_ran(flt, session):
            readers.append(threading.current_thread())
            assert loop_ran.wait(30), "the UI thread's event loop stood still during a read"
            return plain_read(flt, session)

        monkeypatch.setattr(incidents_model, "read_rows", read_after_the_loop_ran)
        tab.refresh(Changes.everything())
        assert tab.model.loading  # refresh returned at once, the query is in flight
        QTimer.singleShot(0, lambda: tab.model.loading and loop_ran.set())
        qtbot.waitUntil(lambda: tab.model.rowCount() > 0, timeout=60_000)
        wait_idle(qtbot, ops, timeout=60_000)
        monkeypatch.undo()
        assert loop_ran.is_set()
        assert readers and threading.main_thread() not in readers

        model = tab.model
        root = model.index(-1, -1)
        # a first page that fills the screen, not 100 000; counted once it is shown
        assert model.rowCount() == FIRST_PAGE
        assert model.total == 100_000
        assert tab.total.text() == "共 100,000 条"
        assert model.canFetchMore(root)
        first_page = model.rows()
        model.fetchMore(root)
        qtbot.waitUntil(lambda: model.rowCount() == FIRST_PAGE + PAGE_SIZE, timeout=60_000)
        rows = model.rows()
        assert rows[:FIRST_PAGE] == first_page
        assert len({r.id for r in rows}) == FIRST_PAGE + PAGE_SIZE
        assert all(a.reported_at >= b.reported_at for a, b in itertools.pairwise(rows))
        assert model.canFetchMore(root)

        # scrolling to the bottom asks for the next page
        tab.table.scrollToBottom()
        qtbot.waitUntil(lambda: model.rowCount() == FIRST_PAGE + 2 * PAGE_SIZE, timeout=60_000)
        wait_idle(qtbot, ops, timeout=60_000)

        # a text filter (debounced) goes to the database, not to the loaded rows
        type_text(qtbot, tab.filters.text, "冒充公检法")
        qtbot.waitUntil(
            lambda: model.total is not None and model.total < 100_000 and not model.loading,
            timeout=60_000,
        )
        wait_idle(qtbot, ops, timeout=60_000)
        with db.session(readonly=True) as s:
            expected = incidents.count_incidents(IncidentFilter(text="冒充公检法"), session=s)
        assert 0 < expected < 100_000
        assert model.total == expected
        assert model.rowCount() == min(FIRST_PAGE, expected)
        assert all("冒充公检法" in r.title or r.has_fraud for r in model.rows())
        assert model.canFetchMore(root) == (expected > FIRST_PAGE)

        # the model tester walks every page it can fetch: give it a filter of a few pages
        # parented to the tab: the C++ model tester must not outlive the model it watches
        small = IncidentsModel(ctx.read, tab, page_size=50)
        small.set_filter(IncidentFilter(statuses=frozenset({Status.REPORTED})))
        qtbot.waitUntil(lambda: small.total is not None and not small.loading, timeout=60_000)
        assert 50 < small.total < 1000
        qtmodeltester.check(small)
        while small.canFetchMore(root):
            small.fetchMore(root)
            qtbot.waitUntil(lambda: not small.loading, timeout=60_000)
        wait_idle(qtbot, ops, timeout=60_000)
        assert small.rowCount() == small.total
    finally:
        ops.wait(60_000)
        qtbot.waitUntil(lambda: not ops.active, timeout=60_000)
