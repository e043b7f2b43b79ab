"""Votes run from the console as a chair would, in Chromium against the real server: a named election of two
of three candidates, prepared in the console's form, cast on two tablets, closed, published, and seen on the
wall screen with who voted what."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.screens import (big_enough, chair_opens_a_motion, chair_opens_an_election, chair_starts_the_meeting,
                               contrast, nothing_cut_off, on_first_screen, shot, sign_in)

pytestmark = pytest.mark.slow

PORTRAIT, WIDE = (768, 1024), (1280, 800)
CANDIDATES = ["Jonas Weber", "Fatima El-Amrani", "Phạm Quốc Bảo"]


def test_a_named_election_of_two_from_the_console(demo, actors):
    chair = actors(*WIDE)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    wall = actors(*WIDE)
    chair.click("#display-new")
    expect(chair.locator("#display-url")).to_have_text(re.compile(r"/display/"))
    wall.goto(chair.get_attribute("#display-url", "href"))
    tablets = {}
    for seat in ("D01", "D02", "D03"):
        tablets[seat] = actors(*PORTRAIT)
        tablets[seat].goto(demo.badge(seat))
        expect(tablets[seat]).to_have_url(re.compile(r"/meetings/demo/live$"))

    # The form shows what the chosen kind of vote needs: seats only for an election, a fraction only when asked.
    votes = chair.locator("#votes")
    votes.locator("summary", has_text="New vote").click()
    form = votes.get_by_test_id("vote-form")
    seats, fraction = form.locator("input[name=max_choices]"), form.locator("input[name=fraction]")
    expect(seats).to_be_hidden()
    expect(fraction).to_be_hidden()
    expect(form.locator("textarea[name=options]")).to_be_hidden()   # a motion's options are For, Against, Abstain
    # the quorum's box is empty and looks it (a grey example in it was read as a quorum set)
    expect(form.locator("input[name=quorum]")).to_have_value("")
    expect(form.locator("input[name=quorum]")).not_to_have_attribute("placeholder", re.compile("."))
    form.locator("select[name=rule]").select_option("fraction")
    expect(fraction).to_be_visible()
    form.locator("select[name=rule]").select_option("simple")
    expect(fraction).to_be_hidden()
    form.locator("select[name=method]").select_option("election")
    expect(form.locator("textarea[name=options]")).to_be_visible()
    expect(seats).to_be_visible()
    big_enough(form.locator("input[name=secret]").locator(".."))   # the checkbox's whole row is the target
    # every field of the form lies within the console's side column (the selects' long options widened them)
    spilled = form.evaluate("""(f) => { const right = f.closest('#votes').getBoundingClientRect().right;
        return [...f.querySelectorAll('input, select, textarea, label')]
            .filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > right + 1)
            .map((el) => el.name || el.textContent.trim().slice(0, 30)); }""")
    assert not spilled, f"out of the side column: {spilled}"
    form.locator("input[name=question]").fill("Elect two vice-chairs of the committee")
    form.locator("textarea[name=options]").fill("\n".join(CANDIDATES))
    seats.fill("2")
    votes.get_by_role("button", name="Prepare").click()
    draft = votes.locator(".vote-drafts li", has_text="Elect two vice-chairs")
    expect(draft).to_contain_text("Named vote")
    # the next step, its Open button, takes the focus (and so comes into view above the folded form)
    expect(draft.get_by_test_id("vote-open")).to_be_focused()
    expect(draft.get_by_test_id("vote-open")).to_be_in_viewport()
    # nobody has checked in: the chair reads that the room has no quorum before opening a vote that asks for none
    expect(votes.get_by_test_id("vote-no-quorum")).to_have_text(re.compile(
        r"^The room has no quorum: \d+ present, \d+ needed\. A vote that asks for no quorum of its own opens anyway\.$"))
    expect(seats).to_be_hidden()                                   # the form is reset for the next vote
    draft.get_by_test_id("vote-open").click()
    expect(votes.get_by_test_id("vote-live")).to_be_visible()

    # Not checked in, a delegate reads that the ballot counts but the quorum does not count them; checked in, the
    # note goes.
    d1 = tablets["D01"]
    expect(d1.get_by_test_id("vote-not-present")).to_have_text(
        "You are not checked in: your ballot counts, but the room's quorum does not count you. Check in above.")
    d1.get_by_role("button", name="I am here: check in").click()
    expect(d1.get_by_test_id("vote-not-present")).to_have_count(0)
    expect(tablets["D02"].get_by_test_id("vote-not-present")).to_be_visible()

    # Each delegate picks two candidates, confirms, and is told what was recorded.
    for seat, picks in (("D01", CANDIDATES[:2]), ("D02", CANDIDATES[:2])):
        ballot = tablets[seat].locator("#ballot")
        expect(ballot.locator(".vote-note").first).to_have_text("Choose up to 2")
        options = ballot.get_by_test_id("vote-option")
        expect(options).to_have_text([*CANDIDATES, "Abstain"])
        big_enough(options)
        for name in picks:
            options.filter(has_text=name).click()
        expect(options.filter(has_text=picks[0])).to_have_attribute("aria-pressed", "true")
        ballot.locator(".vote-next").click()
        expect(ballot.get_by_test_id("vote-pending")).to_have_text("Not cast yet: tap “Confirm my ballot” to cast it.")
        expect(ballot.locator(".vote-confirm-text")).to_have_text(f"Your choice: {', '.join(picks)}")
        ballot.get_by_test_id("vote-confirm").click()
        expect(ballot.get_by_test_id("vote-recorded")).to_be_visible()
        expect(ballot).to_contain_text(f"You chose: {', '.join(picks)}")
    # D03 picks a candidate and goes on to the confirmation, but never confirms: nothing is cast
    late = tablets["D03"].locator("#ballot")
    late.get_by_test_id("vote-option").filter(has_text=CANDIDATES[2]).click()
    late.locator(".vote-next").click()
    expect(late.get_by_test_id("vote-pending")).to_have_text("Not cast yet: tap “Confirm my ballot” to cast it.")
    shot(tablets["D03"], "ballot-not-confirmed")
    expect(votes.get_by_test_id("vote-progress")).to_contain_text("2 of")
    expect(wall.get_by_test_id("vote-progress")).to_contain_text("2 of")
    # the room votes from the wall too: the candidates and how many to choose, no count while it is open
    expect(wall.get_by_test_id("vote-candidates").locator("li")).to_have_text(CANDIDATES)
    expect(wall.locator("#vote")).to_contain_text("Choose up to 2")
    expect(wall.locator("#vote .vote-chart")).to_have_count(0)
    assert contrast(wall, "#vote .vote-note") >= 7, "'Choose up to 2' is hard to read from the back of the room"
    # while it is open the vote takes the wall's stage, in large type (it was 24 px beside a half-screen title)
    expect(wall.get_by_test_id("vote-open-head")).to_have_text("Voting is open")
    question = wall.locator("#vote .vote-question").bounding_box()
    assert question["width"] > 0.45 * 1280, f"the question is {question['width']:.0f} px wide on a 1280 px wall"
    size = wall.locator("#vote .vote-question").evaluate("(q) => parseFloat(getComputedStyle(q).fontSize)")
    assert size >= 40, f"the question is {size} px high"
    expect(wall.locator(".wall-stage")).to_be_hidden()
    nothing_cut_off(wall, "#vote")
    shot(wall, "wall-vote-open")

    votes.get_by_test_id("vote-close").click()
    expect(late.get_by_test_id("vote-not-cast")).to_have_text(
        "Your ballot was not cast: it was not confirmed before the vote closed.")
    expect(tablets["D01"].get_by_test_id("vote-not-cast")).to_have_count(0)
    votes.get_by_test_id("vote-publish").click()
    elected = f"Elected: {CANDIDATES[0]}, {CANDIDATES[1]}"
    for screen, where in ((wall, "#vote"), (tablets["D01"], "#ballot"), (chair, "#votes")):
        result = screen.locator(where).get_by_test_id("vote-result")
        expect(result.get_by_test_id("vote-verdict")).to_have_text(elected)
        expect(result).to_have_attribute("data-state", "published")
        values = result.locator(".vote-chart-value").all_text_contents()
        # each candidate chosen by both voters: 100% of the votes cast; Abstain is outside that base
        assert [v.rstrip(" ✓") for v in values] == ["2 100%", "2 100%", "0 0%", "0"], values
        # what was needed is marked on each candidate's bar (not on Abstain): the elected reach it, the others not
        rows = result.get_by_test_id("vote-chart-row")
        expect(result.get_by_test_id("vote-chart-need")).to_have_count(3)
        for i in range(3):
            bar = rows.nth(i).locator(".vote-bar").bounding_box()
            need = rows.nth(i).get_by_test_id("vote-chart-need").bounding_box()
            reached = bar["x"] + bar["width"] >= need["x"]
            assert reached == (i < 2), f"{where} row {i}: bar ends at {bar['x'] + bar['width']}, needed at {need['x']}"
    # Who voted what: listed on the tablets and the console, not on the wall, where nobody can open it
    expect(tablets["D02"].locator("#ballot .vote-named")).to_have_count(1)
    expect(wall.locator("#vote .vote-named")).to_have_count(0)
    named = chair.locator("#votes .vote-named")
    named.locator("summary").click()
    rows = named.locator("tr")
    expect(rows).to_have_count(2)
    for seat in ("D01", "D02"):   # each delegate's two candidates, in alphabetical order
        expect(rows.filter(has_text=seat).locator("td").nth(2)).to_have_text(", ".join(sorted(CANDIDATES[:2])))
        # in the console's narrow side panel a delegate's name keeps to one line (seat and name, the choice under it)
        name = rows.filter(has_text=seat).locator("td").nth(1)
        lines = name.evaluate("(td) => Math.round(td.getBoundingClientRect().height / parseFloat(getComputedStyle(td).lineHeight))")
        assert lines == 1, f"{seat}'s name takes {lines} lines in the console"
    # the roll call's other half: the eleven others who could vote and did not, the chair (C1) among them
    missing = named.get_by_test_id("vote-not-voted")
    expect(missing).to_contain_text("Did not vote:")
    expect(missing).to_contain_text("Nguyễn Thị Mai (C1)")
    assert missing.inner_text().count("(D") == 10   # D03 to D12
    nothing_cut_off(wall, "#panels")
    shot(wall, "wall-election")
    shot(chair, "chair-election")


def test_the_secretary_gives_an_absent_members_proxy_and_the_holder_casts_both_ballots(demo, actors):
    """On the attendance board the secretary gives Fatima El-Amrani's proxy (D05, absent) to Lê Minh Châu (D03);
    when the chair opens a vote, D03's tablet shows two ballots, each cast on its own; the console counts both.
    Withdrawn again, the board says so and D05 can be chosen again."""
    chair = actors(*WIDE)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    secretary = actors(1024, 768)
    sign_in(secretary, "secretary", demo.passwords["secretary"])
    secretary.goto("/meetings/demo/attendance")
    proxies = secretary.get_by_test_id("proxies")
    expect(proxies.get_by_test_id("proxy-list")).to_have_text("No proxies given.")
    proxies.get_by_test_id("proxy-giver").select_option(label="D05 · Fatima El-Amrani (Absent)")
    proxies.get_by_test_id("proxy-holder").select_option(label="D03 · Lê Minh Châu (Absent)")
    give = proxies.get_by_role("button", name="Give the proxy")
    big_enough(give)
    give.click()
    row = proxies.locator(".proxy-row")
    expect(row).to_have_count(1)
    expect(row.locator(".proxy-who")).to_have_text("D05 · Fatima El-Amrani carried by D03 · Lê Minh Châu")
    # neither can be chosen again as the giver (a proxy is not passed on), and D05 cannot carry another's
    giver_labels = proxies.get_by_test_id("proxy-giver").locator("option").all_text_contents()
    holder_labels = proxies.get_by_test_id("proxy-holder").locator("option").all_text_contents()
    assert not any(seat in label for label in giver_labels for seat in ("D05", "D03")), giver_labels
    assert not any("D05" in label for label in holder_labels) and any("D03" in label for label in holder_labels)
    assert not any("Grace Mensah" in label for label in giver_labels + holder_labels)   # an observer does not vote
    secretary.reload()   # the list is the server's, not the page's memory
    expect(proxies.locator(".proxy-row .proxy-who")).to_have_text("D05 · Fatima El-Amrani carried by D03 · Lê Minh Châu")
    board = secretary.locator("#board-rows")   # the board says it beside both
    row_of = lambda seat: board.locator("tr", has=secretary.locator("td.att-seat", has_text=seat))  # noqa: E731
    expect(row_of("D05").get_by_test_id("att-note")).to_have_text(
        "Proxy given to D03 · Lê Minh Châu")
    expect(row_of("D03").get_by_test_id("att-note")).to_have_text(
        "Also votes for D05 · Fatima El-Amrani")
    expect(board.get_by_test_id("att-note")).to_have_count(2)
    secretary.evaluate("window.scrollTo(0, 300)")   # the rows with the notes (the board redraws them live)
    shot(secretary, "secretary-proxy-notes")

    holder = actors(*PORTRAIT)
    holder.goto(demo.badge("D03"))
    expect(holder).to_have_url(re.compile(r"/meetings/demo/live$"))
    votes = chair_opens_a_motion(chair, "Adopt the parking rules?")
    cards = holder.locator("#ballot .vote-ballot-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("Your ballot")
    expect(cards.nth(1)).to_contain_text("Ballot for Fatima El-Amrani (proxy)")
    expect(cards.nth(0).get_by_test_id("vote-weight")).to_have_text(" · counts 2 times")   # D03 weighs 2
    expect(cards.nth(1).get_by_test_id("vote-weight")).to_have_count(0)                  # D05 weighs 1
    big_enough(cards.get_by_test_id("vote-option"))
    shot(holder, "holder-two-ballots")
    # each receipt says whose ballot it was: the holder's own, and the one cast for the member who gave the proxy
    receipts = ((cards.nth(0), "For", r"Your ballot was recorded at \d"),
                (cards.nth(1), "Against", r"The ballot for Fatima El-Amrani was recorded at \d"))
    for card, choice, receipt in receipts:
        card.get_by_test_id("vote-option").filter(has_text=re.compile(f"^{choice}$")).click()
        card.get_by_test_id("vote-confirm").click()
        expect(card.get_by_test_id("vote-recorded")).to_have_text(re.compile(receipt))
    expect(votes.get_by_test_id("vote-progress")).to_contain_text("2 of")
    votes.get_by_test_id("vote-close").click()
    values = votes.get_by_test_id("vote-result").locator(".vote-chart-value")
    expect(values.first).to_have_text(re.compile(r"^2 "))   # D03's own ballot weighs 2

    asked = []
    secretary.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    proxies.locator(".proxy-row").get_by_role("button", name="Withdraw").click()
    expect(proxies.get_by_test_id("proxy-list")).to_have_text("No proxies given.")
    expect(board.get_by_test_id("att-note")).to_have_count(0)
    assert asked == ["Withdraw the proxy of Fatima El-Amrani? Ballots already cast with it stay counted."]
    expect(proxies.get_by_test_id("proxy-giver").locator("option", has_text="D05")).to_have_count(1)
    shot(secretary, "secretary-proxies")


def _wall(chair, actors):
    """A wall screen opened from a new link made in the console."""
    chair.click("#display-new")
    expect(chair.locator("#display-url")).to_have_text(re.compile(r"/display/"))
    wall = actors(*WIDE)
    wall.goto(chair.get_attribute("#display-url", "href"))
    return wall


def _tablet(demo, actors, seat):
    tablet = actors(*PORTRAIT)
    tablet.goto(demo.badge(seat))
    expect(tablet).to_have_url(re.compile(r"/meetings/demo/live$"))
    return tablet


def test_a_partly_filled_election_names_the_elected_and_the_empty_seats(demo, actors):
    """Two seats, one candidate with the majority: every screen says who is elected and that 1 of 2 seats is
    filled, as the minutes do, never “Not adopted”. On the ballot a third pick is refused with a note instead of
    dropping the first behind the voter's back, and a pick is filled with the brand colour and a check mark."""
    chair = actors(*WIDE)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    wall = _wall(chair, actors)
    d1, d2 = _tablet(demo, actors, "D01"), _tablet(demo, actors, "D02")
    # by a simple majority, picked by the chair (an election's form offers the most votes first)
    votes = chair_opens_an_election(chair, "Elect two members of the audit committee", CANDIDATES, 2, rule="simple")

    ballot = d1.locator("#ballot")
    options = ballot.get_by_test_id("vote-option")
    expect(options).to_have_count(4)
    unpicked = options.nth(2).evaluate("(b) => getComputedStyle(b).backgroundColor")
    options.nth(0).click()
    options.nth(1).click()
    # a pick is unmistakable: filled (not the unpicked grey), white text, a check mark before the name
    look = options.nth(0).evaluate("""(b) => ({ bg: getComputedStyle(b).backgroundColor, fg: getComputedStyle(b).color,
        mark: getComputedStyle(b, '::before').content })""")
    brand = d1.evaluate("""() => { const probe = document.createElement('span'); probe.style.color = 'var(--brand)';
        document.body.append(probe); const c = getComputedStyle(probe).color; probe.remove(); return c; }""")
    assert look["bg"] == brand != unpicked and look["fg"] == "rgb(255, 255, 255)" and "✓" in look["mark"], (look, brand)
    expect(ballot.get_by_test_id("vote-full")).to_have_count(0)
    # both seats picked: the other candidates are dimmed (Abstain, a ballot of its own, is not), and a tap on one is
    # refused and said so
    expect(options.nth(2)).to_have_attribute("aria-disabled", "true")
    expect(options.nth(3)).not_to_have_attribute("aria-disabled", "true")
    options.nth(2).click(force=True)   # a finger taps what is dimmed all the same
    expect(ballot.get_by_test_id("vote-full")).to_have_text("You have chosen 2 of 2: tap one to remove it first.")
    expect(options.nth(0)).to_have_attribute("aria-pressed", "true")
    expect(options.nth(1)).to_have_attribute("aria-pressed", "true")
    expect(options.nth(2)).to_have_attribute("aria-pressed", "false")
    shot(d1, "ballot-third-pick-refused")
    options.nth(1).click()   # one taken back, the third may be picked
    expect(ballot.get_by_test_id("vote-full")).to_have_count(0)
    options.nth(2).click()
    expect(options.nth(2)).to_have_attribute("aria-pressed", "true")
    ballot.locator(".vote-next").click()
    expect(ballot.locator(".vote-confirm-text")).to_have_text(f"Your choice: {CANDIDATES[0]}, {CANDIDATES[2]}")
    ballot.get_by_test_id("vote-confirm").click()
    expect(ballot.get_by_test_id("vote-recorded")).to_be_visible()
    # D02 votes for two, then changes their mind: the ballot being changed shows its picks and still counts until
    # a new one is confirmed ("Keep my ballot" goes back to it); the election's next step is not a second
    # "Confirm my ballot"
    other = d2.locator("#ballot")
    picks = other.get_by_test_id("vote-option")
    picks.filter(has_text=CANDIDATES[0]).click()
    picks.filter(has_text=CANDIDATES[1]).click()
    expect(other.get_by_test_id("vote-next")).to_have_text("Next: check my choice")
    other.get_by_test_id("vote-next").click()
    other.get_by_test_id("vote-confirm").click()
    expect(other).to_contain_text(f"You chose: {CANDIDATES[0]}, {CANDIDATES[1]}")
    other.get_by_test_id("vote-change").click()
    expect(other.get_by_test_id("vote-still-counts")).to_have_text(
        f"Your ballot ({CANDIDATES[0]}, {CANDIDATES[1]}) still counts until you confirm a new one.")
    expect(picks.filter(has_text=CANDIDATES[0])).to_have_attribute("aria-pressed", "true")
    expect(picks.filter(has_text=CANDIDATES[1])).to_have_attribute("aria-pressed", "true")
    other.get_by_test_id("vote-keep").click()
    expect(other).to_contain_text(f"You chose: {CANDIDATES[0]}, {CANDIDATES[1]}")
    other.get_by_test_id("vote-change").click()
    picks.filter(has_text=CANDIDATES[1]).click()   # one taken back
    other.get_by_test_id("vote-next").click()
    other.get_by_test_id("vote-confirm").click()
    expect(other.get_by_test_id("vote-recorded")).to_be_visible()
    expect(other).to_contain_text(f"You chose: {CANDIDATES[0]}")
    expect(other).not_to_contain_text(CANDIDATES[1])

    votes.get_by_test_id("vote-close").click()
    votes.get_by_test_id("vote-publish").click()
    for screen, where in ((wall, "#vote"), (d1, "#ballot"), (chair, "#votes")):
        result = screen.locator(where).get_by_test_id("vote-result")
        expect(result).to_have_attribute("data-state", "published")
        expect(result.get_by_test_id("vote-verdict")).to_have_text(f"Elected: {CANDIDATES[0]}")
        expect(result.get_by_test_id("vote-seats")).to_have_text("1 of 2 seats filled")
        expect(result).not_to_contain_text("Not adopted")
        expect(result.locator(".vote-figures")).to_contain_text("needed to be elected: 2 of 2 votes")
    nothing_cut_off(wall, "#panels")
    shot(wall, "wall-election-one-of-two")
    shot(chair, "chair-election-one-of-two")
    # the minutes say the same
    minutes = chair.request.get("/meetings/demo/minutes.html").text()
    assert f"Elected: {CANDIDATES[0]}" in minutes and "1 of 2 seats filled" in minutes


