"""Attendance service: badges resolved without spending, every refusal, undo, and the quorum arithmetic."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.attendance import service
from app.attendance.models import Attendance
from app.audit.service import entries
from app.auth.models import SignInToken
from app.auth.service import ensure_badge, issue_link, revoke_badge
from app.errors import BadInput, Conflict, Forbidden, Gone, InvalidTransition, NotFound
from app.extensions import db
from app.meetings.models import Meeting, Membership
from app.timeutil import utcnow
from tests.factories import add_member, make_meeting


def _m(mid: int) -> Membership:
    return db.session.get(Membership, mid)


def _meeting(room) -> Meeting:
    return db.session.get(Meeting, room.meeting_id)


def test_badge_url_or_code_resolves_without_spending_or_signing_in(room):
    d1 = room.delegates[0]
    token = room.badges[d1]
    for code in (f"http://dais.test/t/{token}", f"  {token}  ", f"/t/{token}", f"https://other.host:8443/t/{token}/"):
        assert service.resolve_badge(_meeting(room), code).id == d1
    badge = db.session.scalar(sa.select(SignInToken).where(SignInToken.membership_id == d1))
    assert badge.used_at is None and badge.revoked_at is None
    assert entries(room.meeting_id, "signin.token") == []


def test_junk_codes_are_refused_plainly(room):
    for code in ["", "   ", "hello world", "http://dais.test/meetings/council", "x" * 600, "http://dais.test/t/",
                 "b<script>"]:
        with pytest.raises(BadInput) as err:
            service.resolve_badge(_meeting(room), code)
        assert "badge" in err.value.message, code


def test_forged_badge_is_refused(room):
    with pytest.raises(NotFound) as err:
        service.resolve_badge(_meeting(room), "bAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    assert "forged" in err.value.message


def test_revoked_badge_is_refused_and_new_one_works(app, room):
    d1 = _m(room.delegates[0])
    new = revoke_badge(app.config["SECRET_KEY"], d1, None)
    db.session.commit()
    with pytest.raises(Gone) as err:
        service.resolve_badge(_meeting(room), room.badges[d1.id])
    assert "revoked" in err.value.message and d1.user.name in err.value.message
    assert service.resolve_badge(_meeting(room), new).id == d1.id


def test_badge_of_another_meeting_is_refused(app, room):
    other = make_meeting("assembly", status=Meeting.LIVE)
    stranger = add_member(other, "stranger", "delegate", "X1", password=None)
    token = ensure_badge(app.config["SECRET_KEY"], stranger)
    db.session.commit()
    with pytest.raises(Forbidden) as err:
        service.resolve_badge(_meeting(room), token)
    assert "another meeting" in err.value.message and "Meeting assembly" in err.value.message
    # nor can a member of the other meeting be checked in here by hand
    with pytest.raises(Forbidden):
        service.check_in(_meeting(room), stranger, None)
    assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 0


def test_one_time_link_is_not_a_badge_and_is_not_spent(room):
    raw = issue_link(_m(room.delegates[0]), 15, None)
    db.session.commit()
    with pytest.raises(BadInput) as err:
        service.resolve_badge(_meeting(room), raw)
    assert "one-time sign-in link" in err.value.message
    link = db.session.scalar(sa.select(SignInToken).where(SignInToken.kind == "link"))
    assert link.used_at is None


def test_check_in_records_time_and_audit_and_double_scan_changes_nothing(room):
    meeting, d1 = _meeting(room), _m(room.delegates[0])
    row = service.check_in(meeting, d1, actor_id=_m(room.secretary).user_id)
    db.session.commit()
    first = row.arrived_at
    assert row.status == "present" and row.method == "scan" and abs((utcnow() - first).total_seconds()) < 5
    with pytest.raises(Conflict) as err:
        service.check_in(meeting, d1, actor_id=None)
    assert "already checked in" in err.value.message and first.strftime("%H:%M") in err.value.message
    db.session.rollback()
    assert db.session.get(Attendance, row.id).arrived_at == first
    audit = entries(room.meeting_id, "attendance.check_in")
    assert len(audit) == 1 and audit[0].actor_id == _m(room.secretary).user_id
    assert audit[0].detail["membership_id"] == d1.id


def test_database_keeps_one_row_per_membership(room):
    d1 = room.delegates[0]
    db.session.add(Attendance(meeting_id=room.meeting_id, membership_id=d1, status="present", excuse=""))
    db.session.commit()
    db.session.add(Attendance(meeting_id=room.meeting_id, membership_id=d1, status="excused", excuse="x"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_left_excused_and_undo(room):
    meeting, d1, sec = _meeting(room), _m(room.delegates[0]), _m(room.secretary).user_id
    service.check_in(meeting, d1, sec, method="manual", now=utcnow() - timedelta(minutes=5))
    left_at = utcnow() - timedelta(seconds=1)
    row = service.mark_left(meeting, d1, sec, at=left_at)
    assert row.status == "left" and row.left_at == left_at
    # undo a mistaken "left": present again, no left time
    row = service.undo(meeting, d1, sec)
    assert row.status == "present" and row.left_at is None
    with pytest.raises(InvalidTransition):
        service.mark_excused(meeting, d1, sec, "ill")  # present: must leave first
    d2 = _m(room.delegates[1])
    with pytest.raises(BadInput):
        service.mark_excused(meeting, d2, sec, "   ")
    row = service.mark_excused(meeting, d2, sec, "Travelling")
    assert row.status == "excused" and row.excuse == "Travelling"
    assert service.undo(meeting, d2, sec) is None  # back to absent: the row is gone
    with pytest.raises(InvalidTransition) as err:
        service.undo(meeting, d2, sec)
    assert "nothing to undo" in err.value.message
    db.session.commit()
    actions = [e.action for e in entries(room.meeting_id) if e.action.startswith("attendance.")]
    assert actions == ["attendance.check_in", "attendance.left", "attendance.undo", "attendance.excused",
                       "attendance.undo"]


def test_leaving_is_refused_when_not_present_or_at_impossible_times(room):
    meeting, d1 = _meeting(room), _m(room.delegates[0])
    with pytest.raises(InvalidTransition):
        service.mark_left(meeting, d1, None)
    service.check_in(meeting, d1, None)
    with pytest.raises(BadInput) as err:
        service.mark_left(meeting, d1, None, at=utcnow() - timedelta(hours=2))
    assert "arrived at" in err.value.message
    with pytest.raises(BadInput):
        service.mark_left(meeting, d1, None, at=utcnow() + timedelta(hours=2))


def test_returning_member_keeps_first_arrival(room):
    meeting, d1 = _meeting(room), _m(room.delegates[0])
    first = service.check_in(meeting, d1, None).arrived_at
    service.mark_left(meeting, d1, None)
    row = service.check_in(meeting, d1, None)
    assert row.status == "present" and row.arrived_at == first and row.left_at is None


def test_closed_meeting_attendance_is_frozen(room):
    meeting = _meeting(room)
    meeting.status = Meeting.CLOSED
    db.session.commit()
    with pytest.raises(InvalidTransition):
        service.check_in(meeting, _m(room.delegates[0]), None)


def test_self_check_in_needs_membership_and_the_chair_s_permission(room):
    meeting, d1 = _meeting(room), _m(room.delegates[0])
    with pytest.raises(Forbidden):
        service.self_check_in(meeting, None)
    service.update_settings(meeting, None, self_checkin=False)
    with pytest.raises(Forbidden) as err:
        service.self_check_in(meeting, d1)
    assert "turned off" in err.value.message
    service.update_settings(meeting, None, self_checkin=True)
    assert service.self_check_in(meeting, d1).method == "self"


def test_the_chair_and_the_secretary_check_themselves_in_even_when_delegates_may_not(room):
    """They run the meeting and may mark anyone present at the desk: their own check-in needs no permission."""
    meeting = _meeting(room)
    service.update_settings(meeting, None, self_checkin=False)
    for staff in (room.chair, room.secretary):
        row = service.self_check_in(meeting, _m(staff))
        assert (row.status, row.method) == ("present", "self")
    assert service.quorum(meeting.id)["present_members"] == 2
    with pytest.raises(Forbidden):
        service.self_check_in(meeting, _m(room.observer))


# ----- quorum arithmetic: 6 voting members (weights 1,1,1,1,2,3 = 9) and one observer -----

def _present(room, *ids):
    for mid in ids:
        service.check_in(_meeting(room), _m(mid), None)


def test_default_quorum_is_more_than_half_of_voting_members(room):
    q = service.quorum(room.meeting_id)
    assert (q["total_members"], q["total_weight"], q["needed_members"], q["met"]) == (6, 9, 4, False)
    _present(room, room.observer, room.chair, room.secretary, room.delegates[0])
    q = service.quorum(room.meeting_id)
    assert q["present_members"] == 3 and q["met"] is False  # the observer never counts; 3 of 6 is not more than half
    _present(room, room.delegates[1])
    assert service.quorum(room.meeting_id)["met"] is True
    assert service.present_weight(room.meeting_id) == (4, 4)


def test_quorum_by_weight(room):
    service.update_settings(_meeting(room), None, quorum_basis="weight")
    _present(room, room.delegates[2], room.delegates[3])  # weights 2 + 3 = 5 of 9 > 4.5
    q = service.quorum(room.meeting_id)
    assert (q["present_members"], q["present_weight"], q["needed_weight"], q["met"]) == (2, 5, 5, True)
    service.update_settings(_meeting(room), None, quorum_basis="both")
    assert service.quorum(room.meeting_id)["met"] is False  # 2 of 6 members is not enough


def test_quorum_at_least_two_thirds(room):
    service.update_settings(_meeting(room), None, quorum_num=2, quorum_den=3, quorum_strict=False)
    assert service.quorum(room.meeting_id)["needed_members"] == 4  # 2/3 of 6 = 4, reached at 4
    _present(room, *room.delegates)
    assert service.quorum(room.meeting_id)["met"] is True


def test_excused_members_leave_the_base_only_when_the_rule_says_so(room):
    meeting = _meeting(room)
    for mid in room.delegates[:3]:
        service.mark_excused(meeting, _m(mid), None, "Away")
    _present(room, room.chair, room.secretary)
    q = service.quorum(room.meeting_id)
    assert (q["excused"], q["total_members"], q["met"]) == (3, 6, False)
    service.update_settings(meeting, None, exclude_excused=True)
    q = service.quorum(room.meeting_id)
    # base: chair, secretary, D4 = 3 members; 2 present > 1.5
    assert (q["total_members"], q["total_weight"], q["needed_members"], q["met"]) == (3, 5, 2, True)


def test_left_members_do_not_count(room):
    _present(room, *room.delegates)
    assert service.present_weight(room.meeting_id) == (4, 7)
    service.mark_left(_meeting(room), _m(room.delegates[3]), None)
    assert service.present_weight(room.meeting_id) == (3, 4)


def test_bad_quorum_rules_are_refused(room):
    for changes in [{"quorum_num": 3, "quorum_den": 2}, {"quorum_den": 0}, {"quorum_basis": "heads"}, {"nonsense": 1}]:
        with pytest.raises(BadInput):
            service.update_settings(_meeting(room), None, **changes)
    assert service.quorum(room.meeting_id)["fraction"] == [1, 2]


def test_record_and_csv_for_the_minutes(room):
    meeting = _meeting(room)
    d1 = _m(room.delegates[0])
    d1.user.name = "=HYPERLINK(evil)"
    _present(room, d1.id)
    service.mark_excused(meeting, _m(room.delegates[1]), None, "Ill, sends regrets")
    db.session.commit()
    rec = {r["seat"]: r for r in service.attendance_record(room.meeting_id)}
    assert set(rec["D1"]) == {"name", "seat", "role", "status", "arrived_at", "left_at", "excuse"}
    assert rec["D1"]["status"] == "present" and rec["D1"]["arrived_at"].endswith("Z")
    assert rec["D2"]["status"] == "excused" and rec["D2"]["excuse"] == "Ill, sends regrets"
    assert rec["D3"]["status"] == "absent" and rec["O1"]["role"] == "observer"
    text = service.export_csv(room.meeting_id)
    assert text.startswith("\ufeffseat,name,role")
    assert "'=HYPERLINK(evil)" in text and '"Ill, sends regrets"' in text



def test_the_board_is_in_the_room_s_seat_order_not_the_text_s(room):
    """D2 before D10 (as the roster counts them), staff first, observers last, no seat last among its role."""
    meeting = _meeting(room)
    for n in (10, 11, 20, 9):
        add_member(meeting, f"late-{n}", seat=f"D{n}", password=None)
    add_member(meeting, "seatless", password=None)
    db.session.commit()
    seats = [row["seat"] for row in service.board(room.meeting_id)]
    assert seats == ["C1", "S1", "D1", "D2", "D3", "D4", "D9", "D10", "D11", "D20", None, "O1"], seats


def _named(room, names: dict[int, str]) -> None:
    for mid, name in names.items():
        _m(mid).user.name = name
    db.session.commit()


def _typed(room, text: str):
    return service.check_in_typed(_meeting(room), text, _m(room.secretary).user_id)


def _status(mid: int) -> str | None:
    return db.session.scalar(sa.select(Attendance.status).where(Attendance.membership_id == mid))


@pytest.mark.parametrize("text", ["D3", "d3", " d 3 ", "Trần Thị Bình", "tran thi binh", "TRAN  THI  BINH",
                                  "binh thi tran"])
def test_a_seat_or_a_whole_name_typed_at_the_door_checks_its_one_member_in(room, text):
    """Accents, case and spaces aside; the name's words in any order; by hand, and audited."""
    _named(room, {room.delegates[2]: "Trần Thị Bình", room.delegates[3]: "Lê Văn Tám"})
    answer = _typed(room, text)
    assert answer.member is not None and answer.member.id == room.delegates[2] and answer.candidates == []
    row = db.session.scalar(sa.select(Attendance).where(Attendance.membership_id == room.delegates[2]))
    assert (row.status, row.method) == ("present", "manual")
    audit = entries(room.meeting_id, "attendance.check_in")
    assert [(e.detail["membership_id"], e.actor_id) for e in audit] == [(room.delegates[2], _m(room.secretary).user_id)]


