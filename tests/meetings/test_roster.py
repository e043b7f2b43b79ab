"""Roster CSV: good rows seat people; any bad row is reported and nothing is imported."""
import html
import io
import re

import pytest

from app.errors import BadInput
from app.extensions import db
from app.meetings.models import Membership
from app.meetings.service import apply_roster, parse_roster_csv
from tests.factories import add_member, make_meeting

GOOD = "name,role,seat,weight\nNguyễn Văn An,delegate,D01,1\nLê Thị Bình,delegate,D02,2\nPhạm Minh,observer,,\n"


def test_parse_and_apply(ctx):
    meeting = make_meeting()
    rows = parse_roster_csv(GOOD)
    assert apply_roster(meeting, rows, None) == {"added": 3, "updated": 0, "unchanged": 0}
    db.session.commit()
    assert {(m.user.name, m.role, m.seat, m.vote_weight) for m in meeting.memberships} == {
        ("Nguyễn Văn An", "delegate", "D01", 1), ("Lê Thị Bình", "delegate", "D02", 2), ("Phạm Minh", "observer", None, 1)}
    assert apply_roster(meeting, parse_roster_csv(GOOD), None) == {"added": 0, "updated": 0, "unchanged": 3}


@pytest.mark.parametrize("csv_text,message", [
    ("who,what\nA,B\n", "missing: name, role"),
    ("name,role,seat,weight\nAn,king,D1,1\n", "row 2: unknown role “king”"),
    ("name,role,seat,weight\nAn,delegate,D1,1\nBinh,delegate,D1,1\n", "row 3: seat “D1” is already taken by row 2"),
    ("name,role,seat,weight\nAn,delegate,D1,heavy\n", "row 2: the weight “heavy” is not a whole number"),
    ("name,role,seat,weight\n,delegate,D1,1\n", "row 2: the name is empty"),
    ("name,role,seat,weight\nAn,delegate,D1,0\n", "row 2: the weight 0 must be between 1 and 1000"),
    ("name,role,seat,weight\n", "has no rows"),
    ("name,role,seat,weight\n" + "A" * 201 + ",delegate,D1,1\n", "row 2: the name is longer than 200 characters"),
    ("name,role,seat,weight\nA\x00n,delegate,D1,1\n", "holds a NUL character"),
])
def test_bad_rows_are_reported_row_by_row(ctx, csv_text, message):
    with pytest.raises(BadInput) as exc:
        parse_roster_csv(csv_text)
    assert message in exc.value.message


@pytest.mark.parametrize("sep", [";", "\t"])
def test_a_roster_saved_with_semicolons_or_tabs_is_read_as_one_with_commas(ctx, sep):
    """Spreadsheets in much of Europe write “CSV” with semicolons: it used to say the header had no name column."""
    text = GOOD.replace(",", sep).replace("Nguyễn Văn An", "Nguyễn, Văn An" if sep == "\t" else "Nguyễn Văn An")
    rows = parse_roster_csv(text)
    assert [(r.name, r.role, r.seat, r.weight) for r in rows] == [
        ("Nguyễn, Văn An" if sep == "\t" else "Nguyễn Văn An", "delegate", "D01", 1),
        ("Lê Thị Bình", "delegate", "D02", 2), ("Phạm Minh", "observer", None, 1)]


def test_all_bad_rows_are_listed_at_once(ctx):
    with pytest.raises(BadInput) as exc:
        parse_roster_csv("name,role,seat,weight\nAn,king,D1,1\nBinh,delegate,D2,x\nChi,delegate,D3,1\n")
    assert "row 2" in exc.value.message and "row 3" in exc.value.message and "Nothing was imported" in exc.value.message


def _upload(client, text, filename="roster.csv"):
    return client.post("/meetings/council/roster", data={"csv_file": (io.BytesIO(text.encode()), filename)},
                       content_type="multipart/form-data")


@pytest.fixture
def secretary(ctx, auth):
    meeting = make_meeting("council")
    add_member(meeting, "secretary", "secretary", "S1")
    db.session.commit()
    auth.login("secretary")
    return meeting


def test_secretary_imports_a_roster_csv(client, secretary):
    response = _upload(client, GOOD)
    assert response.status_code == 302
    page = client.get("/meetings/council/roster").get_data(as_text=True)
    assert "Roster imported: 3 added" in page and "Lê Thị Bình" in page


