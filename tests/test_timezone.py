"""DAIS_TIMEZONE: moments stored in UTC (arrivals, speeches, approvals, the audit log) are shown in the meeting's
time zone on every page and in the minutes; a meeting's start, entered as wall-clock time, is shown as entered."""
from __future__ import annotations

import re
from datetime import datetime

import pymupdf
import pytest

from app import create_app
from app.attendance import service as attendance
from app.audit.models import AuditEntry
from app.extensions import db
from app.meetings.models import Meeting, Membership
from app.minutes import export, service as minutes
from tests.factories import add_member, make_meeting

ARRIVED = datetime(2026, 12, 3, 7, 5)       # UTC: 14:05 in Hanoi (UTC+7 all year)


@pytest.fixture
def hanoi(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'dais.sqlite3'}",
                      "DATA_DIR": tmp_path / "data", "WTF_CSRF_ENABLED": False, "SERVER_NAME": "dais.test",
                      "TIMEZONE": "Asia/Ho_Chi_Minh"})
    with app.app_context():
        db.create_all()
        meeting = make_meeting("council", status=Meeting.LIVE)   # starts 2026-12-03 14:00, wall-clock
        add_member(meeting, "secretary", Membership.SECRETARY, seat="S1")
        delegate = add_member(meeting, "anna", seat="D02")
        attendance.check_in(meeting, delegate, None, now=ARRIVED)
        db.session.add(AuditEntry(at=ARRIVED, meeting_id=meeting.id, action="meeting.changed", detail={}))
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_wrong_time_zone_stops_the_start_with_a_sentence(tmp_path):
    with pytest.raises(RuntimeError, match=r"DAIS_TIMEZONE='Mars/Olympus' is not a time zone; use a name such as"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "DATA_DIR": tmp_path, "TIMEZONE": "Mars/Olympus"})


def test_pages_and_minutes_show_stored_moments_in_the_meetings_time_zone(hanoi):
    client = hanoi.test_client()
    client.post("/login", data={"username": "secretary", "password": "pw-secret-1"})
    start = re.compile(r"December 3, 2026, 14:00")   # the start, as entered, on the 24-hour clock of every time shown
    assert start.search(client.get("/meetings/council").get_data(as_text=True))
    audit = client.get("/meetings/council/audit").get_data(as_text=True)
    shown = re.sub(r"<[^>]+>", "", audit)   # the text a person reads (the date and the hour are spans of their own)
    assert "Time (Asia/Ho_Chi_Minh)" in shown and "2026-12-03 14:05:00" in shown
    editor = client.get("/meetings/council/minutes").get_data(as_text=True)
    assert "<td>14:05</td>" in editor and "07:05" not in editor
    with hanoi.test_request_context():
        doc = minutes.collect(db.session.get(Meeting, 1))
        with pymupdf.open("pdf", export.render_pdf(doc)) as pdf:
            text = " ".join(" ".join(page.get_text() for page in pdf).split())
    assert "Anna (D02, delegate) — arrived 14:05" in text
    assert start.search(text)
    assert "Times are in: Asia/Ho_Chi_Minh" in text   # a reader knows which clock 14:05 is on
    exported = client.get("/meetings/council/minutes.html").get_data(as_text=True)
    assert "Times are in:</b> Asia/Ho_Chi_Minh" in exported


def test_a_refusal_names_the_time_in_the_meetings_time_zone(hanoi):
    client = hanoi.test_client()
    client.post("/login", data={"username": "secretary", "password": "pw-secret-1"})
    reply = client.post("/api/meetings/council/attendance/2", json={"action": "present"})
    assert reply.status_code == 409
    assert reply.get_json()["message"] == "Anna is already checked in (since 14:05). Nothing changed."
