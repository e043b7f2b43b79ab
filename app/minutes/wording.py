"""The vote facts of the minutes in words, in the reader's language.

The minutes document (`service.collect`) stores what a vote was as codes: method, secret, rule, state,
outcome, winners, counts. Its SHA-256 is taken over those codes, so an approval holds in every language and
through any change of wording. The words are chosen here when the minutes are shown or exported: the page in
the reader's language, the PDF and the CSV in the language of the person exporting them, and the signed PDF
in the language of the chair who approved them.

Rows that carry no codes (another voting provider, or approvals made before the codes) keep their own text.
"""
from __future__ import annotations

from typing import Any, Callable

from flask_babel import force_locale, gettext as _

from app.i18n import N_

# Kept in the document as sentences (msgids, translated when shown) when a section cannot be read.
UNREADABLE = {"votes": N_("The votes could not be read."), "speakers": N_("The speakers could not be read."),
              "attendance": N_("The attendance could not be read."), "proxies": N_("The proxies could not be read.")}


def has_codes(v: dict) -> bool:
    """True for a vote row stored as codes (Dais's own voting), False for a row with its own words."""
    return isinstance(v.get("facts"), dict)


def vote_kind(f: dict) -> str:
    """“Motion, secret ballot”."""
    method, secret = f.get("method"), bool(f.get("secret"))
    if method == "motion":
        return _("Motion, secret ballot") if secret else _("Motion, named vote")
    if method == "choice":
        return _("Choice, secret ballot") if secret else _("Choice, named vote")
    if method == "election":
        return _("Election, secret ballot") if secret else _("Election, named vote")
    name = str(method or "").capitalize()
    return _("%(method)s, secret ballot", method=name) if secret else _("%(method)s, named vote", method=name)


def vote_rule(f: dict) -> str:
    """“Simple majority (more than half of the votes cast); abstentions not counted; quorum 1/2 of the members' weight”."""
    rule = f.get("rule") or {}
    kind = rule.get("kind")
    num, den = (rule.get("fraction") or [1, 2])[:2]
    parts = [{"simple": _("Simple majority (more than half of the votes cast)"),
              "absolute": _("Absolute majority (more than half of all members' voting weight)"),
              "two_thirds": _("Two-thirds majority of the votes cast"),
              "fraction": _("At least %(num)s/%(den)s of the votes cast", num=num, den=den),
              "plurality": _("Most votes (relative majority); abstentions not counted")}.get(kind, str(kind or ""))]
    if kind not in ("absolute", "plurality"):
        parts.append(_("abstentions count") if rule.get("abstentions_count") else _("abstentions not counted"))
    quorum = f.get("quorum")
    if isinstance(quorum, (list, tuple)) and len(quorum) == 2:
        parts.append(_("quorum %(num)s/%(den)s of the members' weight", num=quorum[0], den=quorum[1]))
    return "; ".join(parts)


def vote_result(f: dict) -> str:
    """“Adopted (needed 3 of 4)”, “Elected: A, B”, “Annulled: reason”, “Still open”."""
    state = f.get("state")
    if state == "open":
        return _("Still open")
    if state == "annulled":
        reason = f.get("annul_reason")
        return _("Annulled: %(reason)s", reason=reason) if reason else _("Annulled")
    passed, winners, method = f.get("passed"), [str(w) for w in f.get("winners") or []], f.get("method")
    if method == "motion":
        text = _("Adopted") if passed else _("Rejected")
    elif not winners:   # the screens' words: an election or a choice is not "rejected"
        text = _("Nobody elected") if method == "election" else _("No option chosen")
    elif method == "election":
        text = _("Elected: %(names)s", names=", ".join(winners))
    else:
        text = _("Chosen: %(names)s", names=", ".join(winners))
    reason = {"no_quorum": _("no quorum"), "tie": _("tie"), "no_votes": _("no votes cast")}.get(str(f.get("reason") or ""))
    if not passed and reason:
        text += " (" + reason + ")"
    if f.get("required"):
        text += " " + _("(needed %(required)s of %(base)s)", required=f["required"], base=f.get("base"))
    if method == "election" and f.get("seats"):   # set only where seats stay empty (minutes.service)
        text += "; " + _("%(filled)s of %(seats)s seats filled", filled=len(winners), seats=f["seats"])
    return text


def vote_turnout(f: dict) -> str:
    """“11 of 13 eligible voters” (members, whatever their weight); empty for a vote that does not say."""
    turnout = f.get("turnout")
    if not (isinstance(turnout, (list, tuple)) and len(turnout) == 2):
        return ""
    return _("%(ballots)s of %(eligible)s eligible voters", ballots=turnout[0], eligible=turnout[1])


