"""Small widgets shared by the plan's tabs: tab-wide actions with shortcuts, their buttons,
a banner for what must be seen at a glance, and keyboard focus on showing a tab."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QTextDocument
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from ui import icons
from ui.plan.table import ALERT, ALERT_BACKGROUND, OK, OK_BACKGROUND, WARN, WARN_BACKGROUND


def shortcut_text(shortcut: str) -> str:
    return QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)


def tab_action(
    tab: QWidget,
    name: str,
    text: str,
    slot: Callable[[], Any],
    shortcut: str | None = None,
    icon: str = "",
) -> QAction:
    """An action of the tab; its shortcut works while the focus is inside the tab (so the
    tabs' shortcuts never clash), and its tooltip names the shortcut."""
    action = QAction(text, tab)
    action.setObjectName(name)
    if icon:
        action.setIcon(icons.icon(icon))
    plain = text.replace("&", "").rstrip("…")
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{plain} ({shortcut_text(shortcut)})")
    else:
        action.setToolTip(plain)
    action.triggered.connect(lambda _checked=False: slot())
    tab.addAction(action)
    return action


def tool_button(action: QAction, *, icon_only: bool = False) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setIconSize(QSize(16, 16))
    button.setToolButtonStyle(
        Qt.ToolButtonStyle.ToolButtonIconOnly
        if icon_only
        else Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    )
    return button


class Banner(QFrame):
    """A coloured strip with an icon and rich text: on duty now, yearly compliance …"""

    LEVELS = {
        "ok": (OK, OK_BACKGROUND),
        "warn": (WARN, WARN_BACKGROUND),
        "alert": (ALERT, ALERT_BACKGROUND),
        "info": (None, None),
    }

    def __init__(self, parent: QWidget | None = None, *, scale: float = 1.0):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.icon = QLabel()
        self.icon.setFixedSize(28, 28)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if scale != 1.0:
            font = self.text.font()
            font.setPointSizeF(font.pointSizeF() * scale)
            self.text.setFont(font)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        self.level = "info"

    def show_text(self, html: str, level: str = "info", icon_name: str = "") -> None:
        self.level = level
        fg, bg = self.LEVELS.get(level, (None, None))
        if fg is not None and bg is not None:
            self.setStyleSheet(
                f"Banner {{ background: {bg.name()}; border: 1px solid {fg.name()};"
                f" border-radius: 4px; }} QLabel {{ color: {fg.name()}; background: transparent; }}"
            )
        else:
            self.setStyleSheet("")
        self.text.setText(html)
        if icon_name:
            self.icon.setPixmap(
                icons.icon(icon_name, fg.name() if fg is not None else None).pixmap(QSize(24, 24))
            )
        self.icon.setVisible(bool(icon_name))

    def plain_text(self) -> str:
        doc = QTextDocument()
        doc.setHtml(self.text.text())
        return doc.toPlainText()


def focus_when_shown(tab: QWidget, widget: QWidget) -> None:
    """Call from showEvent: once the tab is up, put the focus on its main widget unless
    the operator's focus is already somewhere visible (e.g. on the tab bar)."""

    def settle() -> None:
        focus = QApplication.focusWidget()
        if tab.isVisible() and (focus is None or not focus.isVisible()):
            widget.setFocus()

    QTimer.singleShot(0, tab, settle)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
