"""The audit log: staff see who did what, in words, a page at a time, narrowed to a kind; delegates do not."""
import re

from app.attendance import service as attendance
from app.audit.service import record
from app.extensions import db
from app.meetings.models import Meeting
from tests.factories import add_member, make_meeting


def _council(status: str = Meeting.SCHEDULED):
    meeting = make_meeting("council", status=status)
    add_member(meeting, "secretary", "secretary", "S1")
    delegate = add_member(meeting, "delegate", "delegate", "D1")
    db.session.commit()
    return meeting, delegate


def _rows(page: str) -> list[str]:
    """The table's rows as text, tags dropped."""
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [re.sub(r"\s+([;,])", r"\1", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))).strip()
            for row in body.split("<tr>")[1:]]


def test_staff_see_who_did_what_in_words(ctx, client, auth):
    _council()
    auth.login("secretary")
    client.post("/meetings/council/items", data={"title": "Extra item", "parent_id": ""})
    client.post("/meetings/council/status", data={"value": "live"})
    rows = _rows(client.get("/meetings/council/audit").get_data(as_text=True))
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d Secretary Meeting status changed meeting.status "
                    r"before: scheduled; after: live$", rows[0]), rows[0]   # the statuses in words
    assert "Secretary Agenda item added agenda.item_added agenda item: Extra item" in rows[1]   # newest first
    csv_text = client.get("/meetings/council/audit.csv").get_data(as_text=True)   # the export keeps the codes
    assert csv_text.splitlines()[0] == "at_utc,actor,action,detail"
    assert ",Secretary,agenda.item_added," in csv_text and ",Secretary,meeting.status,old=scheduled; new=live" in csv_text


def test_members_votes_and_flags_are_named_and_the_page_speaks_vietnamese(app, client, auth):
    with app.app_context():   # not held open: each request picks its language afresh
        meeting, delegate = _council(Meeting.LIVE)
        attendance.check_in(meeting, delegate, None)
        record("vote.published", None, meeting.id, vote_id=999, passed=True)   # a vote that no longer exists: its id
        db.session.commit()
    auth.login("secretary")
    rows = _rows(client.get("/meetings/council/audit").get_data(as_text=True))
    assert "the system Vote result published vote.published vote: 999; passed: yes" in rows[0]
    assert "Checked in attendance.check_in member: D1 · Delegate; method: badge scanned" in rows[1]
    client.post("/lang/vi")
    page = client.get("/meetings/council/audit").get_data(as_text=True)
    rows = _rows(page)
    assert "Đã công bố kết quả biểu quyết vote.published" in rows[0] and "thông qua: có" in rows[0]
    assert "Đã điểm danh attendance.check_in thành viên: D1 · Delegate" in rows[1] and "quét thẻ" in rows[1]
    assert "scan" not in rows[1].replace("attendance.check_in", "")


def test_stored_codes_are_shown_in_words_and_exported_as_they_are(app, client, auth):
    """A sign-in's kind, a meeting's status, who closed a vote: words on the page, in either language; the CSV
    keeps the codes."""
    with app.app_context():   # not held open: each request picks its language afresh
        meeting, delegate = _council()
        record("signin.token", delegate.user_id, meeting.id, kind="link")
        record("vote.closed", None, meeting.id, vote_id=998, by="timer")
        record("meeting.status", None, meeting.id, old="draft", new="scheduled")
        record("agenda.item_changed", None, meeting.id, old="draft", new="live")   # not a status: as it is
        db.session.commit()
    auth.login("secretary")
    rows = _rows(client.get("/meetings/council/audit").get_data(as_text=True))
    assert rows[0].endswith("agenda.item_changed before: draft; after: live")
    assert rows[1].endswith("meeting.status before: draft; after: scheduled")
    assert rows[2].endswith("vote.closed vote: 998; by: the timer")
    assert rows[3].endswith("signin.token kind: one-time link")
    client.post("/lang/vi")
    rows = _rows(client.get("/meetings/council/audit").get_data(as_text=True))
    assert "hết giờ" in rows[2] and "liên kết dùng một lần" in rows[3], rows[2:4]
    assert "dự thảo" in rows[1] and "draft" not in rows[1], rows[1]
    assert "draft" in rows[0] and "dự thảo" not in rows[0], rows[0]   # not a meeting's status: as stored
    csv_text = client.get("/meetings/council/audit.csv").get_data(as_text=True)
    assert "kind=link" in csv_text and "by=timer" in csv_text and "old=draft; new=scheduled" in csv_text


