"""Prospect filters shared by the list page, the API list and enrol-by-filter (resolved in SQL)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, joinedload

from sequencer.errors import Invalid
from sequencer.models import Company, Persona, Prospect, ProspectStatus

PER_PAGE = 50


@dataclass
class ProspectFilters:
    q: str = ""
    persona: str = ""
    status: str = ""
    country: str = ""
    owner: str = ""

    @classmethod
    def from_args(cls, args, me: int | None = None) -> ProspectFilters:
        """From query args or a form; `owner=me` becomes the caller's id."""
        found = cls(**{f: (args.get(f) or "").strip() for f in cls.__dataclass_fields__})
        if found.owner == "me" and me is not None:
            found.owner = str(me)
        found.check()
        return found

    def check(self) -> None:
        """An unknown status or owner is refused, naming the parameter, rather than silently ignored."""
        problems = []
        if self.status and self.status not in {s.value for s in ProspectStatus}:
            problems.append({"field": "status", "message": "must be one of " + ", ".join(s.value for s in ProspectStatus)})
        if self.owner and not (self.owner.isascii() and self.owner.isdigit()):
            problems.append({"field": "owner", "message": "must be `me` or a user id"})
        if problems:
            raise Invalid.of(problems)

    def apply(self, stmt: Select) -> Select:
        if self.q:  # `%` and `_` are letters here, not wildcards
            q = self.q.lower()
            full_name = func.lower(Prospect.first_name + " " + Prospect.last_name)
            stmt = stmt.where(or_(*(column.contains(q, autoescape=True) for column in (
                full_name, Prospect.email_normalized, func.lower(Company.name), func.lower(Prospect.title)))))
        if self.persona:
            stmt = stmt.where(Persona.key == self.persona)
        if self.status in {s.value for s in ProspectStatus}:
            stmt = stmt.where(Prospect.status == ProspectStatus(self.status))
        if self.country:
            stmt = stmt.where(Prospect.country == self.country.upper())
        if self.owner.isascii() and self.owner.isdigit():
            stmt = stmt.where(Prospect.owner_id == int(self.owner))
        return stmt

    def args(self, **changes) -> dict:
        out = {k: v for k, v in vars(self).items() if v}
        out.update(changes)
        return out

    def describe(self) -> str:
        """`persona=cfo, country=LT` for confirmations; "all prospects" when nothing is set."""
        return ", ".join(f"{k}: {v}" for k, v in self.args().items()) or "all prospects"


def _base(filters: ProspectFilters) -> Select:
    stmt = (select(Prospect).outerjoin(Company, Prospect.company_id == Company.id)
            .outerjoin(Persona, Prospect.persona_id == Persona.id))
    return filters.apply(stmt)


def search_prospects(session: Session, filters: ProspectFilters, page: int,
                     per_page: int = PER_PAGE) -> tuple[list[Prospect], int]:
    """One page of matching prospects and the total count (two queries, whatever the page size)."""
    base = _base(filters)
    total = session.scalar(select(func.count()).select_from(base.with_only_columns(Prospect.id).subquery()))
    rows = session.scalars(
        base.options(joinedload(Prospect.company), joinedload(Prospect.persona), joinedload(Prospect.owner))
        .order_by(Prospect.last_name, Prospect.first_name, Prospect.id)
        .limit(per_page).offset((page - 1) * per_page)
    ).unique().all()
    return list(rows), total or 0


def matching_ids(session: Session, filters: ProspectFilters) -> list[int]:
    """Every matching prospect id, in list order: enrol-by-filter resolves here, not in the browser."""
    stmt = _base(filters).with_only_columns(Prospect.id).order_by(
        Prospect.last_name, Prospect.first_name, Prospect.id)
    return list(session.scalars(stmt))
