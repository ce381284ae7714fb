"""Icons drawn for the console: SVG line icons in resources/icons.

Line icons use `currentColor`; it is replaced by the palette's text colour (or a given
colour) so they suit light and dark themes. They are rendered when asked, at the size and
device pixel ratio asked, so they stay sharp on high-DPI screens.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from ebconsole.paths import resources_dir

APP_ICON = "app"


def icons_dir() -> Path:
    return resources_dir() / "icons"


def icon_path(name: str) -> Path:
    return icons_dir() / f"{name}.svg"


def names() -> list[str]:
    return sorted(p.stem for p in icons_dir().glob("*.svg"))


def _text_colour() -> str:
    app = QGuiApplication.instance()
    if app is None:
        return "#2b3a4a"
    return QGuiApplication.palette().color(QPalette.ColorRole.WindowText).name()


class _SvgEngine(QIconEngine):
    """Renders the SVG at whatever size and pixel ratio is asked, when it is asked."""

    def __init__(self, svg: bytes):
        super().__init__()
        self._svg = svg
        self._renderer = QSvgRenderer(QByteArray(svg))

    def clone(self) -> QIconEngine:
        return _SvgEngine(self._svg)

    def isNull(self) -> bool:
        return not self._renderer.isValid()

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if mode == QIcon.Mode.Disabled:
            painter.setOpacity(0.38)
        self._renderer.render(painter, QRectF(rect))
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        pm = QPixmap(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)))
        pm.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pm)
        self.paint(painter, QRect(0, 0, pm.width(), pm.height()), mode, state)
        painter.end()
        pm.setDevicePixelRatio(scale)
        return pm


@cache
def _icon(name: str, colour: str) -> QIcon:
    path = icon_path(name)
    if not path.is_file():
        raise FileNotFoundError(f"no icon {name!r} in {icons_dir()}")
    svg = path.read_bytes().replace(b"currentColor", colour.encode("ascii"))
    return QIcon(_SvgEngine(svg))


def icon(name: str, colour: str | None = None) -> QIcon:
    """The named icon (file stem in resources/icons), in `colour` or the text colour."""
    return _icon(name, colour or _text_colour())


def app_icon() -> QIcon:
    return icon(APP_ICON)


def pixmap(name: str, size: int, colour: str | None = None) -> QPixmap:
    return icon(name, colour).pixmap(QSize(size, size))


def clear_cache() -> None:
    """After a palette change, so icons pick up the new text colour."""
    _icon.cache_clear()
