"""A member seated without a vote (by default a secretary: the body's clerk) counts for no quorum and casts no
ballot, over HTTP and the socket alike; the roster says who votes (a `votes` column, the member form)."""
from __future__ import annotations

import html
import io

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.extensions import db, socketio
from app.meetings.models import Meeting, Membership
from tests.factories import add_member, make_meeting


def _login(client, username):
    assert client.post("/login", data={"username": username, "password": "pw-secret-1"}).status_code == 302


def _room(app):
    """A live meeting: a chair, a clerk seated as secretary (no `votes` given), three delegates."""
    with app.app_context():
        meeting = make_meeting("council", status=Meeting.LIVE)
        add_member(meeting, "chair", Membership.CHAIR, seat="C")
        clerk = add_member(meeting, "clerk", Membership.SECRETARY, seat="S", weight=5)
        for n in range(1, 4):
            add_member(meeting, f"d{n}", seat=f"D{n}")
        db.session.commit()
        assert clerk.votes is False and not clerk.can_vote
        return meeting.id, clerk.id


def test_a_clerk_counts_for_no_quorum_gets_no_ballot_and_is_refused_on_every_path(app, client):
    meeting_id, clerk_id = _room(app)
    _login(client, "chair")
    board = client.get("/api/meetings/council/attendance").get_json()
    assert (board["quorum"]["total_members"], board["quorum"]["total_weight"]) == (4, 4)   # chair + 3 delegates
    vote = client.post("/api/meetings/council/votes", json={"question": "Adopt the agenda?"}).get_json()["vote"]
    assert client.post(f"/api/votes/{vote['id']}/open").status_code == 200
    yes = vote["options"][0]["id"]

    clerk = app.test_client()
    _login(clerk, "clerk")
    refused = clerk.post(f"/api/votes/{vote['id']}/ballot", json={"option_ids": [yes]})
    assert refused.status_code == 403
    assert refused.get_json()["message"] == ("The roster seats you in this meeting without a vote, so you cannot "
                                             "vote. Ask the secretary if that is wrong.")
    sock = socketio.test_client(app, flask_test_client=clerk)
    joined = sock.emit("meeting.join", {"meeting": meeting_id}, callback=True)
    assert joined["ok"] and joined["snapshot"]["vote"]["open"]["me"] == {"eligible": False, "ballots": []}
    ack = sock.emit("vote.cast", {"meeting": meeting_id, "vote": vote["id"], "options": [yes]}, callback=True)
    assert ack["ok"] is False and ack["error"] == "forbidden" and "without a vote" in ack["message"]
    sock.disconnect()

    voter = app.test_client()
    _login(voter, "d1")
    assert voter.post(f"/api/votes/{vote['id']}/ballot", json={"option_ids": [yes]}).status_code == 200
    closed = client.post(f"/api/votes/{vote['id']}/close").get_json()["vote"]
    assert closed["result"]["ballots"] == 1 and closed["result"]["eligible"] == 4   # the clerk is no voter
    with app.app_context():
        from app.voting.models import VoteParticipation

        assert db.session.scalar(sa.select(sa.func.count(VoteParticipation.id))) == 1
        proxy = client.post("/api/meetings/council/proxies", json={"giver_id": clerk_id, "holder_id": clerk_id + 1})
        assert proxy.status_code == 400 and "does not vote in this meeting" in proxy.get_json()["message"]


def test_the_roster_says_who_votes_and_a_change_is_audited(app, client):
    meeting_id, clerk_id = _room(app)
    _login(client, "chair")
    page = client.get("/meetings/council/roster").get_data(as_text=True)
    assert page.count('data-testid="no-vote"') == 1   # the clerk's row says “No vote” instead of a weight

    csv = ("name,role,seat,weight,votes\nNew Clerk,delegate,S2,1,\nMember Sec,delegate,D7,1,yes\n"
           "Quiet One,delegate,D8,1,no\nWatcher,observer,O1,1,\n")
    done = client.post("/meetings/council/roster", data={"csv_file": (io.BytesIO(csv.encode()), "r.csv")},
                       content_type="multipart/form-data")
    assert done.status_code == 302
    with app.app_context():
        votes = dict(db.session.execute(sa.select(Membership.seat, Membership.votes)
                                        .where(Membership.meeting_id == meeting_id)).all())
        assert (votes["S2"], votes["D7"], votes["D8"], votes["O1"], votes["S"]) == (True, True, False, False, False)

    bad = ("name,role,seat,weight,votes\nMaybe,delegate,D9,1,perhaps\nLooker,observer,O2,1,yes\n")
    refused = client.post("/meetings/council/roster", data={"csv_file": (io.BytesIO(bad.encode()), "r.csv")},
                          content_type="multipart/form-data")
    text = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400
    assert "row 2: “votes” says “perhaps”: write yes or no" in text
    assert "row 3: an observer does not vote" in text

    changed = client.post(f"/meetings/council/members/{clerk_id}",
                          data={"seat": "S", "role": "secretary", "weight": "5", "votes": "yes"})
    assert changed.status_code == 302
    with app.app_context():
        assert db.session.get(Membership, clerk_id).can_vote
        entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "roster.member_changed")
                                   .order_by(AuditEntry.id.desc())).first()
        assert entry.detail["votes"] == "no → yes"
    _login(client, "chair")
    board = client.get("/api/meetings/council/attendance").get_json()
    # the chair, the clerk now, D1-D3, S2 and D7; not D8 (votes: no) nor the observer
    assert board["quorum"]["total_members"] == 7


def test_while_a_vote_is_open_who_votes_stands_still(app, client):
    meeting_id, clerk_id = _room(app)
    _login(client, "chair")
    vote = client.post("/api/meetings/council/votes", json={"question": "Adopt the agenda?"}).get_json()["vote"]
    assert client.post(f"/api/votes/{vote['id']}/open").status_code == 200
    refused = client.post(f"/meetings/council/members/{clerk_id}",
                          data={"seat": "S", "role": "secretary", "weight": "5", "votes": "yes"})
    assert refused.status_code == 400
    assert "stay as they are for now" in html.unescape(refused.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(Membership, clerk_id).votes is False


def test_the_demo_packs_secretary_is_its_clerk_and_does_not_vote(app, runner):
    result = runner.invoke(args=["agenda", "import", "agendas/demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        roles = {m.role: m.can_vote for m in db.session.scalars(sa.select(Membership))}
        assert roles == {"chair": True, "secretary": False, "delegate": True, "observer": False}


def test_a_member_not_yet_stored_already_votes_as_the_role_says(ctx):
    """can_vote holds the same rule before the row is written as after (the column's default applies at the insert)."""
    assert [Membership(role=r).can_vote for r in Membership.ROLES] == [True, False, True, False]
    assert Membership(role=Membership.SECRETARY, votes=True).can_vote and not Membership(role="observer", votes=True).can_vote
