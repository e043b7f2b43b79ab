"""The vote service on SQLite and PostgreSQL: the state machine, weighted tallies, refusals, proxies, quorum."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.attendance.service import check_in
from app.audit.service import entries
from app.auth.models import User
from app.errors import BadInput, Conflict, Forbidden, InvalidTransition
from app.extensions import db
from app.meetings.models import Meeting
from app.voting import service
from app.voting.models import Vote, VoteNamedChoice, VoteParticipation
from app.voting.schemas import VoteSpec, parse
from tests.voting.conftest import build_room


def user(uid: int) -> User:
    return db.session.get(User, uid)


def new_vote(room, **spec) -> int:
    vote = service.create_vote(db.session.get(Meeting, room.meeting_id), user(room.chair),
                               VoteSpec(question=spec.pop("question", "Adopt the budget?"), **spec))
    db.session.commit()
    return vote.id


def opened(room, **spec) -> int:
    vote_id = new_vote(room, **spec)
    service.open_vote(service.get_vote(vote_id), user(room.chair))
    db.session.commit()
    return vote_id


def option_ids(vote_id: int) -> dict[str, int]:
    return {o.label: o.id for o in service.get_vote(vote_id).options}


def cast(room, vote_id, uid, label, **kw):
    return service.cast_ballot(vote_id, uid, [option_ids(vote_id)[label]], **kw)


def close(room, vote_id):
    return service.close_vote(service.get_vote(vote_id), user(room.chair))


def test_named_motion_tallies_by_weight_and_lists_each_choice(room):
    vote_id = opened(room)
    d1, d2, d3, d4 = room.delegates  # weights 1, 1, 2, 3
    cast(room, vote_id, d1, "For")
    cast(room, vote_id, d2, "Against")
    cast(room, vote_id, d3, "Against")
    cast(room, vote_id, d4, "For")
    cast(room, vote_id, room.chair, "Abstain")
    vote = close(room, vote_id)
    result = vote.result
    weights = {o["label"]: (o["ballots"], o["weight"]) for o in result["options"]}
    assert weights == {"For": (2, 4), "Against": (2, 3), "Abstain": (1, 1)}
    assert vote.state == Vote.CLOSED and vote.passed is True and result["base"] == 7 and result["required"] == 4
    assert {(n["name"], tuple(n["choices"])) for n in result["named"]} >= {("Council D4", ("For",)), ("Council D2", ("Against",))}
    assert result["ballots"] == 5 and result["eligible"] == 6 and result["eligible_weight"] == 9


def test_a_tie_fails_under_simple_majority(room):
    vote_id = opened(room)
    d1, d2, d3, d4 = room.delegates
    cast(room, vote_id, d3, "For")          # 2
    cast(room, vote_id, d1, "Against")      # 1
    cast(room, vote_id, d2, "Against")      # 1
    vote = close(room, vote_id)
    assert vote.passed is False and vote.result["reason"] == "no_majority"


def test_two_thirds_with_abstentions_counted(room):
    vote_id = opened(room, rule="two_thirds", abstentions_count=True)
    d1, d2, d3, d4 = room.delegates
    cast(room, vote_id, d4, "For")      # 3
    cast(room, vote_id, d1, "For")      # 1 -> 4 For
    cast(room, vote_id, d3, "Abstain")  # 2 -> base 6, need 4
    assert close(room, vote_id).passed is True


def test_absolute_majority_fails_when_too_few_voted(room):
    vote_id = opened(room, rule="absolute")
    cast(room, vote_id, room.delegates[3], "For")  # 3 of 9 members' weight
    vote = close(room, vote_id)
    assert vote.passed is False and vote.result["base"] == 9 and vote.result["required"] == 5


def test_state_machine_refusals_say_why(room):
    vote_id = opened(room)
    close(room, vote_id)
    vote = service.get_vote(vote_id)
    with pytest.raises(InvalidTransition, match=f"Cannot open vote {vote_id}: it is closed."):
        service.open_vote(vote, user(room.chair))
    with pytest.raises(InvalidTransition, match=f"Cannot close vote {vote_id}: it is closed."):
        service.close_vote(vote, user(room.chair))
    with pytest.raises(Forbidden, match="Only the chair"):
        service.publish_vote(vote, user(room.delegates[0]))
    service.annul_vote(vote, user(room.chair), "The voting devices failed")
    db.session.commit()
    with pytest.raises(InvalidTransition, match=f"Cannot publish vote {vote_id}: it is annulled."):
        service.publish_vote(vote, user(room.chair))
    # An annulled vote stays in the record, marked.
    listed = service.results_for_meeting(room.meeting_id)
    assert listed[0]["annulled"] and listed[0]["result"]["annul_reason"] == "The voting devices failed"


def test_only_one_vote_open_and_only_in_a_live_meeting(room):
    first = opened(room)
    second = new_vote(room, question="Second question?")
    with pytest.raises(InvalidTransition, match=f"vote {first} is still open"):
        service.open_vote(service.get_vote(second), user(room.chair))
    db.session.get(Meeting, room.meeting_id).status = Meeting.SCHEDULED
    db.session.commit()
    close(room, first)
    with pytest.raises(InvalidTransition, match="the meeting is scheduled, not live"):
        service.open_vote(service.get_vote(second), user(room.chair))


def test_ballots_refused_from_observers_strangers_other_meetings_and_after_close(room):
    vote_id = opened(room)
    with pytest.raises(Forbidden, match="Observers"):
        cast(room, vote_id, room.observer, "For")
    other = build_room("other")
    with pytest.raises(Forbidden, match="not a member of this meeting"):
        cast(room, vote_id, other.delegates[0], "For")
    with pytest.raises(Forbidden, match="belongs to another meeting"):
        cast(room, vote_id, room.delegates[0], "For", meeting_id=other.meeting_id)
    with pytest.raises(BadInput, match="not part of this vote"):
        service.cast_ballot(vote_id, room.delegates[0], [999999])
    with pytest.raises(BadInput, match="exactly one"):
        service.cast_ballot(vote_id, room.delegates[0], list(option_ids(vote_id).values())[:2])
    close(room, vote_id)
    with pytest.raises(InvalidTransition, match=f"Cannot vote in vote {vote_id}: it is closed."):
        cast(room, vote_id, room.delegates[0], "For")
    assert db.session.scalar(sa.select(sa.func.count(VoteParticipation.id))) == 0


def test_the_database_allows_one_ballot_per_member_per_vote(room):
    vote_id = opened(room)
    member = room.members[room.delegates[0]]
    db.session.add(VoteParticipation(vote_id=vote_id, membership_id=member, cast_by_id=member, weight=1))
    db.session.commit()
    db.session.add(VoteParticipation(vote_id=vote_id, membership_id=member, cast_by_id=member, weight=1))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_named_ballot_may_change_until_close_unless_the_chair_forbids_it(room):
    vote_id = opened(room)
    d4 = room.delegates[3]
    cast(room, vote_id, d4, "For")
    receipt = cast(room, vote_id, d4, "Against")
    assert receipt.changed
    vote = close(room, vote_id)
    assert {o["label"]: o["weight"] for o in vote.result["options"]} == {"For": 0, "Against": 3, "Abstain": 0}
    fixed = opened(room, question="No second thoughts?", allow_change=False)
    cast(room, fixed, d4, "For")
    with pytest.raises(Conflict, match="does not allow changing"):
        cast(room, fixed, d4, "Against")


def test_secret_ballot_is_final_and_leaves_no_choice_row(room):
    vote_id = opened(room, secret=True, allow_change=True)  # the service forces allow_change off
    assert service.get_vote(vote_id).allow_change is False
    cast(room, vote_id, room.delegates[3], "For")
    with pytest.raises(Conflict, match="secret ballots are final"):
        cast(room, vote_id, room.delegates[3], "Against")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(VoteNamedChoice)) == 0
    vote = close(room, vote_id)
    assert "named" not in vote.result and vote.result["options"][0]["weight"] == 3


def test_proxy_holder_casts_both_ballots_separately(room):
    meeting = db.session.get(Meeting, room.meeting_id)
    d1, d2, d3, d4 = room.delegates
    proxy = service.give_proxy(meeting, user(room.secretary), room.members[d4], room.members[d1])
    db.session.commit()
    with pytest.raises(Forbidden, match="Only the chair or secretary"):
        service.give_proxy(meeting, user(d2), room.members[d3], room.members[d2])
    with pytest.raises(Conflict, match="already given their proxy"):
        service.give_proxy(meeting, user(room.secretary), room.members[d4], room.members[d2])
    vote_id = opened(room)
    status = service.ballot_status(service.get_vote(vote_id), d1)
    assert [(b["name"], b["proxy"]) for b in status["ballots"]] == [("Council D1", False), ("Council D4", True)]
    cast(room, vote_id, d1, "Against")
    cast(room, vote_id, d1, "For", on_behalf_of=room.members[d4])
    with pytest.raises(Forbidden, match="carried by proxy by Council D1"):
        cast(room, vote_id, d4, "For")
    with pytest.raises(Forbidden, match="do not hold this member's proxy"):
        cast(room, vote_id, d2, "For", on_behalf_of=room.members[d4])
    vote = close(room, vote_id)
    named = {n["name"]: n for n in vote.result["named"]}
    assert named["Council D4"]["choices"] == ["For"] and named["Council D4"]["proxy_by"] == "Council D1"
    assert {o["label"]: o["weight"] for o in vote.result["options"]}["For"] == 3
    service.withdraw_proxy(meeting, user(room.secretary), proxy.id)
    db.session.commit()
    assert service.proxies_record(meeting.id) == []


def test_a_proxy_whose_giver_is_in_the_room_or_whose_holder_is_not_stands_with_a_note(room):
    """A proxy between two absent members was taken silently; it stands (the holder may be on the way), and says so."""
    meeting = db.session.get(Meeting, room.meeting_id)
    members = {m.user_id: m for m in meeting.memberships}
    giver, holder = members[room.delegates[3]], members[room.delegates[0]]
    proxy = service.give_proxy(meeting, user(room.secretary), giver.id, holder.id)
    assert [str(n) for n in service.proxy_notes(proxy)] == [
        "Council D1 is not checked in: they carry this vote once they are in the room and signed in."]
    check_in(meeting, holder, room.secretary)
    assert service.proxy_notes(proxy) == []
    check_in(meeting, giver, room.secretary)
    assert [str(n) for n in service.proxy_notes(proxy)] == [
        "Council D4 is checked in, but while the proxy stands only Council D1 votes for them; withdraw it if "
        "Council D4 votes in person."]


def test_quorum_refuses_to_open_and_fails_the_result_at_close(room):
    vote_id = new_vote(room, quorum=(1, 2))
    with pytest.raises(InvalidTransition, match="quorum is not reached .present weight 0 of 5 needed"):
        service.open_vote(service.get_vote(vote_id), user(room.chair))
    meeting = db.session.get(Meeting, room.meeting_id)
    members = {m.user_id: m for m in meeting.memberships}
    for uid in (room.delegates[2], room.delegates[3]):  # weight 2 + 3 = 5 of 9
        check_in(meeting, members[uid], room.secretary)
    db.session.commit()
    service.open_vote(service.get_vote(vote_id), user(room.chair))
    db.session.commit()
    cast(room, vote_id, room.delegates[3], "For")
    from app.attendance.service import mark_left

    mark_left(meeting, members[room.delegates[2]], room.secretary)
    db.session.commit()
    vote = close(room, vote_id)
    assert vote.passed is False and vote.result["reason"] == "no_quorum"
    assert vote.result["quorum"]["present_weight"] == 3 and vote.result["quorum"]["required"] == 5


def test_secret_election_of_two_of_four_elects_the_two_strongest(room):
    vote_id = opened(room, method="election", options=["Ana", "Bao", "Chi", "Dung"], max_choices=2,
                     secret=True, rule="fraction", fraction=(1, 10))
    ids = option_ids(vote_id)
    d1, d2, d3, d4 = room.delegates
    service.cast_ballot(vote_id, d4, [ids["Ana"], ids["Bao"]])       # 3
    service.cast_ballot(vote_id, d3, [ids["Ana"], ids["Chi"]])       # 2
    service.cast_ballot(vote_id, d1, [ids["Ana"]])                   # 1
    with pytest.raises(BadInput, match="at most 2"):
        service.cast_ballot(vote_id, d2, [ids["Ana"], ids["Bao"], ids["Chi"]])
    with pytest.raises(BadInput, match="Abstain cannot be combined"):
        service.cast_ballot(vote_id, d2, [ids["Ana"], ids["Abstain"]])
    vote = close(room, vote_id)
    won = {o["label"]: (o["weight"], o["won"]) for o in vote.result["options"]}
    assert won == {"Ana": (6, True), "Bao": (3, True), "Chi": (2, False), "Dung": (0, False), "Abstain": (0, False)}
    assert vote.passed is True and vote.result["base"] == 6 and "named" not in vote.result


def test_an_election_by_the_most_votes_elects_the_strongest_without_a_majority_and_a_motion_cannot_use_it(room):
    """Weights 1, 1, 2, 3 (7): Ana 3, Bao 2, Chi 2 and an abstention; by a majority of the 7 nobody is elected, by
    the most votes Ana is. The minutes and the screens word the rule; a motion refuses it with a sentence."""
    vote_id = opened(room, method="election", options=["Ana", "Bao", "Chi"], max_choices=1, rule="plurality")
    ids = option_ids(vote_id)
    d1, d2, d3, d4 = room.delegates
    service.cast_ballot(vote_id, d4, [ids["Ana"]])
    service.cast_ballot(vote_id, d3, [ids["Bao"]])
    service.cast_ballot(vote_id, d1, [ids["Abstain"]])
    vote = close(room, vote_id)
    assert {o["label"]: o["won"] for o in vote.result["options"]} == {"Ana": True, "Bao": False, "Chi": False,
                                                                      "Abstain": False}
    assert vote.passed is True and vote.result["base"] == 5 and vote.result["required"] == 0
    with pytest.raises(BadInput, match="“most votes” decides between options or candidates"):
        parse(VoteSpec, {"question": "Adopt?", "rule": "plurality"})


def test_election_tie_elects_none_of_the_tied(room):
    vote_id = opened(room, method="election", options=["Ana", "Bao", "Chi"], max_choices=2,
                     rule="fraction", fraction=(1, 10))
    ids = option_ids(vote_id)
    d1, d2, d3, d4 = room.delegates
    service.cast_ballot(vote_id, d4, [ids["Ana"]])                  # Ana 3
    service.cast_ballot(vote_id, d3, [ids["Bao"]])                  # Bao 2
    service.cast_ballot(vote_id, d1, [ids["Chi"]])                  # Chi 1
    service.cast_ballot(vote_id, d2, [ids["Chi"]])                  # Chi 2 -> tie with Bao
    vote = close(room, vote_id)
    won = {o["label"]: o["won"] for o in vote.result["options"]}
    assert won == {"Ana": True, "Bao": False, "Chi": False, "Abstain": False}
    assert vote.passed is False and vote.result["tie"] is True


def test_every_step_is_audited_without_any_choice(room):
    vote_id = opened(room, secret=True)
    cast(room, vote_id, room.delegates[0], "Against")
    close(room, vote_id)
    service.publish_vote(service.get_vote(vote_id), user(room.chair))
    db.session.commit()
    log = [(e.action, e.actor_id) for e in entries(room.meeting_id) if e.action.startswith("vote.")]
    assert log == [("vote.created", room.chair), ("vote.opened", room.chair), ("vote.closed", room.chair),
                   ("vote.published", room.chair)]
    text = repr([e.detail for e in entries(room.meeting_id)])
    assert "Against" not in text and str(option_ids(vote_id)["Against"]) not in text.replace(f"'vote_id': {vote_id}", "")


def test_draft_can_change_and_be_deleted_but_an_opened_vote_cannot(room):
    vote_id = new_vote(room)
    service.update_vote(service.get_vote(vote_id), user(room.secretary),
                        VoteSpec(question="Elect the board", method="choice", options=["Ana", "Bao"]))
    db.session.commit()
    assert [o.label for o in service.get_vote(vote_id).options] == ["Ana", "Bao", "Abstain"]
    service.open_vote(service.get_vote(vote_id), user(room.chair))
    db.session.commit()
    with pytest.raises(InvalidTransition, match=f"Cannot delete vote {vote_id}: it is open."):
        service.delete_draft(service.get_vote(vote_id), user(room.chair))


def test_results_for_meeting_and_csv(room):
    vote_id = opened(room, question="=HYPERLINK(evil)")
    cast(room, vote_id, room.delegates[3], "For")
    close(room, vote_id)
    results = service.results_for_meeting(room.meeting_id)
    assert results[0]["id"] == vote_id and results[0]["passed"] is True
    assert results[0]["agenda_item_title"] == "Item 1" or results[0]["agenda_item_title"] is None
    text = service.results_csv(room.meeting_id)
    assert "'=HYPERLINK(evil)" in text and "Council D4" in text
