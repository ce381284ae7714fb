"""A year of incidents, written in bulk (100 000 incidents take well under a minute).

Rows go in through SQLAlchemy Core in batches, not through the services: this is a
generator for demonstrations and scale tests, not a user action, so one audit entry
records the whole run.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from ebconsole.actor import Actor
from ebconsole.assessment.grading import GradingPolicy, evaluate
from ebconsole.assessment.models import Assessment
from ebconsole.assessment.schemas import Criteria
from ebconsole.demo import names
from ebconsole.demo.scenarios import (
    ACTIONS,
    CATEGORY_WEIGHTS,
    CAUSES,
    OUT_OF_SCOPE_REASONS,
    REVIEW,
    SCENARIOS,
)
from ebconsole.i18n import translator
from ebconsole.incidents.enums import (
    OPEN_STATUSES,
    STATUS_LABELS,
    Category,
    Channel,
    FraudChannel,
    Severity,
    Status,
)
from ebconsole.incidents.models import (
    FraudReport,
    FraudTransaction,
    Incident,
    ReferenceCounter,
    TimelineEntry,
)
from ebconsole.obligations.models import Obligation
from ebconsole.obligations.policy import IncidentFacts, ObligationPolicy, deadlines
from ebconsole.resources.enums import ResourceKind
from ebconsole.resources.models import IncidentResourceUse, Resource
from ebconsole.resources.usage import timeline_text
from ebconsole.timeutil import local_zone, utcnow

PATH = [
    Status.REPORTED,
    Status.ASSESSING,
    Status.ACTIVATED,
    Status.HANDLING,
    Status.RECOVERING,
    Status.RESTORED,
    Status.REVIEWED,
]
BATCH = 2000
ZH = translator("zh_CN")

# the reserves each class of incident typically draws on (plan §5)
USES_BY_CATEGORY = {
    Category.SYSTEM_FAILURE: (
        ResourceKind.BACKUP_SYSTEM,
        ResourceKind.SPARE_EQUIPMENT,
        ResourceKind.TECHNICAL_TEAM,
        ResourceKind.BACKUP_MEDIA,
    ),
    Category.NETWORK_ATTACK: (
        ResourceKind.TECHNICAL_TEAM,
        ResourceKind.SPARE_EQUIPMENT,
        ResourceKind.MONITORING,
    ),
    Category.NATURAL_DISASTER: (
        ResourceKind.EMERGENCY_SUPPLIES,
        ResourceKind.BACKUP_SYSTEM,
        ResourceKind.LOGISTICS,
    ),
    Category.CUSTOMER_FRAUD: (ResourceKind.OTHER_CONTACT,),
}
USE_NOTES = [
    "按预案调用",
    "替换故障节点",
    "值班长批准后启用",
    "协议单位已按时到场",
    None,
]


class _Reserves:
    """The inventory's items by kind, read once per run: an activated incident records
    which of them it used, as a coordinator would in the incident's resources tab."""

    def __init__(self, session: Session):
        self.by_kind: dict[ResourceKind, list[tuple[uuid.UUID, str, str | None]]] = {}
        for item_id, kind, name, unit in session.execute(
            select(Resource.id, Resource.kind, Resource.name, Resource.unit).where(
                Resource.archived_at.is_(None)
            )
        ):
            self.by_kind.setdefault(ResourceKind(kind), []).append((item_id, name, unit))

    def pick(
        self, rng: random.Random, category: Category
    ) -> tuple[uuid.UUID, str, str | None] | None:
        kinds = [k for k in USES_BY_CATEGORY.get(category, ()) if k in self.by_kind]
        return rng.choice(self.by_kind[rng.choice(kinds)]) if kinds else None


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


# what the assessor typically knew, by the level the incident turned out to be
CRITERIA = {
    Severity.I: {
        "outage_minutes": 420,
        "provinces_affected": 3,
        "peak_hours": True,
        "customers_affected": 2_000_000,
    },
    Severity.II: {
        "outage_minutes": 200,
        "provinces_affected": 1,
        "peak_hours": True,
        "customers_affected": 1_200_000,
    },
    Severity.III: {"outage_minutes": 130, "branches_affected": 12, "customers_affected": 150_000},
    Severity.IV: {"outage_minutes": 10, "branches_affected": 1, "customers_affected": 30},
}


