"""Votes run from the console as a chair would, in Chromium against the real server: a named election of two
of three candidates, prepared in the console's form, cast on two tablets, closed, published, and seen on the
wall screen with who voted what."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.screens import big_enough, chair_starts_the_meeting, nothing_cut_off, shot

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
    for seat in ("D01", "D02"):
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
        expect(ballot.locator(".vote-confirm-text")).to_have_text(f"You chose: {', '.join(picks)}")
        ballot.get_by_test_id("vote-confirm").click()
        expect(ballot.get_by_test_id("vote-recorded")).to_be_visible()
        expect(ballot).to_contain_text(f"You chose: {', '.join(picks)}")
    expect(votes.get_by_test_id("vote-progress")).to_contain_text("2 of")
    expect(wall.get_by_test_id("vote-progress")).to_contain_text("2 of")

    votes.get_by_test_id("vote-close").click()
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