@pytest.mark.parametrize("text", ["binh", "Binh Tran", "thị bình", "ran thi"])
def test_a_part_of_a_name_only_one_member_fits_offers_that_member_and_checks_in_nobody(room, text):
    """“binh” may be the Bình at the door or someone not on the roster at all: the steward confirms with a tap."""
    _named(room, {room.delegates[2]: "Trần Thị Bình", room.delegates[3]: "Lê Văn Tám"})
    answer = _typed(room, text)
    assert answer.member is None and answer.more == 0
    assert [(c["seat"], c["name"], c["status"]) for c in answer.candidates] == [("D3", "Trần Thị Bình", "absent")]
    assert _status(room.delegates[2]) is None
    assert entries(room.meeting_id, "attendance.check_in") == []


def test_a_seat_typed_without_its_leading_zero_checks_its_member_in(room):
    """The roster prints seats as A01, the steward types what the delegate says: “A1”. A seat printed as typed
    still comes first (A1 and A01 both on a roster: “A1” is A1)."""
    meeting = _meeting(room)
    _m(room.delegates[0]).seat, _m(room.delegates[1]).seat = "A01", "A1"
    _m(room.delegates[2]).seat = "B07"
    db.session.commit()
    assert service.check_in_typed(meeting, "a1", None).member.id == room.delegates[1]
    assert service.check_in_typed(meeting, "b 7", None).member.id == room.delegates[2]
    both = service.check_in_typed(meeting, "A001", None)   # neither is printed so: both offered, nobody checked in
    assert both.member is None and {c["seat"] for c in both.candidates} == {"A1", "A01"}
    with pytest.raises(NotFound):
        service.check_in_typed(meeting, "B70", None)