def test_a_double_clicked_prepare_makes_one_draft_and_delete_asks_first(demo, actors):
    """The chair's Prepare is disabled while its request is out: a double click makes one draft, not two alike.
    A prepared vote's Delete asks before it throws the vote away."""
    chair = actors(*WIDE)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    votes = chair.locator("#votes")
    votes.locator("summary", has_text="New vote").click()
    form = votes.get_by_test_id("vote-form")
    form.locator("input[name=question]").fill("Adopt the parking rules?")
    form.get_by_role("button", name="Prepare").dblclick()
    drafts = votes.locator(".vote-drafts li")
    expect(drafts).to_have_count(1)
    chair.wait_for_timeout(1000)   # a second request would have come back by now
    expect(drafts).to_have_count(1)
    assert chair.evaluate("window.daisLive.state.vote.drafts.length") == 1

    # Delete asks; “Cancel” keeps the draft, “OK” deletes it
    asked = []
    chair.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    drafts.get_by_role("button", name="Delete").click()
    expect(drafts).to_have_count(1)
    assert asked == ["Delete the prepared vote “Adopt the parking rules?”?"]
    votes.locator("summary", has_text="New vote").click()
    form.locator("input[name=question]").fill("Adopt the cycling plan?")
    votes.get_by_role("button", name="Prepare").click()
    expect(drafts).to_have_count(2)
    chair.once("dialog", lambda dialog: dialog.accept())
    drafts.filter(has_text="parking").get_by_role("button", name="Delete").click()
    expect(drafts).to_have_count(1)
    expect(drafts).to_contain_text("Adopt the cycling plan?")


