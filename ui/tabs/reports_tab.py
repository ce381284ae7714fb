"""报表 — the six reports that print and read offline (docs/reports.md, "Reports").

Pick a report and its parameters (the incident, with a search; the year), build it in the
background with progress (the window never freezes; the build can be cancelled), look at
its pages, print it through the system print dialog, save it as PDF or open it in the PDF
viewer. Without a page renderer (`pdftoppm`) the tab says so and still builds and saves.

Other tabs open a report through the hub: `hub.open_record.emit("reports",
"incident:BJ01-20261127-001")` (also `review:<ref>`, `status`, `drills:2026` …).
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ebconsole.errors import EbError
from ebconsole.i18n import _, current_language, translator
from ebconsole.reports.builders import REPORTS, ParamKind
from ebconsole.settings import REPORT_FONT
from ebconsole.timeutil import to_local, utcnow
from ui import icons
from ui.context import Context
from ui.errors import error_text
from ui.ops import Changes
from ui.permissions import Action, may_print_report
from ui.reports import printing, render
from ui.reports.job import (
    Built,
    CancelFlag,
    Cancelled,
    PrintTexts,
    Texts,
    build_report,
    print_report,
)
from ui.reports.picker import IncidentPicker
from ui.reports.preview import PagePreview
from ui.tabs import register
from ui.tabs.base import Tab

WARN_STYLE = "color: #8a5300; background: #fff4d6; padding: 6px; border-radius: 3px;"
ERROR_STYLE = "color: #b3261e;"
ZOOMS = ((0.0, "fit"), (0.5, "50%"), (0.75, "75%"), (1.0, "100%"), (1.5, "150%"))


def _remove_folder(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)


@register
class ReportsTab(Tab):
    key = "reports"
    order = 90
    icon_name = "reports"
    # every role that may print some report sees the tab; the list offers the reports
    # the core lets this operator print (`may_print_report`: a clerk, the incident report)
    permission = Action.PRINT_OWN_INCIDENT_REPORT

    built_ready = Signal(object)  # Built, once the preview shows it
    build_failed = Signal(str)  # the message shown
    printed = Signal(int)  # sheets sent to the printer

    @classmethod
    def title(cls) -> str:
        return _("Reports")

    def __init__(self, ctx: Context, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.built: Built | None = None
        self.busy = False
        self.cancel_flag: CancelFlag | None = None
        self._printer: QPrinter | None = None
        self._printer_folder: str | None = None
        self._folders: list[str] = []
        self._picker_loaded = False

        # -- the report and its parameters -------------------------------------------
        self.report_list = QListWidget()
        self.report_list.setObjectName("report_list")
        for spec in REPORTS.values():
            if not may_print_report(ctx.actor, spec.kind):
                continue
            item = QListWidgetItem(icons.icon("reports"), _(spec.title))
            item.setData(Qt.ItemDataRole.UserRole, spec.kind)
            item.setToolTip(_(spec.description))
            self.report_list.addItem(item)
        self.report_list.setMaximumHeight(6 * 30 + 8)
        self.description = QLabel()
        self.description.setObjectName("report_description")
        self.description.setWordWrap(True)

        self.picker = IncidentPicker(ctx)
        self.year = QSpinBox()
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setValue(to_local(utcnow()).year)
        self.year_row = QWidget()
        year_form = QFormLayout(self.year_row)
        year_form.setContentsMargins(0, 0, 0, 0)
        year_form.addRow(_("&Year:"), self.year)

        self.language = QComboBox()
        self.language.setObjectName("report_language")
        self.language.addItem("简体中文", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(0 if current_language() == "zh_CN" else 1)
        lang_form = QFormLayout()
        lang_form.setContentsMargins(0, 0, 0, 0)
        lang_form.addRow(_("Report &language:"), self.language)

        # -- building ----------------------------------------------------------------
        self.build_button = QPushButton(icons.icon("reports"), _("&Build report"))
        self.build_button.setObjectName("build_button")
        self.build_button.setDefault(True)
        self.build_button.clicked.connect(self.build)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setObjectName("cancel_button")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setVisible(False)
        self.progress = QProgressBar()
        self.progress.setObjectName("build_progress")
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setObjectName("build_status")
        self.status.setWordWrap(True)
        self.font_hint = QLabel()
        self.font_hint.setObjectName("font_hint")
        self.font_hint.setWordWrap(True)
        self.font_hint.setStyleSheet(WARN_STYLE)
        self.font_hint.setVisible(False)
        self.renderer_note = QLabel(
            _(
                "No page renderer is installed (pdftoppm, from poppler-utils): reports are "
                "built and saved, but cannot be previewed or printed here. Open them in a "
                "PDF viewer to read and print them."
            )
        )
        self.renderer_note.setObjectName("renderer_note")
        self.renderer_note.setWordWrap(True)
        self.renderer_note.setStyleSheet(WARN_STYLE)
        self.has_renderer = render.renderer() is not None
        self.renderer_note.setVisible(not self.has_renderer)

        self.print_button = QPushButton(_("&Print…"))
        self.print_button.setObjectName("print_button")
        self.print_button.clicked.connect(self.print_report)
        self.save_button = QPushButton(_("&Save as PDF…"))
        self.save_button.setObjectName("save_button")
        self.save_button.clicked.connect(self.save_as)
        self.open_button = QPushButton(_("&Open in PDF viewer"))
        self.open_button.setObjectName("open_button")
        self.open_button.clicked.connect(self.open_external)

        left = QWidget()
        column = QVBoxLayout(left)
        column.addWidget(QLabel(_("Report:")))
        column.addWidget(self.report_list)
        column.addWidget(self.description)
        column.addWidget(self.picker, 1)
        column.addWidget(self.year_row)
        column.addLayout(lang_form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.build_button, 1)
        buttons.addWidget(self.cancel_button)
        column.addLayout(buttons)
        column.addWidget(self.progress)
        column.addWidget(self.status)
        column.addWidget(self.font_hint)
        column.addWidget(self.renderer_note)
        outputs = QHBoxLayout()
        for button in (self.print_button, self.save_button):
            outputs.addWidget(button)
        column.addLayout(outputs)
        column.addWidget(self.open_button)
        self.stretch = QWidget()
        column.addWidget(self.stretch, 1)

        # -- the preview -------------------------------------------------------------
        self.preview = PagePreview()
        self.pages_label = QLabel()
        self.pages_label.setObjectName("pages_label")
        self.zoom = QComboBox()
        self.zoom.setObjectName("zoom")
        for factor, text in ZOOMS:
            self.zoom.addItem(_("Fit width") if text == "fit" else text, factor or 1.0)
        self.zoom.currentIndexChanged.connect(
            lambda _i: self.preview.set_zoom(float(self.zoom.currentData()))
        )
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.pages_label, 1)
        bar.addWidget(QLabel(_("Zoom:")))
        bar.addWidget(self.zoom)
        right_column.addLayout(bar)
        right_column.addWidget(self.preview, 1)

        self.splitter = QSplitter()
        self.splitter.setObjectName("reports_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 800])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        ctx.settings.restore_splitter(self.splitter, "reports/splitter")

        self.report_list.currentItemChanged.connect(lambda *_a: self._report_changed())
        self.report_list.setCurrentRow(0)
        self._show_empty()
        self._update_actions()

    # -- choosing ----------------------------------------------------------------------
    def current_kind(self) -> str:
        item = self.report_list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else next(iter(REPORTS))

    def select_report(self, kind: str) -> None:
        for row in range(self.report_list.count()):
            if self.report_list.item(row).data(Qt.ItemDataRole.UserRole) == kind:
                self.report_list.setCurrentRow(row)
                return
        raise KeyError(kind)

    def _report_changed(self) -> None:
        spec = REPORTS[self.current_kind()]
        self.description.setText(_(spec.description))
        kinds = {p.kind for p in spec.params}
        self.picker.setVisible(ParamKind.INCIDENT in kinds)
        self.year_row.setVisible(ParamKind.YEAR in kinds)
        self.stretch.setVisible(ParamKind.INCIDENT not in kinds)
        if ParamKind.INCIDENT in kinds and not self._picker_loaded:
            self._picker_loaded = True
            self.picker.run_search()

    def params(self) -> dict[str, Any]:
        spec = REPORTS[self.current_kind()]
        values: dict[str, Any] = {}
        for p in spec.params:
            values[p.name] = (
                self.picker.reference() if p.kind is ParamKind.INCIDENT else self.year.value()
            )
        return values

    def refresh(self, changes: Changes) -> None:
        if changes.touches("incidents") and self._picker_loaded:
            self.picker.run_search()

    def open_record(self, record: str) -> None:
        """`incident:<ref>`, `review:<ref>`, `drills:<year>` or a bare report kind."""
        kind, _sep, value = record.partition(":")
        self.select_report(kind)
        if value and kind in ("incident", "review"):
            self.picker.set_reference(value)
        elif value and kind == "drills":
            self.year.setValue(int(value))

    # -- building ----------------------------------------------------------------------
    def build(self) -> None:
        if self.busy:
            return
        kind = self.current_kind()
        spec = REPORTS[kind]
        try:
            params = spec.check(self.params())
        except EbError as exc:
            self._failed_text(error_text(exc))
            return
        folder = tempfile.mkdtemp(prefix="ebconsole-report-")
        self._folders.append(folder)
        weakref.finalize(self, _remove_folder, folder)
        self.cancel_flag = flag = CancelFlag()
        texts = Texts(
            gathering=_("Reading the data…"),
            laying_out=_("Laying out the pages…"),
            rendering=_("Drawing the preview…"),
        )
        db, lang, author = self.ctx.db, str(self.language.currentData()), self.ctx.actor.name
        actor = self.ctx.actor
        font = str(self.ctx.settings.get(REPORT_FONT) or "") or None
        self._set_busy(True)
        self.status.setStyleSheet("")
        self.status.setText(texts.gathering)

        def job(report: Any) -> Built:
            return build_report(
                report,
                db=db,
                kind=kind,
                params=params,
                folder=Path(folder),
                lang=lang,
                author=author,
                font=font,
                texts=texts,
                cancel=flag,
                actor=actor,
            )

        self.ctx.ops.read(
            job,
            progress=True,
            label=_("Building the report"),
            on_result=self._built,
            on_error=self._failed,
            on_progress=self._progressed,
            owner=self,
        )

    def cancel(self) -> None:
        if self.cancel_flag is not None:
            self.cancel_flag.cancel()
            self.status.setText(_("Cancelling…"))

    def _progressed(self, done: int, total: int, text: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        if text:
            self.status.setText(text)

    def _built(self, built: Built) -> None:
        self._set_busy(False)
        self.built = built
        self._forget_old_folders(keep=str(built.path.parent))
        self.status.setStyleSheet("")
        self.status.setText(
            _("{title}: {pages} pages, report ID {report_id}").format(
                title=_(REPORTS[built.kind].title), pages=built.pages, report_id=built.report_id
            )
        )
        self.font_hint.setText(built.font_hint)
        self.font_hint.setVisible(bool(built.font_hint))
        if built.images:
            self.preview.set_pages(built.images)
            self.pages_label.setText(_("{pages} pages").format(pages=built.pages))
        elif built.renderer_missing:
            self.preview.set_message(
                _(
                    "The report was built ({pages} pages). No page renderer is installed to "
                    "show it here: save it or open it in a PDF viewer."
                ).format(pages=built.pages)
            )
            self.pages_label.setText(_("{pages} pages").format(pages=built.pages))
        else:
            self.preview.set_message(
                _("The pages could not be drawn: {error}").format(error=built.render_error)
            )
        self._update_actions()
        self.built_ready.emit(built)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, Cancelled):
            self.status.setStyleSheet("")
            self.status.setText(_("Cancelled: no report was written."))
            self.build_failed.emit(self.status.text())
            return
        self._failed_text(error_text(exc))

    def _failed_text(self, text: str) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(text)
        self.build_failed.emit(text)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        self.progress.setValue(0)
        self.cancel_button.setVisible(busy)
        self.build_button.setEnabled(not busy)
        self._update_actions()

    def _update_actions(self) -> None:
        ready = self.built is not None and not self.busy
        printable = ready and self.has_renderer and self._printer is None
        self.print_button.setEnabled(printable)
        self.save_button.setEnabled(ready)
        self.open_button.setEnabled(ready)

    def _show_empty(self) -> None:
        self.pages_label.setText("")
        self.preview.set_message(
            _("Choose a report and build it: its pages will show here.")
            if self.has_renderer
            else _("Choose a report and build it.")
        )

    def _forget_old_folders(self, keep: str) -> None:
        busy = {self._printer_folder} if self._printer is not None else set()
        for folder in list(self._folders):
            if folder != keep and folder not in busy:
                _remove_folder(folder)
                self._folders.remove(folder)

    # -- printing ----------------------------------------------------------------------
    def print_report(self) -> None:
        """The system print dialog, then `print_to` the chosen printer."""
        if self.built is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printing.prepare(printer, self._doc_name())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print the report"))
        dialog.setMinMax(1, self.built.pages)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Render the pages the printer asks for at its resolution and draw them on it,
        both off the UI thread (the window stays live); `printed(sheets)` when done. The
        printer belongs to the worker until then."""
        built = self.built
        if built is None or self._printer is not None:
            return
        if not printer.docName():
            printer.setDocName(self._doc_name())
        first, last = printing.page_range(printer, built.pages)
        dpi = printing.print_dpi(printer)
        folder = built.path.parent / "print"
        self._printer = printer
        self._printer_folder = str(built.path.parent)
        self.cancel_flag = flag = CancelFlag()
        texts = PrintTexts(
            rendering=_("Preparing the pages for the printer…"),
            sending=_("Sending the pages to the printer…"),
        )
        self.status.setStyleSheet("")
        self.status.setText(texts.rendering)
        self._update_actions()
        pdf = built.path

        def job(report: Any) -> int:
            return print_report(
                report,
                printer=printer,
                pdf=pdf,
                folder=folder,
                dpi=dpi,
                first=first,
                last=last,
                texts=texts,
                cancel=flag,
            )

        self.progress.setVisible(True)
        self.ctx.ops.read(
            job,
            progress=True,
            label=texts.rendering,
            on_result=self._printed,
            on_error=self._print_failed,
            on_progress=self._progressed,
            owner=self,
        )

    def _printed(self, sheets: int) -> None:
        self._printer = None
        self.progress.setVisible(False)
        self.status.setStyleSheet("")
        self.status.setText(_("{sheets} pages sent to the printer.").format(sheets=sheets))
        self._update_actions()
        self.printed.emit(sheets)

    def _print_failed(self, exc: BaseException) -> None:
        self._printer = None
        self.progress.setVisible(False)
        self._update_actions()
        if isinstance(exc, Cancelled):
            self.status.setText(_("Printing cancelled."))
            return
        self._failed_text(_("Printing failed: {error}").format(error=error_text(exc)))

    def _doc_name(self) -> str:
        if self.built is None:
            return _("Report")
        spec = REPORTS[self.built.kind]
        return spec.file_name(self.built.params, translator(current_language()))[:-4]

    # -- saving ------------------------------------------------------------------------
    def default_file_name(self) -> str:
        if self.built is None:
            return ""
        spec = REPORTS[self.built.kind]
        return spec.file_name(self.built.params, translator(str(self.language.currentData())))

    def save_as(self) -> None:
        if self.built is None:
            return
        folder = str(self.ctx.settings.value("reports/save_folder") or Path.home())
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save the report as PDF"),
            str(Path(folder) / self.default_file_name()),
            _("PDF files (*.pdf)"),
        )
        if path:
            self.save_to(path)

    def save_to(self, path: str | Path) -> Path | None:
        """Copy the built PDF to `path` (".pdf" added when missing)."""
        if self.built is None:
            return None
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            shutil.copyfile(self.built.path, target)
        except OSError as exc:
            self._failed_text(
                _("The report could not be saved to {path}: {error}").format(
                    path=target, error=exc.strerror or exc
                )
            )
            return None
        self.ctx.settings.set_value("reports/save_folder", str(target.parent))
        self.status.setStyleSheet("")
        self.status.setText(_("Saved to {path}").format(path=target))
        self.ctx.hub.status_message.emit(_("Report saved to {path}").format(path=target), 8000)
        return target

    def open_external(self) -> None:
        if self.built is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.built.path)))

    # -- leaving -----------------------------------------------------------------------
    def save_state(self) -> None:
        self.ctx.settings.save_splitter(self.splitter, "reports/splitter")
        if self.cancel_flag is not None:
            self.cancel_flag.cancel()

    def can_close(self) -> bool:
        return True
