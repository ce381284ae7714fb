"""The incidents table's filter bar: status (open / all / one status), class, severity,
reported from/to, free text (debounced). `changed` fires with a new `IncidentFilter`."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from ebconsole.i18n import _
from ebconsole.incidents.enums import (
    CATEGORY_LABELS,
    OPEN_STATUSES,
    SEVERITY_LABELS,
    STATUS_LABELS,
    Category,
    Severity,
    Status,
)
from ebconsole.incidents.schemas import IncidentFilter
from ebconsole.timeutil import to_local, utcnow

TEXT_DELAY_MS = 300
OPEN, ALL = "open", "all"
UNASSESSED = "unassessed"
NO_DATE = QDate(2000, 1, 1)


class OptionalDateEdit(QDateEdit):
    """A day, or none ("any"): the lowest date stands for none. The calendar opens on the
    current month when no day is set."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(NO_DATE)
        self.setSpecialValueText(_("any"))
        self.setDate(NO_DATE)
        self.calendarWidget().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.calendarWidget()
            and event.type() == QEvent.Type.Show
            and (self.date() == NO_DATE)
        ):
            today = to_local(utcnow()).date()
            self.calendarWidget().setCurrentPage(today.year, today.month)
        return super().eventFilter(watched, event)

    def day(self) -> date | None:
        return None if self.date() == NO_DATE else self.date().toPython()

    def set_day(self, day: date | None) -> None:
        self.setDate(NO_DATE if day is None else QDate(day.year, day.month, day.day))


class FilterBar(QWidget):
    changed = Signal(object)  # IncidentFilter

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.status = QComboBox()
        self.status.setObjectName("status_filter")
        self.status.addItem(_("Open"), OPEN)
        self.status.addItem(_("All statuses"), ALL)
        self.status.insertSeparator(2)
        for status in Status:
            self.status.addItem(_(STATUS_LABELS[status]), status)
        self.status.setToolTip(_("Open: reported, assessing, activated, handling, recovering"))

        self.category = QComboBox()
        self.category.setObjectName("category_filter")
        self.category.addItem(_("All classes"), None)
        for category in Category:
            self.category.addItem(_(CATEGORY_LABELS[category]), category)

        self.severity = QComboBox()
        self.severity.setObjectName("severity_filter")
        self.severity.addItem(_("All levels"), None)
        for level in Severity:
            self.severity.addItem(_(SEVERITY_LABELS[level]), level)
        self.severity.addItem(_("Not assessed"), UNASSESSED)

        self.date_from = OptionalDateEdit()
        self.date_from.setObjectName("date_from")
        self.date_from.setToolTip(_("Reported on or after this day"))
        self.date_to = OptionalDateEdit()
        self.date_to.setObjectName("date_to")
        self.date_to.setToolTip(_("Reported on or before this day"))

        self.text = QLineEdit()
        self.text.setObjectName("text_filter")
        self.text.setClearButtonEnabled(True)
        self.text.setPlaceholderText(_("Search reference, title, branch, customer… (Ctrl+F)"))
        self.text.setMinimumWidth(220)

        self.reset_button = QToolButton()
        self.reset_button.setObjectName("reset_filters")
        self.reset_button.setText(_("Reset"))
        self.reset_button.setToolTip(_("Show the open incidents again, without other filters"))
        self.reset_button.clicked.connect(self.reset)

        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(TEXT_DELAY_MS)
        self._text_timer.timeout.connect(self._emit)
        self.text.textChanged.connect(self._text_timer.start)
        self.text.returnPressed.connect(self._emit)
        for combo in (self.status, self.category, self.severity):
            combo.currentIndexChanged.connect(self._emit)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self._emit)

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text, 2)
        row.addWidget(self.status)
        row.addWidget(self.category)
        row.addWidget(self.severity)
        row.addWidget(QLabel(_("From")))
        row.addWidget(self.date_from)
        row.addWidget(QLabel(_("to")))
        row.addWidget(self.date_to)
        row.addWidget(self.reset_button)
        self._blocked = False
        self._last: IncidentFilter | None = None

    def value(self) -> IncidentFilter:
        # item data comes back from Qt as plain strings: map them to the enums again
        status = self.status.currentData()
        statuses: frozenset[Status] = frozenset()
        if status == OPEN:
            statuses = OPEN_STATUSES
        elif status != ALL and status is not None:
            statuses = frozenset({Status(status)})
        category = self.category.currentData()
        level = self.severity.currentData()
        severities: frozenset[Severity | None] = frozenset()
        if level == UNASSESSED:
            severities = frozenset({None})
        elif level is not None:
            severities = frozenset({Severity(level)})
        categories = frozenset({Category(category)}) if category is not None else frozenset()
        return IncidentFilter(
            statuses=statuses,
            categories=categories,
            severities=severities,
            date_from=self.date_from.day(),
            date_to=self.date_to.day(),
            text=self.text.text().strip() or None,
        )

    def set_status(self, value: Status | str) -> None:
        """OPEN, ALL or one status."""
        self.status.setCurrentIndex(max(0, self.status.findData(str(value))))

    def set_category(self, category: Category | None) -> None:
        self.category.setCurrentIndex(
            0 if category is None else max(0, self.category.findData(str(category)))
        )

    def set_severity(self, level: Severity | str | None) -> None:
        self.severity.setCurrentIndex(
            0 if level is None else max(0, self.severity.findData(str(level)))
        )

    def reset(self) -> None:
        self._blocked = True
        try:
            self.status.setCurrentIndex(0)
            self.category.setCurrentIndex(0)
            self.severity.setCurrentIndex(0)
            self.date_from.set_day(None)
            self.date_to.set_day(None)
            self.text.clear()
        finally:
            self._blocked = False
        self._emit()

    def flush(self) -> None:
        """Apply a text still waiting for its debounce now."""
        if self._text_timer.isActive():
            self._emit()

    def _emit(self) -> None:
        if self._blocked:
            return
        self._text_timer.stop()
        value = self.value()
        if value == self._last:
            return
        self._last = value
        self.changed.emit(value)
