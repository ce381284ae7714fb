"""Reference numbers: SITE-YYYYMMDD-NNN, unique across workstations without coordination."""

from __future__ import annotations

import dataclasses
import re

import pytest
from sqlalchemy import select

from ebconsole.errors import ValidationFailed
from ebconsole.incidents import service as incidents
from ebconsole.incidents.intake import parse_intake
from ebconsole.incidents.models import Incident, ReferenceCounter
from ebconsole.incidents.reference import REFERENCE, day_key, format_reference
from tests.ebconsole.incidents.samples import at, outage_intake


def create(db, actor, **overrides) -> str:
    with db.session(actor) as s:
        return incidents.create(parse_intake(outage_intake(**overrides)), session=s).reference


def test_the_day_is_the_local_day_of_reporting():
    assert day_key(at("2026-11-21T00:30:00")) == "20261121"  # 16:30 UTC the day before
    assert format_reference("BJ01A", "20261121", 7) == "BJ01A-20261121-007"
    assert format_reference("BJ01A", "20261121", 1000) == "BJ01A-20261121-1000"
    assert REFERENCE.fullmatch("SH02-20261121-1000")


def test_numbers_count_per_site_and_day(db, clerk):
    refs = [
        create(db, clerk, reported_at="2026-11-21T00:30:00", occurred_at=None) for _ in range(3)
    ]
    assert refs == ["BJ01-20261121-001", "BJ01-20261121-002", "BJ01-20261121-003"]
    # 23:59 local on the 20th is another day, whatever the UTC date
    assert create(db, clerk, reported_at="2026-11-20T23:59:00", occurred_at=None) == (
        "BJ01-20261120-001"
    )
    today = create(db, clerk)
    assert re.fullmatch(r"BJ01-\d{8}-001", today)


def test_two_workstations_of_one_site_the_same_day(db, clerk, coordinator):
    a = dataclasses.replace(clerk, site_code="BJ01A", workstation="值班室-1")
    b = dataclasses.replace(coordinator, site_code="BJ01B", workstation="值班室-2")
    refs = [
        create(db, actor, reported_at="2026-11-21T09:00:00", occurred_at=None)
        for actor in (a, b, a, b, b)
    ]
    assert refs == [
        "BJ01A-20261121-001",
        "BJ01B-20261121-001",
        "BJ01A-20261121-002",
        "BJ01B-20261121-002",
        "BJ01B-20261121-003",
    ]
    with db.session(clerk, readonly=True) as s:
        stored = list(s.scalars(select(Incident.reference)))
        counters = {(c.site_code, c.day): c.last for c in s.scalars(select(ReferenceCounter))}
    assert len(set(stored)) == len(stored) == 5
    assert counters == {("BJ01A", "20261121"): 2, ("BJ01B", "20261121"): 3}


def test_the_number_widens_past_999(db, clerk):
    with db.session(clerk) as s:
        s.add(ReferenceCounter(site_code="BJ01", day="20261121", last=998))
    refs = [
        create(db, clerk, reported_at="2026-11-21T09:00:00", occurred_at=None) for _ in range(2)
    ]
    assert refs == ["BJ01-20261121-999", "BJ01-20261121-1000"]


def test_a_failed_intake_gives_its_number_back(db, clerk):
    with pytest.raises(RuntimeError), db.session(clerk) as s:
        incidents.create(
            parse_intake(outage_intake(reported_at="2026-11-21T09:00:00", occurred_at=None)),
            session=s,
        )
        raise RuntimeError("the operator's machine lost power")
    with pytest.raises(ValidationFailed), db.session(clerk) as s:
        incidents.create_many(
            [
                parse_intake(outage_intake(reported_at="2026-11-21T09:00:00", occurred_at=None)),
                parse_intake(outage_intake(subcategory="flood")),
            ],
            session=s,
        )
    assert create(db, clerk, reported_at="2026-11-21T09:00:00", occurred_at=None) == (
        "BJ01-20261121-001"
    )


def test_an_actor_without_a_site_uses_the_installations(db, clerk):
    nowhere = dataclasses.replace(clerk, site_code="")
    assert create(db, nowhere, reported_at="2026-11-21T09:00:00", occurred_at=None) == (
        "BJ01-20261121-001"
    )
