"""Small steps of the response, as the duty room takes them (shared by the assessment and
obligations tests)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from ebconsole.actor import Actor
from ebconsole.assessment import service as assessment
from ebconsole.assessment.schemas import AssessmentCreate, Criteria
from ebconsole.db.session import Database
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import Status
from ebconsole.incidents.schemas import IncidentCreate
from tests.ebconsole.incidents.samples import fraud_intake, outage_intake

# 网银 down for 200 minutes in peak hours in Beijing and Hebei: Level I by the PBOC example
LEVEL_I = Criteria(
    outage_minutes=200,
    provinces_affected=2,
    branches_affected=36,
    customers_affected=180000,
    peak_hours=True,
)
# 手机银行 slow for 2.5 hours in one province, off-peak: Level III
LEVEL_III = Criteria(
    outage_minutes=150, provinces_affected=1, branches_affected=4, customers_affected=5200
)
# one customer's account stolen: Level IV
LEVEL_IV = Criteria(customers_affected=1, funds_involved=Decimal("26499.00"))


def report(db: Database, actor: Actor, intake: dict[str, Any] | None = None) -> uuid.UUID:
    with db.session(actor) as s:
        data = IncidentCreate.model_validate(intake or outage_intake())
        return incidents.create(data, session=s).id


def report_fraud(db: Database, actor: Actor) -> uuid.UUID:
    return report(db, actor, fraud_intake())


def assess(
    db: Database, actor: Actor, incident_id: uuid.UUID, criteria: Criteria, **extra: Any
) -> uuid.UUID:
    with db.session(actor) as s:
        return assessment.assess(
            incident_id, AssessmentCreate(criteria=criteria, **extra), session=s
        ).id


def advance(db: Database, actor: Actor, incident_id: uuid.UUID, *statuses: Status) -> None:
    with db.session(actor) as s:
        for status in statuses:
            incidents.advance(incident_id, status, session=s)


def activate(db: Database, actor: Actor, criteria: Criteria = LEVEL_III) -> uuid.UUID:
    """An outage reported, assessed and its response activated."""
    incident_id = report(db, actor)
    assess(db, actor, incident_id, criteria)
    advance(db, actor, incident_id, Status.ACTIVATED)
    return incident_id
