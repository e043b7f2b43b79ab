"""The audit log of a meeting, for its chair, secretary and admins (HTML and CSV)."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, render_template, request
from flask_login import current_user, login_required

from app.audit.service import KINDS, entries, folded, page
from app.audit.wording import KIND_LABELS, action_label, detail_items
from app.auth.models import User
from app.errors import BadInput
from app.extensions import db
from app.meetings import service as meetings
from app.validation import ID_MAX

bp = Blueprint("audit", __name__)


def _rows(meeting_id: int) -> list[dict]:
    """Audit entries with the actor's name resolved."""
    found = entries(meeting_id=meeting_id)
    names = {u.id: u.name for u in db.session.query(User).filter(User.id.in_({e.actor_id for e in found if e.actor_id}))}
    return [{"at": e.at, "actor": names.get(e.actor_id, "—") if e.actor_id else "system", "action": e.action,
             "detail": e.detail} for e in found]


@bp.route("/meetings/<slug>/audit")
@login_required
def show(slug: str):
    """Who did what, newest first, a page at a time (?kind= one of service.KINDS, ?before= an entry id)."""
    meeting = meetings.get_meeting(slug)
    meetings.require_staff(current_user, meeting)
    kind = request.args.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise BadInput("There is no such kind of entry; choose one of the buttons above the log.")
    before = request.args.get("before", type=int)
    if before is not None and not 1 <= before <= ID_MAX:
        raise BadInput("That page of the log does not exist; start again from the newest entries.")
    found = page(meeting.id, kind, before)
    return render_template("audit/show.html", meeting=meeting, found=found, shown=folded(found.rows), kind=kind, before=before,
                           kinds=KIND_LABELS, action_label=action_label, detail_items=detail_items)


@bp.route("/meetings/<slug>/audit.csv")
@login_required
def export(slug: str):
    """The audit log as CSV, oldest first."""
    meeting = meetings.get_meeting(slug)
    meetings.require_staff(current_user, meeting)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["at_utc", "actor", "action", "detail"])
    for row in _rows(meeting.id):
        writer.writerow([row["at"].isoformat(timespec="seconds"), row["actor"], row["action"],
                         "; ".join(f"{k}={v}" for k, v in row["detail"].items())])
    return Response(buf.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="audit-{meeting.slug}.csv"'})
