"""The audit log in words: what each action is called, what its details mean. The codes stay what is stored and
exported (CSV); the page shows these labels, translated where they are shown (`{{ _(label) }}`)."""
from __future__ import annotations

from typing import Any

from app.audit.service import DETAIL_IDS
from app.errors import Term
from app.i18n import N_

ACTIONS = {
    "account.admin_changed": N_("Administrator role changed"),
    "account.created": N_("Account created"),
    "account.password_reset": N_("New password made"),
    "agenda.item_added": N_("Agenda item added"),
    "agenda.item_changed": N_("Agenda item changed"),
    "agenda.item_deleted": N_("Agenda item deleted"),
    "agenda.item_moved": N_("Agenda item moved"),
    "agenda.pack_imported": N_("Agenda imported"),
    "annotation.shared": N_("Annotation shared"),
    "annotations.purged": N_("Old annotations deleted"),
    "attendance.check_in": N_("Checked in"),
    "attendance.excused": N_("Excused"),
    "attendance.left": N_("Left the meeting"),
    "attendance.settings": N_("Quorum rule changed"),
    "attendance.undo": N_("Attendance mark undone"),
    "badge.reissued": N_("Badge reissued"),
    "display_link.created": N_("Wall-screen link made"),
    "display_link.revoked": N_("Wall-screen links revoked"),
    "document.added": N_("Document added"),
    "document.removed": N_("Document removed"),
    "document.changed": N_("Document renamed or moved"),
    "live.document_presented": N_("Document presented"),
    "live.item_opened": N_("Agenda item opened"),
    "meeting.changed": N_("Meeting details changed"),
    "meeting.created": N_("Meeting created"),
    "meeting.status": N_("Meeting status changed"),
    "minutes.approved": N_("Minutes approved and signed"),
    "minutes.changed_after_approval": N_("Minutes changed after approval"),
    "roster.imported": N_("Roster imported"),
    "roster.member_added": N_("Member added"),
    "roster.member_changed": N_("Member changed"),
    "roster.member_removed": N_("Member taken off the roster"),
    "signin.password": N_("Signed in with a password"),
    "signin.token": N_("Signed in with a badge or link"),
    "signin_link.issued": N_("Sign-in link issued"),
    "speakers.added": N_("Put on the list of speakers by the chair"),
    "speakers.ended": N_("Speech ended"),
    "speakers.floor": N_("Floor given"),
    "speakers.paused": N_("Speech clock stopped"),
    "speakers.removed": N_("Request to speak removed"),
    "speakers.reordered": N_("List of speakers reordered"),
    "speakers.requested": N_("Asked to speak"),
    "speakers.resumed": N_("Speech clock started again"),
    "speakers.settings": N_("Speaking time changed"),
    "speakers.time": N_("Time of a speech changed"),
    "speakers.withdrawn": N_("Request to speak withdrawn"),
    "vote.annulled": N_("Vote annulled"),
    "vote.ballots": N_("Ballots counted so far"),
    "vote.changed": N_("Vote changed"),
    "vote.closed": N_("Vote closed"),
    "vote.created": N_("Vote prepared"),
    "vote.deleted": N_("Draft vote deleted"),
    "vote.opened": N_("Vote opened"),
    "vote.proxy_given": N_("Proxy given"),
    "vote.proxy_withdrawn": N_("Proxy withdrawn"),
    "vote.published": N_("Vote result published"),
}

KIND_LABELS = {
    "votes": N_("Votes"),
    "attendance": N_("Attendance and sign-in"),
    "speakers": N_("Speakers"),
    "agenda": N_("Agenda and documents"),
    "meeting": N_("Meeting and minutes"),
}

