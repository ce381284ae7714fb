"""Domain errors: a code, the field it concerns and parameters, translated on display."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from ebconsole.i18n import Translate, translator
from ebconsole.i18n.messages import field_label, message_template


@dataclass(frozen=True)
class FieldError:
    """One broken rule: `field` is a dotted path such as `fraud.transactions[1].amount`."""

    code: str
    field: str | None = None
    params: dict[str, Any] = dc_field(default_factory=dict)

    def message(self, tr: Translate) -> str:
        params = {
            k: (tr(v) if isinstance(v, str) and k.endswith("_label") else v)
            for k, v in self.params.items()
        }
        text = tr(message_template(self.code)).format(**params)
        if self.field:
            return tr("{field}: {message}").format(field=field_label(self.field, tr), message=text)
        return text

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "field": self.field, "params": self.params}


class EbError(Exception):
    """Base of every error the core raises on purpose."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(e.message(translator("en")) for e in errors))

    @classmethod
    def one(cls, code: str, field: str | None = None, **params: Any) -> EbError:
        return cls([FieldError(code, field, params)])

    @property
    def code(self) -> str:
        return self.errors[0].code

    def message(self, tr: Translate) -> str:
        return "; ".join(e.message(tr) for e in self.errors)


class ValidationFailed(EbError):
    """Input broke one or more rules; nothing was saved."""


class NotFound(EbError):
    pass


class InvalidTransition(EbError):
    pass


class PermissionDenied(EbError):
    pass


class StaleRecord(EbError):
    """Someone else saved the record since it was read (optimistic locking)."""


class DatabaseVersionError(EbError):
    pass


class AuthenticationFailed(EbError):
    pass
