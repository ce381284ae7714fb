"""The measured programs, each run in a fresh process by `tests.perf.bench`.

    python -m tests.perf.children bare DB          # bare Qt window + sqlalchemy + one query
    python -m tests.perf.children window DB USER   # main window with the Incidents tab open
    python -m tests.perf.children tab DB USER N [W] # Incidents tab: first rows, text filter

Each prints one line `RESULT {json}`; times are seconds, memory KiB (peak RSS). The
password of USER comes from $EBCONSOLE_BENCH_PASSWORD.
"""

from __future__ import annotations

import json
import linecache
import os
import resource
import sys
import time
from typing import Any

MARKER = "RESULT"


def _emit(data: dict[str, Any]) -> None:
    data["maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{MARKER} {json.dumps(data)}", flush=True)


def bare(db_path: str) -> None:
    """The floor of a cold start: a QMainWindow shown, sqlalchemy imported, one query on
    the same file; exits at the first idle of the event loop."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    import sqlalchemy

    engine = sqlalchemy.create_engine(f"sqlite:///{db_path}")
    with engine.connect() as conn:
        count = conn.execute(sqlalchemy.text("SELECT count(*) FROM incident")).scalar()

    def idle() -> None:
        _emit({"incidents": count})
        app.exit(0)

    QTimer.singleShot(0, idle)
    app.exec()


def _context(db_path: str, user: str) -> Any:
    from PySide6.QtWidgets import QApplication

    from ebconsole.db.session import Database
    from ebconsole.users.login import login
    from ui.app import configure_application
    from ui.context import Context, Hub, InstallationInfo
    from ui.fonts import apply_cjk_font
    from ui.i18n import apply_language
    from ui.ops import Ops
    from ui.settings_store import SettingsStore

    app = QApplication(sys.argv[:1])
    configure_application(app)
    apply_language("zh_CN")
    apply_cjk_font(app)
    # in the order of the console's start (ui.app.Launcher): PySide6's cached source text
    # dropped before the sign-in, the main window imported after it
    linecache.clearcache()
    db = Database(db_path)
    actor = login(db, user, os.environ["EBCONSOLE_BENCH_PASSWORD"])
    ops = Ops()
    ctx = Context(db, actor, ops, Hub(), SettingsStore(), InstallationInfo.load(db))
    return app, ctx


def _wait(app: Any, ops: Any, condition: Any, timeout: float = 300.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("benchmark step did not finish")
        app.processEvents()
        time.sleep(0.001)
    # and the queue drained: the rows are painted
    app.processEvents()


def window(db_path: str, user: str) -> None:
    """The console's main window, shown, on the Incidents tab, after its first rows."""
    app, ctx = _context(db_path, user)
    from ui.main_window import MainWindow

    win = MainWindow(ctx)
    win.resize(1280, 800)
    win.show()
    win.show_tab("incidents")
    from ui.tabs.incidents_tab import IncidentsTab

    tab = win.tab("incidents")
    assert isinstance(tab, IncidentsTab)
    _wait(app, ctx.ops, lambda: tab.model.rowCount() > 0 and not ctx.ops.active)
    _emit({"rows": tab.model.rowCount()})


def tab(db_path: str, user: str, repeats: int, word: int = 0) -> None:
    """Incidents tab: a new tab's first rows shown, then a text filter applied; the first
    round warms the process up and is not counted. `word`: the first filter word's
    place in the list (rounds in separate processes take different words)."""
    from ui.tabs.incidents_tab import IncidentsTab

    app, ctx = _context(db_path, user)
    first: list[float] = []
    filtered: list[float] = []
    words = ["诈骗", "宕机", "钓鱼", "暴雨", "攻击", "短信", "磁盘"]
    for round_ in range(repeats + 1):
        shown, applied = _tab_round(app, ctx, IncidentsTab, words[(word + round_) % len(words)])
        if round_:
            first.append(shown)
            filtered.append(applied)
    _emit({"first_rows": first, "filter": filtered})


def _tab_round(app: Any, ctx: Any, tab_class: Any, word: str) -> tuple[float, float]:
    from PySide6.QtCore import QEvent

    from ebconsole.incidents.schemas import IncidentFilter
    from ui.ops import NOTHING

    t = tab_class(ctx)
    t.resize(1280, 800)
    t.show()
    loaded: list[int] = []
    t.model.page_loaded.connect(lambda: loaded.append(1))
    start = time.perf_counter()
    t.refresh(NOTHING)
    _wait(app, ctx.ops, lambda: bool(loaded) and t.model.rowCount() > 0)
    shown = time.perf_counter() - start
    # every read the step started has ended (`busy` only turns on after 300 ms: a count
    # still running would be measured in the next step)
    _wait(app, ctx.ops, lambda: not ctx.ops.active)
    loaded.clear()
    start = time.perf_counter()
    t._apply_filter(IncidentFilter(text=word))
    _wait(app, ctx.ops, lambda: bool(loaded))
    applied = time.perf_counter() - start
    _wait(app, ctx.ops, lambda: not ctx.ops.active)
    t.close()
    t.deleteLater()
    # processEvents() does not run deferred deletes: the tab would live on into the next round
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    return shown, applied


def main(argv: list[str]) -> None:
    what = argv[0]
    if what == "bare":
        bare(argv[1])
    elif what == "window":
        window(argv[1], argv[2])
    elif what == "tab":
        tab(argv[1], argv[2], int(argv[3]), int(argv[4]) if len(argv) > 4 else 0)
    else:
        raise SystemExit(f"unknown child {what!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
