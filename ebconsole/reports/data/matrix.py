"""What the responsibility matrix and emergency contacts report (职责矩阵与应急通讯录)
shows: the three groups with their composition and duties, who does what in each phase of
the response, and every member's phones with their deputy."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ebconsole.organisation import service as organisation
from ebconsole.organisation.dto import Contact, Matrix
from ebconsole.organisation.enums import GroupCode
from ebconsole.reports.data.common import Origin, load_origin


@dataclass(frozen=True)
class GroupData:
    code: GroupCode
    name_zh: str
    name_en: str
    composition_zh: str
    composition_en: str
    duties_zh: str
    duties_en: str

    def name(self, lang: str) -> str:
        return self.name_zh if lang.startswith("zh") else self.name_en

    def composition(self, lang: str) -> str:
        return self.composition_zh if lang.startswith("zh") else self.composition_en

    def duties(self, lang: str) -> str:
        return self.duties_zh if lang.startswith("zh") else self.duties_en


@dataclass(frozen=True)
class MatrixData:
    origin: Origin
    groups: tuple[GroupData, ...]
    matrix: Matrix
    contacts: tuple[Contact, ...]


def load(*, session: Session) -> MatrixData:
    groups = tuple(
        GroupData(
            code=g.code,
            name_zh=g.name_zh,
            name_en=g.name_en,
            composition_zh=g.composition_zh,
            composition_en=g.composition_en,
            duties_zh=g.duties_zh,
            duties_en=g.duties_en,
        )
        for g in organisation.list_groups(session=session)
        if g.archived_at is None
    )
    return MatrixData(
        origin=load_origin(session=session),
        groups=groups,
        matrix=organisation.get_matrix(session=session),
        contacts=tuple(organisation.contacts(session=session)),
    )
