"""Payload shapes for the annotation API and events (pydantic); the service checks the meaning."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, ValidationError

from app.errors import BadInput
from app.live.handler import MeetingPayload
from app.validation import Id, Page, field_name, problem

Kind = Literal["highlight", "ink", "note"]
Visibility = Literal["private", "meeting", "chair"]
# Lists, not tuples: JSON arrays arrive as lists and the live helper validates strictly.
Rect = Annotated[list[FiniteFloat], Field(min_length=4, max_length=4)]
Point = Annotated[list[FiniteFloat], Field(min_length=2, max_length=2)]


class Geometry(BaseModel):
    """Exactly one of rects (highlight), strokes (ink) or point (note), in PDF points."""

    model_config = ConfigDict(extra="forbid")
    rects: list[Rect] | None = None
    strokes: list[list[Point]] | None = None
    point: Point | None = None


class AnnotationFields(BaseModel):
    """Create: where, what, how it looks and who may see it."""

    model_config = ConfigDict(extra="forbid")
    document_id: Id
    page: Page
    kind: Kind
    geometry: Geometry
    color: str | None = None
    width: FiniteFloat | None = None
    text: str = ""
    visibility: Visibility = "private"


class ChangeFields(BaseModel):
    """Edit: any of these fields; the rest stay as they are."""

    model_config = ConfigDict(extra="forbid")
    geometry: Geometry | None = None
    color: str | None = None
    width: FiniteFloat | None = None
    text: str | None = None
    visibility: Visibility | None = None


class NewAnnotation(AnnotationFields):
    """HTTP create body (the meeting is in the address)."""


class AnnotationChange(ChangeFields):
    """HTTP edit body (the annotation is in the address)."""


class CreateEvent(MeetingPayload, AnnotationFields):
    """`annotation.create`: {meeting, document_id, page, kind, geometry, color?, width?, text?, visibility?}."""


class UpdateEvent(MeetingPayload, ChangeFields):
    """`annotation.update`: {meeting, id, and any of geometry, color, width, text, visibility}."""

    id: Id


class DeleteEvent(MeetingPayload):
    """`annotation.delete`: {meeting, id}."""

    id: Id


class SnapshotEvent(MeetingPayload):
    """`annotation.snapshot`: {meeting, document_id, page?}."""

    document_id: Id
    page: Page | None = None


def parse(schema: type[BaseModel], data: object) -> BaseModel:
    """Validate an HTTP body; a malformed one becomes BadInput naming the first wrong field."""
    if not isinstance(data, dict):
        raise BadInput("The annotation request must be a JSON object.")
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        if first.get("type") == "extra_forbidden":
            raise BadInput("The field “%(field)s” is not part of an annotation; check the API documentation.",
                           field=field_name(first))
        raise BadInput("The annotation was refused: %(problem)s.", problem=problem(first))
