"""Prospect filters shared by the list page, the API list and enrol-by-filter (resolved in SQL)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, joinedload

from sequencer.errors import Invalid
from sequencer.models import Company, Persona, Prospect, ProspectStatus
from sequencer.people.folding import fold, folded
from sequencer.platform.bounds import MAX_INT
from sequencer.platform.collation import by_name
from sequencer.texts import tr

PER_PAGE = 50
SORTS = ("name", "score", "-score", "fit", "-fit")
NAME_SORTS = {"name": (Prospect.last_name,), "score": (Prospect.score_engagement,), "fit": (Prospect.score_fit,)}
TRUTHS = ("true", "1", "false", "0")


def _plain_int(text: str) -> int | None:
    """An integer written in ASCII digits that an INTEGER column can compare with, else None."""
    digits = text[1:] if text.startswith("-") else text
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 10:
        return None
    value = int(text)
    return value if -MAX_INT <= value <= MAX_INT else None


@dataclass
class ProspectFilters:
    q: str = ""
    persona: str = ""
    status: str = ""
    country: str = ""
    owner: str = ""
    sales_ready: str = ""  # "true" / "false"
    min_score: str = ""
    sort: str = ""  # name (default), score, -score, fit, -fit

    @classmethod
    def from_args(cls, args, me: int | None = None) -> ProspectFilters:
        """From query args or a form; `owner=me` becomes the caller's id."""
        found = cls(**{f: (args.get(f) or "").strip() for f in cls.__dataclass_fields__})
        if found.owner == "me" and me is not None:
            found.owner = str(me)
        found.check()
        return found

    def check(self) -> None:
        """An unknown status, owner, sort or score filter is refused, naming the parameter, rather than ignored."""
        problems = []
        if self.status and self.status not in {s.value for s in ProspectStatus}:
            problems.append({"field": "status", "message": tr("must be one of %(values)s",
                                                                values=", ".join(s.value for s in ProspectStatus))})
        if self.owner and not (self.owner.isascii() and self.owner.isdigit()):
            problems.append({"field": "owner", "message": tr("must be `me` or a user id")})
        if self.sales_ready and self.sales_ready not in TRUTHS:
            problems.append({"field": "sales_ready", "message": tr("must be true or false")})
        if self.min_score and _plain_int(self.min_score) is None:
            problems.append({"field": "min_score", "message": tr("must be a whole number between %(low)s and %(high)s",
                                                                   low=-MAX_INT, high=MAX_INT)})
        if self.sort and self.sort not in SORTS:
            problems.append({"field": "sort", "message": tr("must be one of %(values)s", values=", ".join(SORTS))})
        if problems:
            raise Invalid.of(problems)

    def apply(self, stmt: Select) -> Select:
        if self.q:  # `%` and `_` are letters here, not wildcards
            q = fold(self.q)  # diacritics ignored: "zukauskas" finds "Žukauskas"
            full_name = folded(Prospect.first_name + " " + Prospect.last_name)
            stmt = stmt.where(or_(*(column.contains(q, autoescape=True) for column in (
                full_name, Prospect.email_normalized, folded(Company.name), folded(Prospect.title)))))
        if self.persona:
            stmt = stmt.where(Persona.key == self.persona)
        if self.status in {s.value for s in ProspectStatus}:
            stmt = stmt.where(Prospect.status == ProspectStatus(self.status))
        if self.country:
            stmt = stmt.where(Prospect.country == self.country.upper())
        if self.owner.isascii() and self.owner.isdigit():
            stmt = stmt.where(Prospect.owner_id == int(self.owner))
        if self.sales_ready in TRUTHS:
            stmt = stmt.where(Prospect.sales_ready.is_(self.sales_ready in ("true", "1")))
        min_score = _plain_int(self.min_score)
        if min_score is not None:
            stmt = stmt.where(Prospect.score_engagement >= min_score)
        return stmt

    def order(self, session: Session | None = None, locale: str | None = None) -> tuple:
        """`sort`: name by default (in the `locale` reader's alphabet); score (engagement) or fit, `-` for highest first."""
        by = NAME_SORTS[self.sort.lstrip("-")][0] if self.sort.lstrip("-") in ("score", "fit") else None
        name = (Prospect.last_name, Prospect.first_name, Prospect.id) if session is None else (
            by_name(session, Prospect.last_name, locale), by_name(session, Prospect.first_name, locale), Prospect.id)
        if by is None:
            return name
        return (by.desc() if self.sort.startswith("-") else by.asc(), *name)

    def args(self, **changes) -> dict:
        out = {k: v for k, v in vars(self).items() if v}
        out.update(changes)
        return out

    def describe(self) -> str:
        """`persona=cfo, country=LT` for confirmations; "all prospects" when nothing is set."""
        return ", ".join(f"{k}: {v}" for k, v in self.args().items()) or tr("all prospects")


def _base(filters: ProspectFilters) -> Select:
    stmt = (select(Prospect).outerjoin(Company, Prospect.company_id == Company.id)
            .outerjoin(Persona, Prospect.persona_id == Persona.id))
    return filters.apply(stmt)


def search_prospects(session: Session, filters: ProspectFilters, page: int,
                     per_page: int = PER_PAGE, locale: str | None = None) -> tuple[list[Prospect], int]:
    """One page of matching prospects and the total count (two queries, whatever the page size);
    names in the `locale` reader's alphabetical order."""
    base = _base(filters)
    total = session.scalar(select(func.count()).select_from(base.with_only_columns(Prospect.id).subquery()))
    rows = session.scalars(
        base.options(joinedload(Prospect.company), joinedload(Prospect.persona), joinedload(Prospect.owner))
        .order_by(*filters.order(session, locale))
        .limit(per_page).offset((page - 1) * per_page)
    ).unique().all()
    return list(rows), total or 0


def matching_ids(session: Session, filters: ProspectFilters) -> list[int]:
    """Every matching prospect id, in list order: enrol-by-filter resolves here, not in the browser."""
    stmt = _base(filters).with_only_columns(Prospect.id).order_by(*filters.order())
    return list(session.scalars(stmt))


def rows_of(session: Session, ids: list[int], chunk: int = 1000):
    """The prospects with these ids, in this order, loaded a chunk at a time (CSV exports)."""
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        found = {p.id: p for p in session.scalars(
            select(Prospect).where(Prospect.id.in_(part))
            .options(joinedload(Prospect.company), joinedload(Prospect.owner))).unique()}
        yield from (found[i] for i in part if i in found)
