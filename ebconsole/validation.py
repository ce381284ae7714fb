"""Input rules shared by every aggregate. A `Checker` collects every broken rule so the
user sees all of them at once, then raises one ValidationFailed naming each field."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

from ebconsole.errors import FieldError, ValidationFailed
from ebconsole.i18n import N_
from ebconsole.timeutil import as_utc

E = TypeVar("E", bound=Enum)

_CONTROL_OK = {"\n", "\t", "\r"}


def has_control_characters(text: str, multiline: bool = False) -> bool:
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co"):
            if multiline and ch in _CONTROL_OK:
                continue
            # zero-width joiner etc. (Cf) are invisible tricks in a record; refuse them too
            return True
    return False


class Checker:
    def __init__(self, prefix: str = ""):
        self.errors: list[FieldError] = []
        self.prefix = prefix

    def _path(self, field: str) -> str:
        return f"{self.prefix}{field}"

    def fail(self, field: str | None, code: str, **params: Any) -> None:
        self.errors.append(FieldError(code, self._path(field) if field else None, params))

    def extend(self, errors: list[FieldError]) -> None:
        self.errors.extend(errors)

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_if_failed(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)

    # -- rules ---------------------------------------------------------------------
    def text(
        self,
        field: str,
        value: Any,
        *,
        required: bool = False,
        max_len: int = 200,
        min_len: int = 0,
        multiline: bool = False,
    ) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(field, "required")
            return None
        if not isinstance(value, str):
            self.fail(field, "invalid_type", expected_label=N_("text"))
            return None
        value = value.strip()
        if len(value) > max_len:
            self.fail(field, "too_long", max=max_len)
            return None
        if len(value) < min_len:
            self.fail(field, "too_short", min=min_len)
            return None
        if has_control_characters(value, multiline=multiline):
            self.fail(field, "control_characters")
            return None
        return value

    def choice(self, field: str, value: Any, enum: type[E], *, required: bool = False) -> E | None:
        if value is None or value == "":
            if required:
                self.fail(field, "required")
            return None
        if isinstance(value, enum):
            return value
        try:
            return enum(value)
        except ValueError:
            self.fail(
                field,
                "invalid_choice",
                value=str(value)[:40],
                allowed=", ".join(str(m.value) for m in enum),
            )
            return None

    def when(
        self,
        field: str,
        value: Any,
        *,
        required: bool = False,
        not_future: bool = True,
        now: datetime | None = None,
    ) -> datetime | None:
        if value is None or value == "":
            if required:
                self.fail(field, "required")
            return None
        if isinstance(value, datetime):
            parsed = value
        elif isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                self.fail(field, "invalid_datetime", value=value[:40])
                return None
        else:
            self.fail(field, "invalid_datetime", value=str(value)[:40])
            return None
        result = as_utc(parsed)
        if not_future and now is not None and result > now:
            self.fail(field, "datetime_in_future")
            return None
        return result

    def day(self, field: str, value: Any, *, required: bool = False) -> date | None:
        if value is None or value == "":
            if required:
                self.fail(field, "required")
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(field, "invalid_date", value=str(value)[:40])
            return None

    def amount(
        self,
        field: str,
        value: Any,
        *,
        required: bool = True,
        max_value: Decimal = Decimal("9999999999999999.99"),
    ) -> Decimal | None:
        if value is None or value == "":
            if required:
                self.fail(field, "required")
            return None
        if isinstance(value, (bool, float)):
            # floats cannot carry money exactly; the format asks for decimal strings
            self.fail(
                field, "invalid_type", expected_label=N_('a decimal string such as "1200.50"')
            )
            return None
        try:
            amount = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            self.fail(field, "not_a_number", value=str(value)[:40])
            return None
        if not amount.is_finite():
            self.fail(field, "not_a_number", value=str(value)[:40])
            return None
        if amount <= 0:
            self.fail(field, "amount_not_positive")
            return None
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            self.fail(field, "amount_decimals", max=2)
            return None
        if amount > max_value:
            self.fail(field, "amount_too_large", max=str(max_value))
            return None
        return amount.quantize(Decimal("0.01"))

    def integer(
        self,
        field: str,
        value: Any,
        *,
        required: bool = False,
        min_value: int = 0,
        max_value: int = 10**12,
    ) -> int | None:
        if value is None or value == "":
            if required:
                self.fail(field, "required")
            return None
        if isinstance(value, bool):
            self.fail(field, "invalid_type", expected_label=N_("a whole number"))
            return None
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.fail(field, "not_a_number", value=str(value)[:40])
            return None
        if not (min_value <= number <= max_value):
            self.fail(field, "not_in_range", min=min_value, max=max_value)
            return None
        return number

    def pattern(
        self, field: str, value: Any, regex: re.Pattern[str], code: str, *, required: bool = False
    ) -> str | None:
        text = self.text(field, value, required=required, max_len=64)
        if text is None:
            return None
        if not regex.fullmatch(text):
            self.fail(field, code, value=text[:40])
            return None
        return text


# -- identifiers -----------------------------------------------------------------------
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
ID_NUMBER = re.compile(r"^\d{17}[\dXx]$")
PHONE = re.compile(r"^\+?[\d\- ()]{5,20}$")
ACCOUNT = re.compile(r"^\d{8,32}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")


def id_check_digit(first17: str) -> str:
    """GB 11643-1999 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def check_id_number(
    checker: Checker, field: str, value: Any, *, required: bool = False
) -> str | None:
    text = checker.text(field, value, required=required, max_len=18)
    if text is None:
        return None
    text = text.replace(" ", "")
    if not ID_NUMBER.fullmatch(text):
        checker.fail(field, "invalid_id_format")
        return None
    expected = id_check_digit(text[:17])
    if text[17].upper() != expected:
        checker.fail(field, "invalid_id_number", expected=expected)
        return None
    try:
        date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        checker.fail(field, "invalid_id_format")
        return None
    return text.upper()


def normalize_account(value: str) -> str:
    return value.replace(" ", "").replace("-", "")
