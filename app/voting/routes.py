"""Vote views (JSON): prepare and run votes, cast ballots, proxies, results export. Thin: who, validate, call."""
from __future__ import annotations

import json

from flask import Response, jsonify
from flask_login import current_user, login_required

from app.errors import Forbidden, localize
from app.extensions import db
from app.meetings.models import Meeting
from app.meetings.service import get_meeting, require_member
from app.voting import bp, live, service
from app.voting.models import Vote
from app.voting.schemas import AnnulIn, BallotIn, ProxyIn, VoteSpec, parse
from app.voting.writer import writer
from app.web import json_object


def _is_staff(meeting) -> bool:
    membership = require_member(current_user, meeting)
    return current_user.is_admin or (membership is not None and membership.is_staff)


@bp.route("/api/meetings/<slug>/votes")
@login_required
def list_votes(slug: str):
    """Members: the meeting's votes (staff also see drafts)."""
    meeting = get_meeting(slug)
    staff = _is_staff(meeting)
    return jsonify({"ok": True, "votes": [service.vote_view(v, staff) for v in service.votes_of(meeting, staff)]})


@bp.route("/api/meetings/<slug>/votes", methods=["POST"])
@login_required
def create(slug: str):
    """Chair, secretary: prepare a vote (a draft)."""
    meeting = get_meeting(slug)
    vote = service.create_vote(meeting, current_user, parse(VoteSpec, json_object()))
    view = service.vote_view(vote, True)
    live.push(vote.meeting_id, "vote.draft", view, to="staff")
    return jsonify({"ok": True, "vote": view}), 201


def _member_vote(vote_id: int) -> tuple[Vote, bool]:
    """The vote, if the user may see it; and whether they are staff."""
    vote = service.get_vote(vote_id)
    meeting = db.session.get(Meeting, vote.meeting_id)
    staff = _is_staff(meeting)
    if vote.state == Vote.DRAFT and not staff:
        raise Forbidden("This vote is still being prepared.")
    return vote, staff


@bp.route("/api/votes/<int:vote_id>")
@login_required
def show(vote_id: int):
    """Members: one vote (with my ballots while it is open)."""
    vote, staff = _member_vote(vote_id)
    view = service.vote_view(vote, staff)
    view["me"] = service.ballot_status(vote, current_user.id)
    return jsonify({"ok": True, "vote": view})


@bp.route("/api/votes/<int:vote_id>", methods=["PUT"])
@login_required
def update(vote_id: int):
    """Chair, secretary: change a draft."""
    vote = service.update_vote(service.get_vote(vote_id), current_user, parse(VoteSpec, json_object()))
    view = service.vote_view(vote, True)
    live.push(vote.meeting_id, "vote.draft", view, to="staff")
    return jsonify({"ok": True, "vote": view})


@bp.route("/api/votes/<int:vote_id>", methods=["DELETE"])
@login_required
def delete(vote_id: int):
    """Chair, secretary: delete a draft."""
    vote = service.get_vote(vote_id)
    meeting_id = vote.meeting_id
    service.delete_draft(vote, current_user)
    live.push(meeting_id, "vote.deleted", {"id": vote_id}, to="staff")
    return jsonify({"ok": True})


@bp.route("/api/votes/<int:vote_id>/<any(open, close, publish, annul):action>", methods=["POST"])
@login_required
def transition(vote_id: int, action: str):
    """Chair: open, close, publish or annul a vote; everyone in the meeting hears of it."""
    vote = service.get_vote(vote_id)
    if action == "open":
        service.open_vote(vote, current_user)
    elif action == "close":
        service.close_vote(vote, current_user)
    elif action == "publish":
        service.publish_vote(vote, current_user)
    else:
        service.annul_vote(vote, current_user, parse(AnnulIn, json_object()).reason)
    view = live.announce(vote)
    if action == "open":
        writer().warm(vote_id)
    return jsonify({"ok": True, "vote": view})


@bp.route("/api/votes/<int:vote_id>/ballot", methods=["POST"])
@login_required
def ballot(vote_id: int):
    """Voting members: cast (or, in a named vote that allows it, change) a ballot; 200 only once stored."""
    p = parse(BallotIn, json_object())  # the vote is the address's: a "vote_id" in the body is refused
    receipt = service.cast_ballot(vote_id, current_user.id, p.option_ids, p.on_behalf_of)
    live.after_ballot(receipt)
    return jsonify({"ok": True, "ballot": receipt.to_dict()})


@bp.route("/api/meetings/<slug>/votes/results.<any(json, csv):fmt>")
@login_required
def results(slug: str, fmt: str):
    """Members: every vote's result (staff, or anyone once the meeting is closed)."""
    meeting = get_meeting(slug)
    if not _is_staff(meeting) and not meeting.is_closed:
        raise Forbidden("The results export is for the chair and the secretary until the meeting is closed.")
    name = f"results-{meeting.slug}.{fmt}"   # <what>-<meeting>, as every download is named
    if fmt == "json":
        body = json.dumps({"meeting": meeting.slug, "votes": service.results_for_meeting(meeting.id)},
                          ensure_ascii=False, indent=1)
        mimetype = "application/json"
    else:
        body = "\ufeff" + service.results_csv(meeting.id)
        mimetype = "text/csv"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/api/meetings/<slug>/proxies")
@login_required
def list_proxies(slug: str):
    """Members: who carries whose vote."""
    meeting = get_meeting(slug)
    require_member(current_user, meeting)
    return jsonify({"ok": True, "proxies": service.proxies_record(meeting.id)})


@bp.route("/api/meetings/<slug>/proxies", methods=["POST"])
@login_required
def give_proxy(slug: str):
    """Secretary, chair: give an absent member's proxy to another member."""
    meeting = get_meeting(slug)
    p = parse(ProxyIn, json_object())
    proxy = service.give_proxy(meeting, current_user, p.giver_id, p.holder_id)
    db.session.commit()
    live.proxies_changed(meeting, [p.giver_id, p.holder_id])
    notes = [localize(n) for n in service.proxy_notes(proxy)]
    return jsonify({"ok": True, "proxy": {"id": proxy.id, "giver_id": proxy.giver_id, "holder_id": proxy.holder_id},
                    "notes": notes}), 201


@bp.route("/api/meetings/<slug>/proxies/<int:proxy_id>", methods=["DELETE"])
@login_required
def withdraw_proxy(slug: str, proxy_id: int):
    """Secretary, chair: end a proxy."""
    meeting = get_meeting(slug)
    from app.voting.models import VoteProxy

    proxy = db.session.get(VoteProxy, proxy_id)
    members = [proxy.giver_id, proxy.holder_id] if proxy is not None else []
    service.withdraw_proxy(meeting, current_user, proxy_id)
    db.session.commit()
    live.proxies_changed(meeting, members)
    return jsonify({"ok": True})
