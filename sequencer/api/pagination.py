"""One way to page every list of the API: `page`/`per_page` in, counted and cut in SQL, RFC 8288 `Link` out."""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from flask import Response, jsonify, request

from sequencer.api.errors import ApiError
from sequencer.platform.bounds import MAX_PAGE
from sequencer.platform.paging import Page, count, fetch, last_page

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
__all__ = ["Page", "count", "fetch", "page_args", "paged_response", "paginated"]
PAGED_ATTR = "_api_paginated"  # set on list views; the OpenAPI document adds the parameters and headers


def paginated(view: Callable) -> Callable:
    """Marks a list endpoint, so the OpenAPI document shows `page`, `per_page` and the paging headers."""
    setattr(view, PAGED_ATTR, True)
    return view


def _positive(name: str, default: int, most: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    raw = raw.strip()
    digits = raw.isascii() and raw.isdigit()
    value = (int(raw) if len(raw) < 12 else most + 1) if digits else 0
    if value < 1:
        message = "must be a positive integer"
    elif value > most:
        message = f"must be at most {most}"
    else:
        return value
    raise ApiError(422, "validation_error", f"{name}: {message}", [{"field": name, "message": message}])


def page_args() -> Page:
    """The request's page (from 1) and page size (default 50, at most 500: larger is a 422, never clamped)."""
    return Page(_positive("page", 1, MAX_PAGE), _positive("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE))


def _url(number: int) -> str:
    """This request's absolute URL on page `number`, other query parameters kept in their order."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
    return f"{request.base_url}?{urlencode([*pairs, ('page', number)])}"


def link_header(page: Page, total: int) -> str:
    """RFC 8288: first and last always; prev unless on the first page; next when a further page exists."""
    last = last_page(total, page.per_page)
    rels = {"first": 1}
    if page.number > 1:
        rels["prev"] = min(page.number - 1, last)
    if page.number < last:
        rels["next"] = page.number + 1
    rels["last"] = last
    return ", ".join(f'<{_url(n)}>; rel="{rel}"' for rel, n in rels.items())


def paged_response(items: list, page: Page, total: int) -> Response:
    """The page as a JSON array, with `X-Total-Count` and `Link`."""
    response = jsonify(items)
    response.headers["X-Total-Count"] = str(total)
    response.headers["Link"] = link_header(page, total)
    return response