def test_a_hyphenated_name_typed_whole_checks_in():
    assert service._whole_name("featherstonehaugh-wolfe anna", "anna featherstonehaugh-wolfe")
    assert not service._whole_name("featherstonehaugh-wolfe anna", "anna featherstonehaugh")


def test_a_name_several_members_fit_offers_them_by_seat_and_checks_in_nobody(room):
    """Namesakes (told apart by seat) and a name that starts another's: the steward chooses; each offered with
    their line of the board (their status too)."""
    d1, d2, d3, d4 = room.delegates
    _named(room, {d1: "Nguyễn Văn An", d2: "Nguyễn Văn Anh", d4: "Nguyễn Văn An", d3: "Hannah Schmidt"})
    service.check_in(_meeting(room), _m(d4), None)
    db.session.commit()
    answer = _typed(room, "nguyen van an")
    assert answer.member is None and answer.more == 0
    assert [(c["seat"], c["name"], c["status"]) for c in answer.candidates] == [
        ("D1", "Nguyễn Văn An", "absent"), ("D2", "Nguyễn Văn Anh", "absent"), ("D4", "Nguyễn Văn An", "present")]
    # a word's start is what fits: “an” is not the middle of Hannah
    assert [c["seat"] for c in _typed(room, "an").candidates] == ["D1", "D2", "D4"]
    assert [_status(m) for m in (d1, d2, d3)] == [None, None, None]
    assert [e.detail["membership_id"] for e in entries(room.meeting_id, "attendance.check_in")] == [d4]


