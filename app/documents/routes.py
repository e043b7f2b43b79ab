"""Document views: the reader page, page images, and the JSON API (metadata, progress, search)."""
from __future__ import annotations

import time

from flask import Response, current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.documents import bp, render, service
from app.documents.progress import progress_of
from app.errors import Unauthorized
from app.extensions import db
from app.meetings import service as meetings
from app.web import error_response

# One year: the URL names the content, so the image behind it never changes.
IMMUTABLE = "private, max-age=31536000, immutable"


def _signed_in() -> None:
    """API and image callers get 401 (a browser page would get the sign-in redirect)."""
    if not current_user.is_authenticated:
        raise Unauthorized("Sign in first: scan your badge or sign in with your password.")


@bp.route("/meetings/<slug>/documents/<int:document_id>")
@login_required
def reader(slug: str, document_id: int):
    """The reader: one page at a time, thumbnails, page jump, table of contents, search."""
    meeting = meetings.get_meeting(slug)
    doc = service.get_document(document_id)
    if doc.meeting_id != meeting.id:
        return error_response(404, "not_found", _("This document is not part of this meeting."))
    membership = meetings.require_member(current_user, meeting)
    is_staff = current_user.is_admin or (membership is not None and membership.is_staff)
    page = request.args.get("page", default=1, type=int) or 1
    page = min(max(page, 1), doc.page_count)
    return render_template("documents/reader.html", meeting=meeting, doc=doc, page=page,
                           meta=service.document_meta(doc), is_staff=is_staff)


@bp.route("/api/documents/<int:document_id>")
def api_document(document_id: int):
    """Document metadata for readers (members of its meeting, admins)."""
    _signed_in()
    doc = service.get_document(document_id)
    service.require_reader(current_user, doc)
    return jsonify(service.document_meta(doc))


@bp.route("/api/documents/<int:document_id>/progress")
def api_progress(document_id: int):
    """How many pages are ready at the default width (the same payload as `document.progress`)."""
    _signed_in()
    doc = service.get_document(document_id)
    service.require_reader(current_user, doc)
    return jsonify(progress_of(doc))


@bp.route("/api/documents/<int:document_id>/pages/<int:page>/text")
def api_page_text(document_id: int, page: int):
    """The text of one page, for readers who cannot see the image: {"ok", "page", "ready", "text"} (ready false,
    text "", while the page is being prepared)."""
    _signed_in()
    doc = service.get_document(document_id)
    service.require_reader(current_user, doc)
    text = service.page_text(doc, page)
    return jsonify({"ok": True, "page": page, "ready": text is not None, "text": text or ""})


@bp.route("/api/meetings/<slug>/search")
def api_search(slug: str):
    """Full-text search over the meeting's documents: document, page and a snippet with markers."""
    _signed_in()
    meeting = meetings.get_meeting(slug)
    meetings.require_member(current_user, meeting)
    results = service.search_meeting(meeting, request.args.get("q", ""))
    return jsonify({"ok": True, "results": results})


@bp.route("/pages/<sha256>/<int:page>/<int:width>.png")
def page_image(sha256: str, page: int, width: int):
    """One page image, for members of a meeting that has this PDF (and admins); immutable, ETag, 304."""
    _signed_in()
    pdf = service.check_page(sha256, page, width)
    if not service.can_read_pdf(current_user, pdf.sha256):
        return error_response(403, "forbidden", _("You are not a member of a meeting that has this document."))
    etag = f"{sha256}-{page}-{width}"
    if request.if_none_match.contains(etag):
        resp = Response(status=304)
        resp.set_etag(etag)
        resp.headers["Cache-Control"] = IMMUTABLE
        return resp
    data_dir = current_app.config["DATA_DIR"]
    path = render.page_path(data_dir, sha256, page, width)
    if not path.exists():
        service.request_page(sha256, page, width)
        db.session.commit()
        deadline = time.monotonic() + float(current_app.config.get("RENDER_WAIT_S", 5.0))
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.05)  # cooperative under gevent: the server keeps answering meanwhile
        if not path.exists():
            resp = make_response(error_response(
                503, "rendering", _("This page is still being prepared; it will show in a moment.")))
            resp.headers["Retry-After"] = "1"
            resp.headers["Cache-Control"] = "no-store"
            return resp
    if current_app.config.get("X_ACCEL", False):
        resp = Response(status=200, mimetype=render.MIME)
        resp.headers["X-Accel-Redirect"] = "/_dais_pages/" + render.page_relpath(sha256, page, width)
    else:
        resp = Response(path.read_bytes(), mimetype=render.MIME)  # ~0.2 MB: simpler than a file wrapper
    resp.set_etag(etag)
    resp.headers["Cache-Control"] = IMMUTABLE
    return resp
