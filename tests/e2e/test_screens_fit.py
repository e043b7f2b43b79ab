"""What fits on the screen, in Chromium against the real server: the wall's titles and page, a phone's live screen,
a note box low on the page, a closed meeting's tablet, the side column at 1024x768 and the roster's rows (an upright tablet
in Vietnamese too)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.screens import (PAGE_IMAGE_READY, chair_opens_a_motion, chair_opens_an_election, chair_starts_the_meeting,
                               no_horizontal_scroll, nothing_cut_off, on_first_screen, shot, sign_in, switch_language,
                               wait_until)

pytestmark = pytest.mark.slow

WIDE, WALL, PHONE, TALL, LANDSCAPE = (1280, 800), (1920, 1080), (390, 844), (800, 1280), (1024, 768)
ITEM4 = "Cycling Network Plan 2027–2030, phase 1 (inner ring and river route)"
DOC = "Cycling Network Plan 2027–2030, phase 1"
LONG = ("Amendment of the municipal regulation on the allocation of public parking spaces for residents, car-sharing "
        "operators and delivery vehicles in the historic city centre, including transitional arrangements")

# Where an element lies, and whether it is drawn whole inside another (its own box, not the page's).
BOX = "(el) => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height}; }"


def box(locator) -> dict:
    return locator.evaluate(BOX)


def inside(inner: dict, outer: dict, slack: float = 1) -> bool:
    return (inner["top"] >= outer["top"] - slack and inner["bottom"] <= outer["bottom"] + slack
            and inner["left"] >= outer["left"] - slack and inner["right"] <= outer["right"] + slack)


def not_covered(page, locator) -> None:
    """The element is on the screen and nothing covers or clips it: a tap on any corner of it reaches it."""
    hidden = locator.evaluate("""(el) => {
        const r = el.getBoundingClientRect();
        const i = 8;   // inside the rounded corners
        const points = [[r.left + i, r.top + i], [r.right - i, r.top + i], [r.left + i, r.bottom - i], [r.right - i, r.bottom - i]];
        return points.filter(([x, y]) => { const hit = document.elementFromPoint(x, y); return !hit || !(hit === el || el.contains(hit)); });
    }""")
    assert not hidden, f"{locator} is covered or cut off at {hidden}"


def delegate(demo, actors, seat: str, size):
    tablet = actors(*size)
    tablet.goto(demo.badge(seat))
    expect(tablet).to_have_url(re.compile(r"/meetings/demo/live$"))
    expect(tablet.get_by_test_id("follow-state")).to_have_text("You are following the chair")
    return tablet


def presenting(demo, actors):
    """The chair starts the meeting, opens item 4 and presents its plan; the console."""
    chair = actors(*WIDE)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    chair.locator(".live-item", has_text=ITEM4).get_by_role("button", name="Open").click()
    chair.locator(".live-doc-open", has_text=DOC).click()
    expect(chair.get_by_test_id("page-label")).to_have_text("Page 1 of 5")
    return chair


def asks_for_the_floor(tablet) -> None:
    tablet.locator("#speakers").get_by_role("button", name="Request to speak").click()
    expect(tablet.locator("#speakers").get_by_role("button", name="Withdraw my request")).to_be_visible()


def test_the_wall_shows_a_long_title_once_whole_and_a_presented_page_large(demo, actors):
    """An item with a long title and nothing presented: the title once, whole, in the middle (not in the heading
    and again cut off at the top and bottom of the middle). Then a page presented: the page larger than the
    530 px it had at 1920x1080, and the state, the floor and the queue in type the room can read."""
    secretary = actors(*WIDE)
    sign_in(secretary, "secretary", demo.passwords["secretary"])
    secretary.goto("/meetings/demo/prepare")
    add = secretary.locator("form", has=secretary.get_by_role("button", name="Add item"))
    add.locator("input[name=title]").fill(LONG)
    add.get_by_role("button", name="Add item").click()
    expect(secretary.locator(".agenda-title", has_text=LONG)).to_be_visible()

    chair = actors(*WIDE)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    chair.click("#display-new")
    expect(chair.locator("#display-url")).to_have_text(re.compile(r"/display/"))
    wall = actors(*WALL)
    wall.goto(chair.get_attribute("#display-url", "href"))
    chair.locator(".live-item", has_text=LONG).get_by_role("button", name="Open").click()
    expect(wall.get_by_test_id("current-item")).to_have_text(re.compile(r"Amendment of the municipal"))
    middle = wall.locator("#viewer .page-empty")
    expect(middle).to_contain_text("transitional arrangements")
    wall.wait_for_timeout(300)   # the title shrinks to fit once drawn
    shot(wall, "fit-wall-longitem")
    shown = wall.evaluate("""(text) => [...document.querySelectorAll('body *')]
        .filter((el) => el.children.length === 0 && el.textContent.includes(text) && el.getClientRects().length)
        .length""", "allocation of public parking")
    assert shown == 1, f"the long title is on the wall {shown} times"
    title, viewer = box(middle), box(wall.locator("#viewer"))
    assert inside(title, viewer), f"the title {title} is cut off by the middle of the screen {viewer}"
    size = float(middle.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)"))
    assert size >= 34, f"the title is {size:.0f} px: too small for the back of the room"
    whole = middle.evaluate("(el) => el.scrollHeight <= el.clientHeight + 1")
    assert whole, "the title is cut off inside its box"

    # --- item 4, its plan presented
    chair.locator(".live-item", has_text=ITEM4).get_by_role("button", name="Open").click()
    chair.locator(".live-doc-open", has_text=DOC).click()
    expect(wall.get_by_test_id("page-label")).to_have_text(f"{DOC} · Page 1 of 5")
    wait_until(wall, PAGE_IMAGE_READY)
    wall.wait_for_timeout(300)
    shot(wall, "fit-wall-presenting")
    page_width = wall.locator("#viewer .pv-img").bounding_box()["width"]
    assert page_width >= 580, f"the presented page is {page_width:.0f} px wide on a 1920 px wall"
    # (an empty waiting list says nothing on the wall: "Nobody has the floor" is the one line)
    expect(wall.locator("#speakers .spk-now ~ .spk-empty")).to_have_count(0)
    sizes = wall.evaluate("""() => Object.fromEntries(['#status-badge', '#speakers .spk-now .spk-empty']
        .map((s) => [s, parseFloat(getComputedStyle(document.querySelector(s)).fontSize)]))""")
    for selector, px in sizes.items():
        assert px >= 26, f"{selector} is {px:.0f} px on a 1920x1080 wall: {sizes}"
    # nobody speaking is a state, not a box that looks like a text field
    border = wall.locator("#speakers .spk-now").evaluate("(el) => parseFloat(getComputedStyle(el).borderTopWidth)")
    assert border == 0, "“Nobody has the floor” is drawn in a frame like a text field"


def test_a_phone_reads_the_page_across_its_width_and_finds_its_ballot_on_the_first_screen(demo, actors):
    chair = presenting(demo, actors)
    for seat in ("D01", "D02"):
        asks_for_the_floor(delegate(demo, actors, seat, TALL))
    phone = delegate(demo, actors, "D03", PHONE)
    wait_until(phone, PAGE_IMAGE_READY)
    phone.wait_for_timeout(300)
    shot(phone, "fit-phone-following")
    no_horizontal_scroll(phone)
    # the page takes the phone's width, not a 210 px strip
    width = phone.locator("#viewer .pv-img").bounding_box()["width"]
    assert width >= 0.85 * PHONE[0], f"the page is {width:.0f} px wide on a {PHONE[0]} px phone"
    # the top bar scrolls away with the page
    phone.evaluate("window.scrollTo(0, 400)")
    phone.wait_for_timeout(100)
    bar = phone.locator(".topbar").bounding_box()
    assert bar["y"] + bar["height"] <= 0, f"the top bar stays over the page while scrolling: {bar}"
    # "Nobody has the floor" is a state, not a box that looks like a text field
    border = phone.locator("#speakers .spk-now").evaluate("(el) => parseFloat(getComputedStyle(el).borderTopWidth)")
    assert border == 0, "“Nobody has the floor” is drawn in a frame like a text field"

    # --- the phone asks too: third on the list; the whole list shows, the place under who speaks
    asks_for_the_floor(phone)
    phone.evaluate("window.scrollTo(0, 0)")
    queue = phone.locator("#speakers .spk-queue")
    expect(queue.locator("li")).to_have_count(3)
    shot(phone, "fit-phone-queued")
    for i in range(3):
        assert inside(box(queue.locator("li").nth(i)), box(queue)), f"the list's name #{i + 1} is cut off"
    place = box(phone.locator("#speakers .spk-actions", has_text="You are number 3 on the list"))
    assert place["top"] >= box(phone.locator("#speakers .spk-now"))["bottom"] - 1, \
        "“You are number 3” sits beside “Nobody has the floor”, not under it"
    nxt, first = box(phone.locator("#speakers .spk-next")), box(queue.locator("li").first)
    assert abs(nxt["top"] - first["top"]) <= 6, "“Next” is not beside the first name of the list"

    # --- the chair gives the floor: the timer in the app's own font
    chair.locator("#speakers .spk-queue li", has_text="Trần Văn Hùng").get_by_role("button", name="Give the floor").click()
    timer = phone.locator("#speakers .spk-timer")
    expect(timer).to_have_text(re.compile(r"\d+:\d\d"))
    font = timer.evaluate("(el) => getComputedStyle(el).fontFamily")
    assert font.startswith('"Noto Sans"'), f"the speaker's timer is set in {font}"

    # --- a vote opens: For and Against on the first screen
    phone.evaluate("window.scrollTo(0, 600)")   # reading further down the page
    chair_opens_a_motion(chair, "Adopt phase 1 of the cycling network plan as amended by the committee?")
    ballot = phone.get_by_test_id("ballot")
    # the phone brings the ballot into view over a few frames (under load, a few tenths of a second)
    wait_until(phone, """() => [...document.querySelectorAll('[data-testid=vote-option]')].slice(0, 2)
        .every((o) => { const r = o.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; })""",
               timeout=5)
    for choice in ("For", "Against"):
        option = ballot.get_by_test_id("vote-option").filter(has_text=re.compile(rf"^{choice}$"))
        expect(option).to_be_visible()
        box_now = option.bounding_box()
        assert 0 <= box_now["y"] and box_now["y"] + box_now["height"] <= PHONE[1], \
            f"“{choice}” is off the screen ({box_now}) when the vote opens"
        on_first_screen(phone, option)
    shot(phone, "fit-phone-ballot")
    ballot.get_by_test_id("vote-option").filter(has_text=re.compile(r"^For$")).click()
    ballot.get_by_test_id("vote-confirm").click()
    expect(ballot.get_by_test_id("vote-recorded")).to_be_visible()

    # --- annotating: the tools and the page come to the top of the screen
    phone.evaluate("window.scrollTo(0, 0)")
    phone.get_by_test_id("annotate").click()
    expect(phone.get_by_test_id("annotator-toolbar")).to_be_visible()
    phone.wait_for_timeout(300)
    shot(phone, "fit-phone-annotate")
    viewer = phone.locator("#viewer").bounding_box()
    assert viewer["y"] < PHONE[1] / 2, f"opening the tools pushed the page down to {viewer['y']:.0f} px"
    no_horizontal_scroll(phone)


def test_a_note_low_on_the_page_opens_inside_the_viewer(demo, actors):
    presenting(demo, actors)
    tablet = delegate(demo, actors, "D02", TALL)
    wait_until(tablet, PAGE_IMAGE_READY)
    tablet.get_by_test_id("annotate").click()
    tablet.get_by_test_id("annotator-toolbar").get_by_role("button", name="Note", exact=True).click()
    img = tablet.locator("#viewer .pv-img").bounding_box()
    tablet.mouse.click(img["x"] + img["width"] * 0.6, img["y"] + img["height"] * 0.93)
    popover = tablet.locator("#viewer .ann-popover")
    expect(popover).to_be_visible()
    shot(tablet, "fit-note-low")
    viewer = box(tablet.locator("#viewer"))
    assert inside(box(popover), viewer), f"the note box {box(popover)} runs out of the viewer {viewer}"
    for control in (popover.locator("select"), popover.get_by_role("button", name="Save")):
        not_covered(tablet, control)
    popover.locator("textarea").fill("Ask about the loading bays")
    popover.get_by_role("button", name="Save").click()
    expect(popover).to_be_hidden()
    # the saved note's icon is large enough to see and tap on a tablet's page (20 points were some 10 px)
    icon = tablet.locator("#viewer .ann-note-icon")
    expect(icon).to_have_count(1)
    assert icon.bounding_box()["width"] >= 27, icon.bounding_box()


def test_a_closed_meeting_offers_a_tablet_nothing_to_do(demo, actors):
    chair = presenting(demo, actors)
    tablet = delegate(demo, actors, "D02", TALL)
    asks_for_the_floor(tablet)
    expect(tablet.get_by_role("button", name="I am here: check in")).to_be_visible()
    expect(tablet.get_by_test_id("annotate")).to_be_visible()
    chair.once("dialog", lambda dialog: dialog.accept())
    chair.locator("#status-actions button", has_text="Close the meeting").click()
    expect(tablet.get_by_test_id("meeting-status")).to_have_text("Closed")
    for _ in range(2):   # live, then after a reload
        expect(tablet.locator("#read-only")).to_be_visible()
        for action in ("I am here: check in", "Request to speak", "Point of order", "Withdraw my request"):
            expect(tablet.get_by_role("button", name=action)).to_have_count(0)
        expect(tablet.get_by_test_id("annotate")).to_be_hidden()
        expect(tablet.locator("#speakers .spk-queue")).to_have_count(0)
        shot(tablet, "fit-closed")
        tablet.reload()
        expect(tablet.get_by_test_id("meeting-status")).to_have_text("Closed")


def test_the_side_column_at_1024_keeps_point_of_order_in_view_and_titles_and_names_whole(demo, actors):
    presenting(demo, actors)
    for seat in ("D01", "D02", "D03"):
        asks_for_the_floor(delegate(demo, actors, seat, TALL))
    tablet = delegate(demo, actors, "D04", LANDSCAPE)
    expect(tablet.locator("#speakers .spk-queue li")).to_have_count(3)
    shot(tablet, "fit-side-queue")
    # the column's top panel does not scroll inside itself, where half a button hides with no cue
    scrolls = tablet.locator(".live-agenda > .live-panels").evaluate("(el) => el.scrollHeight > el.clientHeight + 1")
    assert not scrolls, "the panel with the floor's buttons scrolls inside itself"
    for action in ("Request to speak", "Point of order"):
        button = tablet.locator("#speakers").get_by_role("button", name=action)
        on_first_screen(tablet, button)
        not_covered(tablet, button)
    # the current item's title takes two lines before it is cut ("4. Cycling Network Plan 2027–203…" was one);
    # at 1280 px two lines hold it whole
    title = tablet.get_by_test_id("current-item")
    expect(title).to_have_text(f"4. {ITEM4}")
    lines = title.evaluate("(el) => Math.round(el.clientHeight / parseFloat(getComputedStyle(el).lineHeight))")
    assert lines == 2, f"the item's title shows {lines} line(s) at 1024x768"
    tablet.set_viewport_size({"width": WIDE[0], "height": WIDE[1]})
    tablet.wait_for_timeout(100)
    whole = title.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1")
    assert whole, "the item's title is cut at 1280x800"
    # the delegate's own name whole in the top bar of an 800 px tablet
    anna = delegate(demo, actors, "D02", TALL)
    name = anna.locator(".who-name")
    expect(name).to_have_text("Anna Kowalska")
    assert name.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1"), "the signed-in name is cut in the top bar"


def test_a_long_name_on_the_roster_wraps_in_its_cell_and_every_row_keeps_its_buttons_in_a_line(demo, actors):
    secretary = actors(*WIDE)
    sign_in(secretary, "secretary", demo.passwords["secretary"])
    secretary.goto("/meetings/demo/roster")
    add = secretary.get_by_test_id("add-member")
    add.locator("summary").click()
    add.get_by_label("Name", exact=True).fill("Maximiliane Alexandra von Hohenzollern-Sigmaringen-Wittelsba")
    add.get_by_label("Seat").fill("D13")
    add.get_by_role("button", name="Add to the roster").click()
    expect(secretary.locator("#roster tr", has_text="Hohenzollern")).to_be_visible()
    for size in (WIDE, PHONE):
        secretary.set_viewport_size({"width": size[0], "height": size[1]})
        secretary.wait_for_timeout(100)
        shot(secretary, "fit-roster")
        no_horizontal_scroll(secretary)
        rows = secretary.locator("#roster tbody tr:not([hidden])")
        for i in range(rows.count()):
            change = rows.nth(i).get_by_role("link", name="Change").bounding_box()
            link = rows.nth(i).get_by_role("button", name="Sign-in link").bounding_box()
            assert abs(change["y"] - link["y"]) < change["height"] / 2, f"row {i + 1}: the buttons stack at {size}"
            assert link["x"] + link["width"] <= size[0], f"row {i + 1}: “Sign-in link” is off the screen at {size}"


def test_an_upright_tablet_in_vietnamese_shows_each_roster_name_on_one_line(demo, actors):
    """The buttons are wider in Vietnamese (“Liên kết đăng nhập”): at 768 px the names still get their line,
    not the seat, role or weight columns."""
    secretary = actors(768, 1024)
    sign_in(secretary, "secretary", demo.passwords["secretary"])
    secretary.goto("/meetings/demo/roster")
    switch_language(secretary, "Tiếng Việt")
    expect(secretary.locator("#roster").get_by_role("button", name="Liên kết đăng nhập").first).to_be_visible()
    shot(secretary, "fit-roster-vi-768")
    no_horizontal_scroll(secretary)
    names = secretary.locator("#roster td.roster-name")
    assert names.count() >= 15
    for i in range(names.count()):
        cell = names.nth(i)
        # the name's own text (the account name below it is a line of its own)
        lines = cell.evaluate("""(el) => { const r = document.createRange(); r.setStart(el.firstChild, 0);
            r.setEnd(el.firstChild, el.firstChild.textContent.trimEnd().length);
            return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size; }""")
        assert lines == 1, f"{cell.inner_text()!r} breaks over {lines} lines at 768 px in Vietnamese"


def test_the_wall_keeps_someone_speaking_above_a_vote_result(demo, actors):
    """After a vote the item's debate goes on: whoever has the floor, with their time, stays on the wall above the
    result (which takes the room left under them); the result had pushed the speaker out of the column."""
    chair = presenting(demo, actors)
    chair.click("#display-new")
    expect(chair.locator("#display-url")).to_have_text(re.compile(r"/display/"))
    wall = actors(*WIDE)
    wall.goto(chair.get_attribute("#display-url", "href"))
    candidates = [f"Rapporteur candidate {n}" for n in range(1, 9)]
    votes = chair_opens_an_election(chair, "Elect the committee's five rapporteurs", candidates, 5)
    votes.get_by_test_id("vote-close").click()
    votes.get_by_test_id("vote-publish").click()
    expect(wall.get_by_test_id("vote-verdict")).to_be_visible()
    d1 = delegate(demo, actors, "D01", TALL)
    asks_for_the_floor(d1)
    chair.locator("#speakers").get_by_role("button", name="Next speaker").click()
    speaking = wall.locator("#speakers .spk-now-name")
    expect(speaking).to_contain_text("Trần Văn Hùng")
    expect(wall.locator("#speakers .spk-timer")).to_be_visible()
    expect(wall.get_by_test_id("vote-verdict")).to_be_visible()
    wall.wait_for_timeout(300)   # the panels fit a frame after a change
    on_first_screen(wall, speaking)
    nothing_cut_off(wall, "#panels")
    assert box(speaking)["top"] < box(wall.get_by_test_id("vote-verdict"))["top"], "the speaker is under the result"
    shot(wall, "fit-wall-speaker-and-result")
    # a 1280x720 projector: the result had taken the speaker's place; the speaker and their time stay
    wall.set_viewport_size({"width": 1280, "height": 720})
    wall.wait_for_timeout(400)
    expect(speaking).to_be_visible()
    on_first_screen(wall, wall.locator("#speakers .spk-timer"))
    nothing_cut_off(wall, "#panels")
    shot(wall, "fit-wall-speaker-and-result")



def test_the_wall_heading_says_when_a_live_meeting_has_no_quorum(demo, actors):
    """A quorum lost left the wall as soon as a vote's result and a speaker took the side column: the room saw a
    result and no sign that nothing could be decided. The heading says it now, beside the clock, while it lasts."""
    chair = presenting(demo, actors)
    chair.click("#display-new")
    expect(chair.locator("#display-url")).to_have_text(re.compile(r"/display/"))
    # the test server is at 127.0.0.1: the console says a wall elsewhere cannot open this link
    expect(chair.get_by_test_id("display-only-here")).to_be_visible()
    wall = actors(*WIDE)
    wall.goto(chair.get_attribute("#display-url", "href"))
    alert = wall.get_by_test_id("quorum-alert")
    expect(alert).to_have_text("No quorum · 0/13 (needed 7)")
    expect(wall.get_by_test_id("clock")).to_have_text(re.compile(r"^[0-2]\d:[0-5]\d$"))   # 24-hour, as the minutes
    # nobody speaks or waits: one line says so (not "Next" over "Nobody has asked to speak" as well)
    expect(wall.locator("#speakers")).to_have_text("Nobody has the floor.")
    chair.get_by_test_id("self-checkin-prompt").get_by_role("button", name="Check me in").click()
    expect(alert).to_have_text("No quorum · 1/13 (needed 7)")
    on_first_screen(wall, alert)
    shot(wall, "wall-no-quorum")
    chair.goto("/meetings/demo/attendance")
    chair.locator("summary", has_text="Quorum rule and self check-in").click()
    chair.locator("input[name=quorum_num]").fill("1")
    chair.locator("input[name=quorum_den]").fill("13")
    chair.locator("input[name=quorum_strict]").uncheck()
    chair.locator("#settings-form").get_by_role("button", name="Save").click()
    expect(alert).to_be_hidden()


# The WCAG contrast of an element's text against the background of the card it sits on.
CARD_CONTRAST = """([text, card]) => {
    const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const [a, b] = [lum(getComputedStyle(document.querySelector(text)).color),
                    lum(getComputedStyle(document.querySelector(card)).backgroundColor)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05); }"""


def test_the_wall_keeps_the_speakers_name_readable_when_time_runs_out(demo, actors):
    """When the speaking time runs low and runs out the wall's card changes colour; the name, the clock and
    “Time is up” stay readable from the back of the room (the name was near-white on pink)."""
    chair = presenting(demo, actors)
    chair.click("#display-new")
    expect(chair.locator("#display-url")).to_have_text(re.compile(r"/display/"))
    status = chair.evaluate("""async () => { const t = document.querySelector('meta[name=csrf-token]').content;
        const r = await fetch('/api/meetings/demo/speakers/settings', {method: 'POST', headers: {'Content-Type': 'application/json',
            'X-CSRFToken': t, 'Accept': 'application/json'}, body: JSON.stringify({limit_seconds: 10, warn_seconds: 8})});
        return r.status; }""")
    assert status == 200
    wall = actors(*WALL)
    wall.goto(chair.get_attribute("#display-url", "href"))
    d1 = delegate(demo, actors, "D01", TALL)
    asks_for_the_floor(d1)
    chair.locator("#speakers").get_by_role("button", name="Next speaker").click()
    name, card = "#speakers .spk-now-name", "#speakers .spk-now"
    expect(wall.locator(name)).to_contain_text("Trần Văn Hùng")
    expect(wall.locator(card)).to_have_class(re.compile(r"spk-warn"))
    expect(wall.locator("#speakers .spk-warning")).to_have_text("Time is running out")
    assert wall.evaluate(CARD_CONTRAST, [name, card]) >= 4.5
    assert wall.evaluate(CARD_CONTRAST, ["#speakers .spk-timer", card]) >= 4.5
    expect(wall.locator(card)).to_have_class(re.compile(r"spk-over"), timeout=15000)
    expect(wall.locator("#speakers .spk-warning")).to_have_text("Time is up")
    shot(wall, "fit-wall-time-up")
    for text in (name, "#speakers .spk-timer", "#speakers .spk-warning"):
        ratio = wall.evaluate(CARD_CONTRAST, [text, card])
        assert ratio >= 4.5, f"{text} on the wall's time-up card: contrast {ratio:.1f}"


def test_the_chair_ends_a_speech_and_calls_the_next_with_two_taps_side_by_side_and_sees_a_point_of_order(demo, actors):
    """Next speaker sat under the whole queue, far by finger from End speech; a point of order waited like any
    other request. The two buttons sit side by side under who speaks, and a point of order is marked in amber."""
    chair = presenting(demo, actors)
    d1, d2 = delegate(demo, actors, "D01", TALL), delegate(demo, actors, "D02", TALL)
    asks_for_the_floor(d1)
    d2.locator("#speakers").get_by_role("button", name="Point of order").click()
    panel = chair.locator("#speakers")
    expect(panel.locator("li.spk-row-poo")).to_have_count(1)
    expect(panel.locator("li.spk-row-poo")).to_contain_text("Anna Kowalska")
    panel.get_by_test_id("next-speaker").click()
    expect(panel.locator(".spk-now-name")).to_be_visible()
    end, nxt = panel.get_by_role("button", name="End speech"), panel.get_by_test_id("next-speaker")
    end_box, next_box, queue = box(end), box(nxt), box(panel.locator(".spk-queue"))
    # side by side, or one right under the other where the column is narrow
    gap = max(next_box["top"] - end_box["bottom"], end_box["top"] - next_box["bottom"], 0)
    assert abs(end_box["top"] - next_box["top"]) < 4 or gap < 16, f"End speech and Next speaker are {gap} px apart"
    assert next_box["top"] < queue["top"], "Next speaker is under the queue"
    on_first_screen(chair, nxt)
    shot(chair, "console-speakers")
    # the speaking time is the chair's to set here (it was only in the API): 1.5 minutes for the next speech
    panel.locator("summary", has_text="Speaking time: 3:00").click()
    panel.get_by_test_id("speaking-time").fill("1.5")
    panel.get_by_role("button", name="Save").click()
    expect(panel.locator("summary", has_text="Speaking time: 1:30")).to_be_visible()
    nxt.click()   # Trần Văn Hùng, next, speaks with the new time
    expect(panel.locator(".spk-now-name")).to_contain_text("Trần Văn Hùng")
    expect(panel.locator(".spk-timer")).to_have_text(re.compile(r"^1:[23]\d$"))
    panel.locator("summary", has_text="Speaking time").click()
    panel.get_by_test_id("speaking-time").fill("0.2")   # not a half minute: the field says so, nothing is sent
    panel.get_by_role("button", name="Save").click()
    assert panel.get_by_test_id("speaking-time").evaluate("(f) => !f.validity.valid")