def _final_status(rng: random.Random, age: timedelta) -> Status:
    days = age.total_seconds() / 86400
    if days > 14:
        table = [
            (Status.REVIEWED, 78),
            (Status.DISMISSED, 15),
            (Status.OUT_OF_SCOPE, 3),
            (Status.RESTORED, 4),
        ]
    elif days > 3:
        table = [
            (Status.RESTORED, 35),
            (Status.REVIEWED, 30),
            (Status.DISMISSED, 15),
            (Status.HANDLING, 12),
            (Status.RECOVERING, 8),
        ]
    else:
        table = [
            (Status.REPORTED, 20),
            (Status.ASSESSING, 18),
            (Status.ACTIVATED, 12),
            (Status.HANDLING, 25),
            (Status.RECOVERING, 10),
            (Status.RESTORED, 8),
            (Status.DISMISSED, 7),
        ]
    statuses, weights = zip(*table, strict=True)
    return rng.choices(statuses, weights)[0]


def _path_to(final: Status) -> list[Status]:
    if final is Status.OUT_OF_SCOPE:
        return [Status.REPORTED, Status.OUT_OF_SCOPE]
    if final is Status.DISMISSED:
        return [Status.REPORTED, Status.ASSESSING, Status.DISMISSED]
    return PATH[: PATH.index(final) + 1]


def _severity(rng: random.Random) -> Severity:
    return rng.choices([Severity.IV, Severity.III, Severity.II, Severity.I], [60, 25, 12, 3])[0]


class _Refs:
    """Reference numbers SITE-YYYYMMDD-NNN, continuing the database's counters."""

    def __init__(self, session: Session, site: str):
        self.site = site
        self.counters = {
            day: last
            for day, last in session.execute(
                select(ReferenceCounter.day, ReferenceCounter.last).where(
                    ReferenceCounter.site_code == site
                )
            )
        }
        self.touched: set[str] = set()

    def next(self, reported_at: datetime) -> str:
        day = reported_at.astimezone(local_zone()).strftime("%Y%m%d")
        n = self.counters.get(day, 0) + 1
        self.counters[day] = n
        self.touched.add(day)
        return f"{self.site}-{day}-{n:03d}"

    def save(self, session: Session) -> None:
        existing = set(
            session.scalars(
                select(ReferenceCounter.day).where(ReferenceCounter.site_code == self.site)
            )
        )
        for day in sorted(self.touched):
            if day in existing:
                session.execute(
                    _table(ReferenceCounter)
                    .update()
                    .where(ReferenceCounter.site_code == self.site, ReferenceCounter.day == day)
                    .values(last=self.counters[day])
                )
            else:
                session.execute(
                    insert(ReferenceCounter),
                    [{"site_code": self.site, "day": day, "last": self.counters[day]}],
                )


def generate_incidents(
    session: Session,
    actor: Actor,
    count: int,
    rng: random.Random,
    owners: list[tuple[uuid.UUID, str]],
    progress: Callable[[int, int], None] | None = None,
    now: datetime | None = None,
) -> dict[str, int]:
    now = now or utcnow()
    refs = _Refs(session, actor.site_code)
    start = now - timedelta(days=365)
    times = sorted(
        start + timedelta(seconds=rng.uniform(0, 365 * 86400 - 600)) for _ in range(count)
    )
    from ebconsole.assessment import service as assessment
    from ebconsole.obligations import service as obligations

    policy = assessment.get_policy(session=session)
    # the deadlines' policy is read once per run, not once per incident
    duties = obligations.get_policy(session=session)
    reserves = _Reserves(session)
    totals = {
        "incidents": 0,
        "timeline_entries": 0,
        "fraud_reports": 0,
        "transactions": 0,
        "assessments": 0,
        "obligations": 0,
        "resource_uses": 0,
    }
    conn = session.connection()
    for batch_start in range(0, count, BATCH):
        rows: dict[str, list[dict[str, Any]]] = {
            "inc": [],
            "tl": [],
            "fr": [],
            "tx": [],
            "as": [],
            "ru": [],
        }
        for reported_at in times[batch_start : batch_start + BATCH]:
            _one(rng, actor, reported_at, now, refs, owners, reserves, rows)
        _assessments(rows, policy, rng)
        obligation_rows = _obligations(rows, duties, now, rng)
        conn.execute(insert(_table(Incident)), rows["inc"])
        conn.execute(insert(_table(TimelineEntry)), rows["tl"])
        if rows["fr"]:
            conn.execute(insert(_table(FraudReport)), rows["fr"])
            conn.execute(insert(_table(FraudTransaction)), rows["tx"])
        if rows["as"]:
            conn.execute(insert(_table(Assessment)), rows["as"])
        if obligation_rows:
            conn.execute(insert(_table(Obligation)), obligation_rows)
        if rows["ru"]:
            conn.execute(insert(_table(IncidentResourceUse)), rows["ru"])
        totals["incidents"] += len(rows["inc"])
        totals["timeline_entries"] += len(rows["tl"])
        totals["fraud_reports"] += len(rows["fr"])
        totals["transactions"] += len(rows["tx"])
        totals["assessments"] += len(rows["as"])
        totals["obligations"] += len(obligation_rows)
        totals["resource_uses"] += len(rows["ru"])
        if progress:
            progress(totals["incidents"], count)
    refs.save(session)
    return totals