def test_a_bad_csv_imports_nothing(client, secretary):
    response = _upload(client, GOOD + "Bad Row,emperor,D9,1\n")
    assert response.status_code == 400
    assert "row 5: unknown role “emperor”" in response.get_data(as_text=True)
    assert db.session.query(Membership).count() == 1  # only the secretary


def test_one_upload_lists_the_file_s_own_problems_and_the_import_rules_together(client, auth, staffed):
    """A row the file gets wrong (an unknown role) and a row the rules refuse (a secretary may not make someone
    chair) come back in one answer, in the file's order: the secretary fixes both at once (the rules' came only
    after a second upload before). A seat held by someone the file may name in a bad row is not claimed yet."""
    auth.login("secretary")
    refused = _upload(client, "name,role,seat\nAn,delegate,D1\nBinh,emperor,D2\nChau,chair,D3\nDung,delegate,C1\n")
    assert refused.status_code == 400
    text = html.unescape(refused.get_data(as_text=True))
    assert "row 3: unknown role “emperor”" in text
    assert "row 4: only an administrator can make someone chair" in text
    assert text.index("row 3:") < text.index("row 4:")
    assert "who is not in this file" not in text   # the chair may be in the bad row 3: said once the file is right
    assert db.session.query(Membership).filter_by(meeting_id=staffed.id).count() == 2   # nothing imported
    again = _upload(client, "name,role,seat\nAn,delegate,D1\nDung,delegate,C1\n")   # corrected, but C1 is taken
    assert again.status_code == 400
    assert "seat C1 is Chair's, who is not in this file" in html.unescape(again.get_data(as_text=True))