def test_the_new_vote_form_stays_open_with_its_text_while_ballots_come_in(demo, actors):
    """Every ballot redraws the console's vote panel: the New vote form the chair is filling in meanwhile stays
    open, with its text and the focus (it used to fold shut at each ballot)."""
    chair = actors(*WIDE)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    d1, d2 = _tablet(demo, actors, "D01"), _tablet(demo, actors, "D02")
    votes = chair_opens_a_motion(chair, "Adopt the cycling plan?")
    form = votes.get_by_test_id("vote-form")
    expect(votes.get_by_test_id("vote-live")).to_be_visible()
    # the chair prepares the next vote while this one runs; the ballots come in meanwhile
    new_vote = votes.locator("details.vote-new")
    if new_vote.get_attribute("open") is None:
        votes.locator("summary", has_text="New vote").click()
    question = form.locator("input[name=question]")
    question.click()
    chair.keyboard.type("Adopt the ")
    for tablet in (d1, d2):
        ballot = tablet.locator("#ballot")
        ballot.get_by_test_id("vote-option").filter(has_text=re.compile("^For$")).click()
        ballot.get_by_test_id("vote-confirm").click()
        expect(ballot.get_by_test_id("vote-recorded")).to_be_visible()
    expect(votes.get_by_test_id("vote-progress")).to_contain_text("2 of")
    chair.keyboard.type("tree plan?")   # the focus never left the field
    expect(new_vote).to_have_attribute("open", "")
    expect(question).to_have_value("Adopt the tree plan?")
    expect(question).to_be_focused()
    shot(chair, "chair-form-kept-during-vote")
    # prepared while the other is open: its Open is disabled, and the panel says why
    votes.get_by_role("button", name="Prepare").click()
    draft = votes.locator(".vote-drafts li", has_text="Adopt the tree plan?")
    expect(draft.get_by_test_id("vote-open")).to_be_disabled()
    expect(votes.get_by_test_id("vote-open-blocked")).to_have_text("A vote is open: close it before opening another.")
    # closed, the vote waits for Publish or Annul at the top of the column, on the first screen (it fell below the
    # quorum and the speakers, out of sight)
    votes.get_by_test_id("vote-close").click()
    expect(votes.get_by_test_id("vote-publish")).to_be_visible()
    on_first_screen(chair, votes.get_by_test_id("vote-publish"))
    on_first_screen(chair, votes.get_by_test_id("vote-annul"))
    expect(draft.get_by_test_id("vote-open")).to_be_enabled()
    expect(votes.get_by_test_id("vote-open-blocked")).to_have_count(0)


