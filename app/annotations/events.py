"""Socket.IO events of annotations (thin: who is asking, validate, call the service, push to readers).

Every event answers through its ack: {"ok": true, ...} or {"ok": false, "error", "message"}.
Written against flask_socketio directly (with a small guard for errors and a per-user rate limit) until
the live layer offers a shared handler helper.
"""
from __future__ import annotations

import functools
import logging
import threading
import time
from collections import defaultdict, deque
from typing import Any, Callable

from flask import current_app
from flask_login import current_user

from app.annotations import fanout, schemas, service
from app.errors import DomainError, RateLimited, Unauthorized
from app.extensions import db, socketio
from app.meetings.models import Meeting

log = logging.getLogger("dais.annotations")

RATE_EVENTS, RATE_SECONDS = 60, 10.0  # a fast pen lifts a few times a second; 60 in 10 s is generous
_recent: dict[int, deque[float]] = defaultdict(deque)
_recent_lock = threading.Lock()


def _rate_check(user_id: int) -> None:
    now = time.monotonic()
    with _recent_lock:
        stamps = _recent[user_id]
        while stamps and now - stamps[0] > RATE_SECONDS:
            stamps.popleft()
        if len(stamps) >= RATE_EVENTS:
            raise RateLimited("You are sending annotations too fast. Wait a few seconds, then go on.")
        stamps.append(now)


def guarded(handler: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Sign-in check, rate limit, and every refusal as an error ack (never a crashed handler)."""

    @functools.wraps(handler)
    def wrapper(payload: Any = None) -> dict[str, Any]:
        try:
            if not current_user.is_authenticated:
                raise Unauthorized("Sign in first: scan your badge or sign in with your password.")
            _rate_check(current_user.id)
            return handler(current_user._get_current_object(), payload)
        except DomainError as exc:
            db.session.rollback()
            if exc.status in (401, 403):
                log.warning("refused %s: %s", handler.__name__, exc.message)
            return exc.to_dict()
        except Exception:
            db.session.rollback()
            log.exception("annotation event %s failed", handler.__name__)
            return {"ok": False, "error": "server_error",
                    "message": "Something went wrong on the server; nothing was changed. Try again."}

    return wrapper


def _meeting(meeting_id: int | None) -> Meeting:
    from app.errors import BadInput, NotFound

    if meeting_id is None:
        raise BadInput("Name the meeting (meeting_id) the annotation belongs to.")
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"There is no meeting {meeting_id}.")
    return meeting


@socketio.on("annotation.snapshot")
@guarded
def on_snapshot(user, payload):
    """Any member: the annotations they may see on a document (or a page); ack {"ok", "annotations"}."""
    p = schemas.parse(schemas.PageRef, payload)
    items = service.visible_on(user, _meeting(p.meeting_id), p.document_id, p.page)
    return {"ok": True, "me": user.id, "annotations": [service.to_dict(a) for a in items]}


@socketio.on("annotation.create")
@guarded
def on_create(user, payload):
    """A member draws: the annotation is stored, acked, and pushed to the readers' devices (own devices included)."""
    p = schemas.parse(schemas.NewAnnotation, payload)
    annotation = service.create(
        user, _meeting(p.meeting_id), document_id=p.document_id, page=p.page, kind=p.kind,
        geometry=p.geometry.model_dump(), data_dir=current_app.config["DATA_DIR"], color=p.color,
        width=p.width, text=p.text, visibility=p.visibility,
    )
    db.session.commit()
    data = service.to_dict(annotation)
    fanout.push_saved(data, service.audience(annotation))
    return {"ok": True, "annotation": data}


@socketio.on("annotation.update")
@guarded
def on_update(user, payload):
    """The author edits or shares; readers get it, those who lost sight of it get its removal."""
    p = schemas.parse(schemas.AnnotationChange, payload)
    if p.id is None:
        from app.errors import BadInput

        raise BadInput("Name the annotation (id) to change.")
    annotation, before = service.update(
        user, p.id, data_dir=current_app.config["DATA_DIR"],
        geometry=p.geometry.model_dump() if p.geometry is not None else None,
        color=p.color, width=p.width, text=p.text, visibility=p.visibility,
    )
    db.session.commit()
    data = service.to_dict(annotation)
    fanout.push_saved(data, service.audience(annotation), before)
    return {"ok": True, "annotation": data}


@socketio.on("annotation.delete")
@guarded
def on_delete(user, payload):
    """The author deletes; the ack holds what it was (for undo), readers get its removal."""
    p = schemas.parse(schemas.AnnotationRef, payload)
    gone, readers = service.delete(user, p.id)
    db.session.commit()
    fanout.push_removed(gone, readers)
    return {"ok": True, "annotation": gone}
