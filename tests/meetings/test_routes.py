"""Meeting screens: who may see and change what, and what they see."""
import html
import io

import pytest
import sqlalchemy as sa

from app.audit.service import entries
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, Membership
from tests.factories import add_member, make_meeting, make_pdf, make_user


@pytest.fixture
def council(ctx):
    meeting = make_meeting("council", items=2)
    add_member(meeting, "secretary", "secretary", "S1")
    add_member(meeting, "chair", "chair", "C1")
    add_member(meeting, "delegate", "delegate", "D1")
    make_user("outsider")
    make_user("root", admin=True)
    db.session.commit()
    return meeting


def test_members_see_the_agenda_others_do_not(client, auth, council):
    auth.login("delegate")
    page = client.get("/meetings/council")
    assert page.status_code == 200 and "Item 1" in page.get_data(as_text=True)
    assert "Prepare" not in page.get_data(as_text=True)
    auth.logout()
    auth.login("outsider")
    refused = client.get("/meetings/council")
    assert refused.status_code == 403 and "not a member of this meeting" in refused.get_data(as_text=True)
    assert "Meeting council" not in client.get("/").get_data(as_text=True)


def test_the_typed_in_meetings_address_leads_to_my_meetings(client, auth, council):
    auth.login("delegate")
    response = client.get("/meetings", follow_redirects=True)
    assert response.status_code == 200 and "Meeting council" in response.get_data(as_text=True)


def test_anonymous_users_are_sent_to_sign_in(client, council):
    response = client.get("/meetings/council")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "next=" in response.headers["Location"] and "meetings" in response.headers["Location"]


@pytest.mark.parametrize("method,path", [
    ("get", "/api/meetings/council/votes"), ("post", "/api/meetings/council/votes"),
    ("get", "/api/meetings/council/speakers"), ("post", "/api/meetings/council/attendance/self"),
    ("get", "/api/meetings/council/votes/results.json"), ("post", "/api/votes/1/annul"),
])
def test_signed_out_api_calls_get_401_with_a_sentence_not_a_redirect(client, council, method, path):
    response = getattr(client, method)(path, json={})
    assert response.status_code == 401 and response.is_json
    assert response.get_json() == {"ok": False, "error": "unauthorized",
                                   "message": "Sign in first: scan your badge or sign in with your password."}


@pytest.mark.parametrize("user,allowed", [("secretary", True), ("chair", True), ("root", True),
                                          ("delegate", False), ("outsider", False)])
def test_only_staff_prepare(client, auth, council, user, allowed):
    auth.login(user)
    assert (client.get("/meetings/council/prepare").status_code == 200) is allowed
    response = client.post("/meetings/council/items", data={"title": "New item", "parent_id": ""})
    assert (response.status_code == 302) is allowed
    assert (db.session.query(AgendaItem).filter_by(title="New item").count() == 1) is allowed
    if allowed:   # back to the new item on the agenda, not its top
        added = db.session.query(AgendaItem).filter_by(title="New item").one()
        assert response.headers["Location"].endswith(f"/meetings/council/prepare#item-{added.id}")


def test_status_moves_one_way_and_is_audited(client, auth, council):
    auth.login("chair")
    assert client.post("/meetings/council/status", data={"value": "live"}).status_code == 302
    refused = client.post("/meetings/council/status", data={"value": "scheduled"})
    assert refused.status_code == 409 and "Cannot make meeting “council” scheduled: it is live." in refused.get_data(as_text=True)
    client.post("/meetings/council/status", data={"value": "closed"})
    db.session.expire_all()
    assert db.session.query(Meeting).one().status == "closed"
    assert [e.detail["new"] for e in entries(action="meeting.status")] == ["live", "closed"]
    closed = client.post("/meetings/council/items", data={"title": "Late item", "parent_id": ""})
    assert closed.status_code == 409 and "meeting is closed" in closed.get_data(as_text=True)