def test_a_name_many_fit_offers_the_first_by_seat_and_says_how_many_more(room):
    meeting = _meeting(room)
    for n in range(5, 5 + service.MAX_CANDIDATES + 3):
        add_member(meeting, f"nguyen-{n}", seat=f"D{n}", password=None).user.name = f"Nguyễn Thị {n}"
    db.session.commit()
    answer = _typed(room, "Nguyen")
    assert len(answer.candidates) == service.MAX_CANDIDATES and answer.more == 3
    assert [c["seat"] for c in answer.candidates[:7]] == ["D5", "D6", "D7", "D8", "D9", "D10", "D11"]


def test_a_badge_s_link_or_code_typed_at_the_door_checks_its_holder_in_as_a_scan(app, room):
    d1, d2 = room.delegates[:2]
    assert _typed(room, f"http://dais.test/t/{room.badges[d1]}").member.id == d1
    assert _typed(room, room.badges[d2]).member.id == d2
    assert db.session.scalar(sa.select(Attendance.method).where(Attendance.membership_id == d2)) == "scan"
    # the refusals of a badge stay: revoked, and a link that is no badge's
    new = revoke_badge(app.config["SECRET_KEY"], _m(room.delegates[2]), None)
    db.session.commit()
    with pytest.raises(Gone):
        _typed(room, room.badges[room.delegates[2]])
    with pytest.raises(BadInput) as err:
        _typed(room, "http://dais.test/meetings/council")
    assert "not a Dais badge" in err.value.message
    assert _typed(room, new).member.id == room.delegates[2]


@pytest.mark.parametrize("text", ["Nobody Here", "D99", "bAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "zz"])
def test_what_fits_nobody_is_refused_with_a_sentence(room, text):
    with pytest.raises(NotFound) as err:
        _typed(room, text)
    assert f"has the seat or name “{text}”" in err.value.message and "spelling" in err.value.message
    assert entries(room.meeting_id, "attendance.check_in") == []


def test_typing_nothing_or_at_a_closed_meeting_is_refused(room):
    for text in ["", "   "]:
        with pytest.raises(BadInput) as err:
            _typed(room, text)
        assert "seat, a name or a badge code" in err.value.message
    _meeting(room).status = Meeting.CLOSED
    db.session.commit()
    with pytest.raises(InvalidTransition):
        _typed(room, "D1")


def test_a_member_already_here_is_told_so(room):
    service.check_in(_meeting(room), _m(room.delegates[0]), None)
    db.session.commit()
    with pytest.raises(Conflict) as err:
        _typed(room, "d1")
    assert "already checked in" in err.value.message
