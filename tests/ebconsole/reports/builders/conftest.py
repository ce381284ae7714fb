"""Fixtures for the six reports: realistic data made through the services (and the demo
generator for the plan data), and a check of every PDF as a reader's tools see it."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from ebconsole.db.session import Database
from ebconsole.demo import generate
from ebconsole.incidents.models import FraudReport, FraudTransaction
from tests.ebconsole.reports.builders import scenario
from tests.ebconsole.reports.conftest import font_dicts, page_texts, pdftotext, require_tool
from tests.support.postgres import WorldDatabase
from tests.support.shared import built_once
from tests.support.world import World


def check_pdf(
    pdf: Path, *, pages: int, expected: tuple[str, ...] = (), forbidden: tuple[str, ...] = ()
) -> list[str]:
    """Every page's text (pypdf). Fails unless: the expected text comes back out, every
    font is embedded (/FontFile2), every page renders with pdftoppm, and no forbidden
    (unmasked customer) value appears."""
    texts = page_texts(pdf)
    assert len(texts) == pages == len(PdfReader(pdf).pages)
    # text wraps inside table cells: compare without line breaks and spaces
    flat = _flat("".join(texts))
    poppler = _flat(pdftotext(pdf))
    for text in expected:
        assert _flat(text) in flat, f"{text!r} is not in {pdf.name}"
    for secret in forbidden:
        for name, haystack in (("pypdf", flat), ("pdftotext", poppler)):
            assert secret not in haystack, f"{secret!r} appears unmasked ({name}) in {pdf.name}"
    used = font_dicts(pdf)
    assert used
    for page, name, font in used:
        if font["/Subtype"] == "/Type0":
            font = font["/DescendantFonts"][0].get_object()
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None, f"page {page}: {name} is not embedded"
        assert "/FontFile2" in descriptor.get_object(), f"page {page}: {name} lacks /FontFile2"
    out = pdf.parent / f"{pdf.stem}-render"
    out.mkdir(exist_ok=True)
    subprocess.run(
        [require_tool("pdftoppm"), "-r", "40", "-png", str(pdf), str(out / "p")],
        check=True,
        capture_output=True,
    )
    images = sorted(out.glob("p-*.png"))
    assert len(images) == pages
    assert all(image.stat().st_size > 1000 for image in images)
    return texts


def _flat(text: str) -> str:
    return "".join(text.split())


def customer_secrets(db: Database) -> tuple[str, ...]:
    """Every ID, phone and account number of every fraud report in the database."""
    with db.session(readonly=True) as s:
        values: set[str] = set()
        for report in s.scalars(select(FraudReport)):
            values |= {v for v in (report.id_number, report.phone, report.account_number) if v}
        for tx in s.scalars(select(FraudTransaction)):
            if tx.counterparty_account:
                values.add(tx.counterparty_account)
    return tuple(sorted(values))


DEMO_INCIDENTS = 60


@pytest.fixture(scope="session")
def demo_sqlite_template(sqlite_template, tmp_path_factory) -> Path:
    """The test world plus the demo's plan data and 60 incidents of the last year, made
    once a run and shared by the workers (copy it before writing)."""

    def build(path: Path) -> None:
        shutil.copyfile(sqlite_template, path)
        database = Database(str(path))
        generate(database, World.load(database).admin, incidents=DEMO_INCIDENTS, seed=7)
        database.dispose()

    return built_once(tmp_path_factory, f"demo-world-{DEMO_INCIDENTS}.sqlite3", build)


@pytest.fixture(scope="session")
def demo_postgres_world(postgres_server, postgres_template) -> Iterator[WorldDatabase]:
    """The same demo data on PostgreSQL, made once a session; each test gets its rows back
    exactly (tests/support/postgres.py, WorldDatabase)."""
    name = postgres_server.create_database(template=postgres_template)
    database = Database(postgres_server.url(name))
    generate(database, World.load(database).admin, incidents=DEMO_INCIDENTS, seed=7)
    database.dispose()
    pool = WorldDatabase(postgres_server, name)
    yield pool
    pool.close()


@pytest.fixture
def db(backend, tmp_path, request) -> Iterator[Database]:
    """As tests/ebconsole/conftest.py's `db`; a test that asks for `demo_world` gets the
    demo data too, from the session's demo template instead of a demo run of its own."""
    demo = "demo_world" in request.fixturenames
    if backend == "sqlite":
        path = tmp_path / "ebconsole.sqlite3"
        template = "demo_sqlite_template" if demo else "sqlite_template"
        shutil.copyfile(request.getfixturevalue(template), path)
        database = Database(str(path))
    else:
        pool = request.getfixturevalue("demo_postgres_world" if demo else "postgres_world")
        database = Database(request.getfixturevalue("postgres_server").url(pool.fresh()))
    yield database
    database.dispose()


@pytest.fixture
def demo_world(db, world) -> World:
    """The test world plus the demo's plan data and 60 incidents of the last year (the
    `db` fixture above starts such a test from the demo template)."""
    return world


@pytest.fixture
def fraud_case(db, world) -> scenario.Scenario:
    return scenario.fraud_incident(db, world.coordinator, world.admin)
