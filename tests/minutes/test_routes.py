"""The minutes pages over HTTP: who may see and edit, autosave and conflicts, exports, approval."""
from __future__ import annotations

import pymupdf

from app.extensions import db
from app.minutes.models import MinutesApproval
from tests.factories import add_member
from tests.minutes.conftest import close_meeting, write_minutes, write_pair

JSON = {"Accept": "application/json"}


def save(client, slug, item_id, **body):
    return client.post(f"/meetings/{slug}/minutes/items/{item_id}", json=body, headers=JSON)


def test_the_secretary_edits_and_autosaves_with_versions_and_sees_a_conflict(client, auth, held):
    auth.login("secretary")
    page = client.get("/meetings/council/minutes")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="save-state"' in html and "js/pages/minutes.js" in html and "Budget 2027" in html
    assert "Adopt the budget 2027?" in html  # the facts beside the editor

    first = save(client, "council", held.items[0], notes="Line one\n<b>two</b>", decision="Adopted.", version=0)
    assert first.status_code == 200 and first.json["version"] == 1 and first.json["updated_by"] == "Daniel Okafor"
    second = save(client, "council", held.items[0], notes="Line one, more", decision="Adopted.", version=1)
    assert second.json["version"] == 2
    stale = save(client, "council", held.items[0], notes="Someone else's", decision="", version=1)
    assert stale.status_code == 409 and stale.json["error"] == "minutes_conflict"
    assert stale.json["current"]["notes"] == "Line one, more" and "Daniel Okafor saved the minutes" in stale.json["message"]


def test_bad_autosave_bodies_get_a_sentence_and_change_nothing(client, auth, held):
    auth.login("secretary")
    for body in ({"notes": "x"}, {"notes": 1, "decision": "", "version": 0},
                 {"notes": "", "decision": "", "version": -1}, {"notes": "", "decision": "", "version": 0, "x": 1}):
        reply = save(client, "council", held.items[0], **body)
        assert reply.status_code == 400 and reply.json["message"].startswith("The minutes were not saved"), body
    assert client.post("/meetings/council/minutes/items/%d" % held.items[0], data="nonsense",
                       headers=JSON).status_code == 400
    assert save(client, "council", 999999, notes="", decision="", version=0).status_code == 404


def test_members_cannot_edit_and_see_only_approved_minutes(client, auth, held, app, certs):
    add_member(db.session.get(__import__("app.meetings.models", fromlist=["Meeting"]).Meeting, held.meeting_id),
               "reader", seat="D09")
    db.session.commit()
    auth.login("reader")
    assert save(client, "council", held.items[0], notes="x", decision="", version=0).status_code == 403
    page = client.get("/meetings/council/minutes").get_data(as_text=True)
    assert "have not been approved yet" in page and "<textarea" not in page
    assert client.get("/meetings/council/minutes.pdf").status_code == 404
    assert client.get("/meetings/council/minutes/votes.csv").status_code == 403
    auth.logout()

    app.config.update(SIGNING_CERT=str(certs["valid"].cert), SIGNING_KEY=str(certs["valid"].key),
                      SIGNING_KEY_PASSWORD=certs["valid"].password)
    write_minutes(held, 0, "Approved <notes>", "The committee adopts the budget 2027.")
    auth.login("chair")
    # while the meeting runs, its minutes are not signed (a tap mid-meeting would sign half of them)
    live = client.post("/meetings/council/minutes/approve", headers=JSON)
    assert (live.status_code, live.json["message"]) == (409, "Close the meeting first: the minutes are approved and "
                                                             "signed once nothing more can happen in it (votes, "
                                                             "speeches, attendance).")
    assert db.session.query(MinutesApproval).count() == 0
    editor = client.get("/meetings/council/minutes").get_data(as_text=True)
    assert 'data-testid="approve"' not in editor and "once the meeting is closed" in editor
    close_meeting(held)
    assert 'data-testid="approve"' in client.get("/meetings/council/minutes").get_data(as_text=True)
    assert client.post("/meetings/council/minutes/approve", headers=JSON).json["ok"] is True
    auth.logout()
    write_minutes(held, 0, "Edited after approval", "The committee adopts the budget 2027.")

    auth.login("reader")
    page = client.get("/meetings/council/minutes").get_data(as_text=True)
    assert "Approved &lt;notes&gt;" in page and "Edited after approval" not in page  # the approved version
    assert "preparing a revised version" in page
    signed = client.get("/meetings/council/minutes.pdf")
    assert signed.status_code == 200 and signed.mimetype == "application/pdf"
    assert signed.data == db.session.query(MinutesApproval).one().signed_pdf