def test_an_empty_vote_and_its_annulment_read_plainly(demo, actors):
    """A vote nobody cast a ballot in says “No valid votes”, not “needed to pass: 0 of 0 votes”; annulled, every
    screen shows why (“Annulled: <reason>”), not only the minutes."""
    chair = actors(*WIDE)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    wall = _wall(chair, actors)
    d1 = _tablet(demo, actors, "D01")
    votes = chair_opens_a_motion(chair, "Adopt the parking rules?")
    expect(d1.locator("#ballot").get_by_test_id("vote-option")).to_have_count(3)
    votes.get_by_test_id("vote-close").click()
    for screen, where in ((wall, "#vote"), (d1, "#ballot"), (chair, "#votes")):
        result = screen.locator(where).get_by_test_id("vote-result")
        expect(result.get_by_test_id("vote-verdict")).to_have_text("No valid votes")
        expect(result.locator(".vote-figures")).to_contain_text("0 of ")
        expect(result.locator(".vote-figures")).not_to_contain_text("needed")
    reason = "Two tablets were offline"
    # the reason is asked in the panel (a browser prompt before), Cancel keeps the vote, the reason is required
    votes.get_by_role("button", name="Annul").click()
    field = votes.get_by_test_id("vote-annul-reason")
    expect(field).to_be_focused()
    votes.get_by_role("button", name="Cancel").click()
    expect(votes.get_by_test_id("vote-publish")).to_be_visible()
    votes.get_by_role("button", name="Annul").click()
    votes.get_by_role("button", name="Annul the vote").click()   # nothing written: refused by the form itself
    expect(field).to_be_visible()
    assert chair.evaluate("window.daisLive.state.vote.last.state") == "closed"
    field.fill(reason)
    votes.get_by_role("button", name="Annul the vote").click()
    for screen, where in ((wall, "#vote"), (d1, "#ballot"), (chair, "#votes")):
        result = screen.locator(where).get_by_test_id("vote-result")
        expect(result).to_have_attribute("data-state", "annulled")
        expect(result.get_by_test_id("vote-verdict")).to_have_text(f"Annulled: {reason}")
    d1.reload()   # from the snapshot too
    expect(d1.locator("#ballot").get_by_test_id("vote-verdict")).to_have_text(f"Annulled: {reason}")
    shot(wall, "wall-annulled")
    shot(d1, "tablet-annulled")


