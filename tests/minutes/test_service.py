"""Saving minutes with optimistic locking, the facts gathered from the other domains, and the approval state."""
from __future__ import annotations

import copy

import pytest

from app.audit.service import entries
from app.errors import BadInput
from app.extensions import db
from app.auth.models import User
from app.meetings.models import AgendaItem, Meeting, Membership
from app.minutes import service
from app.minutes.models import ItemMinutes, MinutesApproval
from app.minutes.wording import legacy_document, vote_words
from tests.factories import make_meeting, make_user
from tests.minutes.conftest import write_minutes


def item_of(meeting: Meeting, n: int = 0) -> AgendaItem:
    return sorted(meeting.items, key=lambda i: i.position)[n]


def test_each_save_bumps_the_version_and_a_stale_version_is_a_conflict_that_keeps_the_stored_text(ctx):
    meeting = make_meeting()
    alice, bob = make_user("alice", "Alice Secretary"), make_user("bob", "Bob Clerk")
    item = item_of(meeting)
    row = service.save_item_minutes(item, "First notes", "", 0, alice.id)
    db.session.commit()
    assert row.version == 1
    row = service.save_item_minutes(item, "First notes, more", "Adopted.", 1, alice.id)
    db.session.commit()
    assert (row.version, row.decision) == (2, "Adopted.")

    # Bob's editor still holds version 1.
    with pytest.raises(service.MinutesConflict) as caught:
        service.save_item_minutes(item, "Bob's text", "", 1, bob.id)
    db.session.rollback()
    assert "Alice Secretary saved the minutes" in caught.value.message
    assert caught.value.current == {**caught.value.current, "notes": "First notes, more", "version": 2}
    stored = service.item_minutes(item.id)
    assert (stored.notes, stored.version) == ("First notes, more", 2)


def test_a_retried_save_whose_reply_was_lost_is_not_a_conflict(ctx):
    meeting = make_meeting()
    item = item_of(meeting)
    service.save_item_minutes(item, "Text", "Decision", 0, None)
    db.session.commit()
    again = service.save_item_minutes(item, "Text", "Decision", 0, None)  # same body, old version
    assert again.version == 1


def test_two_editors_creating_the_first_minutes_at_once_get_a_conflict_not_an_error(ctx):
    meeting = make_meeting()
    item = item_of(meeting)
    service.save_item_minutes(item, "Mine", "", 0, None)
    db.session.commit()
    with pytest.raises(service.MinutesConflict):
        service.save_item_minutes(item, "Theirs", "", 0, None)
    db.session.rollback()
    assert db.session.query(ItemMinutes).count() == 1


def test_bad_text_is_refused_with_a_sentence(ctx):
    item = item_of(make_meeting())
    with pytest.raises(BadInput, match="longer than"):
        service.save_item_minutes(item, "x" * (service.MAX_NOTES + 1), "", 0, None)
    with pytest.raises(BadInput, match="must be text"):
        service.save_item_minutes(item, None, "", 0, None)  # type: ignore[arg-type]
    assert service.item_minutes(item.id) is None


def test_missing_providers_give_sections_that_say_not_recorded(ctx):
    meeting = make_meeting(items=1)
    doc = service.collect(meeting, service.Providers(votes=None, attendance=None, speeches=None))
    assert doc["attendance"] == {"recorded": False, "error": None, "rows": []}
    assert doc["items"][0]["votes"]["recorded"] is False and doc["items"][0]["speakers"]["recorded"] is False


def test_a_failing_provider_is_named_in_the_document_and_the_rest_still_comes(ctx):
    def broken(_meeting_id):
        raise RuntimeError("boom")

    meeting = make_meeting(items=1)
    doc = service.collect(meeting, service.Providers(votes=broken, attendance=None, speeches=None))
    assert doc["items"][0]["votes"]["error"] == "The votes could not be read."
    assert doc["items"][0]["title"] == "Item 1"


