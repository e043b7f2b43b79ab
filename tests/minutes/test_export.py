"""The exported minutes read back: PDF text (PyMuPDF), HTML and CSV, with the facts, Vietnamese names and escaped notes."""
from __future__ import annotations

import csv
import io

import pymupdf
import sqlalchemy as sa

from app.extensions import db
from app.meetings.models import Meeting
from app.minutes import export, service
from tests.factories import make_meeting
from tests.minutes.conftest import write_minutes


def pdf_text(data: bytes) -> tuple[int, str]:
    with pymupdf.open("pdf", data) as pdf:
        return pdf.page_count, "\n".join(page.get_text() for page in pdf)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_holds_the_header_agenda_notes_decisions_votes_speakers_and_attendance(app, held):
    write_minutes(held, 0, "Trần Văn Hùng presented the draft budget.\nQuestions from Lê Minh Châu.",
                  "The committee adopts the budget 2027 as presented.")
    meeting = db.session.get(Meeting, held.meeting_id)
    with app.test_request_context():
        pages, text = pdf_text(export.render_pdf(service.collect(meeting)))
    text = flat(text)
    for expected in (
        "Minutes", "Ủy ban Phát triển Đô thị – phiên họp 12/2026", "Council Chamber",
        "Chair: Nguyễn Thị Mai", "Secretary: Daniel Okafor", "Draft — not yet approved",
        "1. Budget 2027", "Trần Văn Hùng presented the draft budget.", "The committee adopts the budget 2027 as presented.",
        "Vote: Adopt the budget 2027?", "Motion, named vote", "Simple majority",
        "For: 3 by weight (2 ballots)", "Against: 1 by weight (1 ballots)", "Adopted (needed 3 of 4)",
        "Vote: Close Market Street to cars?", "Motion, secret ballot",
        "Appendix: attendance", "Present: 4 · Left early: 1 · Excused: 1 · Absent: 1",
        "Excused (1) Phạm Quốc Bảo (D04, delegate) — Illness", "Absent (1) Hoàng Thu Hà (D05, delegate)",
        "No decision was recorded.", "Nobody spoke on this item.", "No vote was taken on this item.",
    ):
        assert expected in text, expected
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    # The named vote lists each member's choice; the secret one lists nobody.
    assert "Lê Minh Châu (D03): For" in text and "Nguyễn Thị Mai (C1): Against" in text
    # Speakers with start time and length (3:05 and 1:55).
    first, second = (s["started_at"] for s in service.collect(meeting)["items"][0]["speakers"]["rows"])
    assert f"Trần Văn Hùng — {export.minutes_time(first)}, 3:05" in text
    assert f"Lê Minh Châu — {export.minutes_time(second)}, 1:55" in text
    # Arrival and departure times of the member who left early.
    anna = next(r for r in service.collect(meeting)["attendance"]["rows"] if r["name"] == "Anna Kowalska")
    assert f"Anna Kowalska (D02, delegate) — arrived {export.minutes_time(anna['arrived_at'])}, left {export.minutes_time(anna['left_at'])}" in text


def test_a_meeting_with_nothing_recorded_still_gives_a_correct_document(app, ctx):
    meeting = make_meeting("empty", items=0)
    meeting.place = ""
    with app.test_request_context():
        pages, text = pdf_text(export.render_pdf(service.collect(meeting)))
        html = export.render_html(service.collect(meeting))
    text = flat(text)
    assert pages == 1 and "Page 1 of 1" in text
    assert "The agenda has no items." in text and "Nobody was listed on the attendance record." in text
    assert "Place: not set" in text and "Chair: not recorded" in text
    assert "The agenda has no items." in html


def test_items_without_votes_or_attendance_providers_say_not_recorded(app, ctx):
    meeting = make_meeting("plain", items=1)
    with app.test_request_context():
        doc = service.collect(meeting, service.Providers(None, None, None))
        text = flat(pdf_text(export.render_pdf(doc))[1])
    assert "Votes: not recorded." in text and "Speakers: not recorded." in text and "Attendance: not recorded." in text