def test_a_ballot_waits_for_the_connection_and_says_when_it_is_back(demo, actors):
    """A delegate who tapped Confirm while the room's Wi-Fi dropped kept a red "Connection lost" under the ballot
    after the tablet was back, and believed they could not vote; a request to speak sent offline was lost without
    a word. Offline, Confirm waits and says why; back online, it can be tapped, and a lost tap says so."""
    chair = actors(*WIDE)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    d1 = _tablet(demo, actors, "D01")
    chair.locator(".live-item", has_text="Public transport fares").first.get_by_role("button", name="Open").click()
    chair_opens_a_motion(chair, "Adopt the new fares?")
    ballot = d1.locator("#ballot")
    # a named ballot says, in its own colour, that the choice is published with the name
    expect(ballot.get_by_test_id("ballot-kind")).to_have_text("Named vote · your choice is published with your name")
    ballot.get_by_test_id("vote-option").filter(has_text=re.compile("^For$")).click()
    confirm = ballot.get_by_test_id("vote-confirm")
    expect(confirm).to_be_enabled()

    d1.context.set_offline(True)
    expect(d1.get_by_test_id("connection")).to_be_visible()
    expect(confirm).to_be_disabled()
    expect(ballot.get_by_test_id("vote-offline")).to_contain_text("No connection")
    request = d1.locator("#speakers").get_by_role("button", name="Request to speak")
    request.click()
    expect(d1.locator("#speakers .spk-msg")).to_contain_text("Connection lost")

    d1.context.set_offline(False)
    expect(d1.get_by_test_id("connection")).to_be_hidden(timeout=20000)
    expect(ballot.get_by_test_id("vote-offline")).to_have_count(0)
    expect(d1.locator("#speakers .spk-msg")).to_have_text(
        "The connection is back, but your last tap did not reach the chair: tap again.")
    confirm.click()
    expect(ballot.locator(".vote-recorded")).to_be_visible()
    expect(ballot.locator(".vote-error")).to_have_count(0)


