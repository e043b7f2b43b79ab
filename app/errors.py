"""Domain errors: every refusal carries a sentence a person can act on.

A refusal is raised in English with its fill-ins apart, so that it can be shown in the reader's language:

    raise InvalidTransition("Cannot open vote %(id)s: it is %(state)s.", id=vote.id,
                            state=Term("vote state", "closed"))

The first argument is the catalogue's msgid (`scripts/i18n` extracts it by the class name); `exc.message` is
the English sentence, `exc.localized()` the translated one. A fill-in that is itself text people read (a state,
a role, a list of problems, a number with thousands) is one of the small classes below: English when the
sentence is formatted in English, translated when it is shown. Names, titles and ids stay as they are.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable


def localize(value: Any) -> Any:
    """A fill-in in the reader's language (a Term, Phrase, Listing or Count); anything else as it is."""
    return value.localized() if hasattr(value, "localized") else value


def _translate(message: str, params: dict[str, Any]) -> str:
    from flask import has_request_context

    if not has_request_context():
        return message % params if params else message
    from flask_babel import gettext

    return gettext(message, **{k: localize(v) for k, v in params.items()})


class Term(str):
    """A word filled into a sentence (a state, a role, a kind of thing), with a context for the translator:
    `Term("vote state", "closed")` is the str "closed" (so English sentences read as before) and
    `pgettext("vote state", "closed")` when shown. Extracted like pgettext (context first)."""

    context: str

    def __new__(cls, context: str, word: str) -> "Term":
        term = super().__new__(cls, word)
        term.context = context
        return term

    def __reduce__(self) -> tuple:  # a refusal travels from the ballot writer's process as a pickle
        return (Term, (self.context, str.__str__(self)))

    def localized(self) -> str:
        from flask import has_request_context

        if not has_request_context():
            return str.__str__(self)
        from flask_babel import pgettext

        return pgettext(self.context, str.__str__(self))


class Phrase:
    """A clause with its own fill-ins inside a sentence (one problem of several): English by str()."""

    def __init__(self, message: str, **params: Any):
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return self.message % self.params if self.params else self.message

    def __repr__(self) -> str:
        return f"Phrase({str(self)!r})"

    def localized(self) -> str:
        return _translate(self.message, self.params)


class Listing:
    """Several fill-ins as one: “chair or secretary” (style "or"), “a, b and c” ("standard"), or joined by
    `sep` (“row 2: …; row 5: …”), each item localized and the list written the reader's way. With `end`,
    every item ends with it once (sentences joined by " " with end=".")."""

    def __init__(self, items: Iterable[Any], style: str = "or", sep: str | None = None, end: str | None = None):
        self.items = list(items)
        self.style = style
        self.sep = sep
        self.end = end

    def _join(self, parts: list[str], locale: str) -> str:
        if self.end:
            parts = [p.rstrip(self.end) + self.end for p in parts]
        if self.sep is not None:
            return self.sep.join(parts)
        from babel.lists import format_list

        return format_list(parts, style=self.style, locale=locale)

    def __str__(self) -> str:
        return self._join([str(i) for i in self.items], "en")

    def localized(self) -> str:
        from flask import has_request_context

        if not has_request_context():
            return str(self)
        from app.i18n import current_locale

        return self._join([str(localize(i)) for i in self.items], current_locale())


class Count:
    """A number written the reader's way: 10,000 and 0.25 in English, 10.000 and 0,25 in Vietnamese."""

    def __init__(self, value: float):
        self.value = value

    def __str__(self) -> str:
        return f"{self.value:,}" if isinstance(self.value, int) else f"{self.value:,g}"

    def localized(self) -> str:
        from flask import has_request_context

        if not has_request_context():
            return str(self)
        from flask_babel import format_decimal

        try:
            return format_decimal(self.value)
        except (ArithmeticError, ValueError):  # a number too large for Babel's decimals (1e300): as Python writes it
            return str(self)


class Clock:
    """A time of day of a moment stored in UTC, shown in the meeting's time zone (DAIS_TIMEZONE): “14:05”."""

    def __init__(self, value: datetime):
        self.value = value

    def __str__(self) -> str:  # outside a request (logs, the CLI): as stored, in UTC
        return self.value.strftime("%H:%M")

    def localized(self) -> str:
        from flask import has_request_context

        if not has_request_context():
            return str(self)
        from app.i18n import local

        return local(self.value).strftime("%H:%M")


class DomainError(Exception):
    """Base of every refusal raised by a service. `message` is the English sentence; `localized()` is shown."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, **params: Any):
        # `message` is the English sentence and the catalogue's msgid; fill-ins go in %(name)s + params so
        # that the sentence can be translated (see "Languages" in docs/architecture.md).
        text = message % params if params else message
        super().__init__(text)
        self.message = text
        self.template = message
        self.params = params

    def localized(self) -> str:
        """The sentence in the user's language (English outside a request or without a catalogue entry)."""
        return _translate(self.template, self.params)

    def to_dict(self) -> dict:
        return {"ok": False, "error": self.code, "message": self.localized()}

    def as_list(self) -> tuple[str, list[str]]:
        """The sentence as a heading and a list, where it holds a list joined by a separator (“row 2: …; row 5:
        …”) of two or more: (“Nothing was imported. Fix these rows and upload again:”, [“row 2: …”, “row 5: …”]);
        else (the sentence, [])."""
        name = next((k for k, v in self.params.items()
                     if isinstance(v, Listing) and v.sep is not None and len(v.items) > 1), None)
        if name is None:
            return self.localized(), []
        head = _translate(self.template, {**self.params, name: ""}).rstrip(" :;.")
        return head + ":", [str(localize(item)) for item in self.params[name].items]


class BadInput(DomainError):
    """The request or payload is malformed or out of range."""

    status = 400
    code = "bad_input"


class NotFound(DomainError):
    """The thing asked for does not exist (or the user may not know it exists)."""

    status = 404
    code = "not_found"


class Forbidden(DomainError):
    """The user is known but may not do this."""

    status = 403
    code = "forbidden"


class Unauthorized(DomainError):
    """The user is not signed in, or the sign-in token is not valid."""

    status = 401
    code = "unauthorized"


class Gone(DomainError):
    """A token or link that once worked and no longer does."""

    status = 410
    code = "gone"


class InvalidTransition(DomainError):
    """A state change that the current state does not allow."""

    status = 409
    code = "invalid_transition"


class Conflict(DomainError):
    """The change collides with what is already stored."""

    status = 409
    code = "conflict"


class RateLimited(DomainError):
    """Too many requests or events in a short time."""

    status = 429
    code = "rate_limited"


class Unavailable(DomainError):
    """A part of the server stopped while it held the request; sending it again is safe."""

    status = 503
    code = "unavailable"
