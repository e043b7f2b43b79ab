"""Payloads of the speakers endpoints and events (pydantic: unknown fields and wrong types are refused)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.speakers.service import MAX_TIME_STEP
from app.validation import Id


class Strict(BaseModel):
    """Unknown fields are refused, and so are numbers sent as text or booleans (as in the socket events)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class RequestIn(Strict):
    """A member asks for the floor on an item (or raises a point of order)."""

    item_id: Id
    kind: Literal["normal", "point_of_order"] = "normal"


class RequestRef(Strict):
    """One request (withdraw, remove)."""

    request_id: Id


class ReorderIn(Strict):
    """The chair's new order of an item's waiting requests."""

    item_id: Id
    order: list[Id] = Field(max_length=500)


class FloorIn(Strict):
    """Give the floor on an item: to a request, or to the next in line when request_id is absent."""

    item_id: Id
    request_id: Id | None = None


class AddIn(Strict):
    """The chair puts a member on an item's list."""

    item_id: Id
    membership_id: Id
    kind: Literal["normal", "point_of_order"] = "normal"


class TimeIn(Strict):
    """More (or, negative, less) time for the running speech, in seconds."""

    seconds: int = Field(ge=-MAX_TIME_STEP, le=MAX_TIME_STEP)


class EndIn(Strict):
    """End the running speech."""


class SettingsIn(Strict):
    """The default speaking time and the warning, in seconds."""

    limit_seconds: int = Field(ge=10, le=3600)
    warn_seconds: int = Field(default=30, ge=0, le=3600)
