"""The UI's long lists: this request's page number and sort, cut in SQL by the shared paging module,
page numbers for the pager macro, and a page past the last one answered in plain words (a 404)."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import abort, request
from flask_babel import ngettext
from sqlalchemy import Select
from sqlalchemy.orm import Session

from sequencer.platform.paging import Page, Sort, count, last_page

PER_PAGE = 50
WINDOW = 2  # page numbers shown either side of the current one


@dataclass
class Listing:
    rows: list[Any]
    total: int
    page: int
    per_page: int = PER_PAGE
    sort: Sort | None = None

    @property
    def pages(self) -> int:
        return last_page(self.total, self.per_page)

    def numbers(self) -> list[int | None]:
        """1 … 4 5 [6] 7 8 … 20: the first, the last and a window around the current page; None marks a gap."""
        shown = sorted({1, self.pages, *range(max(self.page - WINDOW, 1), min(self.page + WINDOW, self.pages) + 1)})
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out

    def sort_link(self, key: str, desc_first: bool = False) -> str:
        """The `sort` value a column header links to: its first direction, the other one when already sorted so."""
        first = f"-{key}" if desc_first else key
        if self.sort and self.sort.token == first:
            return key if desc_first else f"-{key}"
        return first


def requested_page() -> int:
    """`page` from the query string; anything but a positive whole number is page 1."""
    raw = (request.args.get("page") or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 12 and int(raw) > 0 else 1


def check_page(page: int, total: int, per_page: int = PER_PAGE) -> None:
    pages = last_page(total, per_page)
    if page > pages:
        abort(404, ngettext("There is no page %(page)s of this list: it has %(num)d page. Go back, or open page 1.",
                            "There is no page %(page)s of this list: it has %(num)d pages. Go back, or open page 1.",
                            pages, page=page))


def listed(session: Session, stmt: Select, *, sorts: Mapping[str, Sequence[Any]] | None = None,
           default_sort: str = "", tiebreak: Sequence[Any] = (), per_page: int = PER_PAGE,
           entities: bool = True, key_column: Any = None, load: Callable[[Select], Select] | None = None) -> Listing:
    """One page of `stmt`, ordered by the request's whitelisted `sort`, with the total (two queries). With
    `key_column` the page's keys are cut first and only those rows joined and loaded (`load` adds eager loads):
    the planner then never joins every matching row before the LIMIT."""
    page = requested_page()
    total = count(session, stmt)
    check_page(page, total, per_page)
    sort = Sort.parse(request.args.get("sort"), sorts, default_sort) if sorts else None
    order = sort.order_by(sorts, tiebreak) if sort is not None and sorts else None
    if key_column is not None and order is not None:
        keys = Page(page, per_page).cut(stmt.with_only_columns(key_column).order_by(None).order_by(*order))
        cut = stmt.where(key_column.in_(keys.scalar_subquery())).order_by(None).order_by(*order)
    else:
        cut = Page(page, per_page).cut(stmt.order_by(None).order_by(*order) if order is not None else stmt)
    cut = load(cut) if load else cut
    rows = list(session.scalars(cut).unique()) if entities else list(session.execute(cut).unique().all())
    return Listing(rows, total, page, per_page, sort)


def listed_rows(rows: list[Any], *, sorts: Mapping[str, Callable[[Any], Any]], default_sort: str,
                per_page: int = PER_PAGE) -> Listing:
    """The same for a list already in memory (rows whose filter needs Python, like stale deals): sorted by the
    request's whitelisted key, rows without a value last either way, then cut to the page."""
    page = requested_page()
    check_page(page, len(rows), per_page)
    sort = Sort.parse(request.args.get("sort"), sorts, default_sort)
    key = sorts[sort.key]
    known = sorted((r for r in rows if key(r) is not None), key=key, reverse=sort.descending)
    ordered = known + [r for r in rows if key(r) is None]
    return Listing(ordered[(page - 1) * per_page: page * per_page], len(rows), page, per_page, sort)
