"""Live room pages: the delegate tablet, the chair console, the wall screen and its links."""
from __future__ import annotations

import logging

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.routes import only_this_machine, public_base_url, send_png_qr
from app.errors import DomainError
from app.i18n import current_locale, keep_language, known_language
from app.extensions import db, socketio
from app.live import bp, service
from app.live.broadcast import emit_to
from app.live.i18n import js_strings
from app.live.presence import display_sids
from app.live.rooms import display_room
from app.live.runtime import runtime
from app.meetings import service as meetings
from app.web import error_response

log = logging.getLogger("dais.live")


def _config(meeting, role: str, **extra) -> dict:
    """The page's settings for its script (ids, URLs and translated strings)."""
    return {"meeting": meeting.id, "slug": meeting.slug, "role": role, "strings": js_strings(),
            "static": url_for("static", filename=""), **extra}


@bp.route("/meetings/<slug>/live")
@login_required
def tablet(slug: str):
    """A delegate's tablet: follows the chair's page, browses freely, goes back to the chair."""
    meeting = meetings.get_meeting(slug)
    membership = meetings.require_member(current_user, meeting)
    is_staff = current_user.is_admin or (membership is not None and membership.is_staff)
    return render_template("live/tablet.html", meeting=meeting, membership=membership, is_staff=is_staff,
                           config=_config(meeting, "tablet"))


@bp.route("/meetings/<slug>/console")
@login_required
def console(slug: str):
    """The chair's console: agenda, present pages, next item, status, who is connected, wall-screen link."""
    meeting = meetings.get_meeting(slug)
    meetings.require_staff(current_user, meeting)
    links = service.active_display_links(meeting)
    return render_template("live/console.html", meeting=meeting, is_staff=True,
                           config=_config(meeting, "chair", display_links=len(links),
                                          display_create=url_for("live.display_create", slug=slug),
                                          display_revoke=url_for("live.display_revoke", slug=slug)))


@bp.route("/meetings/<slug>/display", methods=["POST"])
@login_required
def display_create(slug: str):
    """Staff: a new wall-screen link (shown once: only its hash is kept). JSON {"ok", "url", "qr", "only_here"}."""
    meeting = meetings.get_meeting(slug)
    meetings.require_staff(current_user, meeting)
    raw = service.create_display_link(meeting, current_user.id)
    db.session.commit()
    # in the language of whoever made it (the wall's browser, a kiosk, often speaks another than the room)
    lang = current_locale()
    url = public_base_url() + url_for("live.display", token=raw, lang=lang)
    return {"ok": True, "url": url, "qr": url_for("live.display_qr", token=raw, lang=lang),
            "active": len(service.active_display_links(meeting)), "only_here": only_this_machine(url)}


@bp.route("/meetings/<slug>/display/revoke", methods=["POST"])
@login_required
def display_revoke(slug: str):
    """Staff: revoke every wall-screen link of the meeting; open wall screens go dark at once. JSON {"ok", "revoked"}."""
    meeting = meetings.get_meeting(slug)
    meetings.require_staff(current_user, meeting)
    ids = service.revoke_display_links(meeting, current_user.id)
    db.session.commit()
    for link_id in ids:
        emit_to(display_room(link_id), "live.revoked",
                {"message": _("This wall-screen link has been revoked. Ask the chair for the current link.")})
        socketio.close_room(display_room(link_id))
    for sid in display_sids(runtime().presence.entries(meeting.id), ids):
        socketio.server.disconnect(sid)
    return {"ok": True, "revoked": len(ids)}


@bp.route("/display/<token>")
def display(token: str):
    """The wall screen: no sign-in; the link itself is the key (revocable by the chair)."""
    try:
        link = service.resolve_display(token)
    except DomainError as exc:
        log.warning("refused wall-screen link: %s", exc.code)
        return error_response(exc.status, exc.code, exc.localized())
    meeting = link.meeting
    keep_language(request.args.get("lang"))   # the link's language (display_create), kept by this browser
    return render_template("live/wall.html", meeting=meeting, config=_config(meeting, "display", display=token))


@bp.route("/display/<token>/qr.png")
def display_qr(token: str):
    """The wall-screen link as a QR code (for the chair to scan with the wall's device)."""
    try:
        service.resolve_display(token)
    except DomainError as exc:
        return error_response(exc.status, exc.code, exc.localized())
    return send_png_qr(public_base_url() + url_for("live.display", token=token,
                                                   lang=known_language(request.args.get("lang"))))


def _display_document(token: str, document_id: int):
    """The document if the display link works and the document belongs to the link's meeting."""
    from app.documents.models import Document

    link = service.resolve_display(token)
    doc = db.session.get(Document, document_id)
    if doc is None or doc.meeting_id != link.meeting_id:
        from app.errors import NotFound

        raise NotFound("This document is not part of this meeting.")
    return link, doc


@bp.route("/display/<token>/documents/<int:document_id>")
def display_document(token: str, document_id: int):
    """The wall screen's document metadata (same JSON as GET /api/documents/<id>, page URLs under the link)."""
    from app.documents.service import document_meta

    try:
        _link, doc = _display_document(token, document_id)
    except DomainError as exc:
        return {"ok": False, "error": exc.code, "message": exc.localized()}, exc.status
    meta = document_meta(doc)
    meta["page_url"] = url_for("live.display_document", token=token, document_id=doc.id) + "/pages/{page}/{width}.png"
    return meta


@bp.route("/display/<token>/documents/<int:document_id>/pages/<int:page>/<int:width>.png")
def display_page(token: str, document_id: int, page: int, width: int):
    """One page image for the wall screen (the documents domain renders and serves it)."""
    import time

    from flask import Response, send_file

    from app.documents import render
    from app.documents.service import check_page, request_page

    try:
        _link, doc = _display_document(token, document_id)
        check_page(doc.sha256, page, width)
    except DomainError as exc:
        return error_response(exc.status, exc.code, exc.localized())
    path = render.page_path(current_app.config["DATA_DIR"], doc.sha256, page, width)
    if not path.exists():
        request_page(doc.sha256, page, width)
        db.session.commit()
        deadline = time.monotonic() + float(current_app.config.get("RENDER_WAIT_S", 5.0))
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        if not path.exists():
            resp = error_response(503, "rendering", _("This page is still being prepared; it will show in a moment."))
            return resp[0], 503, {"Retry-After": "1", "Cache-Control": "no-store"}
    resp: Response = send_file(path, mimetype=render.MIME, conditional=False, etag=False, max_age=None)
    resp.headers["Cache-Control"] = "private, max-age=3600"
    return resp