def test_a_vote_opened_while_a_delegate_reads_a_document_calls_them_to_the_ballot(demo, actors):
    """A delegate checking a figure in the reader (or on the agenda) saw nothing of a vote until it had closed. A
    band under the top bar says a vote is open, with the way to the ballot; it goes when the vote closes."""
    chair = actors(*WIDE)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    reader, agenda = _tablet(demo, actors, "D01"), _tablet(demo, actors, "D02")
    agenda.goto("/meetings/demo")
    reader.goto("/meetings/demo")
    reader.get_by_role("link", name=re.compile("Draft budget 2027")).first.click()
    expect(reader).to_have_url(re.compile(r"/documents/\d+"))
    expect(reader.locator(".pv")).to_be_visible()
    call = reader.get_by_test_id("meeting-call")
    expect(call).to_be_hidden()

    chair.locator(".live-item", has_text="Draft budget 2027 of the").get_by_role("button", name="Open").click()
    # the agenda page marks the item the meeting is on
    expect(agenda.locator(".agenda-item.agenda-now")).to_contain_text("Draft budget 2027 of the Department")
    expect(agenda.get_by_test_id("agenda-now")).to_have_count(1)
    votes = chair_opens_a_motion(chair, "Adopt the draft budget 2027?")
    expect(call).to_contain_text("A vote is open: Adopt the draft budget 2027?")
    on_first_screen(reader, call)
    expect(agenda.get_by_test_id("meeting-call")).to_contain_text("A vote is open")
    shot(reader, "reader-vote-call")
    agenda.get_by_test_id("meeting-call-link").click()
    expect(agenda).to_have_url(re.compile(r"/meetings/demo/live$"))
    expect(agenda.get_by_test_id("ballot")).to_be_visible()

    votes.get_by_test_id("vote-close").click()
    expect(call).to_be_hidden()


