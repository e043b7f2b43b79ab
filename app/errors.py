"""Domain errors: every refusal carries a sentence a person can act on."""
from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal raised by a service. `message` is shown to the user."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict:
        return {"ok": False, "error": self.code, "message": self.message}


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