def test_agenda_items_nest_move_and_delete(client, auth, council):
    auth.login("secretary")
    first = db.session.query(AgendaItem).filter_by(title="Item 1").one()
    client.post("/meetings/council/items", data={"title": "Sub of one", "parent_id": str(first.id)})
    client.post(f"/meetings/council/items/{first.id}", data={"value": "down"})
    page = client.get("/meetings/council").get_data(as_text=True)
    assert page.index("Item 2") < page.index("Item 1") < page.index("Sub of one")
    sub = db.session.query(AgendaItem).filter_by(title="Sub of one").one()
    stays = client.post(f"/meetings/council/items/{sub.id}", data={"value": "up"}, follow_redirects=True)
    assert "“Sub of one” is already the first under its heading." in html.unescape(stays.get_data(as_text=True))
    deleted = client.post(f"/meetings/council/items/{first.id}", data={"value": "delete"})
    assert deleted.headers["Location"].endswith("/meetings/council/prepare#agenda")
    db.session.expire_all()
    assert {i.title for i in db.session.query(AgendaItem)} == {"Item 2"}
    page = client.get("/meetings/council/prepare").get_data(as_text=True)
    assert "“Item 1” was deleted, and with it 1 sub-item." in page
    [entry] = entries(action="agenda.item_deleted")
    assert entry.detail["title"] == "Item 1" and entry.detail["sub_items"] == "Sub of one"


