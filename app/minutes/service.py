"""Minutes: saving the secretary's text with optimistic locking, gathering the facts, approval state."""
from __future__ import annotations

import copy
import hashlib
import importlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.exc import IntegrityError

from app.audit.service import record
from app.errors import BadInput, Conflict, Count, InvalidTransition, Term
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, Membership
from app.meetings.service import numbered_agenda, session_times
from app.minutes.models import ItemMinutes, MinutesApproval
from app.minutes.wording import UNREADABLE, legacy_document
from app.timeutil import utcnow

log = logging.getLogger("dais.minutes")

MAX_NOTES = 100_000
MAX_DECISION = 20_000

NOT_APPROVED = "not_approved"
APPROVED = "approved"
CHANGED = "changed"


class MinutesConflict(Conflict):
    """Someone else saved this item's minutes since the editor loaded them; carries what is stored now."""

    code = "minutes_conflict"

    def __init__(self, message: str, current: dict, **params: Any):
        super().__init__(message, **params)
        self.current = current

    def to_dict(self) -> dict:
        return {**super().to_dict(), "current": self.current}


# ----- saving -----

def item_minutes(item_id: int) -> ItemMinutes | None:
    """The stored minutes of one agenda item, if any were written."""
    return db.session.scalar(sa.select(ItemMinutes).where(ItemMinutes.item_id == item_id))


def minutes_by_item(meeting: Meeting) -> dict[int, ItemMinutes]:
    """Every item's stored minutes of a meeting, keyed by agenda item id."""
    rows = db.session.scalars(sa.select(ItemMinutes).where(ItemMinutes.meeting_id == meeting.id))
    return {row.item_id: row for row in rows}


def as_dict(row: ItemMinutes | None, item_id: int) -> dict:
    """What the editor needs of one item's minutes (version 0: nothing written yet)."""
    if row is None:
        return {"item_id": item_id, "notes": "", "decision": "", "version": 0, "updated_at": None, "updated_by": None}
    return {
        "item_id": item_id, "notes": row.notes, "decision": row.decision, "version": row.version,
        "updated_at": row.updated_at.isoformat(timespec="seconds"),
        "updated_by": row.updated_by.name if row.updated_by else None,
    }


def _conflict(item: AgendaItem, row: ItemMinutes) -> MinutesConflict:
    who = row.updated_by.name if row.updated_by else Term("minutes editor", "Someone else")
    return MinutesConflict(
        "%(name)s saved the minutes of “%(item)s” at %(time)s while you were editing, so your text was not saved over "
        "theirs. Both versions are shown: keep theirs, or keep yours and save again.",
        as_dict(row, item.id), name=who, item=item.title, time=f"{row.updated_at:%H:%M:%S}",
    )


