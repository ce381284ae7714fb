"""Masking of customer data (脱敏): the one set of rules for lists, views and reports.

Customer identifiers are shown masked by default everywhere outside the intake form
(see docs/security.md, "Customer data"): in the console's lists and views, in the CLI's
`incident show` and `incident list`, and in every report. A coordinator or administrator
may reveal one field of one incident (`ebconsole.incidents.privacy.reveal_customer_field`),
which is written to the audit trail. Reports show them in full only when their builder
was asked to (`Report(reveal_sensitive=True)`, for an authorised purpose). This module has
no heavy imports, so the command line and the console can use it cheaply.

Rules (every function accepts any input, including empty and very short values, and never
returns more of the value than the rule allows; short values are masked completely):

- account / card number: the first 4 and last 4 digits, always as `6222 **** **** 1234`,
  so the length is not disclosed either; 8–11 digits → `**** 1234`; fewer → all `*`.
- mainland ID number (居民身份证号): the first 3 and last 4 characters,
  `110***********123X` (18 characters; a 15-character legacy number keeps the same 3+4);
  fewer than 10 characters → all `*`. The first 6 digits (the county of household
  registration) are not shown: 3 digits name only the province and city level.
- phone: mobile `138****5678` (first 3, last 4); a landline keeps its last 4
  (`010****5678` with area code, `****5678` without); `+86`/`0086` is kept as a prefix;
  fewer than 7 digits → all `*`.
- person name (optional): `张*`, `王*明`, `欧**娜`; Latin names keep each word's first
  letter (`J*** S****`).

`mask_text` scrubs free text (descriptions, notes) for anything that looks like one of the
numbers above, so a card number a customer dictated into a description does not leak.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

STAR = "*"


def _plain(value: object) -> str:
    """The value as text with full-width digits and letters (６２２２) made ASCII."""
    return unicodedata.normalize("NFKC", "" if value is None else str(value))


def _alnum(value: object) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", _plain(value))


def mask_account(value: object) -> str:
    """`6222021234567891234` → `6222 **** **** 1234`."""
    chars = _alnum(value)
    if len(chars) >= 12:
        return f"{chars[:4]} **** **** {chars[-4:]}"
    if len(chars) >= 8:
        return f"**** {chars[-4:]}"
    return STAR * max(len(chars), 4) if chars else ""


def mask_id_number(value: object) -> str:
    """`11010519491231002X` → `110***********002X`."""
    chars = _alnum(value).upper()
    if len(chars) >= 10:
        return chars[:3] + STAR * (len(chars) - 7) + chars[-4:]
    return STAR * len(chars)


def mask_phone(value: object) -> str:
    """`13812345678` → `138****5678`; `+86 138 1234 5678` → `+86 138****5678`."""
    text = _plain(value).strip()
    digits = re.sub(r"[^0-9]", "", text)
    prefix = ""
    if (text.startswith("+86") or text.startswith("0086")) and len(digits) > 11:
        prefix = "+86 "
        digits = digits[2:] if text.startswith("+86") else digits[4:]
    if len(digits) >= 11:
        return f"{prefix}{digits[:3]}****{digits[-4:]}"
    if len(digits) >= 7:
        return f"{prefix}****{digits[-4:]}"
    return STAR * len(digits)


def mask_name(value: object) -> str:
    """`张三` → `张*`, `王小明` → `王*明`, `John Smith` → `J*** S****`."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if re.fullmatch(r"[A-Za-z .'\-]+", text):
        return " ".join(w[0] + STAR * (len(w) - 1) for w in text.split())
    chars = [c for c in text if not c.isspace()]
    if len(chars) == 1:
        return STAR
    if len(chars) == 2:
        return chars[0] + STAR
    return chars[0] + STAR * (len(chars) - 2) + chars[-1]


class Kind(StrEnum):
    ACCOUNT = "account"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    NAME = "name"


MASKERS: dict[Kind, Callable[[object], str]] = {
    Kind.ACCOUNT: mask_account,
    Kind.ID_NUMBER: mask_id_number,
    Kind.PHONE: mask_phone,
    Kind.NAME: mask_name,
}


def mask(kind: Kind | str, value: object) -> str:
    return MASKERS[Kind(kind)](value)


@dataclass(frozen=True)
class Sensitive:
    """A value a report shows masked unless it was built with `reveal_sensitive=True`.

    Put it in table cells and key–value blocks: `Sensitive(Kind.ACCOUNT, acct)`.
    `str()` gives the masked form, so it cannot leak by accident either.
    """

    kind: Kind
    value: str

    def masked(self) -> str:
        return mask(self.kind, self.value)

    def render(self, reveal: bool = False) -> str:
        return self.value if reveal else self.masked()

    def __str__(self) -> str:
        return self.masked()


def account(value: object) -> Sensitive:
    return Sensitive(Kind.ACCOUNT, "" if value is None else str(value))


def id_number(value: object) -> Sensitive:
    return Sensitive(Kind.ID_NUMBER, "" if value is None else str(value))


def phone(value: object) -> Sensitive:
    return Sensitive(Kind.PHONE, "" if value is None else str(value))


def name(value: object) -> Sensitive:
    return Sensitive(Kind.NAME, "" if value is None else str(value))


# --- free text --------------------------------------------------------------------------
# Numbers in running Chinese text are not delimited by spaces, so the boundaries are
# "no digit or Latin letter next to it" (a CJK character or punctuation is a boundary).
# Digits glued to an identifier (`RPT-BJ01-20260501143000`, `INC_…`, a path) or after a
# decimal point are left alone: those are reference numbers and amounts, not customer data.
_NB = r"(?<![0-9A-Za-z_/\-])(?<!\d\.)"
_NA = r"(?![0-9A-Za-z_/])"
_ID = r"(?P<id>\d{17}[\dXx]|\d{15})"
_MOBILE = r"(?P<phone>(?:(?:\+|00)86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4})"
# 12–32 digits, optionally grouped by spaces or hyphens (`6222 0212 3456 7891 234`)
_ACCOUNT = r"(?P<account>\d(?:[ -]?\d){11,31})"
_NUMBER = re.compile(_NB + "(?:" + "|".join((_ID, _MOBILE, _ACCOUNT)) + ")" + _NA, re.ASCII)
# Full-width digits, as typed with a Chinese input method: matched as ASCII ones.
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def mask_text(text: str) -> str:
    """Free text with ID, mobile and account/card numbers in it masked."""
    if not text:
        return text
    # The translation is one character for one, so match positions hold for `text` too.
    plain = text.translate(_FULL_WIDTH_DIGITS)
    out: list[str] = []
    last = 0
    for match in _NUMBER.finditer(plain):
        kind = match.lastgroup
        masker = mask_id_number if kind == "id" else mask_phone if kind == "phone" else mask_account
        out += [text[last : match.start()], masker(match.group(0))]
        last = match.end()
    out.append(text[last:])
    return "".join(out)