def test_upload_a_pdf_to_an_item(client, auth, council, tmp_path):
    auth.login("secretary")
    item = db.session.query(AgendaItem).filter_by(title="Item 1").one()
    pdf = make_pdf(tmp_path / "report.pdf", pages=3).read_bytes()
    response = client.post(f"/meetings/council/items/{item.id}/documents",
                           data={"pdf": (io.BytesIO(pdf), "report.pdf"), "title": "Annual report"},
                           content_type="multipart/form-data", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.json["document"]["pages"] == 3
    assert "Annual report" in client.get("/meetings/council").get_data(as_text=True)


def test_a_refused_upload_keeps_nothing(app, client, auth, council):
    auth.login("secretary")
    item = db.session.query(AgendaItem).filter_by(title="Item 1").one()
    response = client.post(f"/meetings/council/items/{item.id}/documents",
                           data={"pdf": (io.BytesIO(b"GIF89a not a pdf"), "cat.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "this file is not a PDF" in response.get_data(as_text=True)
    data_dir = app.config["DATA_DIR"]
    assert not (data_dir / "originals").exists() and list((data_dir / "tmp").iterdir()) == []


def test_admin_creates_a_meeting(client, auth, council):
    auth.login("root")
    response = client.post("/meetings", data={"slug": "plenary-1", "title": "Plenary", "place": "Hall"})
    assert response.status_code == 302
    refused = client.post("/meetings", data={"slug": "Bad Slug!", "title": "X"})
    assert refused.status_code == 400 and "lowercase letters, digits and dashes" in refused.get_data(as_text=True)


def test_a_taken_short_name_gives_the_form_back_as_typed_with_the_reason(client, auth, council):
    """A taken short name led to an error page: the admin went back and typed the whole meeting again."""
    auth.login("root")
    typed = {"slug": "council", "title": "Council – extraordinary session", "place": "Hall B"}
    refused = client.post("/meetings", data=typed)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'data-testid="form-refusal"' in page
    assert "A meeting with the short name “council” already exists; choose another." in page
    assert 'value="Council – extraordinary session"' in page and 'value="Hall B"' in page
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 1


def test_a_chair_is_told_who_creates_meetings(client, auth, council):
    """A secretary or chair found no way to make the next meeting, and no word why."""
    auth.login("secretary")
    assert "New meetings are created by an administrator" in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login("delegate")
    assert "New meetings are created by an administrator" not in client.get("/").get_data(as_text=True)


def test_delegates_cannot_create_meetings(client, auth, council):
    auth.login("delegate")
    assert client.post("/meetings", data={"slug": "x", "title": "X"}).status_code == 403


def test_unknown_pages_get_a_sentence_not_a_stack_trace(client, auth, council):
    auth.login("delegate")
    response = client.get("/meetings/nope")
    assert response.status_code == 404 and "There is no meeting “nope”" in response.get_data(as_text=True)
    api = client.get("/api/nothing-here")
    assert api.status_code == 404 and api.json["ok"] is False


def test_an_items_title_and_description_are_fixed_on_the_preparation_page(client, auth, council):
    auth.login("secretary")
    item = db.session.query(AgendaItem).filter_by(title="Item 1").one()
    page = client.get("/meetings/council/prepare").get_data(as_text=True)
    assert 'name="title" value="Item 1"' in page   # the edit form, filled with what is there now
    response = client.post(f"/meetings/council/items/{item.id}",
                           data={"title": "Budget 2027 <draft>", "description": "Second reading."})
    assert response.status_code == 302
    shown = client.get("/meetings/council").get_data(as_text=True)
    assert "Budget 2027 &lt;draft&gt;" in shown and "Second reading." in shown
    refused = client.post(f"/meetings/council/items/{item.id}", data={"title": " ", "description": "x"})
    assert refused.status_code == 400 and "Title" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AgendaItem, item.id).title == "Budget 2027 <draft>"
    assert [e.detail["item_id"] for e in entries(action="agenda.item_changed")] == [item.id]


def test_an_item_is_put_under_another_and_back_but_never_under_itself(client, auth, council):
    """Made as a main item by mistake, an item goes under another afterwards (last there), and back; never
    under itself or its own sub-item. A form without a parent field leaves the parent as it is."""
    auth.login("secretary")
    one, two = (db.session.query(AgendaItem).filter_by(title=t).one() for t in ("Item 1", "Item 2"))
    ids = (one.id, two.id)
    client.post("/meetings/council/items", data={"title": "Sub of one", "parent_id": str(one.id)})
    page = client.get("/meetings/council/prepare").get_data(as_text=True)
    assert f'<option value="{two.id}" >' in page or f'<option value="{two.id}">' in page
    moved = client.post(f"/meetings/council/items/{two.id}", data={"title": "Item 2", "description": "",
                                                                    "parent_id": str(one.id)})
    assert moved.status_code == 302
    db.session.expire_all()
    from app.meetings.service import numbered_agenda

    assert [(n.number, n.item.title) for n in numbered_agenda(council)] == [
        ("1", "Item 1"), ("1.1", "Sub of one"), ("1.2", "Item 2")]
    [entry] = [e for e in entries(action="agenda.item_changed") if "new" in e.detail]
    assert (entry.detail["old"], entry.detail["new"]) == ("—", "Item 1")
    for bad in (ids[0], ids[1]):   # under itself; under its own sub-item
        refused = client.post(f"/meetings/council/items/{ids[0] if bad == ids[1] else ids[1]}",
                              data={"title": "x", "description": "", "parent_id": str(bad if bad == ids[1] else ids[1])})
        assert refused.status_code == 400
        assert "cannot go under itself or one of its own sub-items" in html.unescape(refused.get_data(as_text=True))
    client.post(f"/meetings/council/items/{ids[1]}", data={"title": "Item 2 renamed", "description": ""})
    db.session.expire_all()
    assert db.session.get(AgendaItem, ids[1]).parent_id == ids[0]   # no parent field: stays where it is
    client.post(f"/meetings/council/items/{ids[1]}", data={"title": "Item 2", "description": "", "parent_id": ""})
    db.session.expire_all()
    assert db.session.get(AgendaItem, ids[1]).parent_id is None


def _upload(client, item_id: int, pdf: bytes, title: str) -> int:
    response = client.post(f"/meetings/council/items/{item_id}/documents",
                           data={"pdf": (io.BytesIO(pdf), f"{title}.pdf"), "title": title},
                           content_type="multipart/form-data", headers={"Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["document"]["id"]


def test_a_wrong_upload_is_taken_off_the_agenda_and_out_of_members_reach(app, client, auth, council, tmp_path):
    from app.annotations import service as notes
    from app.auth.models import User
    from app.documents.models import Document

    auth.login("secretary")
    item = db.session.query(AgendaItem).filter_by(title="Item 1").one()
    wrong = _upload(client, item.id, make_pdf(tmp_path / "a.pdf", text="Staff salaries").read_bytes(), "Salaries")
    right = _upload(client, item.id, make_pdf(tmp_path / "b.pdf", text="Budget").read_bytes(), "Budget")
    sha = db.session.get(Document, wrong).sha256
    delegate = db.session.query(User).filter_by(username="delegate").one()
    notes.create(delegate, council, document_id=wrong, page=1, kind="note", geometry={"point": [10, 10]},
                 data_dir=app.config["DATA_DIR"], text="Ask about this")
    db.session.commit()
    assert 'aria-label="Remove “Salaries”"' in client.get("/meetings/council/prepare").get_data(as_text=True)
    auth.logout()

    app.config["RENDER_WAIT_S"] = 0   # no render worker runs here: a page not yet made is answered at once
    auth.login("delegate")   # a delegate may read it (its page images are being made), not remove it
    assert client.get(f"/meetings/council/documents/{wrong}").status_code == 200
    assert client.get(f"/pages/{sha}/1/200.png").status_code in (200, 503)
    assert client.post(f"/meetings/council/documents/{wrong}/remove").status_code == 403
    auth.logout()

    auth.login("secretary")
    response = client.post(f"/meetings/council/documents/{wrong}/remove", follow_redirects=True)
    assert response.status_code == 200 and "Document “Salaries” removed." in response.get_data(as_text=True)
    assert "Salaries" not in client.get("/meetings/council").get_data(as_text=True)
    again = client.post(f"/meetings/council/documents/{wrong}/remove")
    assert again.status_code == 404 and "may have been removed" in again.get_data(as_text=True)
    db.session.expire_all()
    assert [d.id for d in db.session.query(Document)] == [right]
    assert db.session.get(Document, right).position == 0
    assert notes.mine_in_meeting(delegate, council) == []
    [entry] = entries(action="document.removed")
    assert entry.detail["title"] == "Salaries" and entry.detail["item_id"] == item.id
    auth.logout()

    auth.login("delegate")   # its reader and its pages are gone for the members
    assert client.get(f"/meetings/council/documents/{wrong}").status_code == 404
    refused = client.get(f"/pages/{sha}/1/200.png")
    assert refused.status_code == 403 and "not a member of a meeting that has this document" in refused.get_data(as_text=True)


def test_a_document_is_removed_only_from_its_own_open_meeting(client, auth, council, tmp_path):
    from app.documents.models import Document

    other = make_meeting("other")
    add_member(other, "secretary", "secretary", "S1")
    db.session.commit()
    auth.login("secretary")
    mine = _upload(client, council.items[0].id, make_pdf(tmp_path / "a.pdf").read_bytes(), "Report")
    theirs = client.post(f"/meetings/other/documents/{mine}/remove")
    assert theirs.status_code == 404 and "not part of this meeting" in theirs.get_data(as_text=True)
    client.post("/meetings/council/status", data={"value": "live"})
    client.post("/meetings/council/status", data={"value": "closed"})
    closed = client.post(f"/meetings/council/documents/{mine}/remove")
    assert closed.status_code == 409 and "meeting is closed" in closed.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Document, mine) is not None


def test_an_upload_with_a_too_long_title_says_so_and_keeps_nothing(app, client, auth, council, tmp_path):
    from app.documents.models import Document

    auth.login("secretary")
    item = db.session.query(AgendaItem).filter_by(title="Item 1").one()
    pdf = make_pdf(tmp_path / "report.pdf").read_bytes()
    response = client.post(f"/meetings/council/items/{item.id}/documents",
                           data={"pdf": (io.BytesIO(pdf), "report.pdf"), "title": "x" * 1000},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Check the form: Title (optional): Use at most 300 characters." in response.get_data(as_text=True)
    assert "characters.." not in response.get_data(as_text=True)
    assert db.session.query(Document).count() == 0


def test_a_form_refusal_ends_its_sentence_once(client, auth, council):
    auth.login("secretary")
    refused = client.post("/meetings/council/items", data={"title": "", "parent_id": ""})
    assert refused.status_code == 400
    assert "Check the form: Title: Fill in this field." in refused.get_data(as_text=True)
    assert "field.." not in refused.get_data(as_text=True)


def test_a_closed_meeting_hands_out_no_sign_in_links_or_badges(client, auth, council):
    from app.auth.models import SignInToken

    member = db.session.query(Membership).filter_by(role="delegate").one()
    auth.login("secretary")
    client.post("/meetings/council/status", data={"value": "live"})
    client.post("/meetings/council/status", data={"value": "closed"})
    for action in ("link", "reissue"):
        refused = client.post(f"/meetings/council/members/{member.id}/{action}")
        assert refused.status_code == 409
        assert "This meeting is closed: nobody signs in to it any more" in refused.get_data(as_text=True)
    assert db.session.query(SignInToken).count() == 0


@pytest.mark.parametrize("parent", ["   ", "\t"])
def test_a_blank_parent_item_is_no_parent(client, auth, council, parent):
    auth.login("secretary")
    assert client.post("/meetings/council/items", data={"title": "Blank parent", "parent_id": parent}).status_code == 302
    assert db.session.query(AgendaItem).filter_by(title="Blank parent").one().parent_id is None


@pytest.mark.parametrize("body", [{"title": "\ud800"}, {"title": "A\x00B"}, {"title": "ok", "description": ["\x00"]}])
def test_text_that_no_database_keeps_is_refused_with_a_sentence(client, auth, council, body):
    auth.login("secretary")
    page = client.get("/meetings/council/prepare").get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    response = client.post("/meetings/council/items", json=body, headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["message"] == ("The request holds a character that is not text (a NUL byte or half of "
                                              "a surrogate pair); remove it and send again.")
    form = client.post("/meetings/council/items", data={"title": "A\x00B"})
    assert form.status_code == 400
    assert db.session.query(AgendaItem).filter(AgendaItem.title.like("A%B")).count() == 0


@pytest.mark.parametrize("body,words", [
    ('{"title": true}', "“title” must be text or a number, not true or false."),
    ('{"title": NaN}', "as one JSON object of texts and numbers"),
    ('{"title": "Ok", "description": Infinity}', "as one JSON object of texts and numbers"),
])
def test_a_form_sent_as_json_takes_texts_and_numbers_only(client, auth, council, body, words):
    auth.login("secretary")
    page = client.get("/meetings/council/prepare").get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    response = client.post("/meetings/council/items", data=body, content_type="application/json",
                           headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert response.status_code == 400 and words in response.get_json()["message"]
    assert db.session.query(AgendaItem).filter(AgendaItem.title.in_(["y", "nan", "Ok", "True"])).count() == 0


def test_a_document_is_renamed_or_moved_to_another_item_and_keeps_its_notes(app, client, auth, council):
    """A title to correct, or a PDF uploaded under the wrong item, meant removing it (with every member's notes on
    it) and uploading it again."""
    from app.annotations.models import Annotation
    from app.audit.service import entries
    from app.documents.service import attach_pdf

    first, second = sorted(council.items, key=lambda i: i.position)
    pdf = make_pdf(app.config["DATA_DIR"] / "in.pdf", pages=2)
    doc = attach_pdf(first, pdf, filename="in.pdf", title="Budgte", data_dir=app.config["DATA_DIR"],
                     max_pages=100, max_bytes=10_000_000)
    delegate = next(m for m in council.memberships if m.role == "delegate")
    db.session.add(Annotation(document_id=doc.id, page=1, author_id=delegate.user_id, meeting_id=council.id,
                              kind="note", geometry={"point": [10, 10]}, text="check p. 2"))
    db.session.commit()
    auth.login("secretary")
    url = f"/meetings/council/documents/{doc.id}"
    moved = client.post(url, data={"title": "  Budget   2027 ", "item_id": str(second.id)})
    assert moved.status_code == 302 and moved.headers["Location"].endswith(f"#item-{second.id}")
    db.session.expire_all()
    assert (doc.title, doc.item_id) == ("Budget 2027", second.id)
    assert db.session.query(Annotation).filter_by(document_id=doc.id).count() == 1   # the notes stay
    (entry,) = entries(council.id, "document.changed")
    assert entry.detail == {"document_id": doc.id, "title": "Budgte", "new_title": "Budget 2027",
                            "item_id": first.id, "new_item_id": second.id}
    # bad input: a sentence, and nothing changed
    for data, status, words in (({"title": " ", "item_id": str(second.id)}, 400, "Give the document a title."),
                                ({"title": "X", "item_id": "999999"}, 404, "There is no such agenda item"),
                                ({"title": "X"}, 400, "Choose the agenda item")):
        refused = client.post(url, data=data, headers={"Accept": "application/json"})
        assert refused.status_code == status and words in refused.get_json()["message"], refused.get_json()
    db.session.expire_all()
    assert (doc.title, doc.item_id) == ("Budget 2027", second.id)
    # the same file already under the first item: moving it back there would show it twice
    attach_pdf(db.session.get(AgendaItem, first.id), pdf, filename="in.pdf", title="Copy",
               data_dir=app.config["DATA_DIR"], max_pages=100, max_bytes=10_000_000)
    db.session.commit()
    twice = client.post(url, data={"title": "Budget 2027", "item_id": str(first.id)}, headers={"Accept": "application/json"})
    assert twice.status_code == 409 and "already has this document; nothing was moved" in twice.get_json()["message"]
    db.session.expire_all()
    assert doc.item_id == second.id
    auth.logout()
    auth.login("delegate")
    assert client.post(url, data={"title": "Mine", "item_id": str(first.id)}).status_code == 403