def save_item_minutes(item: AgendaItem, notes: str, decision: str, base_version: int,
                      actor_id: int | None) -> ItemMinutes:
    """Store an item's notes and decision if nobody saved since `base_version`; else MinutesConflict (caller commits)."""
    notes = _clean(notes, MAX_NOTES, Term("minutes field", "notes"))
    decision = _clean(decision, MAX_DECISION, Term("minutes field", "decision text"))
    if base_version < 0:
        raise BadInput("The version of the minutes must be 0 or more.")
    row = item_minutes(item.id)
    if row is not None and (row.notes, row.decision) == (notes, decision):
        return row  # a retried save whose first reply was lost, or nothing changed: not a conflict
    if row is None:
        if base_version != 0:
            raise BadInput("These minutes are not stored on the server; reload the page (your text is kept on this device).")
        row = ItemMinutes(meeting_id=item.meeting_id, item_id=item.id, notes=notes, decision=decision,
                          version=1, updated_by_id=actor_id, updated_at=utcnow())
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:
            # Another editor created this item's minutes at the same moment.
            row = item_minutes(item.id)
            if row is None:
                raise
            raise _conflict(item, row)
        _note_change_after_approval(item, None, actor_id)
        return row
    if row.version != base_version:
        raise _conflict(item, row)
    last_saved = row.updated_at
    # The WHERE on the version makes the check and the write one step, even between two processes.
    result = db.session.execute(
        sa.update(ItemMinutes)
        .where(ItemMinutes.id == row.id, ItemMinutes.version == base_version)
        .values(notes=notes, decision=decision, version=base_version + 1, updated_at=utcnow(), updated_by_id=actor_id)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(row)
    if result.rowcount != 1:
        raise _conflict(item, row)
    _note_change_after_approval(item, last_saved, actor_id)
    return row


def _clean(text: Any, limit: int, what: Term) -> str:
    if not isinstance(text, str):
        raise BadInput("The %(what)s must be text.", what=what)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if len(text) > limit:
        raise BadInput("The %(what)s are longer than %(limit)s characters; split them or shorten them.", what=what,
                       limit=Count(limit))
    return text


def _note_change_after_approval(item: AgendaItem, last_saved: datetime | None, actor_id: int | None) -> None:
    """The first edit after an approval goes into the audit log: the approved text is no longer current."""
    approval = latest_approval(item.meeting_id)
    if approval is not None and (last_saved is None or last_saved <= approval.approved_at):
        record("minutes.changed_after_approval", actor_id, item.meeting_id, item_id=item.id, approval_id=approval.id)


# ----- the facts from the other domains -----

Provider = Callable[[int], list]


@dataclass
class Providers:
    """Where the facts come from; each is None when its domain does not provide it (yet)."""

    votes: Provider | None
    attendance: Provider | None
    speeches: Provider | None
    proxies: Provider | None = None
    quorum_rule: Callable[[int], dict] | None = None


def _lookup(module: str, name: str) -> Provider | None:
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            return None
        raise
    return getattr(mod, name, None)


def default_providers() -> Providers:
    """The voting, attendance and speakers services, looked up when needed (any of them may be absent)."""
    return Providers(
        votes=_lookup("app.voting.service", "results_for_meeting"),
        attendance=_lookup("app.attendance.service", "attendance_record"),
        speeches=_lookup("app.speakers.service", "speeches_for_item"),
        proxies=_lookup("app.voting.service", "proxies_record"),
        quorum_rule=_lookup("app.attendance.service", "quorum_rule"),
    )


def _section(provider: Provider | None, arg: int, what: str) -> dict:
    """A fact section: recorded rows, or why there are none."""
    if provider is None:
        return {"recorded": False, "error": None, "rows": []}
    try:
        with db.session.begin_nested():  # a failing query rolls back to here, not the caller's work
            rows = list(provider(arg) or [])
    except Exception:  # a broken provider must not hide the rest of the record, nor stay silent
        log.exception("minutes: reading the %s failed", what)
        return {"recorded": False, "error": UNREADABLE[what], "rows": []}
    return {"recorded": True, "error": None, "rows": rows}


def _iso(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return str(value)


def _first(d: dict, *keys: str, default: Any = None) -> Any:
    for key in keys:
        if d.get(key) not in (None, ""):
            return d[key]
    return default


COUNT_LABELS = {"yes": "Yes", "no": "No", "abstain": "Abstain", "for": "For", "against": "Against",
                "abstention": "Abstain", "abstentions": "Abstain", "invalid": "Invalid", "absent": "Not voting",
                "not_voted": "Not voting", "not_voting": "Not voting"}


def _normalise_dais_vote(d: dict) -> dict:
    """A vote in the shape of app.voting.service.results_for_meeting, as codes (app/minutes/wording.py words them)."""
    result = d.get("result") or {}
    method = str(d.get("method") or "")
    options = result.get("options") or []
    if d.get("state") == "open":
        state = "open"
    elif d.get("annulled") or d.get("state") == "annulled":
        state = "annulled"
    else:
        state = "decided"
    rule = d.get("rule") or {}
    quorum = d.get("quorum")
    facts = {
        "method": method, "secret": bool(d.get("secret")),
        "rule": {"kind": rule.get("kind"), "fraction": list((rule.get("fraction") or [1, 2])[:2]),
                 "abstentions_count": bool(rule.get("abstentions_count"))},
        "quorum": list(quorum) if isinstance(quorum, (list, tuple)) and len(quorum) == 2 else None,
        "state": state, "annul_reason": result.get("annul_reason") or None,
        "passed": d.get("passed", result.get("passed")),
        "winners": [str(o.get("label")) for o in options if o.get("won")],
        "reason": result.get("reason") or None, "required": result.get("required") or None, "base": result.get("base"),
        "weighted": any(o.get("weight") != o.get("ballots") for o in options),
    }
    # An election that left seats empty says how many it had (“1 of 2 seats filled”, as the screens say); only then,
    # so that minutes approved before this fact existed keep their hash (approval_state).
    seats = d.get("max_choices")
    if method == "election" and state == "decided" and isinstance(seats, int) and 1 < seats and len(facts["winners"]) < seats:
        facts["seats"] = seats
    # How many took part, and who was in the room against the meeting's quorum when it closed (votes closed
    # before Dais kept the room have none).
    if state != "open" and isinstance(result.get("ballots"), int) and isinstance(result.get("eligible"), int):
        facts["turnout"] = [result["ballots"], result["eligible"]]
    room = result.get("room")
    if isinstance(room, dict):
        facts["room"] = {k: room.get(k) for k in ("basis", "met", "present_members", "total_members", "needed_members",
                                                   "present_weight", "total_weight", "needed_weight")}
    if isinstance(result.get("not_voted"), list) and result.get("named") is not None:   # a named vote's roll call
        facts["not_voted"] = [{"name": str(n.get("name", "")), "seat": str(n.get("seat") or "")}
                              for n in result["not_voted"] if isinstance(n, dict)]
    names = [{"name": str(n.get("name", "")), "seat": str(n.get("seat") or ""),
              "choices": [str(c) for c in n.get("choices") or []], "proxy_by": n.get("proxy_by") or None}
             for n in result.get("named") or []]
    return {
        "item_id": d.get("agenda_item_id"), "question": str(d.get("question") or ""), "facts": facts,
        "counts": [[str(o.get("label", "")), o.get("ballots"), o.get("weight")] for o in options],
        "closed_at": _iso(d.get("closed_at")), "names": names,
    }


def normalise_vote(d: dict) -> dict:
    """One vote as the minutes keep it: question, counts, names and the facts as codes (Dais's own votes), or
    question, kind, rule, counts, result and names as given (another provider's)."""
    if isinstance(d.get("rule"), dict) and "method" in d:
        return _normalise_dais_vote(d)
    counts_raw = _first(d, "counts", "tally", "totals", default=None)
    if counts_raw is None:
        counts_raw = {k: d[k] for k in ("yes", "no", "abstain") if k in d}
    if isinstance(counts_raw, dict):
        counts = [[COUNT_LABELS.get(str(k).lower(), str(k).replace("_", " ").capitalize()), v]
                  for k, v in counts_raw.items() if not isinstance(v, (dict, list))]
    else:
        counts = [[str(label), value] for label, value in counts_raw]
    result = _first(d, "result_label", "result", "outcome", default="")
    if isinstance(result, bool):
        result = "Adopted" if result else "Rejected"
    elif isinstance(result, dict):
        result = _first(result, "label", "text", "result", default="")
    names_raw = _first(d, "names", "named_ballots", "ballots", "voters", default=[]) or []
    names = []
    for n in names_raw:
        if isinstance(n, dict):
            names.append({"name": str(_first(n, "name", "member", "voter", default="")),
                          "seat": str(_first(n, "seat", default="") or ""),
                          "choice": str(_first(n, "choice_label", "choice", "vote", "answer", default=""))})
        else:
            names.append({"name": str(n), "seat": "", "choice": ""})
    rule = _first(d, "rule_label", "rule", "majority", default="")
    kind = _first(d, "kind_label", "kind", "type", "method", default="")
    return {
        "item_id": _first(d, "item_id", "agenda_item_id", default=None),
        "question": str(_first(d, "question", "title", "motion", default="")),
        "kind": str(kind), "rule": str(rule), "counts": counts, "result": str(result),
        "closed_at": _iso(_first(d, "closed_at", "ended_at", "finished_at", default=None)),
        "names": names,
    }


def normalise_presence(d: dict) -> dict:
    """One attendance row: name, seat, role, status, arrival and departure times, excuse."""
    return {
        "name": str(_first(d, "name", default="")), "seat": str(_first(d, "seat", default="") or ""),
        "role": str(_first(d, "role", default="") or ""), "status": str(_first(d, "status", default="") or "").lower(),
        "arrived_at": _iso(_first(d, "arrived_at", "checked_in_at", default=None)),
        "left_at": _iso(_first(d, "left_at", "checked_out_at", default=None)),
        "excuse": str(_first(d, "excuse", "reason", default="") or ""),
    }


def normalise_proxy(d: dict) -> dict:
    """One proxy: who gave their vote to whom (names and seats)."""
    return {"giver": str(d.get("giver") or ""), "giver_seat": str(d.get("giver_seat") or ""),
            "holder": str(d.get("holder") or ""), "holder_seat": str(d.get("holder_seat") or "")}


def _quorum_rule(provider: Callable[[int], dict] | None, meeting_id: int) -> dict | None:
    """The meeting's quorum rule, or None when attendance does not say it (or could not be read)."""
    if provider is None:
        return None
    try:
        with db.session.begin_nested():
            rule = provider(meeting_id)
    except Exception:
        log.exception("minutes: reading the quorum rule failed")
        return None
    return {"basis": str(rule.get("basis") or ""), "fraction": [int(x) for x in list(rule.get("fraction") or [1, 2])[:2]],
            "strict": bool(rule.get("strict")), "exclude_excused": bool(rule.get("exclude_excused"))}


def normalise_speech(d: dict) -> dict:
    """One speech on an item: who, when, how long."""
    seconds = _first(d, "seconds", "duration_seconds", "duration", default=None)
    return {
        "name": str(_first(d, "name", "speaker", default="")),
        "kind": str(_first(d, "kind", "type", default="") or ""),
        "started_at": _iso(_first(d, "started_at", "start", "at", default=None)),
        "seconds": int(seconds) if isinstance(seconds, (int, float)) else None,
    }


def _apply(section: dict, fn: Callable[[dict], dict]) -> dict:
    section["rows"] = [fn(r) for r in section["rows"] if isinstance(r, dict)]
    return section


# ----- the document -----

def collect(meeting: Meeting, providers: Providers | None = None) -> dict:
    """Everything the minutes say, as plain JSON-ready data (the approval's snapshot and hash are taken of it)."""
    providers = providers or default_providers()
    staff = {role: [m.user.name for m in sorted(meeting.memberships, key=lambda m: (m.seat or "~", m.id))
                    if m.role == role] for role in (Membership.CHAIR, Membership.SECRETARY)}
    votes = _apply(_section(providers.votes, meeting.id, "votes"), normalise_vote)
    by_item: dict[Any, list[dict]] = {}
    for v in votes["rows"]:
        by_item.setdefault(v["item_id"], []).append(v)
    stored = minutes_by_item(meeting)
    items = []
    for n in numbered_agenda(meeting):
        row = stored.get(n.item.id)
        items.append({
            "id": n.item.id, "number": n.number, "depth": n.depth, "title": n.item.title,
            "description": n.item.description or "",
            "notes": row.notes if row else "", "decision": row.decision if row else "",
            "votes": {**{k: votes[k] for k in ("recorded", "error")}, "rows": by_item.pop(n.item.id, [])},
            "speakers": _apply(_section(providers.speeches, n.item.id, "speakers"), normalise_speech),
        })
    other_votes = [v for rows in by_item.values() for v in rows]
    attendance = _apply(_section(providers.attendance, meeting.id, "attendance"), normalise_presence)
    proxies = _apply(_section(providers.proxies, meeting.id, "proxies"), normalise_proxy)
    return {
        "meeting": {
            "slug": meeting.slug, "title": meeting.title, "starts_at": _iso(meeting.starts_at), "place": meeting.place,
            "chair": staff[Membership.CHAIR], "secretary": staff[Membership.SECRETARY],
        },
        "items": items,
        "other_votes": other_votes,
        "attendance": attendance,
        "quorum_rule": _quorum_rule(providers.quorum_rule, meeting.id),
        "proxies": proxies,
        "session": {k: _iso(v) for k, v in session_times(meeting.id).items()},
    }


def content_hash(doc: dict) -> str:
    """SHA-256 of the canonical JSON of the minutes' content."""
    canonical = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


# ----- approval -----

def latest_approval(meeting_id: int) -> MinutesApproval | None:
    """The most recent approval of a meeting's minutes."""
    return db.session.scalar(sa.select(MinutesApproval).where(MinutesApproval.meeting_id == meeting_id)
                             .order_by(MinutesApproval.id.desc()).limit(1))


@dataclass
class ApprovalState:
    """Whether the minutes as they stand now are the approved ones."""

    status: str
    approval: MinutesApproval | None
    current_hash: str


def approval_state(meeting: Meeting, doc: dict) -> ApprovalState:
    """not_approved, approved (unchanged since), or changed (edited or new facts since the approval)."""
    approval = latest_approval(meeting.id)
    current = content_hash(doc)
    if approval is None:
        return ApprovalState(NOT_APPROVED, None, current)
    unchanged = approval.content_hash in (current, _legacy_hash(approval, doc), _hash_as_then(approval, doc))
    return ApprovalState(APPROVED if unchanged else CHANGED, approval, current)


# Facts the minutes state that approvals made before them could not have: an election's empty seats, a vote's
# turnout, the room at its close and a named vote's members who did not vote (facts of a closed vote, which
# cannot have changed since), the meeting's
# proxies and quorum rule. An approval whose snapshot has none of one is compared without it.
NEWER_VOTE_FACTS = ("seats", "turnout", "room", "not_voted")
NEWER_DOC_KEYS = ("quorum_rule", "proxies", "session")


def _vote_rows(doc: dict) -> list[dict]:
    rows = [v for it in doc.get("items", []) for v in it.get("votes", {}).get("rows", [])]
    return rows + doc.get("other_votes", [])


def _hash_as_then(approval: MinutesApproval, doc: dict) -> str | None:
    """The hash of `doc` without the facts the approval's snapshot does not know (None when it knows them all)."""
    then = approval.snapshot or {}
    rows = _vote_rows(then)
    facts = tuple(k for k in NEWER_VOTE_FACTS if not any(k in (v.get("facts") or {}) for v in rows))
    keys = tuple(k for k in NEWER_DOC_KEYS if k not in then)
    if not facts and not keys:
        return None
    return content_hash(_without(doc, facts, keys))


def _without(doc: dict, facts: tuple[str, ...] = NEWER_VOTE_FACTS, keys: tuple[str, ...] = NEWER_DOC_KEYS) -> dict:
    bare = copy.deepcopy(doc)
    for key in keys:
        bare.pop(key, None)
    for v in _vote_rows(bare):
        if isinstance(v.get("facts"), dict):
            for key in facts:
                v["facts"].pop(key, None)
    return bare


def _legacy_hash(approval: MinutesApproval, doc: dict) -> str | None:
    """The hash of `doc` in the form an approval made before the vote facts were codes was taken over (English
    words), for such an approval only; None for a newer one."""
    rows = _vote_rows(approval.snapshot or {})
    if any(isinstance(v.get("facts"), dict) for v in rows) or not any("kind" in v for v in rows):
        return None
    return content_hash(legacy_document(_without(doc, keys=tuple(k for k in NEWER_DOC_KEYS if k not in approval.snapshot))))


def record_approval(meeting: Meeting, doc: dict, signed_pdf: bytes, signer_subject: str,
                    actor_id: int | None, actor_name: str, approved_at: datetime) -> MinutesApproval:
    """Store an approval of `doc` with its signed PDF (caller commits); refused when nothing changed since the last."""
    state = approval_state(meeting, doc)
    if state.status == APPROVED:
        raise InvalidTransition("These minutes are already approved and signed; nothing has changed since.")
    approval = MinutesApproval(meeting_id=meeting.id, approved_by_id=actor_id, approved_by_name=actor_name[:200],
                               approved_at=approved_at, content_hash=state.current_hash, snapshot=doc,
                               signed_pdf=signed_pdf, signer_subject=signer_subject[:300])
    db.session.add(approval)
    db.session.flush()
    record("minutes.approved", actor_id, meeting.id, approval_id=approval.id, content_hash=state.current_hash,
           signer=signer_subject[:300])
    return approval


def approve_minutes(meeting: Meeting, actor_id: int | None, actor_name: str, signing_config,
                    providers: Providers | None = None) -> MinutesApproval:
    """Render the minutes as they stand, sign the PDF and record the approval (caller commits).

    Any signing problem raises SigningError before anything is stored: the minutes stay unsigned and unchanged.
    """
    from app.minutes import export, signing

    if meeting.status != Meeting.CLOSED:
        # a tap on Approve mid-meeting would sign minutes that the rest of the meeting then changes
        raise InvalidTransition("Close the meeting first: the minutes are approved and signed once nothing more can "
                                "happen in it (votes, speeches, attendance).")
    doc = collect(meeting, providers)
    state = approval_state(meeting, doc)
    if state.status == APPROVED:
        raise InvalidTransition("These minutes are already approved and signed; nothing has changed since.")
    loaded = signing.load_signer(signing_config)
    now = utcnow()
    info = export.ApprovalInfo(name=actor_name, at=now.isoformat(timespec="seconds"), content_hash=state.current_hash)
    pdf, box = export.render_for_signature(doc, APPROVED, info)
    # The signature's reason and stamp in the PDF's language (the approving chair's), as its pages are.
    signed = signing.sign_pdf(pdf, loaded, signer_name=actor_name,
                              reason=gettext("Approval of the minutes: %(title)s", title=meeting.title),
                              location=meeting.place, box=box,
                              stamp_label=gettext("Digitally signed (PAdES)"))
    return record_approval(meeting, doc, signed, loaded.subject, actor_id, actor_name, now)