def test_only_the_chair_or_an_admin_approves_and_a_signing_failure_is_explained_on_the_editor(client, auth, held, app, tmp_path):
    auth.login("secretary")
    assert client.post("/meetings/council/minutes/approve").status_code == 403
    auth.logout()
    expired = write_pair(tmp_path, "old", not_after=__import__("datetime").datetime(2020, 1, 1, tzinfo=__import__("datetime").timezone.utc),
                         not_before=__import__("datetime").datetime(2019, 1, 1, tzinfo=__import__("datetime").timezone.utc))
    app.config.update(SIGNING_CERT=str(expired.cert), SIGNING_KEY=str(expired.key))
    close_meeting(held)
    auth.login("chair")
    reply = client.post("/meetings/council/minutes/approve", follow_redirects=True)
    text = reply.get_data(as_text=True)
    assert reply.status_code == 200 and "expired on 2020-01-01" in text and "Draft" in text
    assert client.post("/meetings/council/minutes/approve", headers=JSON).status_code == 409
    assert db.session.query(MinutesApproval).count() == 0


def test_staff_export_pdf_html_and_csv(client, auth, held):
    write_minutes(held, 0, "Notes with <script>x</script>", "Decision text")
    auth.login("secretary")
    pdf = client.get("/meetings/council/minutes.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    with pymupdf.open("pdf", pdf.data) as doc:
        assert "Nguyễn Thị Mai" in doc[0].get_text()
    html = client.get("/meetings/council/minutes.html")
    assert "attachment" in html.headers["Content-Disposition"] and "&lt;script&gt;x&lt;/script&gt;" in html.get_data(as_text=True)
    assert html.headers["Content-Type"] == "text/html; charset=utf-8"   # once (it said charset=utf-8 twice)
    assert client.get("/meetings/council/minutes/votes.csv").headers["Content-Type"] == "text/csv; charset=utf-8"
    votes = client.get("/meetings/council/minutes/votes.csv").get_data(as_text=True)
    assert "Adopt the budget 2027?" in votes and "Trần Văn Hùng" in votes
    attendance = client.get("/meetings/council/minutes/attendance.csv").get_data(as_text=True)
    assert "Phạm Quốc Bảo" in attendance and "excused" in attendance
    # every download named <what>-<meeting>: the minutes' attendance is not the board's attendance-council.csv
    names = {path: client.get(path).headers["Content-Disposition"].split("filename=")[1].strip('"')
             for path in ("/meetings/council/minutes/attendance.csv", "/meetings/council/minutes/votes.csv",
                          "/meetings/council/attendance.csv", "/api/meetings/council/votes/results.csv")}
    assert list(names.values()) == ["minutes-council-attendance.csv", "minutes-council-votes.csv",
                                    "attendance-council.csv", "results-council.csv"]


def test_the_cli_exports_the_minutes_and_makes_the_demo_certificate(runner, held, tmp_path, app):
    out = tmp_path / "minutes.pdf"
    result = runner.invoke(args=["minutes", "export", "council", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "draft minutes" in result.output
    with pymupdf.open(out) as doc:
        assert "Appendix: attendance" in " ".join(p.get_text() for p in doc)
    assert runner.invoke(args=["minutes", "export", "nope", "--out", str(out)]).exit_code != 0
    made = runner.invoke(args=["minutes", "demo-cert"])
    assert made.exit_code == 0 and "Wrote a self-signed demo signing certificate" in made.output
    assert "already there and valid" in runner.invoke(args=["minutes", "demo-cert"]).output
    csv_out = tmp_path / "att.csv"
    assert runner.invoke(args=["minutes", "export", "council", "--out", str(csv_out), "--attendance"]).exit_code == 0
    assert "Hoàng Thu Hà" in csv_out.read_text(encoding="utf-8-sig")


def test_the_vote_facts_are_shown_in_the_readers_language_and_the_approval_holds_in_both(client, auth, app, certs):
    """Each request its own app context (the language is chosen per request): the meeting is built apart."""
    from app.meetings.models import Meeting
    from tests.minutes.conftest import build_held_meeting
    from tests.test_i18n import english_msgids, untranslated

    app.config.update(SIGNING_CERT=str(certs["valid"].cert), SIGNING_KEY=str(certs["valid"].key),
                      SIGNING_KEY_PASSWORD=certs["valid"].password)
    with app.app_context():
        meeting = db.session.get(Meeting, build_held_meeting().meeting_id)
        data = {meeting.title, meeting.place} | {i.title for i in meeting.items}
        data |= {m.user.name for m in meeting.memberships} | {"Adopt the budget 2027?", "Close Market Street to cars?"}
        add_member(meeting, "reader", seat="D09")
        db.session.commit()
        meeting.status = Meeting.CLOSED   # held: its minutes are approved below
        db.session.commit()
    msgids = english_msgids()
    named = ("Biểu quyết thông qua, công khai", "Quá bán (hơn một nửa số phiếu đã bỏ); "
             "không tính phiếu không biểu quyết", "Tán thành: 3 theo trọng số (2 phiếu)", "Được thông qua (cần 3/4)",
             "Lê Minh Châu (D03): Tán thành", "Biểu quyết thông qua, bỏ phiếu kín")
    english = ("Motion, named vote", "Simple majority (more than half of the votes cast); abstentions not counted",
               "For: 3 by weight (2 ballots)", "Adopted (needed 3 of 4)", "Lê Minh Châu (D03): For",
               "Motion, secret ballot")

    def pdf_text(data: bytes) -> str:
        with pymupdf.open("pdf", data) as pdf:
            return " ".join(" ".join(page.get_text() for page in pdf).split())

    auth.login("secretary")
    client.post("/lang/vi")
    editor = client.get("/meetings/council/minutes").get_data(as_text=True)
    assert "Được thông qua (cần 3/4)" in editor and "Tán thành 3 theo trọng số (2 phiếu)" in editor
    assert untranslated(editor, msgids, data) == []
    exported = client.get("/meetings/council/minutes.html").get_data(as_text=True)
    assert [t for t in named if t not in exported] == [] and untranslated(exported, msgids, data) == []
    text = pdf_text(client.get("/meetings/council/minutes.pdf").data)  # in the language of the one exporting
    assert [t for t in named if t not in text] == [] and [t for t in english if t in text] == []
    auth.logout()

    auth.login("chair")  # approves in Vietnamese: the signed PDF is in the chair's language
    client.post("/lang/vi")
    assert client.post("/meetings/council/minutes/approve", headers=JSON).json["ok"] is True
    with app.app_context():
        assert "Được thông qua (cần 3/4)" in pdf_text(db.session.query(MinutesApproval).one().signed_pdf)
    auth.logout()

    auth.login("reader")  # the same approved minutes for an English reader: English words, still approved
    page = client.get("/meetings/council/minutes").get_data(as_text=True)
    assert [t for t in english if t.replace("'", "&#39;") not in page] == [] and "Được thông qua" not in page
    assert "preparing a revised version" not in page
    client.post("/lang/vi")
    page = client.get("/meetings/council/minutes").get_data(as_text=True)
    assert [t for t in named if t not in page] == [] and untranslated(page, msgids, data) == []
    assert "Thư ký đang chuẩn bị" not in page