def _assessments(
    rows: dict[str, list[dict[str, Any]]], policy: GradingPolicy, rng: random.Random
) -> None:
    """Give every graded incident the assessment that graded it, through the real policy
    (evaluated once per level: the criteria, and so the proposal, depend only on it)."""
    proposals: dict[Severity, tuple[Criteria, Any, list[Any], dict[str, Any]]] = {}
    for inc in rows["inc"]:
        if inc["severity"] is None:
            continue
        if inc["severity"] not in proposals:
            criteria = Criteria.model_validate(CRITERIA[inc["severity"]])
            proposal = evaluate(policy, criteria)
            proposals[inc["severity"]] = (
                criteria,
                proposal.level,
                [t.as_dict() for t in proposal.triggers],
                criteria.model_dump(mode="json"),
            )
        _criteria, level, triggers, dumped = proposals[inc["severity"]]
        inc["severity"] = level
        at = inc["assessed_at"] or inc["reported_at"]
        rows["as"].append(
            {
                "id": uuid.uuid4(),
                "incident_id": inc["id"],
                "assessed_at": at,
                "criteria": dumped,
                "computed_level": level,
                "final_level": level,
                "override_reason": None,
                "triggers": triggers,
                "notified": ["应急领导小组", "客户服务中心"] if rng.random() < 0.5 else [],
                "decision_note": None,
                "assessor_name": inc["created_by"],
                "assessor_user_id": None,
                "policy_revision": policy.revision,
                "created_at": at,
            }
        )


def _obligations(
    rows: dict[str, list[dict[str, Any]]],
    policy: ObligationPolicy,
    now: datetime,
    rng: random.Random,
) -> list[dict[str, Any]]:
    """Deadlines of the incidents still running, by the obligation policy's own rules
    (`deadlines`, as `sync_for_incident` computes them); the ones due more than three
    days ago were met (a duty room keeps up, mostly)."""
    fraud = {r["incident_id"]: r for r in rows["fr"]}
    out: list[dict[str, Any]] = []
    met_before = now - timedelta(days=3)
    for inc in rows["inc"]:
        if inc["status"] not in OPEN_STATUSES and inc["status"] is not Status.RESTORED:
            continue
        fr = fraud.get(inc["id"])
        facts = IncidentFacts(
            inc["severity"],
            inc["activated_at"],
            inc["restored_at"],
            fr["stop_payment_requested_at"] if fr else None,
            fr["stop_payment_extensions"] if fr else 0,
            inc["in_scope"],
        )
        for kind, due in sorted(deadlines(facts, policy).items(), key=lambda kv: kv[1].due_at):
            done_at = done_by = None
            if due.due_at < met_before and rng.random() < 0.9:
                done_at = due.due_at - timedelta(minutes=rng.randint(5, 600))
                done_by = inc["created_by"]
            out.append(
                {
                    "id": uuid.uuid4(),
                    "incident_id": inc["id"],
                    "kind": kind,
                    "due_at": due.due_at,
                    "remind_at": due.remind_at,
                    "due_estimated": due.estimated,
                    "done_at": done_at,
                    "done_by": done_by,
                    "note": None,
                    "created_at": inc["reported_at"],
                    "updated_at": inc["updated_at"],
                    "version": 1,
                    "archived_at": None,
                }
            )
    return out


