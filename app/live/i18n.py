"""Translated strings for the live room's scripts (passed to JS as JSON in the page)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import pgettext

from app.i18n import role_label


def js_strings() -> dict[str, str]:
    """Every user-facing string the tablet, console and wall scripts show."""
    return {
        "following": _("You are following the chair"),
        "browsing": _("You are browsing on your own"),
        "back": _("Back to the chair"),
        "reconnecting": _("Reconnecting…"),
        "offline": _("Connection lost. Reconnecting…"),
        "connected": _("Connected"),
        "nothing_presented": _("The chair is not showing a document."),
        "no_item": _("No agenda item is open yet."),
        "page_of": _("Page %(page)s of %(pages)s"),
        "prev": _("Previous page"),
        "next": _("Next page"),
        "next_item": _("Next item"),
        "go_to_page": _("Go to page"),
        "go_to_page_hint": _("Tap to type a page number"),
        "open_item": _("Open"),
        "present": pgettext("show a document to the room", "Present"),
        "stop_presenting": _("Stop presenting"),
        "current": _("Current"),
        "status_draft": _("Draft"),
        "status_scheduled": _("Scheduled"),
        "status_live": _("Live"),
        "status_closed": _("Closed"),
        "read_only": _("This meeting is closed. Everything is read-only."),
        "meeting_closed": _("The meeting is closed. Thank you."),
        "go_live": _("Start the meeting"),
        "schedule": _("Schedule the meeting"),
        "draft_note": _("A draft: members see it once it is scheduled."),
        "close_meeting": _("Close the meeting"),
        "confirm_close": _("Close the meeting now? It becomes read-only for everyone and cannot be reopened."),
        "close_vote_open": _("A vote is still open: “%(question)s”.", question="%(question)s"),
        "close_speaking": _("%(name)s has the floor.", name="%(name)s"),
        "close_waiting": _("Waiting to speak: %(count)s.", count="%(count)s"),
        "connected_count": _("%(count)s of %(total)s connected"),
        # a link is shown once, when made (only its hash is kept): earlier links go on working until revoked
        "displays": _("Wall screens showing the meeting now: %(count)s. A link is shown once, when made; "
                      "earlier links keep working until revoked."),
        "display_link": _("Wall-screen link"),
        "new_display_link": _("New wall-screen link"),
        "revoke_display_links": _("Revoke wall-screen links"),
        "confirm_revoke": _("Revoke every wall-screen link? Open wall screens go dark at once."),
        "revoked": _("This wall-screen link has been revoked. Ask the chair for the current link."),
        "error": _("Error"),
        "page_unavailable": _("This page is not ready yet."),
        "documents": _("Documents"),
        "item_documents": _("Documents of this item"),
        "agenda": _("Agenda"),
        "here": _("here"),
        "away": _("away"),
        "loading": _("Loading…"),
        # meeting roles, as the connected list names them
        "role_chair": role_label("chair"), "role_secretary": role_label("secretary"),
        "role_delegate": role_label("delegate"), "role_observer": role_label("observer"),
    }
