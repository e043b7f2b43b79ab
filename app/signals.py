"""Domain signals: a domain announces a change; the live layer (and others) subscribe without the sender knowing."""
from blinker import Namespace

_signals = Namespace()

# sender: the Meeting; sent after commit when its status changed.
meeting_status_changed = _signals.signal("meeting-status-changed")
# sender: the Document; sent after commit when a document was added to an agenda item.
document_added = _signals.signal("document-added")
# sender: the Meeting; sent after commit when its agenda changed (an item added, renamed, moved or deleted, a
# document added).
agenda_changed = _signals.signal("agenda-changed")
# sender: the Meeting; sent after commit when its roster changed (a member added, changed or taken off, an import):
# weights and roles change the quorum and the attendance board.
roster_changed = _signals.signal("roster-changed")
# sender: the Meeting, with item_id and actor_id; sent after commit when the chair opened an agenda item
# (chair.open_item, chair.next_item; not when presenting a document makes its item the current one). A domain
# ends there what belonged to the item left: the speakers' running speech (app/speakers/live.py).
item_opened = _signals.signal("item-opened")
# sender: None, with ids (of SignIn rows) and reason ("signed_out", "badge_reissued", "password_reset"); sent after
# commit when sign-ins ended: the live layer tells the sockets opened with them why, then closes them, in every
# process.
signins_ended = _signals.signal("signins-ended")