def vote_room(f: dict) -> str:
    """Who was in the room when the vote closed, against the meeting's quorum: “12 of 13 voting members; quorum
    (7) reached”; empty for a vote closed before Dais kept it."""
    room = f.get("room")
    if not isinstance(room, dict):
        return ""
    basis = room.get("basis")
    members = _("%(present)s of %(total)s voting members", present=room.get("present_members"), total=room.get("total_members"))
    weight = _("vote weight %(present)s of %(total)s", present=room.get("present_weight"), total=room.get("total_weight"))
    if basis == "weight":
        present, needed = weight, str(room.get("needed_weight"))
    elif basis == "both":
        present = members + ", " + weight
        needed = _("%(members)s members, weight %(weight)s", members=room.get("needed_members"), weight=room.get("needed_weight"))
    else:
        present, needed = members, str(room.get("needed_members"))
    if room.get("met"):
        return present + "; " + _("quorum (%(needed)s) reached", needed=needed)
    return present + "; " + _("quorum (%(needed)s) NOT reached", needed=needed)


def quorum_rule_words(rule: dict | None) -> str:
    """The meeting's quorum rule: “more than 1/2 of the voting members; excused members count in the base”."""
    if not isinstance(rule, dict):
        return ""
    num, den = (rule.get("fraction") or [1, 2])[:2]
    share = (_("more than %(num)s/%(den)s", num=num, den=den) if rule.get("strict")
             else _("at least %(num)s/%(den)s", num=num, den=den))
    base = {"members": _("of the voting members"), "weight": _("of the vote weight"),
            "both": _("of the voting members and of the vote weight")}.get(str(rule.get("basis")), "")
    text = share + " " + base if base else share
    excused = (_("excused members do not count in the base") if rule.get("exclude_excused")
               else _("excused members count in the base"))
    return text + "; " + excused


def seated(name: str, seat: str) -> str:
    """“Anna Kowalska (D03)”, or the name alone for someone without a seat."""
    return f"{name} ({seat})" if seat else name


def proxy_words(p: dict) -> str:
    """“Anna Kowalska (D03) held the proxy of Lê Minh Châu (D07)”."""
    return _("%(holder)s held the proxy of %(giver)s", holder=seated(p.get("holder", ""), p.get("holder_seat", "")),
             giver=seated(p.get("giver", ""), p.get("giver_seat", "")))


def _count(ballots: Any, weight: Any, weighted: bool) -> Any:
    return _("%(weight)s by weight (%(ballots)s ballots)", weight=weight, ballots=ballots) if weighted else ballots


def vote_words(v: dict, label: Callable[[str], str] = _) -> dict:
    """One vote row with its kind, rule, result, counts and named choices in words. Option labels (data, e.g.
    the default “For”) go through `label`: translated on screen, as stored for the legacy hash."""
    if not has_codes(v):
        return {"kind": v.get("kind", ""), "rule": v.get("rule", ""), "result": v.get("result", ""), "turnout": "", "room": "", "not_voted": "",
                "counts": [[_(str(c[0])), c[1]] for c in v.get("counts") or []], "names": v.get("names") or []}
    f = v["facts"]
    names = []
    for n in v.get("names") or []:
        choice = "; ".join(label(str(c)) for c in n.get("choices") or [])
        if n.get("proxy_by"):
            choice += " " + _("(by proxy: %(name)s)", name=n["proxy_by"])
        names.append({"name": n.get("name", ""), "seat": n.get("seat", ""), "choice": choice})
    not_voted = ", ".join(seated(n.get("name", ""), n.get("seat", "")) for n in f.get("not_voted") or [])
    return {"kind": vote_kind(f), "rule": vote_rule(f), "result": vote_result(f), "turnout": vote_turnout(f),
            "room": vote_room(f), "not_voted": not_voted,
            "counts": [[label(str(c[0])), _count(c[1], c[2], bool(f.get("weighted")))] for c in v.get("counts") or []],
            "names": names}


def legacy_document(doc: dict) -> dict:
    """The document as Dais stored it before the codes: every vote worded in English, labels as stored. Approvals
    made then hold the SHA-256 of this form (see service.approval_state)."""
    def english(v: dict) -> dict:
        if not has_codes(v):
            return v
        with force_locale("en"):
            words = vote_words(v, label=str)
        return {"item_id": v.get("item_id"), "question": v.get("question", ""), "kind": words["kind"],
                "rule": words["rule"], "counts": words["counts"], "result": words["result"],
                "closed_at": v.get("closed_at"), "names": words["names"]}

    items = [{**it, "votes": {**it["votes"], "rows": [english(v) for v in it["votes"]["rows"]]}} for it in doc["items"]]
    return {**doc, "items": items, "other_votes": [english(v) for v in doc["other_votes"]]}


def speech_kind(kind: str) -> str:
    """A kind of speech in the reader's language (“point of order”); an ordinary one says nothing."""
    if not kind or kind in ("speech", "normal"):
        return ""
    return {"point_of_order": _("point of order")}.get(kind, kind.replace("_", " "))
