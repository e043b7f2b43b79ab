"""The agenda moves on, in Chromium against the real server: after a speech and a published vote on item 4 the chair
opens item 5, and the tablets and the wall put item 4's result and speaker away, live and after a reload; the
result comes back with its item, the speech stays ended."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.screens import (PAGE_IMAGE_READY, chair_opens_a_motion, chair_starts_the_meeting,
                               no_horizontal_scroll, shot, wait_until)

pytestmark = pytest.mark.slow

PORTRAIT, WIDE = (768, 1024), (1280, 800)
ITEM4 = "Cycling Network Plan 2027–2030, phase 1 (inner ring"
DOC4 = "Cycling Network Plan 2027–2030, phase 1"
DOC5 = "Public transport fares from 1 March 2027"
SPEAKER = "D01 · Trần Văn Hùng"


def test_opening_the_next_item_puts_the_last_items_result_and_speaker_away(demo, actors):
    chair = actors(*WIDE)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    chair.click("#display-new")
    expect(chair.locator("#display-url")).to_have_text(re.compile(r"/display/"))
    wall = actors(*WIDE)
    wall.goto(chair.get_attribute("#display-url", "href"))
    tablet = actors(*PORTRAIT)
    tablet.goto(demo.badge("D01"))
    expect(tablet).to_have_url(re.compile(r"/meetings/demo/live$"))
    screens = ((tablet, "#ballot"), (wall, "#vote"))

    # --- item 4: the chair presents its plan, gives D01 the floor and runs a vote to a published result
    chair.locator(".live-item", has_text=ITEM4).get_by_role("button", name="Open").click()
    chair.locator(".live-doc-open", has_text=DOC4).click()
    for screen in (tablet, wall):
        expect(screen.get_by_test_id("current-item")).to_have_text(re.compile(r"^4\. Cycling Network Plan"))
    tablet.locator("#speakers").get_by_role("button", name="Request to speak").click()
    chair.locator("#speakers .spk-queue li", has_text="Trần Văn Hùng").get_by_role("button", name="Give the floor").click()
    for screen in (tablet, wall):
        expect(screen.locator("#speakers .spk-now-name")).to_have_text(SPEAKER)

    votes = chair_opens_a_motion(chair, "Adopt phase 1 of the cycling network plan?")
    ballot = tablet.get_by_test_id("ballot")
    ballot.get_by_test_id("vote-option").filter(has_text=re.compile(r"^For$")).click()
    ballot.get_by_test_id("vote-confirm").click()
    expect(ballot.get_by_test_id("vote-recorded")).to_be_visible()
    votes.get_by_test_id("vote-close").click()
    votes.get_by_test_id("vote-publish").click()
    for screen, where in screens:
        result = screen.locator(where).get_by_test_id("vote-result")
        expect(result).to_have_attribute("data-state", "published")
        expect(result.get_by_test_id("vote-verdict")).to_have_text("Adopted")

    # --- the chair opens the next item: item 4's result and speaker leave the tablet and the wall at once
    chair.click("#next-item")
    for screen, where in screens:
        expect(screen.get_by_test_id("current-item")).to_have_text(re.compile(r"^5\. Public transport"))
        expect(screen.locator(where)).to_be_hidden()
        expect(screen.get_by_test_id("vote-result")).to_have_count(0)
        expect(screen.locator("#speakers .spk-now-name")).to_have_count(0)
        expect(screen.locator("#speakers .spk-timer")).to_have_count(0)
    expect(tablet.locator("#speakers")).not_to_contain_text("You have the floor.")
    # the console keeps the result (it is in the record), and has nobody speaking either
    expect(votes.get_by_test_id("vote-result")).to_have_attribute("data-state", "published")
    expect(chair.locator("#speakers .spk-now-name")).to_have_count(0)

    # item 5's document has the tablet's whole width again (no result box beside it)
    chair.locator(".live-doc-open", has_text=DOC5).click()
    expect(tablet.get_by_test_id("page-label")).to_have_text(re.compile(r"^Page 1 of"))
    wait_until(tablet, PAGE_IMAGE_READY)
    viewer = tablet.get_by_test_id("viewer").bounding_box()
    assert viewer["width"] >= 0.85 * PORTRAIT[0], f"the page is squeezed to {viewer['width']:.0f} px"
    no_horizontal_scroll(tablet)
    shot(tablet, "item-change-tablet")
    shot(wall, "item-change-wall")

    # --- a reload (or a reconnect) leads to the same screens: the snapshot agrees
    for screen, where in screens:
        screen.reload()
        expect(screen.get_by_test_id("current-item")).to_have_text(re.compile(r"^5\. Public transport"))
        expect(screen.locator("#speakers")).to_be_visible()
        wait_until(screen, "() => !!(window.daisLive && window.daisLive.state && window.daisLive.state.speakers)")
        expect(screen.locator(where)).to_be_hidden()
        expect(screen.get_by_test_id("vote-result")).to_have_count(0)
        expect(screen.locator("#speakers .spk-now-name")).to_have_count(0)
    speakers = tablet.request.get("/api/meetings/demo/speakers").json()["speakers"]
    assert speakers["speaking"] is None

    # --- back on item 4, its result shows again (the speech stays ended)
    chair.locator(".live-item", has_text=ITEM4).get_by_role("button", name="Open").click()
    for screen, where in screens:
        expect(screen.get_by_test_id("current-item")).to_have_text(re.compile(r"^4\. Cycling Network Plan"))
        expect(screen.locator(where).get_by_test_id("vote-verdict")).to_have_text("Adopted")
        expect(screen.locator("#speakers .spk-now-name")).to_have_count(0)
