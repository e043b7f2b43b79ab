"""Payload shapes for the annotation API and events (pydantic); the service checks the meaning."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, FiniteFloat, ValidationError

from app.errors import BadInput

Kind = Literal["highlight", "ink", "note"]
Visibility = Literal["private", "meeting", "chair"]


class Geometry(BaseModel):
    """Exactly one of rects (highlight), strokes (ink) or point (note), in PDF points."""

    model_config = ConfigDict(extra="forbid")
    rects: list[tuple[FiniteFloat, FiniteFloat, FiniteFloat, FiniteFloat]] | None = None
    strokes: list[list[tuple[FiniteFloat, FiniteFloat]]] | None = None
    point: tuple[FiniteFloat, FiniteFloat] | None = None


class NewAnnotation(BaseModel):
    """Create: where, what, how it looks and who may see it."""

    model_config = ConfigDict(extra="forbid")
    meeting_id: int | None = None  # sockets name the meeting; HTTP takes it from the address
    document_id: int
    page: int
    kind: Kind
    geometry: Geometry
    color: str | None = None
    width: FiniteFloat | None = None
    text: str = ""
    visibility: Visibility = "private"


class AnnotationChange(BaseModel):
    """Edit: any of these fields; the rest stay as they are."""

    model_config = ConfigDict(extra="forbid")
    id: int | None = None  # sockets name the annotation in the payload; HTTP in the address
    geometry: Geometry | None = None
    color: str | None = None
    width: FiniteFloat | None = None
    text: str | None = None
    visibility: Visibility | None = None


class AnnotationRef(BaseModel):
    """Names one annotation (delete over a socket)."""

    model_config = ConfigDict(extra="forbid")
    id: int


class PageRef(BaseModel):
    """Names a document (and optionally one page) of a meeting (snapshot over a socket)."""

    model_config = ConfigDict(extra="forbid")
    meeting_id: int
    document_id: int
    page: int | None = None


def parse(schema: type[BaseModel], data: object) -> BaseModel:
    """Validate a payload; a malformed one becomes BadInput naming the first wrong field."""
    if not isinstance(data, dict):
        raise BadInput("The annotation request must be a JSON object.")
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "payload"
        raise BadInput(f"The annotation was refused: “{where}”: {first.get('msg', 'is not valid')}.")
