"""The attendance.mark event's time of leaving: ISO text with its zone, as docs/api.md says, like the HTTP route."""
import re
from datetime import datetime, timedelta

from app.attendance import service
from app.attendance.events import Mark
from app.attendance.schemas import MarkIn
from app.extensions import db
from app.meetings.models import Meeting, Membership
from app.timeutil import utcnow

ZONED_TIME = "“at” must be a date and time with its time zone, such as 2026-12-03T14:05+01:00"
TIME_OUT_OF_RANGE = ("“at” is too far in the past or the future; give the time the member left, such as "
                     "2026-12-03T14:05+01:00")


def _check_in(app, room, memberships, at):
    with app.app_context():
        meeting = db.session.get(Meeting, room.meeting_id)
        for membership_id in memberships:
            service.check_in(meeting, db.session.get(Membership, membership_id), None, now=at)
        db.session.commit()


def test_a_time_of_leaving_with_its_zone_is_taken(app, live_room, device):
    room = live_room
    secretary = device("secretary")
    secretary.join(room.meeting_id)
    _check_in(app, room, room.delegates[:3], utcnow() - timedelta(hours=1))
    left = (utcnow() - timedelta(minutes=30)).replace(microsecond=0)
    sent = [left.isoformat() + "Z", left.isoformat() + "+00:00", (left + timedelta(hours=1)).isoformat() + "+01:00"]
    for membership, at in zip(room.delegates, sent):
        reply = secretary.ack("attendance.mark", {"meeting": room.meeting_id, "membership": membership,
                                                  "action": "left", "at": at})
        assert reply["ok"], (at, reply)
        assert (reply["member"]["status"], reply["member"]["left_at"]) == ("left", left.isoformat() + "Z"), at


def test_a_time_without_its_zone_or_outside_the_calendar_is_refused_and_changes_nothing(app, live_room, device):
    room = live_room
    secretary = device("secretary")
    secretary.join(room.meeting_id)
    d4 = room.delegates[3]
    _check_in(app, room, [d4], utcnow() - timedelta(hours=1))
    for at, sentence in [("2026-12-06T19:50:00", ZONED_TIME), ("yesterday", ZONED_TIME), (1765050600, ZONED_TIME),
                         ("0001-01-01T00:00:00+05:00", TIME_OUT_OF_RANGE),
                         ("9999-12-31T23:59:59-05:00", TIME_OUT_OF_RANGE)]:
        reply = secretary.ack("attendance.mark", {"meeting": room.meeting_id, "membership": d4, "action": "left",
                                                  "at": at})
        assert reply == {"ok": False, "error": "bad_input", "message": f"The event was refused: {sentence}."}, at
    with app.app_context():
        assert service.my_status(room.meeting_id, d4) == "present"


def test_the_example_in_the_refusal_is_a_time_the_event_and_the_route_take():
    for sentence in (ZONED_TIME, TIME_OUT_OF_RANGE):
        example = re.search(r"such as (\S+)$", sentence).group(1)
        assert example == "2026-12-03T14:05+01:00"
        taken = Mark.model_validate({"meeting": 1, "membership": 1, "action": "left", "at": example}).at
        assert taken == MarkIn.model_validate({"action": "left", "at": example}).at == datetime(2026, 12, 3, 13, 5)