def test_a_refused_file_comes_back_on_the_roster_with_one_line_per_row(client, secretary):
    """The refusal of a roster file was an error page, its rows run together in one paragraph: now the roster
    page itself, the import open, the reason at its top (read out, and focused) and each row on its own line."""
    response = client.post("/meetings/council/roster",
                           data={"csv_file": (io.BytesIO("name,role,seat\nX,emperor,A1\n,delegate,A2\nY,delegate,A3\n"
                                                         .encode()), "r.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert 'data-testid="error-back"' not in page and 'id="roster"' in page   # the roster, not an error page
    box = page.split('data-testid="form-refusal"')[1].split("</div>")[0]
    assert 'role="alert"' in page.split('data-testid="form-refusal"')[0].rsplit("<div", 1)[1]
    assert "<p>Nothing was imported. Fix these rows and upload again:</p>" in box
    assert box.count("<li>") == 2
    assert "<li>row 2: unknown role “emperor” (use chair, secretary, delegate or observer)</li>" in box
    assert "<li>row 3: the name is empty</li>" in box
    assert re.search(r'<details class="card import-roster" data-testid="import-roster" open>', page)


def test_an_error_page_leads_back_to_the_form_and_nowhere_else(client, secretary):
    """The error page offers “Back” to the page the form was sent from, and only to a page of this site."""
    def refused(referrer):
        return client.post("/meetings/council/items", headers={"Referer": referrer},
                           data={"title": "x" * 400}).get_data(as_text=True)

    page = refused("http://dais.test/meetings/council/prepare")
    assert 'data-testid="error-back"' in page and 'href="http://dais.test/meetings/council/prepare"' in page
    elsewhere = refused("http://evil.example/meetings/council/prepare")
    assert 'data-testid="error-back"' not in elsewhere and "evil.example" not in elsewhere


def test_non_utf8_csv_is_refused(client, secretary):
    response = client.post("/meetings/council/roster",
                           data={"csv_file": (io.BytesIO("name,role\nAn,delegate\n".encode("utf-16")), "r.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "not UTF-8" in response.get_data(as_text=True)


def test_names_are_escaped(client, secretary):
    _upload(client, "name,role,seat,weight\n<script>alert(1)</script>,delegate,D1,1\n")
    page = client.get("/meetings/council/roster").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.fixture
def staffed(ctx, auth):
    """Meeting “council” with its chair and secretary, a member of another meeting, and an administrator."""
    from tests.factories import make_user

    meeting = make_meeting("council")
    add_member(meeting, "chair", "chair", "C1")
    add_member(meeting, "secretary", "secretary", "S1")
    other = make_meeting("other")
    add_member(other, "nguyen-van-an", "delegate", "D1").user.name = "Nguyễn Văn An"
    make_user("root", name="Root Admin", admin=True)
    db.session.commit()
    return meeting


def _people():
    from app.auth.models import User

    db.session.expire_all()
    roles: dict[int, list[str]] = {}
    for m in db.session.query(Membership):
        roles.setdefault(m.user_id, []).append(m.role)
    return {u.username: (u.name, sorted(roles.get(u.id, []))) for u in db.session.query(User)}


@pytest.mark.parametrize("row,message", [
    ("Secretary,chair,S1,1,secretary", "row 2: only an administrator can make someone chair or secretary"),
    ("Chair,delegate,C1,1,chair", "row 2: only an administrator can make someone chair or secretary"),
    ("New Boss,secretary,S2,1,", "row 2: only an administrator can make someone chair or secretary"),
    ("J,delegate,Q7,1,chair", "row 2: the account “chair” is Chair, not J (only an administrator renames an account): "
                              "write the name as on the account"),
    ("Hacked Admin,delegate,X1,1,root", "row 2: “root” is an administrator's account; only an administrator can seat it"),
    ("Nguyen Van An,delegate,S1,1,", "row 2: seat S1 is Secretary's, who is not in this file"),
])
def test_a_secretary_cannot_change_staff_roles_rename_accounts_or_seat_an_admin(client, auth, staffed, row, message):
    """Accounts are shared by every meeting: a secretary's CSV may seat delegates and observers, not promote
    themselves, demote the chair, rename someone's account or take over an administrator's."""
    before = _people()
    auth.login("secretary")
    response = _upload(client, "name,role,seat,weight,username\n" + row + "\n")
    assert response.status_code == 400
    text = html.unescape(response.get_data(as_text=True))
    assert "Nothing was imported" in text and message in text, text
    assert _people() == before


def test_a_secretary_reimports_the_staff_as_they_are_and_seats_delegates(client, auth, staffed):
    auth.login("secretary")
    text = ("name,role,seat,weight,username\nChair,chair,C1,1,chair\nSecretary,secretary,S1,1,secretary\n"
            "Nguyễn Văn An,delegate,D1,2,\nLê Thị Bình,observer,,,\n")
    assert _upload(client, text).status_code == 302
    people = _people()
    assert people["chair"] == ("Chair", ["chair"]) and people["secretary"] == ("Secretary", ["secretary"])
    assert people["nguyen-van-an"] == ("Nguyễn Văn An", ["delegate", "delegate"])   # the same person, in both
    assert people["le-thi-binh"] == ("Lê Thị Bình", ["observer"])


def test_an_administrator_may_seat_staff_and_correct_a_name(client, auth, staffed):
    auth.login("root", "pw-secret-1")
    text = "name,role,seat,weight,username\nNew Boss,secretary,S2,1,\nNguyen Van An,delegate,D9,1,nguyen-van-an\n"
    assert _upload(client, text).status_code == 302
    people = _people()
    assert people["new-boss"] == ("New Boss", ["secretary"])
    assert people["nguyen-van-an"] == ("Nguyen Van An", ["delegate", "delegate"])


def _add(client, **fields):
    data = {"name": "Zoë Latecomer", "seat": "D99", "role": "delegate", "weight": "2", "username": "", **fields}
    return client.post("/meetings/council/members", data=data)


def test_a_secretary_seats_a_late_arrival_without_a_csv(client, auth, staffed):
    from app.audit.service import entries

    auth.login("secretary")
    page = client.get("/meetings/council/roster").get_data(as_text=True)
    assert 'data-testid="add-member"' in page
    assert '<option value="delegate">' in page and '<option value="chair">' not in page   # staff are an admin's
    response = _add(client)
    assert response.status_code == 302
    shown = client.get("/meetings/council/roster").get_data(as_text=True)
    assert "Zoë Latecomer is on the roster (seat D99)." in html.unescape(shown)
    added = db.session.query(Membership).filter_by(seat="D99").one()
    assert (added.user.name, added.role, added.vote_weight) == ("Zoë Latecomer", "delegate", 2)
    assert [e.detail["membership_id"] for e in entries(action="roster.member_added")] == [added.id]


def test_a_refused_person_comes_back_in_the_form_as_typed_with_the_reason_on_top(client, auth, staffed):
    """A taken seat led to an error page, and what the secretary had typed was gone: now the roster comes back,
    the form open with the name, seat and weight as typed, the reason at its top, read out and focused; a field's
    own error is under it and tied to it."""
    auth.login("secretary")
    response = _add(client, seat="S1")
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert '<details class="card add-member" data-testid="add-member" open>' in page
    box = page.split('id="add-member-refusal"')[1].split("</div>")[0]
    assert 'role="alert" tabindex="-1" autofocus' in box and "Seat S1 is taken by Secretary." in box
    form = page.split('action="/meetings/council/members"')[1].split("</form>")[0]
    assert 'value="Zoë Latecomer"' in form and 'value="S1"' in form and 'value="2"' in form
    assert 'aria-invalid' not in form   # the seat's owner is the problem, not how it was typed

    response = _add(client, name="", seat="D77")
    page = html.unescape(response.get_data(as_text=True))
    form = page.split('action="/meetings/council/members"')[1].split("</form>")[0]
    assert re.search(r'<input aria-describedby="name-error" aria-invalid="true"[^>]* id="name"', form), form
    assert '<span class="field-error" id="name-error">Fill in this field.</span>' in form
    assert 'value="D77"' in form


def test_a_client_that_asks_for_json_gets_the_refusal_as_json(client, auth, staffed):
    """The forms' pages are for people; a script that asks for JSON gets the error as JSON, as from any route."""
    auth.login("secretary")
    data = {"name": "Zoë Latecomer", "seat": "S1", "role": "delegate", "weight": "2", "username": ""}
    response = client.post("/meetings/council/members", data=data, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.get_json() == {"ok": False, "error": "bad_input", "message": "Seat S1 is taken by Secretary."}


@pytest.mark.parametrize("fields,status,message", [
    ({"seat": "S1"}, 400, "Seat S1 is taken by Secretary."),
    ({"name": "Secretary", "seat": "", "username": "secretary"}, 400, "Secretary is already on the roster (seat S1)."),
    ({"role": "chair"}, 400, "Role: Choose one of the offered values."),
    ({"weight": "heavy"}, 400, "Zoë Latecomer cannot be added: the weight “heavy” is not a whole number."),
    ({"weight": "0"}, 400, "the weight 0 must be between 1 and 1000"),
    ({"name": "Root", "username": "root"}, 400, "Root cannot be added: “root” is an administrator's account"),
    ({"name": ""}, 400, "Name: Fill in this field."),
    # a name another account bears (whose username the name does not make): that person, most likely
    ({"name": "Root Admin"}, 400, "An account named Root Admin exists already (username root). To seat that person, "
                                  "give the username root; to seat someone else of that name, give them a username "
                                  "of their own."),
])
def test_a_person_who_cannot_be_seated_is_refused_and_nobody_moves(client, auth, staffed, fields, status, message):
    before = {(m.user.username, m.seat, m.role) for m in db.session.query(Membership)}
    auth.login("secretary")
    response = _add(client, **fields)
    assert response.status_code == status
    assert message in html.unescape(response.get_data(as_text=True))
    db.session.expire_all()
    assert {(m.user.username, m.seat, m.role) for m in db.session.query(Membership)} == before


def test_an_admin_may_seat_a_secretary_and_a_closed_meeting_seats_nobody(client, auth, staffed):
    auth.login("root", "pw-secret-1")
    assert _add(client, name="New Secretary", seat="S2", role="secretary").status_code == 302
    assert db.session.query(Membership).filter_by(seat="S2").one().role == "secretary"
    client.post("/meetings/council/status", data={"value": "live"})
    client.post("/meetings/council/status", data={"value": "closed"})
    closed = _add(client)
    assert closed.status_code == 409 and "meeting is closed" in closed.get_data(as_text=True)


def test_people_are_never_merged_by_the_username_their_name_makes(client, auth, staffed):
    """A name in a script without Latin letters makes no username of its own, and two people may share the
    letters of one (“Nguyen Van An” is not the account of Nguyễn Văn An): each new person gets an account of their
    own, and nobody's name changes."""
    auth.login("secretary")
    text = "name,role,seat,weight\n李小龍,delegate,L1,1\n王小明,delegate,L2,1\nИван Петров,observer,,\nNguyen Van An,delegate,D9,1\n"
    response = _upload(client, text)
    assert response.status_code == 302
    seated = {m.user.name: m.user.username for m in db.session.query(Membership).filter_by(meeting_id=staffed.id)}
    assert {"李小龍", "王小明", "Иван Петров", "Nguyen Van An"} <= set(seated)
    assert len({seated[n] for n in ("李小龍", "王小明", "Иван Петров", "Nguyen Van An")}) == 4
    assert seated["Nguyen Van An"] != "nguyen-van-an"
    assert _people()["nguyen-van-an"] == ("Nguyễn Văn An", ["delegate"])   # the other meeting's, untouched
    # the one-person form does the same
    assert _add(client, name="张伟", seat="L3").status_code == 302
    assert len({m.user.username for m in db.session.query(Membership).filter_by(meeting_id=staffed.id)}) == 7


def test_a_row_without_a_username_is_the_member_of_that_name(client, auth, staffed):
    """Re-importing the roster (names as on screen, no username column) updates the people seated, however
    their names' accents were encoded, and the one-person form will not seat someone a second time."""
    import unicodedata

    auth.login("secretary")
    assert _upload(client, "name,role,seat,weight\nLê Thị Bình,delegate,D2,1\n").status_code == 302
    nfd = unicodedata.normalize("NFD", "Lê Thị Bình")
    response = _upload(client, f"name,role,seat,weight\n{nfd},delegate,D3,2\n")
    assert response.status_code == 302
    binh = [m for m in db.session.query(Membership) if m.user.name == "Lê Thị Bình"]
    assert [(m.seat, m.vote_weight) for m in binh] == [("D3", 2)]
    again = _add(client, name="lê thị bình", seat="D4")
    assert again.status_code == 400
    assert "Lê Thị Bình is already on the roster (seat D3)" in html.unescape(again.get_data(as_text=True))


def test_an_import_takes_no_seat_from_someone_it_leaves_out_unless_an_admin_says_so(client, auth, staffed):
    auth.login("secretary")
    refused = _upload(client, "name,role,seat\nSeat Taker,delegate,c1\n")   # the chair's seat, in other letters
    assert refused.status_code == 400
    assert "seat C1 is Chair's, who is not in this file" in html.unescape(refused.get_data(as_text=True))
    swapped = _upload(client, "name,role,seat,username\nChair,chair,S1,chair\nSecretary,secretary,C1,secretary\n")
    assert swapped.status_code == 302   # both in the file: a swap
    assert {m.user.username: m.seat for m in db.session.query(Membership).filter_by(meeting_id=staffed.id)} == \
        {"chair": "S1", "secretary": "C1"}
    auth.logout()
    auth.login("root", "pw-secret-1")
    taken = _upload(client, "name,role,seat\nSeat Taker,delegate,C1\n")
    assert taken.status_code == 302
    flash = html.unescape(client.get("/meetings/council/roster").get_data(as_text=True))
    assert "Roster imported: 1 added, 1 updated, 0 unchanged." in flash   # the secretary lost the seat: counted
    db.session.expire_all()
    assert db.session.query(Membership).filter_by(seat="C1").one().user.name == "Seat Taker"


def test_nobody_who_gives_or_holds_a_proxy_becomes_an_observer(client, auth, staffed):
    from app.voting.models import VoteProxy

    giver = add_member(staffed, "anna", "delegate", "D1")
    holder = add_member(staffed, "chau", "delegate", "D2")
    db.session.add(VoteProxy(meeting_id=staffed.id, giver_id=giver.id, holder_id=holder.id))
    db.session.commit()
    auth.login("root", "pw-secret-1")   # not even an admin
    for who in ("Anna,observer,D1,1,anna", "Chau,observer,D2,1,chau"):
        refused = _upload(client, "name,role,seat,weight,username\n" + who + "\n")
        assert refused.status_code == 400
        assert "gives or holds a proxy, and observers do not vote" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert {db.session.get(Membership, giver.id).role, db.session.get(Membership, holder.id).role} == {"delegate"}


@pytest.mark.parametrize("weight", ["1_000", "٣", "1e3", " "])
def test_a_weight_is_written_in_plain_digits(ctx, weight):
    if weight.strip():
        with pytest.raises(BadInput) as exc:
            parse_roster_csv(f"name,role,seat,weight\nAn,delegate,D1,{weight}\n")
        assert "is not a whole number" in exc.value.message
    else:
        assert parse_roster_csv(f"name,role,seat,weight\nAn,delegate,D1,{weight}\n")[0].weight == 1


def test_a_closed_meeting_says_so_before_anything_about_the_rows(client, auth, staffed):
    auth.login("secretary")
    client.post("/meetings/council/status", data={"value": "live"})
    client.post("/meetings/council/status", data={"value": "closed"})
    for response in (_upload(client, "name,role\n,emperor\n"), _add(client, name="", weight="many")):
        assert response.status_code == 409 and "meeting is closed" in response.get_data(as_text=True)


def test_someone_seated_by_mistake_is_taken_off_while_nothing_is_recorded_of_them(client, auth, staffed):
    from app.attendance import service as attendance
    from app.audit.service import entries
    from app.voting.models import VoteProxy

    auth.login("secretary")
    assert _add(client, name="Typo Person", seat="T1").status_code == 302
    typo = db.session.query(Membership).filter_by(seat="T1").one()
    # the rare actions are on the member's own page, not on every row of a congress's roster
    assert 'aria-label="Remove Typo Person"' in client.get(f"/meetings/council/members/{typo.id}").get_data(as_text=True)
    roster = client.get("/meetings/council/roster").get_data(as_text=True)
    assert "Remove Typo Person" not in roster and "Badge lost: reissue" not in roster
    removed = client.post(f"/meetings/council/members/{typo.id}/remove", follow_redirects=True)
    assert removed.status_code == 200 and "Typo Person is no longer on the roster." in removed.get_data(as_text=True)
    assert db.session.query(Membership).filter_by(seat="T1").count() == 0
    [entry] = entries(action="roster.member_removed")
    assert entry.detail == {"name": "Typo Person", "seat": "T1"}

    # someone the meeting holds a record of stays, and the sentence says which record
    here = add_member(staffed, "here", "delegate", "H1")
    attendance.check_in(staffed, here, None)
    giver, holder = add_member(staffed, "giver", "delegate", "G1"), add_member(staffed, "holder", "delegate", "G2")
    db.session.add(VoteProxy(meeting_id=staffed.id, giver_id=giver.id, holder_id=holder.id))
    db.session.commit()
    for member, words in ((here, "the meeting holds their attendance"), (holder, "the meeting holds their proxy")):
        refused = client.post(f"/meetings/council/members/{member.id}/remove")
        assert refused.status_code == 409 and words in html.unescape(refused.get_data(as_text=True))
    chair = db.session.query(Membership).filter_by(role="chair").one()
    assert client.post(f"/meetings/council/members/{chair.id}/remove").status_code == 403
    db.session.expire_all()
    assert {m.seat for m in db.session.query(Membership).filter_by(meeting_id=staffed.id)} == {"C1", "S1", "H1", "G1", "G2"}


def _open_vote(meeting, question: str):
    """The meeting goes live and its chair opens a secret vote; (the vote, the chair's membership)."""
    from app.voting import service as voting
    from app.voting.schemas import VoteSpec

    meeting.status = "live"
    chair = db.session.query(Membership).filter_by(meeting_id=meeting.id, role="chair").one()
    vote = voting.create_vote(meeting, chair.user, VoteSpec(question=question, secret=True))
    voting.open_vote(vote, chair.user)
    db.session.commit()
    return vote, chair


def test_a_ballot_keeps_its_voter_on_the_roster(client, auth, staffed):
    from app.voting import service as voting

    voter = add_member(staffed, "voter", "delegate", "V1")
    vote, _chair = _open_vote(staffed, "Adopt?")
    voting.cast_ballot(vote.id, voter.user_id, [vote.options[0].id])
    db.session.commit()
    auth.login("secretary")
    refused = client.post(f"/meetings/council/members/{voter.id}/remove")
    assert refused.status_code == 409 and "the meeting holds their ballots" in html.unescape(refused.get_data(as_text=True))
    assert db.session.get(Membership, voter.id) is not None


def _change(client, member, **fields):
    data = {"name": member.user.name, "seat": member.seat or "", "role": member.role,
            "weight": str(member.vote_weight), **fields}
    return client.post(f"/meetings/council/members/{member.id}", data=data)


def test_a_secretary_corrects_a_seat_and_a_weight(client, auth, staffed):
    from app.audit.service import entries

    anna = add_member(staffed, "anna", "delegate", "D1")
    db.session.commit()
    auth.login("secretary")
    roster = client.get("/meetings/council/roster").get_data(as_text=True)
    assert f'href="/meetings/council/members/{anna.id}"' in roster
    page = html.unescape(client.get(f"/meetings/council/members/{anna.id}").get_data(as_text=True))
    assert 'value="D1"' in page and "Only an administrator renames an account" in page
    assert '<option value="chair">' not in page and '<option selected value="delegate">' in page
    saved = _change(client, anna, seat="D7", weight="3", name="Anna Renamed")   # the name is not hers to change
    assert saved.status_code == 302
    assert "Anna: saved." in client.get("/meetings/council/roster").get_data(as_text=True)
    db.session.expire_all()
    anna = db.session.get(Membership, anna.id)
    assert (anna.user.name, anna.seat, anna.vote_weight, anna.role) == ("Anna", "D7", 3, "delegate")
    [entry] = entries(action="roster.member_changed")
    assert entry.detail == {"membership_id": anna.id, "seat": "D1 → D7", "weight": "1 → 3"}
    assert _change(client, anna).status_code == 302
    assert "Nothing was changed." in client.get("/meetings/council/roster").get_data(as_text=True)
    assert len(entries(action="roster.member_changed")) == 1


@pytest.mark.parametrize("fields,status,message", [
    ({"seat": "s1"}, 400, "Seat S1 is taken by Secretary."),
    ({"weight": "heavy"}, 400, "Anna cannot be changed: the weight “heavy” is not a whole number."),
    ({"weight": "1001"}, 400, "the weight 1001 must be between 1 and 1000"),
    ({"role": "chair"}, 400, "Role: Choose one of the offered values."),
    ({"seat": "X" * 17}, 400, "Seat: Use at most 16 characters."),
])
def test_a_change_that_cannot_be_made_is_refused_and_nothing_moves(client, auth, staffed, fields, status, message):
    anna = add_member(staffed, "anna", "delegate", "D1")
    db.session.commit()
    before = {(m.user.username, m.user.name, m.seat, m.role, m.vote_weight) for m in db.session.query(Membership)}
    auth.login("secretary")
    response = _change(client, anna, **fields)
    assert response.status_code == status
    assert message in html.unescape(response.get_data(as_text=True))
    db.session.expire_all()
    assert {(m.user.username, m.user.name, m.seat, m.role, m.vote_weight) for m in db.session.query(Membership)} == before


def test_staff_roles_and_names_are_an_admin_s_to_change(client, auth, staffed):
    chair = db.session.query(Membership).filter_by(role="chair").one()
    anna = add_member(staffed, "anna", "delegate", "D1")
    db.session.commit()
    auth.login("secretary")
    page = client.get(f"/meetings/council/members/{chair.id}").get_data(as_text=True)
    assert '<option selected value="chair">' in page and '<option value="delegate">' not in page
    assert _change(client, chair, role="delegate").status_code == 400
    assert _change(client, chair, seat="C9").status_code == 302   # the chair's seat is not a role
    auth.logout()
    auth.login("root", "pw-secret-1")
    assert _change(client, anna, name="Anna Bell", role="secretary").status_code == 302
    db.session.expire_all()
    anna = db.session.get(Membership, anna.id)
    assert (anna.user.name, anna.role) == ("Anna Bell", "secretary")
    assert db.session.get(Membership, chair.id).seat == "C9"
    assert client.get("/meetings/council/members/99999").status_code == 404
    other = db.session.query(Membership).filter(Membership.meeting_id != staffed.id).one()   # in meeting “other”
    assert client.get(f"/meetings/council/members/{other.id}").status_code == 404


def test_while_a_vote_is_open_weights_and_roles_stand_still(client, auth, staffed):
    from app.voting import service as voting

    anna = add_member(staffed, "anna", "delegate", "D1")
    vote, chair = _open_vote(staffed, "Adopt the budget?")
    auth.login("secretary")
    page = client.get(f"/meetings/council/members/{anna.id}").get_data(as_text=True)
    assert 'data-testid="member-frozen"' in page
    for fields in ({"weight": "4"}, {"role": "observer"}):
        refused = _change(client, anna, **fields)
        assert refused.status_code == 400
        assert (f"the weight and role of Anna stay as they are for now: vote {vote.id} (“Adopt the budget?”) is open"
                in html.unescape(refused.get_data(as_text=True)))
    csv_refused = _upload(client, "name,role,seat,weight,username\nAnna,delegate,D1,4,anna\n")
    assert csv_refused.status_code == 400 and "is open" in html.unescape(csv_refused.get_data(as_text=True))
    assert _change(client, anna, seat="D2").status_code == 302   # a seat is not counted
    db.session.expire_all()
    anna = db.session.get(Membership, anna.id)
    assert (anna.seat, anna.vote_weight, anna.role) == ("D2", 1, "delegate")
    voting.close_vote(db.session.get(type(vote), vote.id), chair.user)
    db.session.commit()
    assert _change(client, anna, weight="4").status_code == 302


def test_a_request_to_speak_keeps_its_member_on_the_roster(client, auth, staffed):
    from app.meetings.service import add_item
    from app.speakers import service as speakers

    speaker = add_member(staffed, "speaker", "delegate", "P1")
    staffed.status = "live"
    item = add_item(staffed, "Budget", actor_id=None)
    db.session.commit()
    speakers.request_floor(staffed, speaker, item.id, "normal")
    db.session.commit()
    auth.login("secretary")
    refused = client.post(f"/meetings/council/members/{speaker.id}/remove")
    assert refused.status_code == 409
    assert "the meeting holds their requests to speak" in html.unescape(refused.get_data(as_text=True))
    assert db.session.get(Membership, speaker.id) is not None


def test_namesakes_at_two_seats_are_two_people_and_stay_apart_when_imported_again(client, auth, staffed):
    """Two delegates called Nguyễn Thị Hoa (a common name) at two seats are two people, and the same file
    imported again changes neither; a third row of that name at a seat neither holds cannot say who it is."""
    auth.login("secretary")
    text = "name,role,seat,weight\nNguyễn Thị Hoa,delegate,D10,1\nNguyễn Thị Hoa,delegate,D11,2\n"
    assert _upload(client, text).status_code == 302
    hoa = sorted((m.seat, m.vote_weight, m.user.username) for m in db.session.query(Membership)
                 .filter_by(meeting_id=staffed.id) if m.user.name == "Nguyễn Thị Hoa")
    assert [(seat, weight) for seat, weight, _ in hoa] == [("D10", 1), ("D11", 2)]
    assert hoa[0][2] != hoa[1][2]
    again = _upload(client, text.replace("D11,2", "D11,3"))
    assert again.status_code == 302
    page = html.unescape(client.get("/meetings/council/roster").get_data(as_text=True))
    assert "Roster imported: 0 added, 1 updated, 1 unchanged." in page
    assert "Changed: Nguyễn Thị Hoa: weight 2 → 3" in page
    unclear = _upload(client, "name,role,seat,weight\nNguyễn Thị Hoa,delegate,D12,1\n")
    assert unclear.status_code == 400
    assert ("row 2: 3 people are called Nguyễn Thị Hoa here, and none of them sits at D12: add a username column "
            "to say who is who") in html.unescape(unclear.get_data(as_text=True))
    # the same name and the same seat twice is one person listed twice
    twice = _upload(client, "name,role,seat,weight\nLê Văn Tám,delegate,,1\nLê Văn Tám,delegate,,1\n")
    assert "“Lê Văn Tám” is listed twice (also row 2)" in html.unescape(twice.get_data(as_text=True))


def test_a_delegate_named_like_the_chair_is_not_taken_for_the_chair(client, auth, staffed):
    """A secretary's roster with a delegate who shares the chair's name is refused with what to do, not with a
    sentence about who may make someone chair; and what an import changes of people already seated is shown."""
    auth.login("secretary")
    refused = _upload(client, "name,role,seat,weight\nChair,delegate,D40,1\n")
    assert refused.status_code == 400
    assert ("row 2: Chair is on the roster already as chair (seat C1): if this row is another person of the same "
            "name, give them a username column of their own") in html.unescape(refused.get_data(as_text=True))
    assert _upload(client, "name,role,seat,weight\nJonas Weber,delegate,D04,1\n").status_code == 302
    assert _upload(client, "name,role,seat,weight\nJonas Weber,delegate,G36,2\n").status_code == 302
    page = html.unescape(client.get("/meetings/council/roster").get_data(as_text=True))
    assert "Changed: Jonas Weber: seat D04 → G36, weight 1 → 2" in page


def test_the_roster_counts_seats_as_the_room_does(ctx):
    from app.meetings.service import roster

    meeting = make_meeting()
    for seat in ("D10", "D2", "d1", None, "A9", "B1", "D11"):
        add_member(meeting, f"m-{seat}", seat=seat)
    db.session.commit()
    assert [m.seat for m in roster(meeting)] == ["A9", "B1", "d1", "D2", "D10", "D11", None]
