"""A PNG of every tab of the console, in Chinese, on the demo data (`make screenshots`).

    python scripts/screenshots.py                     # docs/screenshots/<tab>.png
    python scripts/screenshots.py --tabs overview     # only some tabs
    python scripts/screenshots.py --db /tmp/x.sqlite3 # an existing, initialised database

A fresh database is made in a temporary folder (init, then `ebconsole.demo.generate`),
the real main window is opened for the administrator, as after signing in, and each
registered tab is shown, left to finish its background reads, and saved. Without a
display the script runs itself again under `xvfb-run` (a 1600×1000 screen), or on Qt's
offscreen platform when xvfb-run is not installed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WIDTH, HEIGHT = 1600, 1000
UNDER_XVFB = "EBCONSOLE_SCREENSHOTS_XVFB"
PASSWORD = "Screenshots-2026"


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    p.add_argument("--incidents", type=int, default=800, help="demo incidents to generate")
    p.add_argument("--db", type=Path, help="use this initialised database instead of a new one")
    p.add_argument("--user", default="admin", help="the operator the window opens for")
    p.add_argument("--tabs", nargs="*", help="tab keys to save (default: every tab)")
    p.add_argument("--lang", default="zh_CN")
    p.add_argument("--settle", type=float, default=0.6, help="seconds of quiet before a shot")
    return p.parse_args(argv)


def ensure_display(argv: list[str]) -> None:
    """Run again under xvfb-run when there is no display (once), else go offscreen."""
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return
    if os.environ.get("QT_QPA_PLATFORM"):
        return
    xvfb = shutil.which("xvfb-run")
    if xvfb and not os.environ.get(UNDER_XVFB):
        os.environ[UNDER_XVFB] = "1"
        screen = f"-screen 0 {WIDTH}x{HEIGHT}x24"
        command = [xvfb, "-a", "-s", screen, sys.executable, str(Path(__file__).resolve())]
        os.execv(xvfb, [*command, *argv])
    print("screenshots: no display and no xvfb-run: using Qt's offscreen platform")
    os.environ["QT_QPA_PLATFORM"] = "offscreen"


def make_demo_database(folder: Path, incidents: int) -> Path:
    """init + the demo dataset, as `ebconsole init` and `ebconsole demo` would."""
    from ebconsole.bootstrap import initialise
    from ebconsole.db.session import Database
    from ebconsole.demo import generate
    from ebconsole.users.enums import Role
    from ebconsole.users.schemas import InstallationCreate, UserCreate

    path = folder / "ebconsole.sqlite3"
    db = Database(str(path))
    admin = initialise(
        db,
        InstallationCreate(
            site_code="BJ01A",
            workstation_name="值班室-1",
            site_name="北京分行",
            default_branch="北京分行营业部",
        ),
        UserCreate(
            username="admin",
            display_name="王建国",
            role=Role.ADMINISTRATOR,
            password=PASSWORD,
            branch="北京分行营业部",
            title="系统管理员",
        ),
    )
    started = time.monotonic()
    summary = generate(db, admin, incidents=incidents)
    print(
        f"screenshots: demo data in {time.monotonic() - started:.1f} s: "
        + ", ".join(f"{k} {v}" for k, v in summary.items())
    )
    db.dispose()
    return path


def main(argv: list[str]) -> int:
    args = parse(argv)
    ensure_display(argv)

    from PySide6.QtWidgets import QApplication

    from ebconsole.db.migrate import prepare
    from ebconsole.db.session import Database
    from ebconsole.users import service as users
    from ui.app import create_application, set_up_logging
    from ui.context import Context, Hub, InstallationInfo
    from ui.fonts import apply_cjk_font
    from ui.i18n import apply_language
    from ui.main_window import MainWindow
    from ui.ops import Ops
    from ui.settings_store import SettingsStore

    with tempfile.TemporaryDirectory(prefix="ebconsole-screenshots-") as tmp:
        folder = Path(tmp)
        db_path = args.db or make_demo_database(folder, args.incidents)
        set_up_logging()
        app = create_application([sys.argv[0]])
        if apply_cjk_font(app) is None and args.lang != "en":
            print("screenshots: no Chinese font installed (fonts-wqy-microhei / fonts-noto-cjk)")
            return 1
        apply_language(args.lang)
        # the window's layout and settings from a clean INI, never the user's own
        store = SettingsStore(folder / "settings.ini")

        db = Database(str(db_path))
        prepare(db)
        with db.session(readonly=True) as s:
            inst = users.require_installation(session=s)
            user = users.get_by_username(args.user, session=s)
            if user is None:
                print(f"screenshots: no user {args.user!r} in {db_path}")
                return 1
            actor = users.actor_for(user, inst)
        ops = Ops()
        ctx = Context(db, actor, ops, Hub(), store, InstallationInfo.load(db))
        window = MainWindow(ctx)
        window.resize(WIDTH, HEIGHT)
        window.move(0, 0)
        window.show()
        window.raise_()

        def settle(timeout: float = 60.0) -> None:
            """Until no background op has run for `args.settle` seconds."""
            deadline = time.monotonic() + timeout
            quiet_since = time.monotonic()
            while time.monotonic() < deadline:
                app.processEvents()
                if ops.active:
                    quiet_since = time.monotonic()
                elif time.monotonic() - quiet_since >= args.settle:
                    return
                time.sleep(0.02)
            print("screenshots: gave up waiting for background work")

        settle()
        args.out.mkdir(parents=True, exist_ok=True)
        wanted = set(args.tabs) if args.tabs else None
        saved = []
        if window.tab_failures:
            for name, exc in window.tab_failures.items():
                print(f"screenshots: tab module {name} failed to load: {exc!r}")
        for tab in list(window.tabs):
            if wanted is not None and tab.key not in wanted:
                continue
            window.show_tab(tab.key)
            settle()
            window.status.clearMessage()
            app.processEvents()
            target = args.out / f"{tab.key}.png"
            if not window.grab().save(str(target)):
                print(f"screenshots: could not write {target}")
                return 1
            saved.append(target)
            print(
                f"screenshots: {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}"
            )
        window.close()
        ops.wait(30_000)
        app.processEvents()
        db.dispose()
        QApplication.processEvents()
    if not saved:
        print("screenshots: no tab saved")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
