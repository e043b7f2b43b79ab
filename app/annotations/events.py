"""Socket.IO events of annotations, through the live room's `@live_event` helper.

The helper rate-limits, caps the payload size (LIVE_MAX_EVENT_BYTES), validates strictly, loads the
meeting, checks membership (wall screens are refused) and turns every refusal into an error ack. These
handlers call the service and push the result to exactly the readers' devices (app.annotations.fanout).
Long ink drawings exceed the socket payload cap: the tablet page writes through the HTTP API, and these
events serve other clients and small edits.
"""
from __future__ import annotations

from flask import current_app
from flask_login import current_user

from app.annotations import fanout, schemas, service
from app.extensions import db
from app.live.handler import LiveContext, live_event


def _user():
    return current_user._get_current_object()


@live_event("annotation.snapshot", schemas.SnapshotEvent)
def on_snapshot(ctx: LiveContext, p: schemas.SnapshotEvent) -> dict:
    """Members and admins: the annotations they may see on a document (or one page); ack {"ok", "me", "annotations"}."""
    items = service.visible_on(_user(), ctx.meeting, p.document_id, p.page)
    return {"me": ctx.user_id, "annotations": [service.to_dict(a) for a in items]}


@live_event("annotation.create", schemas.CreateEvent)
def on_create(ctx: LiveContext, p: schemas.CreateEvent) -> dict:
    """Members and admins draw: stored, acked with the annotation, pushed to every device of its readers."""
    annotation = service.create(
        _user(), ctx.meeting, document_id=p.document_id, page=p.page, kind=p.kind,
        geometry=p.geometry.model_dump(), data_dir=current_app.config["DATA_DIR"], color=p.color,
        width=p.width, text=p.text, visibility=p.visibility,
    )
    db.session.commit()
    data = service.to_dict(annotation)
    fanout.push_saved(data, service.audience(annotation))
    return {"annotation": data}


@live_event("annotation.update", schemas.UpdateEvent)
def on_update(ctx: LiveContext, p: schemas.UpdateEvent) -> dict:
    """The author edits or shares; readers get the new version, people who lost sight of it get its removal."""
    annotation, before = service.update(
        _user(), p.id, data_dir=current_app.config["DATA_DIR"], meeting_id=ctx.meeting.id,
        geometry=p.geometry.model_dump() if p.geometry is not None else None,
        color=p.color, width=p.width, text=p.text, visibility=p.visibility,
    )
    db.session.commit()
    data = service.to_dict(annotation)
    fanout.push_saved(data, service.audience(annotation), before)
    return {"annotation": data}


@live_event("annotation.delete", schemas.DeleteEvent)
def on_delete(ctx: LiveContext, p: schemas.DeleteEvent) -> dict:
    """The author deletes; the ack holds what it was (for undo), its readers get its removal."""
    gone, readers = service.delete(_user(), p.id, meeting_id=ctx.meeting.id)
    db.session.commit()
    fanout.push_removed(gone, readers)
    return {"annotation": gone}
