"""Every input rule of an incident, in one place.

The same functions check a raw JSON object from an intake file and the typed objects a
form builds (`IncidentCreate.model_dump()`): Checker's rules accept both strings and typed
values. Each broken rule is collected with its dotted field path, so the user sees all
of them at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from ebconsole.errors import FieldError
from ebconsole.i18n import N_
from ebconsole.i18n.messages import FIELD_LABELS
from ebconsole.incidents import messages as _messages  # noqa: F401  (registers the codes)
from ebconsole.incidents.enums import CATEGORY_LABELS, Category, Channel, FraudChannel
from ebconsole.incidents.schemas import (
    FraudReportInput,
    IncidentCreate,
    ReporterInput,
    TransactionInput,
)
from ebconsole.validation import (
    ACCOUNT,
    CURRENCY,
    PHONE,
    Checker,
    check_id_number,
    normalize_account,
)

AN_OBJECT = N_("an object ({ … })")
A_LIST = N_("a list ([ … ])")

# Clocks of workstations drift: a time up to this much ahead of ours is not "future".
CLOCK_SKEW = timedelta(minutes=5)

MAX = {
    "title": 200,
    "subcategory": 60,
    "name": 80,
    "department": 80,
    "phone": 40,
    "branch": 80,
    "description": 10_000,
    "service": 80,
    "services": 50,
    "customer_name": 80,
    "police_report_no": 60,
    "transactions": 1000,
    "counterparty_name": 120,
    "counterparty_account": 40,
    "counterparty_bank": 120,
    "reference": 80,
    "timeline_text": 4000,
    "reason": 2000,
    "handed_off_to": 120,
    "review": 10_000,
}

TOP_KEYS = (
    "title",
    "category",
    "subcategory",
    "channel",
    "occurred_at",
    "reported_at",
    "reporter",
    "branch",
    "description",
    "affected_services",
    "fraud",
)
REPORTER_KEYS = ("name", "department", "phone")
FRAUD_KEYS = (
    "customer_name",
    "id_number",
    "phone",
    "account_number",
    "channel",
    "transactions",
    "police_report_no",
    "stop_payment_requested_at",
    "freeze_requested_at",
)
TRANSACTION_KEYS = (
    "time",
    "amount",
    "currency",
    "counterparty_name",
    "counterparty_account",
    "counterparty_bank",
    "reference",
)


@dataclass(frozen=True)
class Subtype:
    code: str
    label_zh: str
    label_en: str


@dataclass
class SubtypeIndex:
    """The known subtypes of each class (from the IncidentSubtype table)."""

    by_category: dict[Category, list[Subtype]] = field(default_factory=dict)

    def resolve(self, category: Category, value: str) -> str | None:
        """The code for a code or a Chinese or English label (case-insensitive), or None."""
        known = self.by_category.get(category, [])
        for s in known:
            if value == s.code:
                return s.code
        low = value.casefold()
        for s in known:
            if low in (s.code.casefold(), s.label_zh.casefold(), s.label_en.casefold()):
                return s.code
        return None

    def codes(self, category: Category) -> list[str]:
        return [s.code for s in self.by_category.get(category, [])]


# -- single values -------------------------------------------------------------------------
def text(
    c: Checker,
    path: str,
    value: Any,
    *,
    max_len: int,
    required: bool = False,
    multiline: bool = False,
) -> str | None:
    return c.text(path, value, required=required, max_len=max_len, multiline=multiline)


def when(
    c: Checker, path: str, value: Any, now: datetime, *, required: bool = False
) -> datetime | None:
    return c.when(path, value, required=required, not_future=True, now=now + CLOCK_SKEW)


def amount(c: Checker, path: str, value: Any) -> Decimal | None:
    # Checker.amount refuses JSON numbers with a fraction (binary floats) and asks for a
    # decimal string; whole numbers are accepted.
    return c.amount(path, value, required=True)


def phone(c: Checker, path: str, value: Any) -> str | None:
    result = text(c, path, value, max_len=MAX["phone"])
    if result is not None and not PHONE.fullmatch(result):
        c.fail(path, "invalid_phone", value=result[:40])
        return None
    return result


def account(c: Checker, path: str, value: Any) -> str | None:
    result = text(c, path, value, max_len=40)
    if result is None:
        return None
    number = normalize_account(result)
    if not ACCOUNT.fullmatch(number):
        c.fail(path, "invalid_account", value=result[:40])
        return None
    return number


def counterparty_account(c: Checker, path: str, value: Any) -> str | None:
    """A bank account or card (digits), or a payment-platform account (e-mail, user name)."""
    result = text(c, path, value, max_len=MAX["counterparty_account"])
    if result is None:
        return None
    number = normalize_account(result)
    if number.isdigit():
        if not ACCOUNT.fullmatch(number):
            c.fail(path, "invalid_account", value=result[:40])
            return None
        return number
    return result


def currency(c: Checker, path: str, value: Any) -> str:
    if value is None or value == "":
        return "CNY"
    result = text(c, path, value, max_len=20)
    if result is None:
        return "CNY"
    if not CURRENCY.fullmatch(result.upper()):
        c.fail(path, "invalid_currency", value=result[:40])
        return "CNY"
    return result.upper()


def as_object(c: Checker, path: str, value: Any) -> Mapping[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        c.fail(path, "invalid_type", expected_label=AN_OBJECT)
        return None
    return value


def as_list(c: Checker, path: str, value: Any, *, max_items: int) -> Sequence[Any]:
    if value is None:
        return []
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        c.fail(path, "invalid_type", expected_label=A_LIST)
        return []
    if len(value) > max_items:
        c.fail(path, "too_many", max=max_items)
        return []
    return value


def unknown_keys(c: Checker, prefix: str, obj: Mapping[str, Any], allowed: Sequence[str]) -> None:
    for key in obj:
        if key not in allowed:
            c.fail(f"{prefix}{key}", "unknown_field")


def subcategory(
    c: Checker, value: Any, category: Category | None, subtypes: SubtypeIndex | None
) -> str | None:
    result = text(c, "subcategory", value, max_len=MAX["subcategory"])
    if result is None or category is None or subtypes is None:
        return result
    code = subtypes.resolve(category, result)
    if code is None:
        c.fail(
            "subcategory",
            "unknown_subtype",
            value=result[:40],
            category_label=CATEGORY_LABELS[category],
            allowed=", ".join(subtypes.codes(category)) or "-",
        )
    return code


def services(c: Checker, value: Any) -> list[str]:
    result: list[str] = []
    for i, item in enumerate(as_list(c, "affected_services", value, max_items=MAX["services"])):
        name = text(c, f"affected_services[{i}]", item, max_len=MAX["service"], required=True)
        if name is not None and name not in result:
            result.append(name)
    return result


def reporter(c: Checker, value: Any, *, strict: bool) -> ReporterInput | None:
    obj = as_object(c, "reporter", value)
    if obj is None:
        if value is None:
            c.fail("reporter.name", "required")
        return None
    if strict:
        unknown_keys(c, "reporter.", obj, REPORTER_KEYS)
    name = text(c, "reporter.name", obj.get("name"), max_len=MAX["name"], required=True)
    department = text(c, "reporter.department", obj.get("department"), max_len=MAX["department"])
    tel = phone(c, "reporter.phone", obj.get("phone"))
    if name is None:
        return None
    return ReporterInput(name=name, department=department, phone=tel)


def time_order(c: Checker, occurred_at: datetime | None, reported_at: datetime | None) -> None:
    if occurred_at is not None and reported_at is not None and occurred_at > reported_at:
        c.fail("occurred_at", "datetime_after", other_label=FIELD_LABELS["reported_at"])


# -- the fraud report ------------------------------------------------------------------------
def transaction(
    c: Checker, path: str, value: Any, now: datetime, *, strict: bool
) -> TransactionInput | None:
    obj = as_object(c, path, value)
    if obj is None:
        if value is None:
            c.fail(path, "invalid_type", expected_label=AN_OBJECT)
        return None
    if strict:
        unknown_keys(c, f"{path}.", obj, TRANSACTION_KEYS)
    at = when(c, f"{path}.time", obj.get("time"), now, required=True)
    money = amount(c, f"{path}.amount", obj.get("amount"))
    cur = currency(c, f"{path}.currency", obj.get("currency"))
    name = text(
        c,
        f"{path}.counterparty_name",
        obj.get("counterparty_name"),
        max_len=MAX["counterparty_name"],
    )
    acct = counterparty_account(c, f"{path}.counterparty_account", obj.get("counterparty_account"))
    bank = text(
        c,
        f"{path}.counterparty_bank",
        obj.get("counterparty_bank"),
        max_len=MAX["counterparty_bank"],
    )
    ref = text(c, f"{path}.reference", obj.get("reference"), max_len=MAX["reference"])
    if money is None or at is None:
        return None
    return TransactionInput(
        time=at,
        amount=money,
        currency=cur,
        counterparty_name=name,
        counterparty_account=acct,
        counterparty_bank=bank,
        reference=ref,
    )


def fraud_report(
    c: Checker, value: Any, now: datetime, *, strict: bool, prefix: str = "fraud."
) -> FraudReportInput | None:
    """Check a fraud report; `prefix` is "fraud." inside an incident, "" on its own."""
    obj = as_object(c, prefix.rstrip(".") or "fraud", value)
    if obj is None:
        return None
    if strict:
        unknown_keys(c, prefix, obj, FRAUD_KEYS)
    errors_before = len(c.errors)
    name = text(
        c,
        f"{prefix}customer_name",
        obj.get("customer_name"),
        max_len=MAX["customer_name"],
        required=True,
    )
    # an ID number written as a JSON number (losing a leading zero or the X) is refused
    id_number = check_id_number(c, f"{prefix}id_number", obj.get("id_number"))
    tel = phone(c, f"{prefix}phone", obj.get("phone"))
    acct = account(c, f"{prefix}account_number", obj.get("account_number"))
    if _blank(obj.get("phone")) and _blank(obj.get("account_number")):
        c.fail(prefix.rstrip(".") or "fraud", "fraud_contact_required")
    channel = c.choice(f"{prefix}channel", obj.get("channel"), FraudChannel)
    transactions = []
    for i, item in enumerate(
        as_list(c, f"{prefix}transactions", obj.get("transactions"), max_items=MAX["transactions"])
    ):
        tx = transaction(c, f"{prefix}transactions[{i}]", item, now, strict=strict)
        if tx is not None:
            transactions.append(tx)
    police = text(
        c, f"{prefix}police_report_no", obj.get("police_report_no"), max_len=MAX["police_report_no"]
    )
    stop = when(c, f"{prefix}stop_payment_requested_at", obj.get("stop_payment_requested_at"), now)
    freeze = when(c, f"{prefix}freeze_requested_at", obj.get("freeze_requested_at"), now)
    if len(c.errors) > errors_before or name is None:
        return None
    return FraudReportInput(
        customer_name=name,
        id_number=id_number,
        phone=tel,
        account_number=acct,
        channel=channel,
        transactions=transactions,
        police_report_no=police,
        stop_payment_requested_at=stop,
        freeze_requested_at=freeze,
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# -- a whole incident ------------------------------------------------------------------------
def check_incident(
    raw: Any,
    *,
    now: datetime,
    subtypes: SubtypeIndex | None = None,
    strict: bool = True,
    prefix: str = "",
) -> tuple[IncidentCreate | None, list[FieldError]]:
    """Check one incident (a JSON object or `IncidentCreate.model_dump()`).

    `strict` also refuses keys the format does not know. Returns the clean, typed
    incident (times in UTC, defaults filled) or None, and every broken rule.
    """
    if not isinstance(raw, Mapping):
        if prefix:
            return None, [
                FieldError("invalid_type", prefix.rstrip("."), {"expected_label": AN_OBJECT})
            ]
        return None, [FieldError("json_not_object", None)]
    c = Checker(prefix)
    if strict:
        unknown_keys(c, "", raw, TOP_KEYS)
    title = text(c, "title", raw.get("title"), max_len=MAX["title"], required=True)
    category = c.choice("category", raw.get("category"), Category, required=True)
    sub = subcategory(c, raw.get("subcategory"), category, subtypes)
    # customer fraud arrives through customer feedback unless told otherwise; with an
    # unknown class it is unknown whether a channel is needed
    channel = c.choice(
        "channel",
        raw.get("channel"),
        Channel,
        required=category is not None and category is not Category.CUSTOMER_FRAUD,
    )
    if channel is None and category is Category.CUSTOMER_FRAUD and _blank(raw.get("channel")):
        channel = Channel.CUSTOMER_FEEDBACK
    occurred_at = when(c, "occurred_at", raw.get("occurred_at"), now)
    reported_at = when(c, "reported_at", raw.get("reported_at"), now)
    if _blank(raw.get("reported_at")):
        reported_at = now
    time_order(c, occurred_at, reported_at)
    who = reporter(c, raw.get("reporter"), strict=strict)
    branch = text(c, "branch", raw.get("branch"), max_len=MAX["branch"])
    description = text(
        c, "description", raw.get("description"), max_len=MAX["description"], multiline=True
    )
    affected = services(c, raw.get("affected_services"))
    fraud = None
    raw_fraud = raw.get("fraud")
    if category is Category.CUSTOMER_FRAUD:
        if raw_fraud is None:
            c.fail("fraud", "required")
        else:
            fraud = fraud_report(c, raw_fraud, now, strict=strict)
    elif raw_fraud is not None and category is not None:
        c.fail("fraud", "fraud_not_allowed")
    elif raw_fraud is not None:
        # the class itself is wrong: still report what is wrong inside the fraud report
        fraud_report(c, raw_fraud, now, strict=strict)
    if not c.ok:
        return None, c.errors
    assert title is not None and category is not None and who is not None
    return IncidentCreate(
        title=title,
        category=category,
        subcategory=sub,
        channel=channel,
        occurred_at=occurred_at,
        reported_at=reported_at,
        reporter=who,
        branch=branch,
        description=description,
        affected_services=affected,
        fraud=fraud,
    ), []
