"""Domain errors: every refusal carries a sentence a person can act on."""
from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal raised by a service. `message` is shown to the user."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, **params):
        # `message` is the English sentence and the catalogue's msgid; fill-ins go in %(name)s + params so
        # that the sentence can be translated (see "Languages" in docs/architecture.md).
        text = message % params if params else message
        super().__init__(text)
        self.message = text
        self.template = message
        self.params = params

    def localized(self) -> str:
        """The sentence in the user's language (English outside a request or without a catalogue entry)."""
        from flask import has_request_context

        if not has_request_context():
            return self.message
        from flask_babel import gettext

        return gettext(self.template, **self.params)

    def to_dict(self) -> dict:
        return {"ok": False, "error": self.code, "message": self.localized()}


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