def _steps(
    rng: random.Random, reported_at: datetime, now: datetime, path: list[Status]
) -> Iterator[tuple[Status, datetime]]:
    at = reported_at
    room = max((now - reported_at).total_seconds() - 60, 60)
    for status in path:
        yield status, at
        at = at + timedelta(seconds=min(rng.uniform(300, 6 * 3600), room / (len(path) + 1)))


def _one(
    rng: random.Random,
    actor: Actor,
    reported_at: datetime,
    now: datetime,
    refs: _Refs,
    owners: list[tuple[uuid.UUID, str]],
    reserves: _Reserves,
    rows: dict[str, list[dict[str, Any]]],
) -> None:
    cats, weights = zip(*CATEGORY_WEIGHTS.items(), strict=True)
    category: Category = rng.choices(cats, weights)[0]
    sub, title, desc, services = rng.choice(SCENARIOS[category])
    city = rng.choice(names.CITIES)[0]
    branch = city + rng.choice(names.BRANCH_SUFFIXES)
    fill = {"n": rng.randint(2, 30), "p": rng.randint(5, 60), "city": city, "branch": branch}
    final = _final_status(rng, now - reported_at)
    path = _path_to(final)
    steps = list(_steps(rng, reported_at, now, path))
    when = {s: t for s, t in steps}
    inc_id = uuid.uuid4()
    owner_id, owner_name = (
        rng.choice(owners) if owners and final is not Status.REPORTED else (None, "")
    )
    channel = {
        Category.CUSTOMER_FRAUD: Channel.CUSTOMER_FEEDBACK,
        Category.SYSTEM_FAILURE: Channel.SYSTEM_MONITORING,
    }.get(category, rng.choice(list(Channel)))
    assessed = Status.ASSESSING in when and final is not Status.ASSESSING
    severity = (
        _severity(rng) if assessed or (final is Status.ASSESSING and rng.random() < 0.5) else None
    )
    closed_at = (
        when.get(Status.REVIEWED) or when.get(Status.DISMISSED) or when.get(Status.OUT_OF_SCOPE)
    )
    out_reason = rng.choice(OUT_OF_SCOPE_REASONS) if final is Status.OUT_OF_SCOPE else None
    reviewed = final is Status.REVIEWED
    last_step = steps[-1][1]
    rows["inc"].append(
        {
            "id": inc_id,
            "reference": refs.next(reported_at),
            "title": title.format(**fill),
            "category": category,
            "subcategory": sub,
            "channel": channel,
            "occurred_at": reported_at - timedelta(minutes=rng.randint(1, 180)),
            "reported_at": reported_at,
            "reporter_name": names.person(rng),
            "reporter_department": rng.choice(names.DEPARTMENTS),
            "reporter_phone": names.mobile(rng),
            "branch": branch,
            "description": desc.format(**fill),
            "affected_services": services,
            "severity": severity,
            "status": final,
            "owner_id": owner_id,
            "site_code": actor.site_code,
            "created_by": actor.username,
            "in_scope": final is not Status.OUT_OF_SCOPE,
            "out_of_scope_reason": out_reason[0] if out_reason else None,
            "handed_off_to": out_reason[1] if out_reason else None,
            "dismissed_reason": "经评估影响轻微，未达到启动应急响应标准"
            if final is Status.DISMISSED
            else None,
            "assessed_at": when.get(Status.ASSESSING) and steps[min(2, len(steps) - 1)][1]
            if assessed
            else None,
            "activated_at": when.get(Status.ACTIVATED),
            "restored_at": when.get(Status.RESTORED),
            "closed_at": closed_at,
            "review_cause": REVIEW["cause"].format(cause=rng.choice(CAUSES)) if reviewed else None,
            "review_handling": REVIEW["handling"] if reviewed else None,
            "review_lessons": REVIEW["lessons"] if reviewed else None,
            "reviewed_by": owner_name or None if reviewed else None,
            "created_at": reported_at,
            "updated_at": last_step,
            "version": 1,
        }
    )
    previous: Status | None = None
    for status, at in steps:
        # the same words the lifecycle service writes (the demo data is Chinese)
        text = (
            "事件登记"
            if previous is None
            else f"{ZH(STATUS_LABELS[previous])} → {ZH(STATUS_LABELS[status])}"
        )
        if status is Status.DISMISSED:
            text = "经评估影响轻微，未启动应急响应"
        rows["tl"].append(
            {
                "id": uuid.uuid4(),
                "incident_id": inc_id,
                "at": at,
                "kind": "status_change",
                "text": text,
                "actor_name": owner_name or actor.name,
                "actor_user_id": owner_id,
                "from_status": previous,
                "to_status": status,
                "created_at": at,
            }
        )
        if status in (Status.HANDLING, Status.ACTIVATED) and rng.random() < 0.8:
            kind, note = rng.choice(ACTIONS)
            rows["tl"].append(
                {
                    "id": uuid.uuid4(),
                    "incident_id": inc_id,
                    "at": at + timedelta(minutes=5),
                    "kind": kind,
                    "text": note,
                    "actor_name": owner_name or actor.name,
                    "actor_user_id": owner_id,
                    "from_status": None,
                    "to_status": None,
                    "created_at": at + timedelta(minutes=5),
                }
            )
        if status is Status.HANDLING and rng.random() < 0.6:
            _resource_use(
                rng, inc_id, category, at, owner_id, owner_name or actor.name, reserves, rows
            )
        previous = status
    if category is Category.CUSTOMER_FRAUD:
        _fraud(rng, inc_id, reported_at, rows)


