"""The audit log: staff see who did what; delegates do not."""
from app.extensions import db
from tests.factories import add_member, make_meeting


def _council():
    meeting = make_meeting("council")
    add_member(meeting, "secretary", "secretary", "S1")
    add_member(meeting, "delegate", "delegate", "D1")
    db.session.commit()


def test_staff_see_who_did_what(ctx, client, auth):
    _council()
    auth.login("secretary")
    client.post("/meetings/council/items", data={"title": "Extra item", "parent_id": ""})
    client.post("/meetings/council/status", data={"value": "live"})
    page = client.get("/meetings/council/audit").get_data(as_text=True)
    assert page.index("meeting.status") < page.index("agenda.item_added")  # newest first
    assert "Secretary" in page and "new=live" in page
    csv_text = client.get("/meetings/council/audit.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0] == "at_utc,actor,action,detail"
    assert ",Secretary,agenda.item_added," in csv_text


def test_delegates_cannot_read_the_audit_log(ctx, client, auth):
    _council()
    auth.login("delegate")
    assert client.get("/meetings/council/audit").status_code == 403
    assert client.get("/meetings/council/audit.csv").status_code == 403
