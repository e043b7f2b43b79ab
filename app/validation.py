"""Pydantic's validation errors as clauses in the reader's language (its own messages are English only).

    except ValidationError as exc:
        raise BadInput("Check the form: %(problems)s.", problems=problems(exc))

A clause names the field as sent (“page”), or by a label given for it (`labels={"question": Term(...)}`).
A validator's own ValueError carries a catalogued sentence: `raise ValueError(N_("give at least two options"))`.
"""
from __future__ import annotations

import re
from typing import Annotated, Any, Mapping

from pydantic import Field, ValidationError

from app.errors import Listing, Phrase

Labels = Mapping[str, Any]

# An id as payloads may carry it: what the database's integer columns hold (a larger number would make
# PostgreSQL refuse the query with an error instead of finding nothing). Every payload model uses it.
ID_MAX = 2_147_483_647
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
# A page number: no document has more pages (uploads stop far sooner). Below 1 or past the document's last page,
# the check that knows the document refuses it, with a sentence that names its pages.
PAGE_MAX = 100_000
Page = Annotated[int, Field(le=PAGE_MAX)]


# Characters no stored text may hold: NUL (PostgreSQL refuses it in a text column: a server error there) and half
# of a UTF-16 surrogate pair, which JSON can spell ("\ud800") but UTF-8 cannot encode (SQLite and every reply
# fail on it). A request or event holding one is refused before any handler sees it.
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")


def holds_non_text(value: Any) -> bool:
    """Whether a payload (dicts, lists, texts, numbers, as JSON gives them) holds such a character anywhere,
    keys included. Iterative: a payload nested deeply does not exhaust the stack."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _NOT_TEXT.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return False


def field_name(err: Mapping[str, Any], labels: Labels | None = None) -> Any:
    """The field an error is about: its label when one is given, else its path as sent ("geometry.rects.0")."""
    loc = [str(p) for p in err.get("loc", ())]
    if labels and loc and loc[0] in labels:
        return labels[loc[0]]
    return ".".join(loc)


def problem(err: Mapping[str, Any], labels: Labels | None = None) -> Phrase:
    """One pydantic error as a clause: “page” must be a whole number."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    field = field_name(err, labels)
    if kind == "value_error" and isinstance(ctx.get("error"), ValueError):
        return Phrase(str(ctx["error"]))  # a validator's sentence, marked with N_() where it is raised
    if not field or kind in ("model_type", "dict_type", "model_attributes_type"):
        if not field:
            return Phrase("the request must be an object (a JSON dictionary)")
        return Phrase("“%(field)s” must be an object (a JSON dictionary)", field=field)
    if kind == "missing":
        return Phrase("“%(field)s” is missing", field=field)
    if kind == "extra_forbidden":
        return Phrase("“%(field)s” is not an accepted field", field=field)
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return Phrase("“%(field)s” must be a whole number", field=field)
    if kind in ("float_type", "float_parsing", "finite_number"):
        return Phrase("“%(field)s” must be a number", field=field)
    if kind in ("bool_type", "bool_parsing"):
        return Phrase("“%(field)s” must be true or false", field=field)
    if kind in ("string_type", "string_unicode"):
        return Phrase("“%(field)s” must be text", field=field)
    if kind in ("list_type", "tuple_type", "set_type"):
        return Phrase("“%(field)s” must be a list", field=field)
    if kind.startswith("datetime") or kind.startswith("date_"):
        return Phrase("“%(field)s” must be a date and time such as 2026-12-03T14:05", field=field)
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return Phrase("“%(field)s” must be one of %(allowed)s", field=field, allowed=Listing(allowed, style="or"))
    if kind == "greater_than_equal":
        return Phrase("“%(field)s” must be at least %(limit)s", field=field, limit=ctx.get("ge"))
    if kind == "greater_than":
        return Phrase("“%(field)s” must be more than %(limit)s", field=field, limit=ctx.get("gt"))
    if kind == "less_than_equal":
        return Phrase("“%(field)s” must be at most %(limit)s", field=field, limit=ctx.get("le"))
    if kind == "less_than":
        return Phrase("“%(field)s” must be less than %(limit)s", field=field, limit=ctx.get("lt"))
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return Phrase("“%(field)s” must not be empty", field=field)
        return Phrase("“%(field)s” needs at least %(limit)s characters", field=field, limit=ctx.get("min_length"))
    if kind == "string_too_long":
        return Phrase("“%(field)s” may have at most %(limit)s characters", field=field, limit=ctx.get("max_length"))
    if kind == "too_short":
        return Phrase("“%(field)s” needs at least %(limit)s entries", field=field, limit=ctx.get("min_length"))
    if kind == "too_long":
        return Phrase("“%(field)s” may have at most %(limit)s entries", field=field, limit=ctx.get("max_length"))
    return Phrase("“%(field)s” is not valid", field=field)


def problems(exc: ValidationError, labels: Labels | None = None, limit: int = 3) -> Listing:
    """The first few errors as clauses joined by “; ”."""
    return Listing([problem(err, labels) for err in exc.errors()[:limit]], sep="; ")


def first_problem(exc: ValidationError, labels: Labels | None = None) -> Phrase:
    """The first error as a clause."""
    return problem(exc.errors()[0], labels)