def test_an_election_by_the_most_votes_elects_the_strongest_where_a_majority_would_leave_the_seats_empty(demo, actors):
    """Councils fill boards by the most votes: with three delegates' votes split over three candidates, a majority
    of the votes cast elected nobody. 'Most votes' is offered for elections and choices (not for a motion)."""
    chair = actors(*WIDE)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    votes = chair.locator("#votes")
    votes.locator("summary", has_text="New vote").click()
    form = votes.get_by_test_id("vote-form")
    most = form.locator("select[name=rule] option[value=plurality]")
    expect(most).to_be_disabled()                      # a motion: not offered
    form.locator("select[name=method]").select_option("election")
    expect(most).to_be_enabled()
    votes.locator("summary", has_text="New vote").click()   # folded again: the helper unfolds it
    tablets = {seat: _tablet(demo, actors, seat) for seat in ("D01", "D02", "D03")}
    votes = chair_opens_an_election(chair, "Elect a rapporteur", CANDIDATES, 1, rule="plurality")
    # D03 counts twice: 2 of the 4 votes cast, no majority, but the most votes
    for seat, pick in (("D01", CANDIDATES[0]), ("D02", CANDIDATES[1]), ("D03", CANDIDATES[2])):
        ballot = tablets[seat].locator("#ballot")
        ballot.get_by_test_id("vote-option").filter(has_text=pick).click()
        ballot.get_by_test_id("vote-confirm").click()
        expect(ballot.locator(".vote-recorded")).to_be_visible()
    votes.get_by_test_id("vote-close").click()
    expect(votes.get_by_test_id("vote-verdict")).to_have_text(f"Elected: {CANDIDATES[2]}")
    expect(tablets["D01"].get_by_test_id("vote-verdict")).to_have_text(f"Elected: {CANDIDATES[2]}")


