"""Build every report on a fresh demo database into docs/samples/ (`make samples`).

    python scripts/sample_reports.py [--out docs/samples] [--incidents 300] [--lang zh_CN]

For each report: `<kind>.pdf` and `<kind>.png`, its first page at 60 dpi (pdftoppm), for
docs/reports.md. The incident and review samples show a customer-fraud case taken from
intake to review through the services (the same case the report tests check); the other
reports run on the demo's plan data and a year of incidents.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ebconsole.bootstrap import initialise  # noqa: E402
from ebconsole.db.migrate import prepare  # noqa: E402
from ebconsole.db.session import Database  # noqa: E402
from ebconsole.demo import generate as demo  # noqa: E402
from ebconsole.reports.builders import REPORTS, BuildOptions, generate  # noqa: E402
from ebconsole.timeutil import to_local, utcnow  # noqa: E402
from ebconsole.users import service as users  # noqa: E402
from ebconsole.users.enums import Role  # noqa: E402
from ebconsole.users.schemas import InstallationCreate, UserCreate  # noqa: E402
from tests.ebconsole.reports.builders import scenario  # noqa: E402

PASSWORD = "Duty-room-2026"


def fresh_database(folder: Path, incidents: int) -> tuple[Database, str]:
    db = Database(str(folder / "samples.sqlite3"))
    prepare(db)
    admin = initialise(
        db,
        InstallationCreate(
            site_code="BJ01",
            site_name="某某银行北京分行",
            workstation_name="应急值班台-1",
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
    with db.session(admin) as s:
        users.create(
            UserCreate(
                username="coord",
                display_name="李明",
                role=Role.COORDINATOR,
                password=PASSWORD,
                branch="电子银行部",
                title="应急协调员",
            ),
            session=s,
        )
    with db.session(readonly=True) as s:
        inst = users.require_installation(session=s)
        user = users.get_by_username("coord", session=s)
        assert user is not None
        coordinator = users.actor_for(user, inst)
    demo(db, admin, incidents=incidents, seed=2026)
    scenario.running_outage(db, coordinator)
    case = scenario.fraud_incident(db, coordinator, admin)  # with a reserve it used
    return db, case.reference


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "samples"))
    parser.add_argument("--incidents", type=int, default=300)
    parser.add_argument("--lang", default="zh_CN")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pdftoppm = shutil.which("pdftoppm")
    with tempfile.TemporaryDirectory(prefix="ebconsole-samples-") as tmp:
        db, reference = fresh_database(Path(tmp), args.incidents)
        try:
            params = {
                "incident": {"ref": reference},
                "review": {"ref": reference},
                "drills": {"year": to_local(utcnow()).year},
            }
            for kind in REPORTS:
                pdf = out / f"{kind}.pdf"
                result = generate(
                    db, kind, params.get(kind, {}), pdf, BuildOptions(args.lang, author="李明")
                )
                line = f"{pdf.relative_to(ROOT) if pdf.is_relative_to(ROOT) else pdf}: "
                line += f"{result.pages} pages"
                if pdftoppm:
                    png = out / kind
                    subprocess.run(
                        [
                            pdftoppm,
                            "-r",
                            "60",
                            "-f",
                            "1",
                            "-l",
                            "1",
                            "-png",
                            "-singlefile",
                            str(pdf),
                            str(png),
                        ],
                        check=True,
                    )
                    line += f", {png.name}.png"
                if result.font_hint:
                    line += f" ({result.font_hint})"
                print(line)
        finally:
            db.dispose()
    if not pdftoppm:
        print("pdftoppm (poppler-utils) is not installed: no PNG pages were made")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