def _resource_use(
    rng: random.Random,
    inc_id: uuid.UUID,
    category: Category,
    handling_at: datetime,
    user_id: uuid.UUID | None,
    user_name: str,
    reserves: _Reserves,
    rows: dict[str, list[dict[str, Any]]],
) -> None:
    """A reserve used while handling: the use row and its timeline entry, in the words
    `resources.usage.record_use` writes."""
    item = reserves.pick(rng, category)
    if item is None:
        return
    item_id, name, unit = item
    at = handling_at + timedelta(minutes=rng.randint(10, 90))
    quantity = rng.randint(1, 2) if unit in ("台", "块", "盘", "份", "人") else 1
    note = rng.choice(USE_NOTES)
    rows["ru"].append(
        {
            "id": uuid.uuid4(),
            "incident_id": inc_id,
            "resource_id": item_id,
            "used_at": at,
            "used_by": user_name[:80],
            "used_by_user_id": user_id,
            "quantity": quantity,
            "note": note,
            "created_at": at,
        }
    )
    rows["tl"].append(
        {
            "id": uuid.uuid4(),
            "incident_id": inc_id,
            "at": at,
            "kind": "action",
            "text": timeline_text(name, quantity, unit, note, translate=ZH),
            "actor_name": user_name,
            "actor_user_id": user_id,
            "from_status": None,
            "to_status": None,
            "created_at": at,
        }
    )


def _fraud(
    rng: random.Random,
    inc_id: uuid.UUID,
    reported_at: datetime,
    rows: dict[str, list[dict[str, Any]]],
) -> None:
    report_id = uuid.uuid4()
    stop = reported_at + timedelta(minutes=rng.randint(5, 90)) if rng.random() < 0.7 else None
    rows["fr"].append(
        {
            "id": report_id,
            "incident_id": inc_id,
            "customer_name": names.person(rng),
            "id_number": names.id_number(rng),
            "phone": names.mobile(rng),
            "account_number": names.account(rng),
            "channel": rng.choice(
                [
                    FraudChannel.MOBILE_BANKING,
                    FraudChannel.ONLINE_BANKING,
                    FraudChannel.THIRD_PARTY_PAYMENT,
                    FraudChannel.ATM,
                ]
            ),
            "police_report_no": f"J{reported_at:%Y%m%d}{rng.randrange(10**6):06d}"
            if stop
            else None,
            "stop_payment_requested_at": stop,
            "stop_payment_extensions": 0,
            "freeze_requested_at": stop + timedelta(hours=rng.randint(1, 20))
            if stop and rng.random() < 0.4
            else None,
            "created_at": reported_at,
            "updated_at": reported_at,
            "version": 1,
        }
    )
    for pos in range(rng.randint(1, 4)):
        rows["tx"].append(
            {
                "id": uuid.uuid4(),
                "report_id": report_id,
                "position": pos,
                "time": reported_at - timedelta(minutes=rng.randint(10, 600)),
                "amount": Decimal(rng.randint(200, 5_000_000)) / 100,
                "currency": "CNY",
                "counterparty_name": names.person(rng),
                "counterparty_account": names.account(rng),
                "counterparty_bank": rng.choice(names.BANKS),
                "reference": f"{reported_at:%Y%m%d}{rng.randrange(10**10):010d}",
                "created_at": reported_at,
            }
        )
