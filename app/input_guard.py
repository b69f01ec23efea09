"""Input no page has to think about: ids and page numbers out of range, control characters.

One place for the whole app, so no view can forget: the `int` URL converter matches only
1..2^31-1 (a bigger id is a 404 everywhere, never an overflow in PostgreSQL's integer columns),
`?page=` outside that range is a 404, and every submitted form or query value has its control
characters (NUL included, which PostgreSQL refuses in text) removed before any form reads it;
a value that is only invisible characters counts as empty.
"""
import re
import unicodedata

from flask import Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER
# C0 controls except tab, newline and carriage return; DEL; C1 controls.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` for database ids and sprint numbers: 1..2^31-1, else no route matches (404)."""

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ID, signed=False):  # noqa: A002 -- werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


# Letters that render as nothing (Hangul fillers, the braille blank): a name made of them is empty.
BLANK_LETTERS = set("\u115f\u1160\u3164\uffa0\u2800")


def _invisible(char):
    return char.isspace() or char in BLANK_LETTERS or unicodedata.category(char) in ("Cf", "Zs", "Zl", "Zp")


def strip_control_chars(value):
    """Control characters removed; a value with nothing visible left (zero-width or direction
    marks only) becomes "", so every required field refuses it beside the field."""
    if not isinstance(value, str):
        return value
    value = CONTROL_CHARS.sub("", value)
    return "" if value and all(_invisible(c) for c in value) else value


class CleanMultiDict(ImmutableMultiDict):
    """Form and query values with control characters removed (files are left alone)."""

    def __init__(self, mapping=None):
        if mapping is not None and not isinstance(mapping, dict):
            mapping = [(strip_control_chars(k), strip_control_chars(v)) for k, v in mapping]
        elif isinstance(mapping, dict):
            mapping = [(strip_control_chars(k), strip_control_chars(v)) for k, v in _items(mapping)]
        super().__init__(mapping)


def _items(mapping):
    if hasattr(mapping, "items") and callable(getattr(mapping, "lists", None)):
        return [(k, v) for k, vs in mapping.lists() for v in vs]
    return list(mapping.items())


class CleanRequest(Request):
    parameter_storage_class = CleanMultiDict


def page_number(value):
    """?page= as an int in 1..2^31-1 (plain ASCII digits), else None."""
    if value is None or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def is_id(value):
    """True for a plain ASCII positive id that fits an INTEGER column (`isdigit()` accepts '²')."""
    return page_number(value) is not None


def install_input_guard(app):
    """Call right after the Flask app is made: before any blueprint adds its routes."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.request_class = CleanRequest

    @app.before_request
    def _refuse_page_out_of_range():
        raw = request.args.get("page")
        if raw is not None and page_number(raw) is None:
            abort(404)