def _cast(demo, seat: str, vote_id: int, option_id: int) -> None:
    """A delegate's ballot through the API the tablet uses (signed in with their badge)."""
    import requests

    s = requests.Session()
    page = s.get(demo.badge(seat), timeout=10).text
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    r = s.post(f"{demo.base}/api/votes/{vote_id}/ballot", json={"option_ids": [option_id]},
               headers={"X-CSRFToken": csrf, "Accept": "application/json"}, timeout=10)
    assert r.ok, (seat, r.text)


def test_bars_are_drawn_to_their_share_and_a_published_vote_can_still_be_annulled(demo, actors):
    """For at 62.5% filled the whole track (bars were drawn against the leader) beside Against at 37.5%; a published
    result found wrong could not be annulled from the console; an annulled election still marked its winners."""
    chair = actors(*WIDE)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    wall = _wall(chair, actors)
    votes = chair_opens_a_motion(chair, "Adopt the parking rules?")
    expect(votes.get_by_test_id("vote-progress")).to_be_visible()
    chair.get_by_role("button", name="Check me in").click()   # the one voting member in the room
    expect(chair.get_by_role("button", name="Check me in")).to_have_count(0)
    vote = chair.evaluate("window.daisLive.state.vote.open")
    ids = {o["kind"]: o["id"] for o in vote["options"]}
    # D03 weighs 2: For 1 + 2 + 1 + 1 = 5, Against 1 + 1 + 1 = 3, of a base of 8 (the abstention does not count)
    for seat, kind in (("D01", "yes"), ("D03", "yes"), ("D04", "yes"), ("D05", "yes"), ("D06", "no"), ("D07", "no"),
                       ("D10", "no"), ("D09", "abstain")):
        _cast(demo, seat, vote["id"], ids[kind])
    expect(votes.get_by_test_id("vote-progress")).to_contain_text("8 of")
    # the count says how many of the eligible are in the room (an excused member kept “12 of 13” from ever filling)
    for screen, where in ((chair, "#votes"), (wall, "#vote")):
        expect(screen.locator(where).get_by_test_id("vote-progress")).to_contain_text("8 of 13 ballots cast (1 of them present)")
    votes.get_by_test_id("vote-close").click()
    votes.get_by_test_id("vote-publish").click()
    result = wall.locator("#vote").get_by_test_id("vote-result")
    expect(result).to_have_attribute("data-state", "published")
    expect(result.locator(".vote-chart-value")).to_have_text([re.compile(r"^5 votes 62\.5% "),
                                                              re.compile(r"^3 votes 37\.5% "), re.compile(r"^1 vote \(")])
    widths = result.locator(".vote-chart-row").evaluate_all("""(rows) => rows.map((row) =>
        row.querySelector('.vote-bar').getBoundingClientRect().width / row.querySelector('.vote-chart-track').getBoundingClientRect().width)""")
    assert abs(widths[0] - 0.625) < 0.02 and abs(widths[1] - 0.375) < 0.02, widths

    # published, and then found wrong: the chair annuls it still, with the reason
    expect(votes.get_by_test_id("vote-publish")).to_have_count(0)
    votes.get_by_test_id("vote-annul").click()
    votes.get_by_test_id("vote-annul-reason").fill("The rule should have been two thirds")
    votes.get_by_test_id("vote-annul-confirm").click()
    for screen, where in ((wall, "#vote"), (chair, "#votes")):
        annulled = screen.locator(where).get_by_test_id("vote-result")
        expect(annulled).to_have_attribute("data-state", "annulled")
        expect(annulled.get_by_test_id("vote-verdict")).to_have_text("Annulled: The rule should have been two thirds")
        # it decided nothing: no answer is marked as carried, no pass mark drawn
        expect(annulled.locator(".vote-chart-mark, .vote-bar-won")).to_have_count(0)
        expect(annulled.get_by_test_id("vote-chart-need")).to_have_count(0)
    expect(votes.get_by_test_id("vote-annul")).to_have_count(0)
    shot(wall, "wall-annulled-after-publish")


def test_an_election_is_decided_by_the_most_votes_unless_the_chair_picks_a_majority(demo, actors):
    """Two seats of four by a simple majority of the votes cast left both empty when the votes spread (“Nobody
    elected”) for a chair who had not looked at the rule: the form now offers the most votes for an election or a
    choice, a motion's majority stays simple, and a rule the chair picks stays as picked."""
    chair = actors(*WIDE)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    votes = chair.locator("#votes")
    votes.locator("summary", has_text="New vote").click()
    form = votes.get_by_test_id("vote-form")
    rule, method = form.locator("select[name=rule]"), form.locator("select[name=method]")
    expect(rule).to_have_value("simple")
    method.select_option("election")
    expect(rule).to_have_value("plurality")
    # the narrow column cuts the select's text short: the choice is written out in full under it
    expect(form.get_by_test_id("rule-chosen")).to_have_text("Most votes (relative majority)")
    method.select_option("motion")
    expect(rule).to_have_value("simple")
    rule.select_option("two_thirds")
    method.select_option("choice")
    expect(rule).to_have_value("two_thirds")   # the chair's own pick is kept