def test_facts_come_from_the_voting_attendance_and_speakers_services(held):
    doc = service.collect(db.session.get(Meeting, held.meeting_id))
    first = doc["items"][0]
    vote = first["votes"]["rows"][0]
    # Kept as codes (the hash is language-neutral), worded when shown: here in English.
    assert vote["question"] == "Adopt the budget 2027?"
    assert (vote["facts"]["method"], vote["facts"]["secret"], vote["facts"]["passed"]) == ("motion", False, True)
    words = vote_words(vote)
    assert words["kind"] == "Motion, named vote" and words["result"].startswith("Adopted")
    assert {n["name"]: n["choice"] for n in words["names"]}["Trần Văn Hùng"] == "For"
    assert doc["items"][1]["votes"]["rows"][0]["names"] == []  # secret ballot: no names
    assert [s["name"] for s in first["speakers"]["rows"]] == ["Trần Văn Hùng", "Lê Minh Châu"]
    assert [s["seconds"] for s in first["speakers"]["rows"]] == [185, 115]
    status = {r["name"]: r["status"] for r in doc["attendance"]["rows"]}
    assert status == {"Nguyễn Thị Mai": "present", "Daniel Okafor": "present", "Trần Văn Hùng": "present",
                      "Anna Kowalska": "left", "Lê Minh Châu": "present", "Phạm Quốc Bảo": "excused",
                      "Hoàng Thu Hà": "absent"}


def test_content_hash_changes_with_the_text_and_an_edit_after_approval_is_audited(ctx):
    meeting = make_meeting(items=1)
    item = item_of(meeting)
    none = service.Providers(None, None, None)
    service.save_item_minutes(item, "Notes", "", 0, None)
    doc = service.collect(meeting, none)
    approval = service.record_approval(meeting, doc, b"%PDF-signed", "CN=test", None, "Chair", service.utcnow())
    db.session.commit()
    assert service.approval_state(meeting, service.collect(meeting, none)).status == service.APPROVED
    with pytest.raises(Exception, match="already approved"):
        service.record_approval(meeting, doc, b"%PDF", "CN=test", None, "Chair", service.utcnow())
    db.session.rollback()

    service.save_item_minutes(item, "Notes, edited", "", 1, None)
    db.session.commit()
    state = service.approval_state(meeting, service.collect(meeting, none))
    assert state.status == service.CHANGED and state.approval.id == approval.id
    assert [e.detail["approval_id"] for e in entries(meeting.id, "minutes.changed_after_approval")] == [approval.id]
    service.save_item_minutes(item, "Notes, edited twice", "", 2, None)
    db.session.commit()
    assert len(entries(meeting.id, "minutes.changed_after_approval")) == 1  # once per approval, not per keystroke


def test_an_approval_made_when_the_vote_facts_were_english_words_still_holds(held):
    """Approvals made before the facts were codes hold the SHA-256 of the English wording; they stay approved
    until something really changes."""
    meeting = db.session.get(Meeting, held.meeting_id)
    old = legacy_document(service.collect(meeting))
    vote = old["items"][0]["votes"]["rows"][0]
    assert "facts" not in vote and vote["kind"] == "Motion, named vote"
    assert vote["rule"] == "Simple majority (more than half of the votes cast); abstentions not counted"
    assert vote["counts"] == [["For", "3 by weight (2 ballots)"], ["Against", "1 by weight (1 ballots)"],
                              ["Abstain", "1 by weight (1 ballots)"]]
    assert vote["result"] == "Adopted (needed 3 of 4)"
    assert old["items"][1]["votes"]["rows"][0]["kind"] == "Motion, secret ballot"
    db.session.add(MinutesApproval(meeting_id=meeting.id, approved_by_id=None, approved_by_name="Chair",
                                   approved_at=service.utcnow(), content_hash=service.content_hash(old), snapshot=old,
                                   signed_pdf=b"%PDF-signed", signer_subject="CN=test"))
    db.session.commit()
    state = service.approval_state(meeting, service.collect(meeting))
    assert state.status == service.APPROVED and state.current_hash != state.approval.content_hash
    write_minutes(held, 0, "A note written after the approval.")
    assert service.approval_state(meeting, service.collect(meeting)).status == service.CHANGED


