"""The translated strings of the voting screens, handed to the JS modules as JSON."""
from __future__ import annotations

from flask_babel import gettext as _


def vote_strings() -> dict[str, str]:
    """Every user-facing string of vote-ballot.js, vote-admin.js and vote-results.js, translated."""
    return {
        "no_vote": _("No vote is open."), "voting_now": _("Voting is open"), "secret": _("Secret ballot"), "named": _("Named vote"),
        "secret_note": _("nobody, not even the chair, can see what you choose"),
        "named_note": _("your choice is published with your name"),
        "passed": _("Adopted"), "failed": _("Not adopted"), "elected": _("Elected"), "chosen": _("Chosen"),
        "annulled": _("Annulled"), "annulled_reason": _("Annulled: %(reason)s"),
        "seats_filled": _("%(filled)s of %(seats)s seats filled"), "none_elected": _("Nobody elected"),
        "none_chosen": _("No option chosen"),
        "published": _("Published"), "closed": _("Provisional result: the chair has not announced it yet"),
        "ballots_of": _("%(ballots)s of %(eligible)s ballots cast"), "weight_of": _("weight %(cast)s of %(eligible)s"),
        "present_now": _("%(present)s of them present"),
        "required": _("needed to pass: %(required)s of %(base)s votes"),
        "required_elect": _("needed to be elected: %(required)s of %(base)s votes"), "tie": _("Tie: a run-off is needed"),
        "no_quorum": _("No quorum"), "no_votes": _("No valid votes"), "time_left": _("%(s)s s left"),
        "choices": _("Choose up to %(k)s"),
        "choices_full": _("You have chosen %(n)s of %(k)s: tap one to remove it first."), "your_ballot": _("Your ballot"),
        "proxy_ballot": _("Ballot for %(name)s (proxy)"), "ballot_weight": _("counts %(weight)s times"), "confirm": _("Confirm my ballot"), "back": _("Back"),
        "review": _("Next: check my choice"), "keep": _("Keep my ballot"),
        "still_counts": _("Your ballot (%(choice)s) still counts until you confirm a new one."),
        "you_chose": _("You chose: %(choice)s"), "your_choice": _("Your choice: %(choice)s"),
        "not_cast_yet": _("Not cast yet: tap “Confirm my ballot” to cast it."),
        "not_cast": _("Your ballot was not cast: it was not confirmed before the vote closed."),
        "not_cast_proxy": _("The ballot for %(name)s was not cast: it was not confirmed before the vote closed."),
        "final_note": _("A secret ballot is final once cast: it cannot be changed."),
        "change_note": _("You can change your ballot until the vote closes."),
        "recorded": _("Your ballot was recorded at %(time)s."),
        "recorded_proxy": _("The ballot for %(name)s was recorded at %(time)s."), "change": _("Change my ballot"),
        "sending": _("Sending…"),
        "offline_wait": _("No connection: your ballot can be confirmed once the tablet is back online."),
        "back_online": _("The connection is back: your ballot was not sent. Tap Confirm my ballot again."), "who_voted": _("Who voted what"), "not_voted": _("Did not vote:"), "by_proxy": _("by proxy: %(name)s"),
        "new_vote": _("New vote"), "question": _("Question"), "method": _("Kind of vote"),
        "motion": _("Motion (For / Against / Abstain)"), "choice": _("One of several options"),
        "election": _("Election (k of n)"), "options_label": _("Options or candidates, one per line"),
        "seats": _("Seats to fill"), "secret_label": _("Secret ballot"), "rule": _("Majority"),
        "simple": _("Simple majority of votes cast"), "absolute": _("Absolute majority of members"),
        "two_thirds": _("Two thirds of votes cast"), "fraction": _("Custom fraction"),
        "plurality": _("Most votes (relative majority)"),
        "fraction_label": _("Fraction (e.g. 3/4)"), "abstentions": _("Abstentions count as votes cast"),
        "quorum_label": _("Quorum: share of members present to open and close (e.g. 1/2; empty: none)"),
        "no_quorum": _("The room has no quorum: %(present)s present, %(needed)s needed. A vote that asks for no "
                       "quorum of its own opens anyway.", present="%(present)s", needed="%(needed)s"),
        "allow_change": _("Delegates may change their ballot (named votes)"),
        "duration": _("Timer in seconds (empty: none)"), "create": _("Prepare"), "open": _("Open the vote"),
        "close": _("Close the vote"), "publish": _("Publish the result"), "annul": _("Annul"), "delete": _("Delete"),
        "delete_confirm": _("Delete the prepared vote “%(question)s”?"),
        "annul_reason": _("Why is this vote annulled?"), "drafts": _("Prepared votes"),
        "annul_confirm": _("Annul the vote"), "cancel": _("Cancel"),
        "open_blocked": _("A vote is open: close it before opening another."),
        "export_csv": _("Results (CSV)"), "export_json": _("Results (JSON)"),
        "bar_votes": _("%(n)s votes"), "bar_votes_one": _("%(n)s vote"),
        "bar_ballots": _("(%(n)s ballots)"), "bar_ballots_one": _("(%(n)s ballot)"), "more_rows": _("+ %(n)s more"),
        # the default answers, stored as the catalogue's words and shown in the reader's (vote-common.optionLabel)
        "opt_yes": _("For"), "opt_no": _("Against"), "opt_abstain": _("Abstain"),
        # said by a screen reader on the tablet when the chair opens a vote (vote-ballot.js)
        "vote_opened": _("A vote is open: %(question)s"),
        "not_present": _("You are not checked in: your ballot counts, but the room's quorum does not count you. "
                         "Check in above."),
        "not_present_door": _("You are not checked in: your ballot counts, but the room's quorum does not count you. "
                              "Ask the secretary to check you in."),
    }
