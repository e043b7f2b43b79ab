"""The chair's console in Chromium against the real server: what a congress's roster does to it."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.screens import chair_opens_a_motion, chair_starts_the_meeting, sign_in

pytestmark = pytest.mark.slow


def test_the_chair_finds_a_member_among_the_connected_and_the_column_ends_where_its_content_ends(demo, actors):
    """The connected list scrolls inside itself; its hidden here/away words once escaped it and made the side
    column scroll on into emptiness (20,000 px of it with 500 members). The chair finds someone by name or seat."""
    chair = actors(1280, 800)
    sign_in(chair, "chair", demo.passwords["chair"])
    chair.goto("/meetings/demo/console")
    expect(chair.locator("#presence li")).to_have_count(15)
    # every hidden word is laid out inside its own row, so the list's scroll box holds it
    escaped = chair.evaluate("""() => [...document.querySelectorAll('#presence .visually-hidden')]
        .filter((word) => word.offsetParent !== word.closest('li')).length""")
    assert escaped == 0, f"{escaped} hidden words are laid out outside the connected list"

    chair.get_by_test_id("presence-find").fill("le minh")
    expect(chair.locator("#presence li")).to_have_count(1)
    expect(chair.locator("#presence li")).to_contain_text("Lê Minh Châu")
    chair.get_by_test_id("presence-find").fill("D1")
    expect(chair.locator("#presence li")).to_have_count(4)   # D01 (the seat as said), D10, D11, D12
    chair.get_by_test_id("presence-find").fill("")
    expect(chair.locator("#presence li")).to_have_count(15)


def test_a_draft_meeting_is_scheduled_and_started_from_the_console(demo, actors):
    """The console of a draft offered no way on: the chair had to find the preparation page first."""
    chair = actors(1280, 800)
    sign_in(chair, "chair", demo.passwords["chair"])
    chair.goto("/meetings/demo/prepare")
    chair.get_by_role("button", name="Make it draft").click()
    expect(chair.get_by_test_id("meeting-status")).to_have_text("Draft")
    chair.goto("/meetings/demo/console")
    expect(chair.locator("#status-actions")).to_contain_text("A draft: members see it once it is scheduled.")
    chair.get_by_role("button", name="Schedule the meeting").click()
    expect(chair.get_by_test_id("meeting-status")).to_have_text("Scheduled")
    chair.get_by_role("button", name="Start the meeting").click()
    expect(chair.get_by_test_id("meeting-status")).to_have_text("Live")


def test_quick_taps_on_next_go_as_many_pages_on_and_stop_at_the_last(demo, actors):
    """Two taps on Next before the room had answered the first both asked for the page after the one on screen:
    the chair tapped twice and the room moved one page."""
    chair = actors(1280, 800)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    chair.locator(".live-doc-open", has_text="Cycling Network Plan").click()
    expect(chair.get_by_test_id("page-label")).to_have_text("Page 1 of 5")
    chair.evaluate("() => { const next = document.getElementById('next'); next.click(); next.click(); }")
    expect(chair.get_by_test_id("page-label")).to_have_text("Page 3 of 5")
    chair.evaluate("() => { const next = document.getElementById('next'); for (let i = 0; i < 5; i++) next.click(); }")
    expect(chair.get_by_test_id("page-label")).to_have_text("Page 5 of 5")
    expect(chair.locator("#next")).to_be_disabled()
    expect(chair.locator("#error")).to_be_hidden()   # no "there is no page 6" for the taps past the end
    chair.evaluate("() => { const prev = document.getElementById('prev'); prev.click(); prev.click(); prev.click(); }")
    expect(chair.get_by_test_id("page-label")).to_have_text("Page 2 of 5")


def test_a_portrait_console_shows_the_running_vote_and_the_quorum_before_the_agenda(demo, actors):
    """On a tablet held upright the columns stack: under the presented page come the vote and the quorum the
    chair watches, then the agenda ("Next item" walks it); the vote was a screen and a half down, under it."""
    chair = actors(768, 1024)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    chair_opens_a_motion(chair, "Adopt the agenda as proposed?")
    vote = chair.get_by_test_id("vote-live").bounding_box()
    quorum = chair.locator("#quorum").bounding_box()
    agenda = chair.locator(".live-agenda").bounding_box()
    stage = chair.locator(".live-stage").bounding_box()
    assert stage["y"] < vote["y"] < agenda["y"] and quorum["y"] < agenda["y"], (stage, vote, quorum, agenda)


def test_a_landscape_console_keeps_the_agenda_beside_the_side_column_when_scrolled(demo, actors):
    """At 1024x768 the agenda goes under the page, and only under it: spanning the width, it slid beneath the side
    column, which stays in view as the chair scrolls, and its Open buttons were hidden there."""
    chair = actors(1024, 768)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    chair.mouse.wheel(0, 900)
    chair.wait_for_timeout(300)
    side, agenda = chair.locator(".live-side").bounding_box(), chair.locator(".live-agenda").bounding_box()
    assert agenda["x"] + agenda["width"] <= side["x"], (agenda, side)
    assert side["y"] >= 0, "the side column scrolled away"


def test_the_chair_and_the_secretary_are_asked_to_check_themselves_in(demo, actors):
    """Nothing checked in the chair who ran the meeting or the secretary at the door, so the minutes listed
    both as absent. Their screens say so until they are in; one tap checks them in (the demo lets delegates
    check in on their tablets, but the chair's and secretary's own check-in does not depend on that)."""
    chair, secretary = actors(1280, 800), actors(1024, 768)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    chair.goto("/meetings/demo/attendance")
    chair.locator("summary", has_text="Quorum rule and self check-in").click()
    chair.locator("input[name=self_checkin]").uncheck()
    with chair.expect_response("**/attendance/settings") as saved:
        chair.locator("#settings-form").get_by_role("button", name="Save").click()
    assert saved.value.json()["quorum"]["self_checkin"] is False
    chair.goto("/meetings/demo/console")
    prompt = chair.get_by_test_id("self-checkin-prompt")
    expect(prompt).to_contain_text("You are not checked in.")
    prompt.get_by_role("button", name="Check me in").click()
    expect(prompt).to_be_hidden()
    expect(chair.locator("#quorum")).to_contain_text("1 of 13 members")

    sign_in(secretary, "secretary", demo.passwords["secretary"])
    secretary.goto("/meetings/demo/checkin")
    door = secretary.get_by_test_id("self-checkin-prompt")
    expect(door).to_contain_text("You are not checked in: the minutes would list you as absent.")
    door.get_by_role("button", name="Check me in").click()
    expect(door).to_be_hidden()
    expect(secretary.locator("#quorum")).to_contain_text("1 of 13 members")   # the clerk does not vote here

    secretary.goto("/meetings/demo/minutes")
    attendance = secretary.locator(".attendance-box")
    attendance.locator("summary").click()
    for name in ("Nguyễn Thị Mai", "Daniel Okafor"):
        expect(attendance.locator("tr", has_text=name)).to_contain_text("Present")


def test_on_the_last_item_next_item_is_off_and_looks_it(demo, actors):
    """'Next item' on the last item answered with an error banner, and a disabled button was the same blue a
    little faded, so chairs tapped it: it is off on the last item, and an unusable button is flat grey."""
    chair = actors(1280, 800)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    next_item = chair.get_by_test_id("next-item")
    expect(next_item).to_be_enabled()
    chair.locator("#agenda li", has_text="Any other business").get_by_role("button", name="Open").click()
    expect(chair.get_by_test_id("current-item")).to_contain_text("7. Any other business")
    expect(next_item).to_be_disabled()
    look = next_item.evaluate("(b) => { const s = getComputedStyle(b); return [s.backgroundColor, s.borderStyle]; }")
    assert look == ["rgb(236, 239, 242)", "dashed"], look
    chair.locator("#agenda li", has_text="Adjustment of single tickets").get_by_role("button", name="Open").click()
    expect(next_item).to_be_enabled()
    expect(chair.locator("#error")).to_be_hidden()


def test_the_chair_goes_to_a_page_by_its_number(demo, actors):
    """A 12-page budget was turned page by page to reach page 9: the page's number takes a number now."""
    chair = actors(1024, 768)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    chair.locator(".live-item", has_text="Draft budget 2027 of the").get_by_role("button", name="Open").click()
    chair.get_by_test_id("stage-docs").get_by_role("button", name="Draft budget 2027").click()
    label = chair.get_by_test_id("page-label")
    expect(label).to_have_text("Page 1 of 12")
    label.click()
    field = chair.locator("#page-goto-input")
    expect(field).to_be_focused()
    field.fill("9")
    field.press("Enter")
    expect(label).to_have_text("Page 9 of 12")
    expect(label).to_be_focused()
    label.click()
    field.fill("13")          # past the last page: the field says so and nothing moves
    field.press("Enter")
    expect(field).to_be_visible()
    assert field.evaluate("(f) => !f.validity.valid")
    field.press("Escape")
    expect(label).to_have_text("Page 9 of 12")
    expect(chair.locator("#error")).to_be_hidden()


