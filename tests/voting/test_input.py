"""Bad input to the vote endpoints: refused with the status and the sentence a chair or a delegate sees, and
nothing stored (ids too large for the database, loose types, a closed meeting, labels that clash, a ballot
whose body names another vote)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.meetings.models import Meeting
from app.voting.models import Vote, VoteParticipation


def _login(client, username):
    assert client.post("/login", data={"username": username, "password": "pw-secret-1"}).status_code == 302


def _chair(app):
    chair = app.test_client()
    _login(chair, "council-chair")
    return chair


def _refused(reply, status: int, error: str, message: str) -> None:
    assert (reply.status_code, reply.get_json()) == (status, {"ok": False, "error": error, "message": message})


def _draft(chair, room, **spec) -> dict:
    made = chair.post(f"/api/meetings/{room.slug}/votes", json={"question": "Adopt the budget?", **spec})
    assert made.status_code == 201, made.get_json()
    return made.get_json()["vote"]


def _votes(app, room) -> list[tuple[str, str]]:
    with app.app_context():
        return [(v.question, v.state) for v in db.session.scalars(
            sa.select(Vote).where(Vote.meeting_id == room.meeting_id).order_by(Vote.id))]


def _labels(chair, vote_id: int) -> tuple[str, list[str]]:
    vote = chair.get(f"/api/votes/{vote_id}").get_json()["vote"]
    return vote["question"], [o["label"] for o in vote["options"]]


TOO_LARGE = "Check the form: “agenda_item_id” must be at most 2147483647."


@pytest.mark.parametrize("item", [2**63, 10**30])
def test_an_agenda_item_id_too_large_for_the_database_is_refused_naming_the_field(app, room_ids, item):
    chair = _chair(app)
    _refused(chair.post(f"/api/meetings/{room_ids.slug}/votes", json={"question": "Q", "agenda_item_id": item}),
             400, "bad_input", TOO_LARGE)
    assert _votes(app, room_ids) == []
    draft = _draft(chair, room_ids)
    _refused(chair.put(f"/api/votes/{draft['id']}", json={"question": "Changed?", "agenda_item_id": item}),
             400, "bad_input", TOO_LARGE)
    assert _labels(chair, draft["id"]) == ("Adopt the budget?", ["For", "Against", "Abstain"])


def test_loose_types_are_refused_naming_the_field(app, room_ids):
    chair = _chair(app)
    url = f"/api/meetings/{room_ids.slug}/votes"
    for body, message in [
        ({"secret": "yes"}, "Check the form: “secret” must be true or false."),
        ({"allow_change": 1}, "Check the form: “allow_change” must be true or false."),
        ({"duration_seconds": True}, "Check the form: “timer” must be a whole number."),
        ({"duration_seconds": "60"}, "Check the form: “timer” must be a whole number."),
        ({"method": "election", "options": ["A", "B", "C"], "max_choices": "2"},
         "Check the form: “seats to fill” must be a whole number."),
        ({"quorum": [1]}, "Check the form: the quorum needs two whole numbers, such as [1, 2] for one half."),
        ({"quorum": ["a", "b"]}, "Check the form: the quorum needs two whole numbers, such as [1, 2] for one half."),
        ({"quorum": [1, 2, 3]}, "Check the form: the quorum needs two whole numbers, such as [1, 2] for one half."),
        ({"quorum": "1/2"}, "Check the form: the quorum needs two whole numbers, such as [1, 2] for one half."),
        ({"rule": "fraction", "fraction": [True, 2]},
         "Check the form: the majority fraction needs two whole numbers, such as [2, 3] for two thirds."),
        ({"rule": "fraction", "fraction": None},
         "Check the form: the majority fraction needs two whole numbers, such as [2, 3] for two thirds."),
    ]:
        _refused(chair.post(url, json={"question": "Q", **body}), 400, "bad_input", message)
    assert _votes(app, room_ids) == []
    draft = _draft(chair, room_ids)
    _refused(chair.put(f"/api/votes/{draft['id']}", json={"question": "Q", "secret": "yes"}), 400, "bad_input",
             "Check the form: “secret” must be true or false.")
    vote = chair.get(f"/api/votes/{draft['id']}").get_json()["vote"]
    assert (vote["question"], vote["secret"]) == ("Adopt the budget?", False)
    # the same values as JSON numbers and booleans are taken
    fine = _draft(chair, room_ids, secret=True, duration_seconds=60, quorum=[1, 2], rule="fraction", fraction=[2, 3])
    assert (fine["secret"], fine["duration_seconds"], fine["quorum"], fine["rule"]["fraction"]) == (True, 60, [1, 2], [2, 3])


def test_an_option_may_not_carry_the_abstain_option_s_label(app, room_ids):
    chair = _chair(app)
    url = f"/api/meetings/{room_ids.slug}/votes"
    clash = ("Check the form: an option has the same label as the abstain option; rename one of them or turn the "
             "abstain option off.")
    _refused(chair.post(url, json={"question": "Q", "method": "choice", "options": ["Abstain", "b"]}),
             400, "bad_input", clash)
    _refused(chair.post(url, json={"question": "Q", "method": "election", "options": ["Ana", "Bao", "Cam"],
                                   "abstain_label": "Ana"}), 400, "bad_input", clash)
    assert _votes(app, room_ids) == []
    draft = _draft(chair, room_ids, method="choice", options=["Ana", "Bao"])
    _refused(chair.put(f"/api/votes/{draft['id']}", json={"question": "Q", "method": "choice",
                                                         "options": ["Abstain", "Bao"]}), 400, "bad_input", clash)
    assert _labels(chair, draft["id"]) == ("Adopt the budget?", ["Ana", "Bao", "Abstain"])
    # without an abstain option, or with another label for it, the name is free
    plain = _draft(chair, room_ids, method="choice", options=["Abstain", "b"], abstain_option=False)
    assert [o["label"] for o in plain["options"]] == ["Abstain", "b"]
    renamed = _draft(chair, room_ids, method="choice", options=["Abstain", "b"], abstain_label="No opinion")
    assert [o["label"] for o in renamed["options"]] == ["Abstain", "b", "No opinion"]


def test_a_closed_meeting_s_drafts_can_neither_change_nor_be_deleted(app, room_ids):
    chair = _chair(app)
    draft = _draft(chair, room_ids)
    with app.app_context():
        db.session.get(Meeting, room_ids.meeting_id).status = Meeting.CLOSED
        db.session.commit()
    closed = "This meeting is closed; its draft votes can no longer change."
    _refused(chair.put(f"/api/votes/{draft['id']}", json={"question": "Changed?"}), 409, "invalid_transition", closed)
    _refused(chair.delete(f"/api/votes/{draft['id']}"), 409, "invalid_transition", closed)
    _refused(chair.post(f"/api/meetings/{room_ids.slug}/votes", json={"question": "New?"}), 409,
             "invalid_transition", "This meeting is closed; no more votes can be created in it.")
    assert _votes(app, room_ids) == [("Adopt the budget?", "draft")]
    assert _labels(chair, draft["id"]) == ("Adopt the budget?", ["For", "Against", "Abstain"])


def test_a_closed_meeting_s_proxies_cannot_be_withdrawn(app, room_ids):
    secretary = app.test_client()
    _login(secretary, "council-sec")
    d1, d4 = room_ids.members[room_ids.delegates[0]], room_ids.members[room_ids.delegates[3]]
    given = secretary.post(f"/api/meetings/{room_ids.slug}/proxies", json={"giver_id": d4, "holder_id": d1})
    assert given.status_code == 201
    with app.app_context():
        db.session.get(Meeting, room_ids.meeting_id).status = Meeting.CLOSED
        db.session.commit()
    _refused(secretary.delete(f"/api/meetings/{room_ids.slug}/proxies/{given.get_json()['proxy']['id']}"), 409,
             "invalid_transition", "This meeting is closed; proxies can no longer change.")
    proxies = secretary.get(f"/api/meetings/{room_ids.slug}/proxies").get_json()["proxies"]
    assert [(p["giver_id"], p["holder_id"]) for p in proxies] == [(d4, d1)]


def test_the_ballot_s_vote_is_the_one_in_the_address(app, room_ids):
    chair = _chair(app)
    vote = _draft(chair, room_ids)
    assert chair.post(f"/api/votes/{vote['id']}/open").status_code == 200
    delegate = app.test_client()
    _login(delegate, "council-d1")
    for_id = vote["options"][0]["id"]
    _refused(delegate.post("/api/votes/99999/ballot", json={"vote_id": vote["id"], "option_ids": [for_id]}),
             400, "bad_input", "Check the form: “vote_id” is not an accepted field.")
    _refused(delegate.post(f"/api/votes/{vote['id']}/ballot", json={"vote_id": vote["id"], "option_ids": [for_id]}),
             400, "bad_input", "Check the form: “vote_id” is not an accepted field.")
    _refused(delegate.post(f"/api/votes/{vote['id']}/ballot", json={"option_ids": [str(for_id)]}),
             400, "bad_input", "Check the form: “option_ids.0” must be a whole number.")
    _refused(delegate.post("/api/votes/99999/ballot", json={"option_ids": [for_id]}), 404, "not_found",
             "There is no vote 99999.")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(VoteParticipation.id))) == 0
    assert chair.get(f"/api/votes/{vote['id']}").get_json()["vote"]["progress"]["ballots"] == 0
    _refused(delegate.post(f"/api/votes/{vote['id']}/ballot", json={"option_ids": [for_id, for_id]}),
             400, "bad_input", "Choose each option once.")
    ok = delegate.post(f"/api/votes/{vote['id']}/ballot", json={"option_ids": [for_id]})
    assert ok.status_code == 200 and ok.get_json()["ballot"]["vote_id"] == vote["id"]


@pytest.mark.parametrize("body,content_type", [("{", "application/json"), ("0", "application/json"),
                                               ("[]", "application/json"), ("reason=x", "application/x-www-form-urlencoded")])
def test_a_malformed_body_annuls_nothing(app, room_ids, body, content_type):
    chair = _chair(app)
    vote = _draft(chair, room_ids)
    assert chair.post(f"/api/votes/{vote['id']}/open").status_code == 200
    assert chair.post(f"/api/votes/{vote['id']}/close").status_code == 200
    reply = chair.post(f"/api/votes/{vote['id']}/annul", data=body, content_type=content_type)
    if content_type == "application/json" and body == "0":
        _refused(reply, 400, "bad_input", "Send the request as a JSON object (Content-Type: application/json).")
    assert reply.status_code == 400 and reply.get_json()["ok"] is False
    assert _votes(app, room_ids) == [("Adopt the budget?", "closed")]
    annulled = chair.post(f"/api/votes/{vote['id']}/annul", json={"reason": "Counted twice"})
    assert annulled.status_code == 200 and _votes(app, room_ids) == [("Adopt the budget?", "annulled")]


def test_the_default_answers_are_stored_in_no_one_s_language_and_shown_in_each_reader_s(app, room_ids):
    """A Vietnamese chair's motion and choice: the stored answers are the catalogue's “For”, “Against”,
    “Abstain” (they were stored in Vietnamese and read so on an English wall); each screen gets the words of its
    reader's language for them (opt_*), and a candidate may not be called the abstain option in either language."""
    from app.voting.models import VoteOption

    chair = _chair(app)
    vi = {"Accept-Language": "vi"}
    motion = chair.post(f"/api/meetings/{room_ids.slug}/votes", json={"question": "Thông qua?"}, headers=vi)
    choice = chair.post(f"/api/meetings/{room_ids.slug}/votes", headers=vi,
                        json={"question": "Chọn", "method": "choice", "options": ["A", "B"]})
    assert motion.status_code == choice.status_code == 201
    with app.app_context():
        stored = {v: [(o.label, o.kind) for o in db.session.scalars(
            sa.select(VoteOption).where(VoteOption.vote_id == v).order_by(VoteOption.position))]
            for v in (motion.get_json()["vote"]["id"], choice.get_json()["vote"]["id"])}
    assert list(stored.values()) == [[("For", "yes"), ("Against", "no"), ("Abstain", "abstain")],
                                     [("A", "candidate"), ("B", "candidate"), ("Abstain", "abstain")]]
    for name in ("Abstain", "Không biểu quyết"):
        clash = chair.post(f"/api/meetings/{room_ids.slug}/votes", headers=vi,
                           json={"question": "Chọn", "method": "choice", "options": ["A", name]})
        assert clash.status_code == 400, name
    with app.test_request_context(headers=vi):
        from flask_babel import force_locale

        from app.voting.i18n import vote_strings
        with force_locale("vi"):
            words = vote_strings()
    assert (words["opt_yes"], words["opt_no"], words["opt_abstain"]) == ("Tán thành", "Không tán thành", "Không biểu quyết")