def test_markup_in_notes_is_shown_as_typed_and_never_becomes_markup(app, held):
    write_minutes(held, 0, "<b>bold?</b> & <script>alert('x')</script>\n<img src=x onerror=alert(1)>", "<i>Decided</i>")
    meeting = db.session.get(Meeting, held.meeting_id)
    with app.test_request_context():
        doc = service.collect(meeting)
        html = export.render_html(doc)
        text = pdf_text(export.render_pdf(doc))[1]
    assert "<script>" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;i&gt;Decided&lt;/i&gt;" in html
    assert "<script>alert('x')</script>" in text and "<i>Decided</i>" in text  # the PDF shows the characters


def test_vietnamese_and_other_scripts_survive_into_the_pdf_with_an_embedded_noto_font(app, ctx):
    meeting = make_meeting("vi", items=1)
    meeting.items[0].title = "Báo cáo tài chính — Ελληνικά — Кириллица"
    with app.test_request_context():
        data = export.render_pdf(service.collect(meeting, service.Providers(None, None, None)))
    _, text = pdf_text(data)
    assert "Báo cáo tài chính — Ελληνικά — Кириллица" in text
    with pymupdf.open("pdf", data) as pdf:
        fonts = {f[3] for page in pdf for f in page.get_fonts()}
    assert any("NotoSans" in name.replace(" ", "") for name in fonts), fonts
    assert len(data) < 300_000  # fonts are subset


def test_csv_exports_list_votes_with_names_and_the_attendance(app, held):
    meeting = db.session.get(Meeting, held.meeting_id)
    doc = service.collect(meeting)
    votes = list(csv.DictReader(io.StringIO(export.votes_csv(doc).lstrip("\ufeff"))))
    assert votes[0]["question"] == "Adopt the budget 2027?" and votes[0]["result"].startswith("Adopted")
    assert {(r["member"], r["member_vote"]) for r in votes if r["member"]} >= {("Trần Văn Hùng", "For"), ("Nguyễn Thị Mai", "Against")}
    people = list(csv.DictReader(io.StringIO(export.attendance_csv(doc).lstrip("\ufeff"))))
    assert {r["name"]: r["status"] for r in people}["Phạm Quốc Bảo"] == "excused"
    assert next(r for r in people if r["name"] == "Anna Kowalska")["left_at"]


def test_csv_cells_that_look_like_formulas_are_defused(ctx):
    doc = {"attendance": {"rows": [{"name": "=HYPERLINK(\"x\")", "seat": "", "role": "", "status": "present",
                                    "arrived_at": None, "left_at": None, "excuse": "@SUM(1)"}]}}
    row = list(csv.reader(io.StringIO(export.attendance_csv(doc).lstrip("\ufeff"))))[1]
    assert row[0] == "'=HYPERLINK(\"x\")" and row[6] == "'@SUM(1)"


