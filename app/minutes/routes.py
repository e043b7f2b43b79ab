"""Minutes views: the editor (staff), the approved minutes (members), autosave, exports and approval."""
from __future__ import annotations

from flask import Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.errors import BadInput, NotFound
from app.extensions import db
from app.meetings import service as meetings
from app.meetings.models import Meeting, Membership
from app.minutes import bp, export, service, signing
from app.validation import first_problem
from app.web import wants_json


class SavePayload(BaseModel):
    """The body of an autosave: the item's text and the version it was based on."""

    model_config = ConfigDict(extra="forbid", strict=True)
    notes: str = Field(max_length=service.MAX_NOTES)
    decision: str = Field(max_length=service.MAX_DECISION)
    version: int = Field(ge=0)


def _is_staff(meeting: Meeting) -> bool:
    if current_user.is_admin:
        return True
    membership = meetings.membership_of(current_user, meeting)
    return membership is not None and membership.is_staff


def _can_approve(meeting: Meeting) -> bool:
    if current_user.is_admin:
        return True
    membership = meetings.membership_of(current_user, meeting)
    return membership is not None and membership.role == Membership.CHAIR


def _download(data: bytes | str, mimetype: str, filename: str, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'{disposition}; filename="{filename}"', "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff"})


@bp.route("/meetings/<slug>/minutes")
@login_required
def page(slug: str):
    """Staff: the editor with the facts. Members: the approved minutes, or a note that there are none yet."""
    meeting = meetings.get_meeting(slug)
    membership = meetings.require_member(current_user, meeting)
    is_staff = _is_staff(meeting)
    doc = service.collect(meeting)
    state = service.approval_state(meeting, doc)
    if not is_staff:
        approval = state.approval
        return render_template("minutes/view.html", meeting=meeting, membership=membership, is_staff=False,
                               approval=approval, doc=approval.snapshot if approval else None,
                               changed=state.status == service.CHANGED)
    stored = service.minutes_by_item(meeting)
    editor = {str(it["id"]): service.as_dict(stored.get(it["id"]), it["id"]) for it in doc["items"]}
    return render_template("minutes/editor.html", meeting=meeting, membership=membership, is_staff=True, doc=doc,
                           state=state, editor=editor, can_approve=_can_approve(meeting),
                           signing_ready=signing.config_from(current_app.config).cert_path is not None)


@bp.route("/meetings/<slug>/minutes/items/<int:item_id>", methods=["POST"])
@login_required
def save_item(slug: str, item_id: int):
    """Autosave of one item's notes and decision (JSON); 409 with the stored text when someone saved in between."""
    meeting = meetings.get_meeting(slug)
    meetings.require_staff(current_user, meeting)
    item = meetings.get_item(meeting, item_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadInput("Send the minutes as JSON: {\"notes\": \"…\", \"decision\": \"…\", \"version\": 0}.")
    try:
        payload = SavePayload.model_validate(body)
    except ValidationError as exc:
        raise BadInput("The minutes were not saved: %(problem)s.", problem=first_problem(exc))
    try:
        row = service.save_item_minutes(item, payload.notes, payload.decision, payload.version, current_user.id)
        db.session.commit()
    except service.MinutesConflict as exc:
        db.session.rollback()
        return jsonify(exc.to_dict()), exc.status
    except BaseException:
        db.session.rollback()
        raise
    reply = {"ok": True, **service.as_dict(row, item.id)}
    if service.latest_approval(meeting.id) is not None:
        reply["approval"] = service.approval_state(meeting, service.collect(meeting)).status
    return jsonify(reply)


@bp.route("/meetings/<slug>/minutes.pdf")
@login_required
def pdf(slug: str):
    """The minutes as PDF: signed when approved and unchanged; otherwise a draft (staff only)."""
    meeting = meetings.get_meeting(slug)
    meetings.require_member(current_user, meeting)
    if not _is_staff(meeting):
        return signed_pdf(slug)
    doc = service.collect(meeting)
    state = service.approval_state(meeting, doc)
    if state.status == service.APPROVED:
        return _download(state.approval.signed_pdf, "application/pdf", f"minutes-{meeting.slug}-signed.pdf", inline=True)
    return _download(export.render_pdf(doc, state.status), "application/pdf", f"minutes-{meeting.slug}-draft.pdf",
                     inline=True)


@bp.route("/meetings/<slug>/minutes/signed.pdf")
@login_required
def signed_pdf(slug: str):
    """The signed PDF of the latest approval (every member)."""
    meeting = meetings.get_meeting(slug)
    meetings.require_member(current_user, meeting)
    approval = service.latest_approval(meeting.id)
    if approval is None:
        raise NotFound("The minutes of this meeting have not been approved yet.")
    return _download(approval.signed_pdf, "application/pdf", f"minutes-{meeting.slug}-signed.pdf", inline=True)


@bp.route("/meetings/<slug>/minutes.html")
@login_required
def html(slug: str):
    """The minutes as a standalone HTML file (staff: as they stand; members: as approved)."""
    meeting = meetings.get_meeting(slug)
    meetings.require_member(current_user, meeting)
    if _is_staff(meeting):
        doc = service.collect(meeting)
        state = service.approval_state(meeting, doc).status
    else:
        approval = service.latest_approval(meeting.id)
        if approval is None:
            raise NotFound("The minutes of this meeting have not been approved yet.")
        doc, state = approval.snapshot, service.APPROVED
    return _download(export.render_html(doc, state), "text/html", f"minutes-{meeting.slug}.html")


@bp.route("/meetings/<slug>/minutes/<any(votes, attendance):what>.csv")
@login_required
def csv_export(slug: str, what: str):
    """The votes or the attendance record as CSV (staff)."""
    meeting = meetings.get_meeting(slug)
    meetings.require_staff(current_user, meeting)
    doc = service.collect(meeting)
    data = export.votes_csv(doc) if what == "votes" else export.attendance_csv(doc)
    return _download(data, "text/csv", f"minutes-{meeting.slug}-{what}.csv")   # not the board's attendance-<slug>.csv


@bp.route("/meetings/<slug>/minutes/approve", methods=["POST"])
@login_required
def approve(slug: str):
    """The chair (or an admin) approves the minutes as they stand; the PDF is signed. Any refusal changes nothing."""
    meeting = meetings.get_meeting(slug)
    meetings.require_staff(current_user, meeting, roles=(Membership.CHAIR,))
    cfg = signing.config_from(current_app.config)
    try:
        approval = service.approve_minutes(meeting, current_user.id, current_user.name, cfg)
        db.session.commit()
    except signing.SigningError as exc:
        db.session.rollback()
        if wants_json():
            raise
        flash(exc.localized(), "error")  # back to the editor, where the unsigned minutes are as they were
        return redirect(url_for("minutes.page", slug=slug))
    except BaseException:
        db.session.rollback()
        raise
    if wants_json():
        return jsonify({"ok": True, "approval_id": approval.id, "content_hash": approval.content_hash,
                        "signed_pdf": url_for("minutes.signed_pdf", slug=slug)})
    flash(_("The minutes are approved and signed."), "ok")
    return redirect(url_for("minutes.page", slug=slug))