def test_the_log_narrows_to_a_kind_and_refuses_a_made_up_one(ctx, client, auth):
    meeting, delegate = _council(Meeting.LIVE)
    attendance.check_in(meeting, delegate, None)
    record("vote.opened", None, meeting.id, vote_id=1)
    record("speakers.floor", None, meeting.id, item_id=meeting.items[0].id)
    db.session.commit()
    auth.login("secretary")
    page = client.get("/meetings/council/audit?kind=votes").get_data(as_text=True)
    assert [r.split(" ", 2)[2] for r in _rows(page)] == ["the system Vote opened vote.opened vote: 1"]
    assert "1 entry, newest first" in page and 'aria-current="page">Votes</a>' in page
    rows = _rows(client.get("/meetings/council/audit?kind=speakers").get_data(as_text=True))
    assert len(rows) == 1 and "Floor given speakers.floor agenda item: Item 1" in rows[0]
    assert len(_rows(client.get("/meetings/council/audit").get_data(as_text=True))) == 3
    refused = client.get("/meetings/council/audit?kind=gossip")
    assert refused.status_code == 400 and "There is no such kind of entry" in refused.get_data(as_text=True)
    assert client.get("/meetings/council/audit?before=0").status_code == 400
    assert client.get("/meetings/council/audit?before=banana").status_code == 200   # not a number: the newest


def test_a_long_log_comes_a_page_at_a_time_with_nothing_shown_twice_or_left_out(ctx, client, auth):
    meeting, _ = _council()
    for n in range(450):
        record("speakers.settings", None, meeting.id, limit_seconds=n)
    db.session.commit()
    auth.login("secretary")
    seen, url, pages = [], "/meetings/council/audit?kind=speakers", 0
    while url:
        page = client.get(url).get_data(as_text=True)
        pages += 1
        seen += [int(re.search(r"speaking time \(s\): (\d+)", row).group(1)) for row in _rows(page)]
        more = re.search(r'data-testid="audit-older" href="([^"]+)"', page)
        url = more.group(1).replace("&amp;", "&") if more else None
        if pages == 2:
            assert "Entries 201–400 of 450, newest first" in page and "Newest entries" in page
    assert pages == 3 and seen == list(range(449, -1, -1))


def test_delegates_cannot_read_the_audit_log(ctx, client, auth):
    _council()
    auth.login("delegate")
    assert client.get("/meetings/council/audit").status_code == 403
    assert client.get("/meetings/council/audit?kind=votes").status_code == 403
    assert client.get("/meetings/council/audit.csv").status_code == 403


def test_an_imports_counts_are_in_words(app, client, auth):
    with app.app_context():
        meeting, _ = _council()
        record("agenda.pack_imported", None, meeting.id, items_added=9, documents_added=7, members_added=15,
               members_updated=0, created=1)
        record("roster.imported", None, meeting.id, added=1, updated=2, unchanged=3)
        db.session.commit()
    auth.login("secretary")
    rows = _rows(client.get("/meetings/council/audit").get_data(as_text=True))
    assert rows[0].endswith("roster.imported added: 1; updated: 2; unchanged: 3")
    assert rows[1].endswith("agenda.pack_imported items added: 9; documents added: 7; members added: 15; "
                            "members updated: 0; meeting created: 1"), rows[1]
    assert "_" not in rows[1].replace("agenda.pack_imported", "")


def test_a_run_of_ballot_counts_reads_as_its_newest_and_the_export_keeps_every_one(ctx, client, auth):
    """The ballot counter writes an entry up to four times a second while a room votes: the page showed a screen of
    "Ballots counted so far" for every vote. A run of them for one vote is its newest, saying how many it stands for."""
    meeting, _ = _council(Meeting.LIVE)
    record("vote.opened", None, meeting.id, vote_id=7)
    for n in range(1, 6):
        record("vote.ballots", None, meeting.id, vote_id=7, ballots=n)
    record("vote.closed", None, meeting.id, vote_id=7)
    record("vote.ballots", None, meeting.id, vote_id=8, ballots=1)   # another vote's count: not folded into 7's
    db.session.commit()
    auth.login("secretary")
    rows = _rows(client.get("/meetings/council/audit").get_data(as_text=True))
    counts = [r for r in rows if "Ballots counted so far" in r]
    assert len(counts) == 2, rows
    assert "(and 4 earlier counts of this vote)" in counts[1] and "5" in counts[1]
    assert "earlier count" not in counts[0]
    csv_text = client.get("/meetings/council/audit.csv").get_data(as_text=True)
    assert csv_text.count("vote.ballots") == 6
