"""Payloads of the attendance endpoints and events (pydantic: unknown fields and wrong types are refused)."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ScanIn(Strict):
    """A scanned badge URL or a typed badge code."""

    code: str = Field(min_length=1, max_length=500)


class MarkIn(Strict):
    """The secretary's change to one member: present, left (optionally at a time), excused (with a reason), undo."""

    action: Literal["present", "left", "excused", "undo"]
    excuse: str = Field(default="", max_length=300)
    at: datetime | None = None


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
