"""Votes run from the console as a chair would, in Chromium against the real server: a named election of two
of three candidates, prepared in the console's form, cast on two tablets, closed, published, and seen on the
wall screen with who voted what."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.screens import big_enough, chair_opens_a_motion, chair_starts_the_meeting, nothing_cut_off, shot, sign_in

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
    form.locator("select[name=rule]").select_option("fraction")
    expect(fraction).to_be_visible()
    form.locator("select[name=rule]").select_option("simple")
    expect(fraction).to_be_hidden()
    form.locator("select[name=method]").select_option("election")
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
    expect(seats).to_be_hidden()                                   # the form is reset for the next vote
    draft.get_by_test_id("vote-open").click()
    expect(votes.get_by_test_id("vote-live")).to_be_visible()

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
        assert [v.rstrip(" ✓") for v in values] == ["2", "2", "0", "0"], values
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
    for card, choice in ((cards.nth(0), "For"), (cards.nth(1), "Against")):
        card.get_by_test_id("vote-option").filter(has_text=re.compile(f"^{choice}$")).click()
        card.get_by_test_id("vote-confirm").click()
        expect(card.get_by_test_id("vote-recorded")).to_be_visible()
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