def _someone_waits_on_the_first_item(demo, actors, seat: str):
    """The chair starts the meeting and opens its first item; the delegate at `seat` asks to speak on it. The
    console and the tablet."""
    chair = actors(1280, 800)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    chair.get_by_test_id("next-item").click()
    tablet = actors(768, 1024)
    tablet.goto(demo.badge(seat))
    tablet.locator("#speakers").get_by_role("button", name="Request to speak").click()
    expect(chair.locator("#speakers .spk-queue li")).to_have_count(1)
    return chair, tablet


def test_closing_the_meeting_says_who_is_still_waiting_to_speak(demo, actors):
    """The chair could close the meeting, for good, over a list of people waiting to speak without a word of it."""
    chair, tablet = _someone_waits_on_the_first_item(demo, actors, "D01")
    asked = []
    chair.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    chair.locator("#status-actions button", has_text="Close the meeting").click()
    expect(chair.get_by_test_id("meeting-status")).to_have_text("Live")   # dismissed: nothing closed
    assert asked and asked[0].startswith("Close the meeting now?") and "Waiting to speak: 1." in asked[0], asked


def test_the_chair_adds_a_guest_to_the_list_and_gives_a_speech_one_more_minute_and_holds_the_clock(demo, actors):
    """An observer (a guest of the Youth Council) cannot ask for the floor, and a member's tablet may be flat: the
    chair had no way to put them on the list. A speech ran to its set time with no way to let it finish."""
    chair = actors(1280, 800)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    chair.get_by_test_id("next-item").click()
    guest = actors(768, 1024)
    guest.goto(demo.badge("O1"))
    expect(guest.locator("#speakers")).to_contain_text("Nobody has the floor.")
    # an observer is not offered what the server refuses them
    expect(guest.locator("#speakers")).to_contain_text("As an observer you speak when the chair puts you on the list.")
    expect(guest.locator("#speakers").get_by_role("button", name="Request to speak")).to_have_count(0)

    speakers = chair.locator("#speakers")
    speakers.get_by_text("Add a speaker").click()
    speakers.get_by_test_id("add-speaker-find").fill("o1")
    matches = speakers.get_by_test_id("add-speaker-matches").locator("button")
    expect(matches).to_have_count(1)
    expect(matches).to_contain_text("Grace Mensah")
    matches.click()
    expect(speakers.locator(".spk-queue li")).to_have_count(1)
    expect(speakers.locator(".spk-queue li")).to_contain_text("Grace Mensah")
    expect(speakers.get_by_test_id("add-speaker-find")).to_have_value("")   # ready for the next one
    speakers.get_by_test_id("add-speaker-find").fill("Grace")   # on the list already: not offered twice
    expect(speakers.get_by_test_id("add-speaker-matches")).to_contain_text("on the list already")
    expect(guest.locator("#speakers .spk-queue li")).to_contain_text("Grace Mensah")
    expect(guest.locator("#speakers")).to_contain_text("You are number 1 on the list.")

    speakers.get_by_test_id("next-speaker").click()
    expect(guest.locator("#speakers .spk-now-name")).to_contain_text("Grace Mensah")
    expect(guest.locator("#speakers .spk-timer")).to_have_text(re.compile(r"^(2:5\d|3:00)$"))
    # the speaker's box on a tablet: who and the clock, nothing of the chair's (a stray "null" once stood there)
    assert guest.locator("#speakers .spk-now").inner_text().split("\n")[:2] == ["Speaking", "O1 · Grace Mensah"]
    assert "null" not in guest.locator("#speakers .spk-now").inner_text()
    speakers.get_by_test_id("more-time").click()
    # every screen's clock moves: the guest's tablet counts down from four minutes now
    expect(guest.locator("#speakers .spk-timer")).to_have_text(re.compile(r"^(3:5\d|4:00)$"))
    expect(speakers.locator(".spk-timer")).to_have_text(re.compile(r"^(3:5\d|4:00)$"))

    # the chair holds the clock (a disturbance in the room): it stands on every screen, and says why
    speakers.get_by_test_id("pause-clock").click()
    expect(guest.locator("#speakers .spk-warning")).to_have_text("The clock is stopped")
    held = guest.locator("#speakers .spk-timer").inner_text()
    guest.wait_for_timeout(2200)
    expect(guest.locator("#speakers .spk-timer")).to_have_text(held)
    speakers.get_by_test_id("resume-clock").click()
    expect(guest.locator("#speakers .spk-warning")).to_have_text("")
    expect(guest.locator("#speakers .spk-timer")).not_to_have_text(held, timeout=3000)


def test_requests_left_waiting_on_an_item_the_chair_moved_on_from_are_still_seen(demo, actors):
    """The chair opened the next item with people still waiting on the last: their requests stay on that item's
    list, but vanished from the console and from their own tablets."""
    chair, tablet = _someone_waits_on_the_first_item(demo, actors, "D05")
    chair.get_by_test_id("next-item").click()
    expect(chair.get_by_test_id("current-item")).to_contain_text("2. ")
    expect(chair.get_by_test_id("speakers-elsewhere")).to_have_text("Still waiting on other items: item 1 (1).")
    mine = tablet.get_by_test_id("speakers-elsewhere")
    expect(mine).to_contain_text("You are number 1 on the list of item 1.")
    mine.get_by_role("button", name="Withdraw my request").click()
    expect(mine).to_have_count(0)
    expect(chair.get_by_test_id("speakers-elsewhere")).to_have_count(0)
