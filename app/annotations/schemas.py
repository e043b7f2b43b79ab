"""Payload shapes for the annotation API and events (pydantic); the service checks the meaning.

Strict types, as in every other payload of Dais: an id or a page is a whole JSON number ("3", true and 3.0 are
refused: true once passed as document 1); a coordinate or a width is a JSON number, whole or not (the tablets send
12.5 as well as 12), never text or a boolean, and finite. Whether a number fits (on the page, a pen width in range,
a width for ink only) is the service's check, which can say so in words about the page or the pen.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, ValidationError

from app.errors import BadInput
from app.live.handler import MeetingPayload
from app.validation import Id, Page, field_name, problem

Kind = Literal["highlight", "ink", "note"]
Visibility = Literal["private", "meeting", "chair"]
# Lists, not tuples: JSON arrays arrive as lists and the models validate strictly.
Rect = Annotated[list[FiniteFloat], Field(min_length=4, max_length=4)]
Point = Annotated[list[FiniteFloat], Field(min_length=2, max_length=2)]


class Strict(BaseModel):
    """Unknown fields are refused, and so are numbers sent as text or booleans and ids or pages sent as 3.0.
    Every model here derives from it (Geometry too: a nested model keeps its own config, so the socket
    events' strict MeetingPayload does not reach into it)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Geometry(Strict):
    """Exactly one of rects (highlight), strokes (ink) or point (note), in PDF points."""

    rects: list[Rect] | None = None
    strokes: list[list[Point]] | None = None
    point: Point | None = None


class AnnotationFields(Strict):
    """Create: where, what, how it looks and who may see it (`width`: ink only)."""

    document_id: Id
    page: Page
    kind: Kind
    geometry: Geometry
    color: str | None = None
    width: FiniteFloat | None = None
    text: str = ""
    visibility: Visibility = "private"


class ChangeFields(Strict):
    """Edit: any of these fields; the rest stay as they are (`width`: ink only)."""

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
