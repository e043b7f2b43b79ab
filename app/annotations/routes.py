"""Annotation views: the JSON API, the annotated copy and the “My notes” page (thin: who, validate, service, push)."""
from __future__ import annotations

from pathlib import Path

from flask import Response, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.annotations import bp, fanout, schemas, service
from app.annotations.export import run_export
from app.documents.ingest import original_path
from app.errors import BadInput, Unauthorized
from app.extensions import db
from app.meetings.service import get_meeting, membership_of


def _user():
    """The signed-in user, or 401 with a sentence (the API never redirects)."""
    if not current_user.is_authenticated:
        raise Unauthorized("Sign in first: scan your badge or sign in with your password.")
    return current_user._get_current_object()


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadInput("Send the annotation as a JSON object (Content-Type: application/json).")
    return data


def _data_dir() -> Path:
    return current_app.config["DATA_DIR"]


@bp.get("/api/meetings/<slug>/documents/<int:document_id>/annotations")
def list_on_document(slug: str, document_id: int):
    """The annotations I may see on a document, or on one page of it (?page=N, with the page size in points)."""
    user = _user()
    meeting = get_meeting(slug)
    page = request.args.get("page", type=int)
    if "page" in request.args and page is None:
        raise BadInput("The page must be a whole number, e.g. ?page=3.")
    items = service.visible_on(user, meeting, document_id, page)
    reply: dict = {"ok": True, "me": user.id, "annotations": [service.to_dict(a) for a in items]}
    if page is not None:
        doc = service.document_in_meeting(user, meeting, document_id)
        reply["page_width"], reply["page_height"] = service.page_size(_data_dir(), doc.sha256, page)
    return jsonify(reply)


@bp.post("/api/meetings/<slug>/annotations")
def create(slug: str):
    """Create an annotation (private unless `visibility` says otherwise)."""
    user = _user()
    meeting = get_meeting(slug)
    p = schemas.parse(schemas.NewAnnotation, _body())
    annotation = service.create(
        user, meeting, document_id=p.document_id, page=p.page, kind=p.kind,
        geometry=p.geometry.model_dump(), data_dir=_data_dir(), color=p.color, width=p.width,
        text=p.text, visibility=p.visibility,
    )
    db.session.commit()
    data = service.to_dict(annotation)
    fanout.push_saved(data, service.audience(annotation))
    return jsonify({"ok": True, "annotation": data}), 201


@bp.get("/api/annotations/<int:annotation_id>")
def show(annotation_id: int):
    """One annotation I may see (404 for everything else, so a private one does not show that it exists)."""
    return jsonify({"ok": True, "annotation": service.to_dict(service.get_readable(_user(), annotation_id))})


@bp.patch("/api/annotations/<int:annotation_id>")
def update(annotation_id: int):
    """Change my annotation: text, colour, width, geometry or who it is shared with."""
    user = _user()
    p = schemas.parse(schemas.AnnotationChange, _body())
    annotation, before = service.update(
        user, annotation_id, data_dir=_data_dir(),
        geometry=p.geometry.model_dump() if p.geometry is not None else None,
        color=p.color, width=p.width, text=p.text, visibility=p.visibility,
    )
    db.session.commit()
    data = service.to_dict(annotation)
    fanout.push_saved(data, service.audience(annotation), before)
    return jsonify({"ok": True, "annotation": data})


@bp.delete("/api/annotations/<int:annotation_id>")
def delete(annotation_id: int):
    """Delete my annotation; the reply holds what it was, so the client can undo by creating it again."""
    gone, readers = service.delete(_user(), annotation_id)
    db.session.commit()
    fanout.push_removed(gone, readers)
    return jsonify({"ok": True, "annotation": gone})


@bp.get("/api/meetings/<slug>/annotations/mine")
def mine(slug: str):
    """Every annotation I wrote in the meeting."""
    user = _user()
    items = service.mine_in_meeting(user, get_meeting(slug))
    return jsonify({"ok": True, "annotations": [service.to_dict(a) for a in items]})


@bp.get("/meetings/<slug>/documents/<int:document_id>/annotated.pdf")
@login_required
def annotated_copy(slug: str, document_id: int):
    """My annotated copy: the original with my annotations as real PDF annotations (written in a child process)."""
    user = _user()
    meeting = get_meeting(slug)
    doc, items = service.mine_on_document(user, meeting, document_id)
    spec = [{"kind": a.kind, "page": a.page, "geometry": a.geometry, "color": a.color, "width": a.width,
             "text": a.text} for a in items]
    src = original_path(_data_dir(), doc.sha256)
    author, stem = user.name, Path(doc.filename).stem or "document"
    db.session.close()  # hold no connection while the child works
    try:
        path = run_export(src, author, spec, _data_dir() / "tmp")
    except RuntimeError:
        current_app.logger.exception("annotated copy of document %s failed", document_id)
        raise BadInput("The annotated copy could not be made from this document. Try again; tell the admin if it fails again.")

    return _stream_and_delete(path, f"{stem}-{_('annotated')}.pdf")


def _stream_and_delete(path: Path, download_name: str) -> Response:
    """Send a temporary file in chunks and delete it once sent (or when the client goes away)."""
    size = path.stat().st_size

    def chunks():
        try:
            with open(path, "rb") as fh:
                while block := fh.read(256 * 1024):
                    yield block
        finally:
            path.unlink(missing_ok=True)

    response = Response(chunks(), mimetype="application/pdf")
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = content_disposition(download_name)
    response.headers["Cache-Control"] = "no-store"
    return response


def content_disposition(name: str) -> str:
    """An attachment header that survives non-ASCII file names."""
    from urllib.parse import quote

    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


@bp.get("/meetings/<slug>/notes")
@login_required
def notes_page(slug: str):
    """“My notes”: everything I wrote in this meeting, grouped by document, each linking to its page."""
    user = _user()
    meeting = get_meeting(slug)
    items = service.mine_in_meeting(user, meeting)
    membership = membership_of(user, meeting)
    is_staff = user.is_admin or (membership is not None and membership.is_staff)
    from app.documents.models import Document

    docs = {d.id: d for d in db.session.query(Document).filter(Document.meeting_id == meeting.id)}
    groups: list[tuple[Document, list]] = []
    for a in items:
        if not groups or groups[-1][0].id != a.document_id:
            groups.append((docs[a.document_id], []))
        groups[-1][1].append(a)
    return render_template("annotations/notes.html", meeting=meeting, groups=groups, is_staff=is_staff,
                           membership=membership)
