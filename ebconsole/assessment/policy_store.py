"""Versioned policy documents: each save adds a revision; the highest one is in force.

Shared by the grading policy (this aggregate) and the obligation policy, so both keep
their history, audit trail and stale-edit check in one place.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ebconsole.assessment.enums import PolicyName
from ebconsole.assessment.models import PolicyRevision
from ebconsole.assessment.schemas import PolicyInput
from ebconsole.db.session import actor_of
from ebconsole.errors import NotFound, StaleRecord
from ebconsole.i18n import N_
from ebconsole.paths import resources_dir
from ebconsole.users.permissions import Permission, authorize
from ebconsole.validation import Checker

P = TypeVar("P")
Parser = Callable[[Any, int], P]

POLICY_ENTITY = N_("policy")


DEFAULT_FILES = {
    PolicyName.GRADING: "grading_policy.json",
    PolicyName.OBLIGATIONS: "obligation_policy.json",
}


def defaults_path(name: PolicyName) -> Path:
    return resources_dir() / "plan" / DEFAULT_FILES[name]


def read_defaults(name: PolicyName) -> dict[str, Any]:
    with defaults_path(name).open(encoding="utf-8") as fh:
        document: dict[str, Any] = json.load(fh)
    return document


def latest(name: PolicyName, *, session: Session) -> PolicyRevision | None:
    return session.scalars(
        select(PolicyRevision)
        .where(PolicyRevision.name == name.value)
        .order_by(PolicyRevision.revision.desc())
        .limit(1)
    ).first()


# Parsed policies by the id of their revision row. A revision is never changed once
# saved (an administrator's save adds the next one), and its id is unique across
# databases, so the key stays right across sessions, processes and workstations: any
# process sees a new revision on its next read of the head.
_PARSED: dict[tuple[Any, int, Any], Any] = {}
_PARSED_MAX = 64


# read on every intake and assessment: built once, run on the connection
_HEAD = (
    select(PolicyRevision.id, PolicyRevision.revision)
    .where(PolicyRevision.name == bindparam("name"))
    .order_by(PolicyRevision.revision.desc())
    .limit(1)
)


def current(name: PolicyName, parse: Parser[P], *, session: Session) -> P:
    """The policy in force, parsed. One read of the head revision's id; its document is
    read and parsed only the first time this process meets that revision."""
    if session.autoflush:
        session.flush()  # a revision saved earlier in this transaction counts
    head = session.connection().execute(_HEAD, {"name": name.value}).first()
    if head is None:
        raise NotFound.one("not_found", None, entity_label=POLICY_ENTITY, key=name.value)
    key = (head.id, head.revision, parse)
    if key in _PARSED:
        return _PARSED[key]
    document = session.execute(
        select(PolicyRevision.document).where(PolicyRevision.id == head.id)
    ).scalar_one()
    policy = parse(document, head.revision)
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()
    _PARSED[key] = policy
    return policy


def revisions(name: PolicyName, *, session: Session) -> list[PolicyRevision]:
    return list(
        session.scalars(
            select(PolicyRevision)
            .where(PolicyRevision.name == name.value)
            .order_by(PolicyRevision.revision)
        )
    )


def load_defaults(name: PolicyName, parse: Parser[P], *, session: Session) -> None:
    """Store the shipped defaults as revision 1 unless the policy exists (idempotent)."""
    if latest(name, session=session) is not None:
        return
    document = read_defaults(name)
    parse(document, 1)  # a broken shipped file fails loudly at init, not at first use
    _add(name, document, 1, f"shipped defaults ({defaults_path(name).name})", session=session)


def save(name: PolicyName, data: PolicyInput, parse: Parser[P], *, session: Session) -> P:
    authorize(session, Permission.MANAGE_POLICY)
    c = Checker()
    note = c.text("note", data.note, max_len=500, multiline=True)
    c.raise_if_failed()
    head = latest(name, session=session)
    number = head.revision if head is not None else 0
    if data.base_revision is not None and data.base_revision != number:
        raise StaleRecord.one("stale_record", "policy")
    policy = parse(data.document, number + 1)
    _add(name, data.document, number + 1, note, session=session)
    return policy


def _add(
    name: PolicyName, document: dict[str, Any], revision: int, note: str | None, *, session: Session
) -> None:
    session.add(
        PolicyRevision(
            name=name.value,
            revision=revision,
            document=document,
            note=note,
            created_by=actor_of(session).username,
        )
    )
    try:
        session.flush()
    except IntegrityError:  # another administrator saved the same revision number first
        raise StaleRecord.one("stale_record", "policy") from None
