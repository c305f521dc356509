"""The request edge for every door of the app (pages and API): ids in paths, NUL and surrogates in input.

One guard before any view runs, so no handler has to remember: a path id past 2^31-1 is a 404 (as
for any unknown id; the database would refuse to look it up), and text a database could not store is a 422 naming the field.
"""
from __future__ import annotations

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound, UnprocessableEntity

from sequencer.api.errors import ApiError
from sequencer.platform.bounds import MAX_ID, MAX_PAGE, id_problem, json_problem, text_problem
from sequencer.texts import tr
from sequencer.web.errors import wants_json
from sequencer.web.locale import say


def _refuse(field: str, message: str) -> None:
    if wants_json():
        raise ApiError(422, "validation_error", f"{field}: {message}", [{"field": field, "message": message}])
    raise UnprocessableEntity(_("%(field)s %(message)s; remove it and try again.", field=field, message=say(message))
                              if field else _("The input %(message)s; remove it and try again.", message=say(message)))


def _names_an_id(key: str) -> bool:
    return key in ("id", "owner", "task") or key.endswith(("_id", "_ids"))


def _number_problem(key: str, value: str) -> str | None:
    """Ids past 2^31-1; on pages, a page number past 10^9 (the API's pagination answers that itself)."""
    if _names_an_id(key):
        return id_problem(value)
    if key == "page" and not wants_json() and value.isascii() and value.strip().isdigit() \
            and int(value.strip()[:12]) > MAX_PAGE:
        return tr("must be at most %(max)s", max=MAX_PAGE)
    return None


def check_request() -> None:
    """404 for a path id past 2^31-1 (no row can have it); 422 for an id-named query value past it, and for query, form or JSON values holding NUL or lone surrogates, or integers past ±2^31-1 in JSON."""
    for name, value in (request.view_args or {}).items():
        if isinstance(value, int) and value > MAX_ID:
            raise NotFound(_("No such %(thing)s.", thing=name.removesuffix("_id")))
    sources = [request.args] if request.is_json else [request.args, request.form]
    for source in sources:
        for key, value in source.items(multi=True):
            problem = text_problem(key) or text_problem(value) or _number_problem(key, value)
            if problem:
                _refuse(key, problem)
    if request.is_json and request.content_length:
        found = json_problem(request.get_json(silent=True))
        if found:
            _refuse(*found)


def init_app(app: Flask) -> None:
    app.before_request(check_request)