DETAILS = {
    "membership_id": N_("member"), "giver": N_("proxy of"), "holder": N_("proxy holder"), "vote_id": N_("vote"),
    "item_id": N_("agenda item"), "document_id": N_("document"), "question": N_("question"), "page": N_("page"),
    "old": N_("before"), "new": N_("after"), "ballots": N_("ballots"), "cast_weight": N_("weight cast"),
    "passed": N_("passed"), "reason": N_("reason"), "excuse": N_("excuse"), "seconds": N_("seconds"),
    "by": N_("by"), "method": N_("method"), "kind": N_("kind"), "count": N_("count"), "title": N_("title"),
    "approval_id": N_("approval"), "content_hash": N_("content hash"), "signer": N_("signer"),
    "request_id": N_("request"), "limit_seconds": N_("speaking time (s)"), "warn_seconds": N_("warning (s)"),
    "paused_seconds": N_("clock stopped (s)"),
    # counts of an import (roster, agenda pack)
    "added": N_("added"), "updated": N_("updated"), "unchanged": N_("unchanged"),
    "items_added": N_("items added"), "items_changed": N_("items changed"), "items_removed": N_("items removed"),
    "documents_added": N_("documents added"), "documents_removed": N_("documents removed"),
    "members_added": N_("members added"), "members_updated": N_("members updated"),
    "created": N_("meeting created"), "meeting_changed": N_("meeting details changed"),
    "name": N_("name"), "seat": N_("seat"), "role": N_("role"), "weight": N_("vote weight"),
    "annotation_id": N_("annotation"), "at": N_("time"), "before": N_("before"), "deadline": N_("closes at"),
    "now": N_("time"), "order": N_("order"), "pages": N_("pages"), "present_weight": N_("weight present"),
    "repaired": N_("repaired on upload"), "secret": N_("secret ballot"), "serial": N_("badge number"),
    "sha256": N_("file fingerprint (SHA-256)"), "slug": N_("short name"), "to": N_("to"), "undone": N_("undone"),
    "visibility": N_("shared with"), "was": N_("was"), "new_title": N_("new title"),
    "new_item_id": N_("moved to agenda item"),
    "sub_items": N_("sub-items deleted with it"), "documents": N_("documents deleted with it"),
    # accounts (app/auth/accounts.py)
    "user_id": N_("account"), "username": N_("username"), "admin": N_("administrator"),
    "signins_ended": N_("sign-ins ended"),
}


# Codes stored in a detail, in words (the stored codes stay in the CSV export).
VALUES = {
    ("kind", "badge"): Term("sign-in kind", "badge"),
    ("kind", "link"): Term("sign-in kind", "one-time link"),
    ("kind", "normal"): Term("speaker request", "to speak"),
    ("kind", "point_of_order"): Term("speaker request", "point of order"),
    ("method", "scan"): Term("check-in method", "badge scanned"),
    ("method", "manual"): Term("check-in method", "by hand"),
    ("method", "self"): Term("check-in method", "on their own device"),
    ("method", "motion"): Term("vote method", "motion"),
    ("method", "choice"): Term("vote method", "choice of options"),
    ("method", "election"): Term("vote method", "election"),
    ("by", "chair"): Term("closed by", "the chair"),
    ("by", "timer"): Term("closed by", "the timer"),
}


def action_label(code: str) -> str:
    """The action's label (English, for `_()`), or its code when it has none."""
    return ACTIONS.get(code, code)


def detail_items(detail: dict[str, Any], names: dict[str, dict[int, str]],
                 action: str | None = None) -> list[tuple[str, Any, bool]]:
    """(label, value, in words?) for each detail: ids replaced by what they name (see service.names_in), yes/no
    for flags, codes (a sign-in's kind, a check-in's method, a meeting's status...) as words. Labels, yes/no
    are English for `_()`; the other words are Terms (`.localized()`)."""
    from app.meetings.service import STATUS_WORDS

    out = []
    for key, value in (detail or {}).items():
        kind = DETAIL_IDS.get(key)
        label = DETAILS.get(key, key)
        if kind and isinstance(value, int) and not isinstance(value, bool) and value in names.get(kind, {}):
            out.append((label, names[kind][value], False))
        elif isinstance(value, bool):
            out.append((label, N_("yes") if value else N_("no"), True))
        elif isinstance(value, str) and (key, value) in VALUES:
            out.append((label, VALUES[(key, value)], True))
        elif action == "meeting.status" and key in ("old", "new") and value in STATUS_WORDS:
            out.append((label, STATUS_WORDS[value], True))
        elif value is None:
            out.append((label, "—", False))
        else:
            out.append((label, value, False))
    return out
