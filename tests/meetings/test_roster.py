"""Roster CSV: good rows seat people; any bad row is reported and nothing is imported."""
import io

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
])
def test_bad_rows_are_reported_row_by_row(ctx, csv_text, message):
    with pytest.raises(BadInput) as exc:
        parse_roster_csv(csv_text)
    assert message in exc.value.message


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


def test_non_utf8_csv_is_refused(client, secretary):
    response = client.post("/meetings/council/roster",
                           data={"csv_file": (io.BytesIO("name,role\nAn,delegate\n".encode("utf-16")), "r.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "not UTF-8" in response.get_data(as_text=True)


def test_names_are_escaped(client, secretary):
    _upload(client, "name,role,seat,weight\n<script>alert(1)</script>,delegate,D1,1\n")
    page = client.get("/meetings/council/roster").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
