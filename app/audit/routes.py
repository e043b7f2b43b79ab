"""The audit log of a meeting, for its chair, secretary and admins (HTML and CSV)."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, render_template
from flask_login import current_user, login_required

from app.audit.service import entries
from app.auth.models import User
from app.extensions import db
from app.meetings import service as meetings

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
    """Who did what, newest first."""
    meeting = meetings.get_meeting(slug)
    meetings.require_staff(current_user, meeting)
    return render_template("audit/show.html", meeting=meeting, rows=list(reversed(_rows(meeting.id))))


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
