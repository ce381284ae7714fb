"""The Reports tab: pick, build in the background, preview, print, save."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrinter

from ebconsole.demo import generate as demo
from tests.ebconsole.reports.builders import scenario
from tests.support.probe import run_fresh
from ui.reports import job as job_module
from ui.reports import render
from ui.tabs.reports_tab import ReportsTab

pytestmark = pytest.mark.slow

BUILD_MS = 120_000


@pytest.fixture
def tab(db, world, make_tab, coordinator, qtbot):
    demo(db, world.admin, incidents=30, seed=5)
    return make_tab(ReportsTab, coordinator)


def build(tab, qtbot):
    with qtbot.waitSignal(tab.built_ready, timeout=BUILD_MS) as blocker:
        tab.build_button.click()
    assert not tab.busy
    return blocker.args[0]


def test_the_tab_is_registered_for_coordinators():
    from ui.permissions import Action
    from ui.tabs import discover

    found = discover()
    assert ReportsTab in found.tabs
    assert (ReportsTab.key, ReportsTab.order, ReportsTab.icon_name) == ("reports", 90, "reports")
    assert ReportsTab.permission is Action.PRINT_OWN_INCIDENT_REPORT  # clerks: incident report


def test_build_preview_and_print(tab, qtbot, tmp_path):
    tab.select_report("status")
    assert not tab.picker.isVisible() and not tab.year_row.isVisible()
    assert not tab.print_button.isEnabled()
    progress: list[int] = []
    tab.progress.valueChanged.connect(progress.append)
    built = build(tab, qtbot)
    assert built.kind == "status" and built.pages >= 2 and built.path.exists()
    assert progress and max(progress) >= 80  # the bar moved while the window stayed live
    assert "报告编号 RPT-BJ01-" in tab.status.text()
    assert not tab.font_hint.isVisible()  # the Chinese font is embedded

    # the preview shows the pages as images
    assert tab.preview.page_count == built.pages == len(built.images)
    qtbot.waitUntil(lambda: 1 in tab.preview.loaded_pages(), timeout=5000)
    first = tab.preview.labels[0].pixmap()
    assert not first.isNull() and first.width() > 100
    assert tab.pages_label.text() == f"共 {built.pages} 页"

    # print to a PDF file through QPrinter (no dialog: the printer is prepared here)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    assert tab.print_button.isEnabled()
    # the UI thread's event loop keeps running while the pages are drawn on the printer
    # (on a worker): a timer ticks after the pages are rendered (50 %)
    events: list[str] = []
    ticker = QTimer()
    ticker.setInterval(20)
    ticker.timeout.connect(lambda: events.append("tick"))
    tab.progress.valueChanged.connect(lambda v: events.append("sending" if v >= 50 else "render"))
    ticker.start()
    with qtbot.waitSignal(tab.printed, timeout=BUILD_MS) as blocker:
        tab.print_to(printer)
    ticker.stop()
    assert blocker.args == [built.pages]
    assert printed.exists() and len(PdfReader(printed).pages) == built.pages
    assert tab.print_button.isEnabled()
    sending = events.index("sending")
    assert "tick" in events[sending:], "the window froze while the pages were printed"

    # save as PDF: a copy of the built file
    saved = tab.save_to(tmp_path / "情况通报")
    assert saved == tmp_path / "情况通报.pdf"
    assert saved.read_bytes() == built.path.read_bytes()


def test_print_a_page_range(tab, qtbot, tmp_path):
    tab.select_report("resources")
    built = build(tab, qtbot)
    assert built.pages >= 2
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "page2.pdf"))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 2)
    with qtbot.waitSignal(tab.printed, timeout=BUILD_MS):
        tab.print_to(printer)
    assert len(PdfReader(tmp_path / "page2.pdf").pages) == 1


def test_incident_report_picked_by_search(tab, db, world, qtbot):
    case = scenario.fraud_incident(db, world.coordinator)
    tab.select_report("incident")
    assert tab.picker.isVisible()
    with qtbot.waitSignal(tab.picker.searched, timeout=15_000):
        tab.picker.search.setText("冒充客服")
    assert tab.picker.results.count() >= 1
    assert tab.picker.reference() == case.reference
    built = build(tab, qtbot)
    assert built.params == {"ref": case.reference}
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(built.path).pages)
    assert "事件处置报告" in text and case.reference in text
    for secret in scenario.SECRETS:
        assert secret not in text


def test_open_record_from_another_tab(tab, db, world, qtbot):
    case = scenario.fraud_incident(db, world.coordinator)
    tab.open_record(f"review:{case.reference}")
    assert tab.current_kind() == "review"
    qtbot.waitUntil(lambda: tab.picker.reference() == case.reference, timeout=15_000)
    tab.open_record("drills:2025")
    assert tab.current_kind() == "drills" and tab.year.value() == 2025


def test_a_wrong_reference_is_explained(tab, qtbot):
    tab.select_report("review")
    qtbot.waitUntil(
        lambda: tab.picker.results.count() > 0 or tab.picker.hint.text(), timeout=15_000
    )
    tab.picker.results.clearSelection()
    tab.picker.results.setCurrentItem(None)
    tab.picker.search.blockSignals(True)
    tab.picker.search.setText("BJ01-20990101-999")
    tab.picker.search.blockSignals(False)
    with qtbot.waitSignal(tab.build_failed, timeout=BUILD_MS) as blocker:
        tab.build_button.click()
    assert "BJ01-20990101-999" in blocker.args[0]
    assert not tab.busy and tab.build_button.isEnabled()


def test_cancel_a_build(tab, qtbot):
    tab.select_report("status")
    with qtbot.waitSignal(tab.build_failed, timeout=BUILD_MS) as blocker:
        tab.build_button.click()
        tab.cancel()
    assert "已取消" in blocker.args[0]
    assert tab.built is None and not tab.save_button.isEnabled()


def test_without_a_renderer_the_tab_says_so(db, world, make_tab, coordinator, qtbot, monkeypatch):
    monkeypatch.setattr(render, "renderer", lambda: None)
    tab = make_tab(ReportsTab, coordinator)
    assert tab.renderer_note.isVisible()
    assert "pdftoppm" in tab.renderer_note.text()
    tab.select_report("matrix")
    built = build(tab, qtbot)
    assert built.renderer_missing and not built.images
    assert "未安装页面渲染程序" in tab.preview.message.text()
    assert not tab.print_button.isEnabled()
    assert tab.save_button.isEnabled() and tab.open_button.isEnabled()


def test_the_font_hint_is_shown_when_the_chinese_font_is_not_embedded(
    db, world, make_tab, coordinator, qtbot, monkeypatch, tmp_path
):
    from ebconsole.reports.fonts import resolve_fonts

    empty = tmp_path / "no-fonts"
    empty.mkdir()
    monkeypatch.setattr(
        job_module, "resolve_fonts", lambda _configured=None: resolve_fonts(search_dirs=[empty])
    )
    tab = make_tab(ReportsTab, coordinator)
    tab.select_report("matrix")
    built = build(tab, qtbot)
    assert not built.embedded_font and built.font_hint
    assert tab.font_hint.isVisible() and "fonts-wqy-microhei" in tab.font_hint.text()


def test_the_tab_module_imports_no_reportlab():
    """The Reports tab's module is imported when the tab is first shown; reportlab (87
    modules) is loaded by the first build, on the worker, not by opening the tab."""
    run_fresh(
        "import sys\n"
        "import ui.tabs.reports_tab, ui.reports.job\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'reportlab')\n"
        "assert not loaded, loaded\n"
    )
