"""The incidents table model pages through the database: a page per read, the database
sorts, answers to an older filter are dropped, a reload keeps what was shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt

from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import Category, Channel, Status
from ebconsole.incidents.schemas import IncidentCreate, IncidentFilter, ReporterInput, SortKey
from ebconsole.timeutil import utcnow
from tests.ui.incidents.support import wait_idle
from ui.models.incidents_model import IdRole, IncidentsModel, RowRole, SortRole

ROOT = QModelIndex()
SERVICES = ["网上银行", "手机银行", "电话银行", "企业网银", "微信银行"]


@pytest.fixture
def many(db, coordinator):
    """25 incidents, one an hour, the newest first by reported time."""
    now = utcnow()
    with db.session(coordinator) as s:
        for i in range(25):
            incidents.create(
                IncidentCreate(
                    title=f"{SERVICES[i % 5]}交易超时（第{i + 1:02d}次告警）",
                    category=Category.SYSTEM_FAILURE if i % 2 else Category.NETWORK_ATTACK,
                    channel=Channel.SYSTEM_MONITORING,
                    reported_at=now - timedelta(hours=25 - i),
                    reporter=ReporterInput(name="李明"),
                    branch="北京分行营业部",
                ),
                session=s,
            )
    return 25


@pytest.fixture
def model(ctx, qtbot):
    m = IncidentsModel(ctx.read, page_size=10)
    yield m


def load(qtbot, model: IncidentsModel, flt: IncidentFilter | None = None) -> None:
    model.set_filter(flt or IncidentFilter())
    qtbot.waitUntil(lambda: not model.loading and model.total is not None, timeout=10_000)


def more(qtbot, model: IncidentsModel) -> None:
    model.fetchMore(ROOT)
    qtbot.waitUntil(lambda: not model.loading, timeout=10_000)


def test_pages_until_everything_is_shown(model, many, qtbot, ops):
    assert model.rowCount() == 0 and not model.canFetchMore(ROOT)  # nothing before a filter
    load(qtbot, model)
    assert model.total == 25
    assert model.rowCount() == 10 and model.canFetchMore(ROOT)
    more(qtbot, model)
    assert model.rowCount() == 20
    more(qtbot, model)
    assert model.rowCount() == 25 and not model.canFetchMore(ROOT)
    model.fetchMore(ROOT)  # nothing more to read: nothing happens
    assert not model.loading
    titles = [r.title for r in model.rows()]
    assert titles[0] == "微信银行交易超时（第25次告警）"  # newest first
    assert len(set(titles)) == 25
    first = model.index(0, IncidentsModel.REFERENCE)
    assert first.data(IdRole) == model.rows()[0].id
    assert first.data(RowRole) is model.rows()[0]
    assert model.index(0, IncidentsModel.SEVERITY).data() == "未评估"
    assert model.index(0, IncidentsModel.STATUS).data() == "已报告"
    assert model.headerData(IncidentsModel.CATEGORY, Qt.Orientation.Horizontal) == "事件类别"
    wait_idle(qtbot, ops)


def test_the_database_sorts(model, many, qtbot):
    load(qtbot, model)
    model.sort(IncidentsModel.TITLE, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: model.rowCount() == 10 and not model.loading, timeout=10_000)
    assert model.filter.sort is SortKey.TITLE and not model.filter.descending
    shown = [r.title for r in model.rows()]
    assert shown == sorted(shown)
    assert shown[0].startswith("企业网银")  # the whole table sorted, not the loaded page
    model.sort(IncidentsModel.OWNER, Qt.SortOrder.DescendingOrder)  # not sortable
    assert model.filter.sort is SortKey.TITLE
    values = [model.index(i, IncidentsModel.REPORTED).data(SortRole) for i in range(10)]
    assert all(isinstance(v, float) for v in values)


def test_an_answer_to_an_older_filter_is_dropped(model, many, qtbot, ops):
    model.set_filter(IncidentFilter())
    model.set_filter(IncidentFilter(categories=frozenset({Category.NETWORK_ATTACK})))
    qtbot.waitUntil(lambda: not model.loading and model.total is not None, timeout=10_000)
    wait_idle(qtbot, ops)
    assert model.total == 13
    assert {r.category for r in model.rows()} == {Category.NETWORK_ATTACK}
    assert model.rowCount() == 10


def test_a_reload_keeps_what_was_shown_and_sees_changes(model, many, qtbot, ops, db, coordinator):
    load(qtbot, model, IncidentFilter(statuses=frozenset({Status.REPORTED})))
    more(qtbot, model)
    assert model.rowCount() == 20
    newest = model.rows()[0]
    with db.session(coordinator) as s:
        incidents.advance(newest.id, Status.ASSESSING, session=s)
    model.reload()
    qtbot.waitUntil(lambda: not model.loading, timeout=10_000)
    wait_idle(qtbot, ops)
    assert model.rowCount() == 20  # as far as it was scrolled
    assert model.row_of(newest.id) == -1  # no longer reported
    assert model.total == 24
    assert model.canFetchMore(ROOT)


def test_a_failed_read_is_reported(qtbot, ctx):
    def fail(session):
        raise RuntimeError("disk I/O error")

    model = IncidentsModel(lambda fn, **kw: ctx.read(fail, **kw), page_size=10)
    failures: list[BaseException] = []
    model.load_failed.connect(failures.append)
    model.set_filter(IncidentFilter())
    qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
    assert str(failures[0]) == "disk I/O error"
    assert not model.loading
    assert not model.canFetchMore(ROOT)  # no retry storm from the view


def test_the_model_tester_walks_every_page(model, many, qtbot, qtmodeltester):
    load(qtbot, model)
    qtmodeltester.check(model)
    while model.canFetchMore(ROOT):
        more(qtbot, model)
    assert model.rowCount() == 25
    model.sort(IncidentsModel.SEVERITY, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: not model.loading, timeout=10_000)


def test_a_model_deleted_while_reading_is_left_alone(many, qtbot, ctx, ops):
    import shiboken6
    from PySide6.QtCore import QObject

    parent = QObject()
    model = IncidentsModel(ctx.read, parent, page_size=10)
    model.set_filter(IncidentFilter())
    shiboken6.delete(parent)  # the tab closed (language or operator switch)
    assert not shiboken6.isValid(model)
    wait_idle(qtbot, ops)  # the answers arrive and are dropped, nothing raises


def test_the_total_is_counted_once_the_first_rows_are_shown(model, many, qtbot, ops, monkeypatch):
    import ui.models.incidents_model as incidents_model

    monkeypatch.setattr(incidents_model, "SHOWN_WAIT_S", 60.0)  # only `shown` releases it
    shown: list = []
    model.when_shown = shown.append
    model.set_filter(IncidentFilter())
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)  # the page is in: rows first
    assert model.rowCount() == 10
    assert model.total is None  # its count is submitted, waiting for the rows to show
    assert any(op.label == "正在统计事件" for op in ops.active)
    shown.pop()()  # the view painted them
    qtbot.waitUntil(lambda: model.total is not None, timeout=10_000)
    assert model.total == 25
    wait_idle(qtbot, ops)


def test_cells_answer_the_roles_of_a_painted_row(model, many, qtbot):
    load(qtbot, model)
    severity = model.index(0, IncidentsModel.SEVERITY)
    assert severity.data(Qt.ItemDataRole.ForegroundRole).name() == "#6b7280"  # not assessed
    assert severity.data(Qt.ItemDataRole.FontRole) is None
    assert severity.data(Qt.ItemDataRole.DecorationRole) is None
    assert severity.data(Qt.ItemDataRole.BackgroundRole) is None
    title = model.index(0, IncidentsModel.TITLE)
    assert title.data(Qt.ItemDataRole.ToolTipRole) == title.data() == model.rows()[0].title
    assert model.data(QModelIndex()) is None
    assert not model.flags(QModelIndex())
    assert model.flags(title) & Qt.ItemFlag.ItemIsSelectable
