"""Payloads of the attendance endpoints and events (pydantic: unknown fields and wrong types are refused)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

from app.i18n import N_

ZONED_TIME = N_("“at” must be a date and time with its time zone, such as 2026-12-03T14:05+01:00")
TIME_OUT_OF_RANGE = N_("“at” is too far in the past or the future; give the time the member left, such as "
                       "2026-12-03T14:05+01:00")


def zoned_time(value: Any) -> Any:
    """An ISO date and time with its zone, as text ("2026-12-03T14:05+01:00", "2026-12-03T13:05Z")."""
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed
    raise ValueError(ZONED_TIME)


def naive_utc(value: datetime | None) -> datetime | None:
    """Times are stored as naive UTC; a time without a zone is taken as UTC. A zoned time whose UTC falls
    outside the calendar (year 1 at +05:00, year 9999 at -05:00) is refused, not a server error."""
    if value is None or value.tzinfo is None:
        return value
    try:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    except OverflowError:
        raise ValueError(TIME_OUT_OF_RANGE) from None


def iso_time(value: Any) -> Any:
    """ISO text as a datetime, with or without its zone; anything else goes on to be refused as not a time."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            return value
    return value


# A time of the socket events (strict payloads): ISO text with its zone, as naive UTC once parsed.
ZonedTime = Annotated[AwareDatetime, BeforeValidator(zoned_time), AfterValidator(naive_utc)]


class Strict(BaseModel):
    """Unknown fields are refused, and so are numbers or booleans sent as text ("quorum_strict": "yes")."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)


class ScanIn(Strict):
    """A scanned badge URL or a typed badge code."""

    code: str = Field(min_length=1, max_length=500)


class TypedIn(Strict):
    """What a door steward typed: a badge's link or code, a seat or a name."""

    text: str = Field(default="", max_length=500)


class MarkIn(Strict):
    """The secretary's change to one member: present, left (optionally at a time), excused (with a reason), undo."""

    action: Literal["present", "left", "excused", "undo"]
    excuse: str = Field(default="", max_length=300)
    at: Annotated[datetime, BeforeValidator(iso_time), AfterValidator(naive_utc)] | None = None  # as naive UTC


class SettingsIn(Strict):
    """The quorum rule and self check-in; only the fields sent change."""

    quorum_basis: Literal["members", "weight", "both"] | None = None
    quorum_num: int | None = Field(default=None, ge=0, le=1000)
    quorum_den: int | None = Field(default=None, ge=1, le=1000)
    quorum_strict: bool | None = None
    exclude_excused: bool | None = None
    self_checkin: bool | None = None


def parse(schema: type[BaseModel], data) -> BaseModel:
    """Validate a JSON body or socket payload; BadInput with a readable sentence when it does not fit."""
    from pydantic import ValidationError

    from app.errors import BadInput
    from app.validation import problems

    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BadInput("The request must be a JSON object.")
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise BadInput("The request was not understood: %(problems)s.", problems=problems(exc))