def test_an_election_that_leaves_seats_empty_says_so_and_an_approval_made_before_still_holds(held):
    """The minutes said “Elected: Ana” for an election of three: not that two seats stayed empty, which the
    screens say. They say it now; minutes approved before they did stay approved (the count is a fact of the
    closed vote, it cannot have changed)."""
    from app.voting import service as voting
    from app.voting.schemas import VoteSpec

    meeting = db.session.get(Meeting, held.meeting_id)
    chair = db.session.get(User, held.chair)
    vote = voting.create_vote(meeting, chair, VoteSpec(question="Elect the audit committee", agenda_item_id=held.items[2],
                                                       method="election", options=["Ana", "Bao", "Chi", "Dung"], max_choices=3))
    db.session.commit()
    voting.open_vote(voting.get_vote(vote.id), chair)
    db.session.commit()
    ids = {o.label: o.id for o in voting.get_vote(vote.id).options}
    for key in ("d1", "d3"):
        voting.cast_ballot(vote.id, db.session.get(Membership, held.members[key]).user_id, [ids["Ana"]])
    voting.close_vote(voting.get_vote(vote.id), chair)
    db.session.commit()

    doc = service.collect(meeting)
    row = doc["items"][2]["votes"]["rows"][0]
    assert vote_words(row)["result"] == "Elected: Ana (needed 2 of 3); 1 of 3 seats filled"
    motion = doc["items"][0]["votes"]["rows"][0]
    assert "seats" not in motion["facts"] and vote_words(motion)["result"] == "Adopted (needed 3 of 4)"

    # approved before the minutes stated the seats: the snapshot and its hash have no seat count
    before = copy.deepcopy(doc)
    del before["items"][2]["votes"]["rows"][0]["facts"]["seats"]
    db.session.add(MinutesApproval(meeting_id=meeting.id, approved_by_id=None, approved_by_name="Chair",
                                   approved_at=service.utcnow(), content_hash=service.content_hash(before),
                                   snapshot=before, signed_pdf=b"%PDF-signed", signer_subject="CN=test"))
    db.session.commit()
    assert service.approval_state(meeting, service.collect(meeting)).status == service.APPROVED
    write_minutes(held, 2, "The chair thanked the candidates.")
    assert service.approval_state(meeting, service.collect(meeting)).status == service.CHANGED


def test_minutes_approved_before_they_stated_turnout_room_quorum_rule_and_proxies_stay_approved(held):
    """The minutes now say, per vote, how many voted and who was in the room at its close, and the meeting's
    quorum rule and proxies. An approval made before holds the hash of a document without them: it stays
    approved until something really changes; a newer approval covers them (a proxy given after it changes it)."""
    from app.voting import service as voting

    meeting = db.session.get(Meeting, held.meeting_id)
    doc = service.collect(meeting)
    motion = doc["items"][0]["votes"]["rows"][0]["facts"]
    assert motion["turnout"] == [4, 7] and motion["room"]["present_members"] == 4 and motion["room"]["met"] is True
    assert doc["quorum_rule"] == {"basis": "members", "fraction": [1, 2], "strict": True, "exclude_excused": False}
    assert doc["proxies"] == {"recorded": True, "error": None, "rows": []}

    before = copy.deepcopy(doc)
    del before["quorum_rule"], before["proxies"], before["session"]
    for row in service._vote_rows(before):
        del row["facts"]["turnout"], row["facts"]["room"]
        row["facts"].pop("not_voted", None)   # the named vote's roll call

    def approve(snapshot: dict) -> None:
        db.session.add(MinutesApproval(meeting_id=meeting.id, approved_by_id=None, approved_by_name="Chair",
                                       approved_at=service.utcnow(), content_hash=service.content_hash(snapshot),
                                       snapshot=snapshot, signed_pdf=b"%PDF-signed", signer_subject="CN=test"))
        db.session.commit()

    approve(before)
    assert service.approval_state(meeting, service.collect(meeting)).status == service.APPROVED
    write_minutes(held, 1, "Market Street: the chair read the petition.")
    assert service.approval_state(meeting, service.collect(meeting)).status == service.CHANGED

    approve(service.collect(meeting))
    assert service.approval_state(meeting, service.collect(meeting)).status == service.APPROVED
    voting.give_proxy(meeting, db.session.get(User, held.chair), held.members["d5"], held.members["d1"])
    db.session.commit()
    assert service.approval_state(meeting, service.collect(meeting)).status == service.CHANGED