def test_the_minutes_say_who_voted_who_was_present_the_quorum_rule_and_the_proxies(app, held):
    """A secretary's review: the minutes mentioned neither the quorum nor the proxies, so nobody could read from
    them whether a decision was taken by a quorate meeting, or who voted for whom."""
    from app.attendance.service import update_settings
    from app.meetings.models import Membership
    from app.voting import service as voting

    meeting = db.session.get(Meeting, held.meeting_id)
    chair = db.session.get(Membership, held.members["chair"]).user
    voting.give_proxy(meeting, chair, held.members["d5"], held.members["d1"])   # Hoàng Thu Hà is absent
    update_settings(meeting, None, quorum_num=2, quorum_den=3, quorum_strict=False)
    db.session.commit()
    doc = service.collect(meeting)
    with app.test_request_context():
        _pages, text = pdf_text(export.render_pdf(doc))
    text = flat(text)
    # both votes closed with the chair, the secretary, D01 and D03 in the room: 4 of the 7 voting members, against
    # the rule of the time (more than 1/2: 4 needed)
    assert text.count("Present at the close: 4 of 7 voting members; quorum (4) reached") == 2
    assert "Voted: 4 of 7 eligible voters" in text and "Voted: 2 of 7 eligible voters" in text
    # the named vote's roll call names who did not vote too (the secret one names nobody)
    assert text.count("Did not vote:") == 1
    assert "Did not vote: Anna Kowalska (D02), Phạm Quốc Bảo (D04), Hoàng Thu Hà (D05)" in text
    assert "Quorum rule: at least 2/3 of the voting members; excused members count in the base." in text
    assert "Appendix: proxies Trần Văn Hùng (D01) held the proxy of Hoàng Thu Hà (D05)" in text
    with app.test_request_context():
        votes = list(csv.DictReader(io.StringIO(export.votes_csv(doc).lstrip("\ufeff"))))
        people = {r["name"]: r for r in csv.DictReader(io.StringIO(export.attendance_csv(doc).lstrip("\ufeff")))}
    assert votes[0]["voted"] == "4 of 7 eligible voters"
    assert votes[0]["present_at_close"] == "4 of 7 voting members; quorum (4) reached"
    assert people["Hoàng Thu Hà"]["proxy_given_to"] == "Trần Văn Hùng (D01)"
    assert people["Trần Văn Hùng"]["proxy_held_for"] == "Hoàng Thu Hà (D05)"


def test_a_vote_closed_without_a_quorum_says_so_in_the_minutes(app, held):
    """The room is kept as it was at the close: later check-ins do not make an earlier vote quorate."""
    from app.attendance.service import check_in, update_settings
    from app.meetings.models import Membership
    from app.voting import service as voting
    from app.voting.schemas import VoteSpec

    meeting = db.session.get(Meeting, held.meeting_id)
    chair = db.session.get(Membership, held.members["chair"]).user
    update_settings(meeting, None, quorum_basis="weight", quorum_num=3, quorum_den=4)
    db.session.commit()
    vote = voting.create_vote(meeting, chair, VoteSpec(question="Adjourn?", agenda_item_id=held.items[2]))
    db.session.commit()
    voting.open_vote(voting.get_vote(vote.id), chair)
    db.session.commit()
    voting.close_vote(voting.get_vote(vote.id), chair)
    check_in(meeting, db.session.get(Membership, held.members["d5"]), None)
    db.session.commit()
    with app.test_request_context():
        _pages, text = pdf_text(export.render_pdf(service.collect(meeting)))
    # weights: present C1 1 + S1 1 + D01 1 + D03 2 = 5 of 8; more than 3/4 of 8 needs 7
    assert "Present at the close: vote weight 5 of 8; quorum (7) NOT reached" in flat(text)


def test_the_minutes_say_when_the_session_was_opened_and_closed_on_the_24_hour_clock(app, ctx):
    """The minutes gave only the planned start (“December 3, 2026, 2:00 PM”), never when the session really ran,
    and mixed the 12-hour clock with the 24-hour times of everything else."""
    from datetime import datetime, timedelta

    from app.audit.models import AuditEntry
    from app.meetings.service import change_status

    meeting = make_meeting("session-times", status=Meeting.SCHEDULED, items=1)
    change_status(meeting, Meeting.LIVE, None)
    change_status(meeting, Meeting.CLOSED, None)
    db.session.flush()
    opened, closed = (db.session.scalars(sa.select(AuditEntry).where(AuditEntry.meeting_id == meeting.id)
                                         .order_by(AuditEntry.id)).all())
    opened.at, closed.at = datetime(2026, 12, 7, 21, 37, 5), datetime(2026, 12, 7, 21, 53, 40)   # UTC
    db.session.commit()
    doc = service.collect(meeting)
    assert doc["session"] == {"opened_at": "2026-12-07T21:37:05", "closed_at": "2026-12-07T21:53:40"}
    with app.test_request_context():
        text = flat(pdf_text(export.render_pdf(doc))[1])
    assert "Date: December 3, 2026, 14:00" in text   # the start as planned, the clock every other time is on
    assert "Session opened: December 7, 2026, 21:37" in text and "Session closed: December 7, 2026, 21:53" in text
    assert " PM" not in text and " AM" not in text
