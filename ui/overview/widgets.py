"""Small widgets of the Overview: a titled card, a coloured count tile, and a list view
whose rows open where they are handled (double-click or Enter)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ui import icons
from ui.models.overview_models import ALERT_COLOUR, RECORD_ROLE, Target

ICON = QSize(18, 18)
MAX_COLUMN = 150  # pixels a fitted column may take
WIDEST_ROWS = 3  # rows of a column the delegate measures when fitting it (the widest texts)


class Card(QFrame):
    """A section of the Overview: an icon, a title with a keyboard mnemonic (its buddy is
    the card's main widget), a count, a one-line note and the body."""

    def __init__(self, icon_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("OverviewCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.Base))
        self.setPalette(palette)
        self.icon_name = icon_name
        self.icon = QLabel()
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.title.setFont(font)
        self.badge = QLabel()
        self.badge.setFont(font)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setVisible(False)
        head = QHBoxLayout()
        head.setSpacing(6)
        head.addWidget(self.icon)
        head.addWidget(self.title)
        head.addWidget(self.badge)
        head.addStretch(1)
        self.body = QVBoxLayout()
        self.body.setSpacing(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.note)
        layout.addLayout(self.body, 1)
        self.reload_icon()

    def reload_icon(self) -> None:
        self.icon.setPixmap(icons.icon(self.icon_name).pixmap(ICON))

    def set_title(self, text: str, buddy: QWidget | None = None) -> None:
        self.title.setText(text)
        if buddy is not None:
            self.title.setBuddy(buddy)

    def set_count(self, count: int | None, alarming: bool = False) -> None:
        """The number next to the title; red when it calls for action."""
        self.badge.setText("" if count is None else f"({count})")
        self.badge.setStyleSheet(f"color: {ALERT_COLOUR};" if alarming and count else "")

    def set_note(self, text: str, alarming: bool = False) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))
        self.note.setStyleSheet(f"color: {ALERT_COLOUR}; font-weight: bold;" if alarming else "")


class CountTile(QToolButton):
    """A big number over a label, with a colour band on the left; clicking it (or Space
    when it has focus) opens where those items are handled."""

    def __init__(self, colour: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.colour = colour
        self.count = 0
        self.label = ""
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._style()

    def _style(self) -> None:
        weak = QColor(self.colour)
        weak.setAlpha(28 if self.count else 10)
        rgba = f"rgba({weak.red()}, {weak.green()}, {weak.blue()}, {weak.alpha()})"
        self.setStyleSheet(
            "QToolButton {"
            f" border: 1px solid {self.colour if self.count else '#c8ccd2'};"
            f" border-left: 6px solid {self.colour};"
            f" border-radius: 4px; background: {rgba}; padding: 4px 8px; text-align: left; }}"
            "QToolButton:focus { border-width: 2px; border-left-width: 6px; }"
        )

    def set_value(self, count: int, label: str, tooltip: str = "") -> None:
        self.count, self.label = count, label
        self.setText(f"{count}\n{label}")
        self.setToolTip(tooltip or label)
        self.setAccessibleName(f"{label}: {count}")
        font = self.font()
        font.setBold(bool(count))
        self.setFont(font)
        self._style()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width(), 96), max(hint.height(), 52))


class ItemList(QTreeView):
    """A flat, sortable list of one card. `opened(Target)` when a row is activated
    (double-click, Enter or Return); shows `placeholder` when it has no rows."""

    opened = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.placeholder = ""
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSortingEnabled(True)
        self.setAllColumnsShowFocus(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setMinimumHeight(90)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionsMovable(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(80)
        header.setMinimumSectionSize(36)
        self.doubleClicked.connect(self._open)

    def set_placeholder(self, text: str) -> None:
        self.placeholder = text
        self.viewport().update()

    def stretch(self, column: int) -> None:
        self.header().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

    def fit_columns(self, widest: int = MAX_COLUMN) -> None:
        """Size every non-stretching column to its contents, at most `widest` pixels (the
        stretching one keeps the room; a cut text shows whole in its tooltip).

        The width is what `resizeColumnToContents` gives (the item delegate's size hint,
        at least the header's), but the delegate measures only the rows whose text is
        widest: every row of a column has the same font and the same kind of icon, so
        the widest text makes the widest cell. `resizeColumnToContents` asks the model
        for a dozen roles of every cell through the sort proxy; this asks for the text
        once (docs/performance.md, "Cold start")."""
        header = self.header()
        model = self.model()
        if model is None:
            return
        rows = model.rowCount()
        metrics = self.fontMetrics()
        for column in range(header.count()):
            if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch:
                continue
            contents = -1  # as sizeHintForColumn without rows
            widths: dict[str, tuple[int, int]] = {}  # text → (its advance, a row showing it)
            for row in range(rows):
                text = model.index(row, column).data()
                text = text if isinstance(text, str) else ""
                if text not in widths:
                    widths[text] = (metrics.horizontalAdvance(text), row)
            # the widest few: a text layout may round a near tie the other way
            for _advance, row in sorted(widths.values(), reverse=True)[:WIDEST_ROWS]:
                hint = self.sizeHintForIndex(model.index(row, column))
                contents = max(contents, hint.width())
            size = max(contents, 0 if header.isHidden() else header.sectionSizeHint(column))
            header.resizeSection(column, min(size, widest))

    def _open(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        target = index.data(RECORD_ROLE)
        if isinstance(target, Target):
            self.opened.emit(target)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if self.placeholder and (model is None or model.rowCount() == 0):
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.viewport().rect().adjusted(8, 8, -8, -8),
                Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap,
                self.placeholder,
            )
            painter.end()
