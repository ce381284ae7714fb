"""Raster icons from resources/icons/app.svg for the Windows build: build/icons/ebconsole.ico
(16–256 px, the executables' and the installer's icon) and PNGs. Qt draws the SVG
(offscreen), Pillow writes the .ico.

    python packaging/make_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (16, 24, 32, 48, 64, 128, 256)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication(sys.argv[:1])
    out = ROOT / "build" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    renderer = QSvgRenderer(str(ROOT / "resources" / "icons" / "app.svg"))
    if not renderer.isValid():
        print("resources/icons/app.svg cannot be read", file=sys.stderr)
        return 1
    pngs = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        path = out / f"ebconsole-{size}.png"
        image.save(str(path))
        pngs.append(path)
    Image.open(pngs[-1]).save(out / "ebconsole.ico", sizes=[(s, s) for s in SIZES])
    print(out / "ebconsole.ico")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
