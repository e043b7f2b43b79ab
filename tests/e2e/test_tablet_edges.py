"""Tablets at the edges, in Chromium against the real server: a dropped connection, bad sign-in codes, and a
delegate who tries a chair action from the browser console."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from tests.e2e.screens import (PAGE_IMAGE_READY, agenda_item, big_enough, chair_starts_the_meeting,
                               no_horizontal_scroll, on_first_screen, shot, sign_in, switch_language, wait_until)
from tests.factories import make_pdf
from tests.support.browser import finds_one

pytestmark = pytest.mark.slow

PORTRAIT, WIDE = (768, 1024), (1280, 800)
DOC = "Cycling Network Plan 2027–2030, phase 1"   # 5 pages


def chair_presents(demo, actors):
    """The chair signs in, starts the meeting and presents page 1 of the cycling plan; returns the console page."""
    chair = actors(*WIDE)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    chair.locator(".live-doc-open", has_text=DOC).click()
    expect(chair.get_by_test_id("page-label")).to_have_text("Page 1 of 5")
    return chair


def delegate(demo, actors, seat: str):
    """A delegate's tablet (portrait), signed in with the badge, following the chair."""
    tablet = actors(*PORTRAIT)
    tablet.goto(demo.badge(seat))
    expect(tablet).to_have_url(re.compile(r"/meetings/demo/live$"))
    expect(tablet.get_by_test_id("follow-state")).to_have_text("You are following the chair")
    return tablet


def showing(tablet, label: str) -> None:
    """The tablet's viewer shows that page, with its image decoded (not a placeholder)."""
    expect(tablet.get_by_test_id("page-label")).to_have_text(label)
    expect(tablet.locator("#viewer .pv")).to_have_attribute("aria-label", label)
    wait_until(tablet, PAGE_IMAGE_READY)


def test_a_tablet_that_loses_its_connection_lands_on_the_page_presented_meanwhile(demo, actors):
    chair = chair_presents(demo, actors)
    tablet = delegate(demo, actors, "D01")
    showing(tablet, "Page 1 of 5")

    tablet.context.set_offline(True)
    expect(tablet.get_by_test_id("connection")).to_be_visible()   # “Reconnecting…”, the page dimmed
    expect(tablet.locator("html")).to_have_class(re.compile(r"\blive-offline\b"))
    shot(tablet, "delegate-offline")
    chair.click("#next")
    chair.click("#next")
    expect(chair.get_by_test_id("page-label")).to_have_text("Page 3 of 5")
    expect(tablet.get_by_test_id("page-label")).to_have_text("Page 1 of 5")   # it cannot know yet

    tablet.context.set_offline(False)
    expect(tablet.get_by_test_id("connection")).to_be_hidden(timeout=20000)
    showing(tablet, "Page 3 of 5")
    expect(tablet.get_by_test_id("follow-state")).to_have_text("You are following the chair")
    expect(tablet.locator("html")).not_to_have_class(re.compile(r"\blive-offline\b"))
    no_horizontal_scroll(tablet)


@pytest.mark.server_env(DAIS_SIGNIN_LINK_MINUTES="0")   # every one-time link is out of date as soon as it is made
def test_a_wrong_revoked_or_expired_sign_in_code_gets_a_plain_refusal(demo, actors):
    staff = actors(*PORTRAIT)
    sign_in(staff, "secretary", demo.passwords["secretary"])
    staff.goto("/meetings/demo/roster")
    no_horizontal_scroll(staff)
    row = staff.locator("tr", has_text="Anna Kowalska")
    row.get_by_role("button", name="Sign-in link").click()
    expired = staff.get_by_test_id("signin-link").locator(".mono").inner_text().strip()
    assert expired.startswith(demo.base + "/t/")
    # On the member's own page, asked whether the badge should stop working, the secretary first says no: nothing
    # happens, the badge works
    staff.get_by_role("link", name="Change Lê Minh Châu").click()
    reissue = staff.get_by_role("button", name="Badge lost: reissue")
    asked, before = [], staff.url
    staff.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    reissue.click()
    for _ in range(50):   # the question comes from the page's script: on a loaded machine, later than a moment
        if asked:
            break
        staff.wait_for_timeout(100)
    assert asked == ["The current badge will stop working at once. Continue?"]
    assert staff.url == before   # the form was not sent
    probe = actors(*PORTRAIT)   # whoever found the badge, signed in with it, on the live page
    assert probe.goto(demo.badge("D03")).status == 200
    expect(probe).to_have_url(re.compile(r"/meetings/demo/live$"))
    wait_until(probe, "!!(window.daisLive && window.daisLive.state)")
    staff.once("dialog", lambda dialog: dialog.accept())
    reissue.click()
    expect(staff.locator("main")).to_contain_text("Lê Minh Châu")
    # the found badge's tablet is signed out at once, and says so (it showed “Reconnecting…” for ever)
    note = probe.get_by_test_id("signed-out")
    expect(note).to_contain_text("This badge was reported lost, so it no longer signs anyone in: this device is "
                                 "signed out. Ask the secretary for your new badge.")
    expect(note.get_by_role("link", name="Sign in again")).to_be_focused()
    probe.wait_for_timeout(1500)
    expect(probe.locator("#live-conn")).to_be_hidden()
    shot(probe, "signed-out-badge-lost")
    note.get_by_role("link", name="Sign in again").click()
    expect(probe).to_have_url(re.compile(r"/login"))
    probe.context.close()

    visitor = actors(*PORTRAIT)
    cases = [
        (demo.badge("D01")[:-6] + "XXXXXX", 404, "This sign-in code is not valid"),   # a wrong (forged) code
        (demo.badge("D03"), 410, "This badge has been revoked"),                 # the badge reported lost
        (expired, 410, "This sign-in link has expired"),
    ]
    for url, status, sentence in cases:
        response = visitor.goto(url)
        assert response.status == status, (url, response.status)
        expect(visitor.locator("main")).to_contain_text(sentence)
        assert visitor.locator(".who").count() == 0   # nobody was signed in
        no_horizontal_scroll(visitor)
    shot(visitor, "refused-sign-in")
    visitor.goto("/meetings/demo/live")
    expect(visitor).to_have_url(re.compile(r"/login"))
    # the badge that was not touched still works
    delegate(demo, actors, "D01")


def test_a_delegate_cannot_present_from_the_browser_console(demo, actors):
    chair = chair_presents(demo, actors)
    intruder = delegate(demo, actors, "D01")
    other = delegate(demo, actors, "D02")
    showing(other, "Page 1 of 5")
    before = other.evaluate("window.daisLive.state.seq")
    doc_id = intruder.evaluate("window.daisLive.state.presented.document_id")

    ack = intruder.evaluate("(doc) => window.daisLive.send('chair.present', {document: doc, page: 4})", doc_id)
    assert ack["ok"] is False and ack["error"] == "forbidden", ack
    assert "chair" in ack["message"].lower(), ack
    raw = intruder.evaluate("""(doc) => new Promise((done) => window.daisLive.socket.emit('chair.next_item',
        {meeting: window.daisLive.meeting}, done))""", doc_id)
    assert raw["ok"] is False and raw["error"] == "forbidden", raw

    # The room did not move: a fresh snapshot from the server still has page 1 and the same sequence number.
    snap = other.evaluate("window.daisLive.send('live.snapshot', {})")
    assert snap["ok"] and snap["snapshot"]["seq"] == before, snap
    assert snap["snapshot"]["presented"]["page"] == 1
    showing(other, "Page 1 of 5")
    expect(chair.get_by_test_id("page-label")).to_have_text("Page 1 of 5")
    # and the live room still works for the chair
    chair.click("#next")
    showing(other, "Page 2 of 5")
    showing(intruder, "Page 2 of 5")
    big_enough(intruder.locator("#prev, #next"))

    # The floor given, the speaking time runs on every screen, also when the chair turns a page (a redraw);
    # when the chair moves to the next item, the speech ends and no screen shows a speaker any more.
    intruder.locator("#speakers").get_by_role("button", name="Request to speak").click()
    chair.locator("#speakers .spk-queue li").get_by_role("button", name="Give the floor").click()
    timer = other.locator("#speakers .spk-timer")
    expect(timer).to_have_text(re.compile(r"^2:5[0-8]$"), timeout=15000)   # two seconds gone at least
    chair.click("#prev")
    showing(other, "Page 1 of 5")
    other.wait_for_timeout(400)   # two ticks of the timer, which would jump back to 3:00 if it forgot the time
    minutes, seconds = timer.inner_text().split(":")
    assert int(minutes) * 60 + int(seconds) <= 178, timer.inner_text()
    chair.click("#next-item")
    expect(other.get_by_test_id("current-item")).to_have_text(re.compile(r"^5\. Public transport"))
    expect(other.locator("#speakers .spk-timer")).to_have_count(0)
    expect(other.locator("#speakers .spk-now-name")).to_have_count(0)


def test_a_landscape_tablet_reader_keeps_the_annotation_tools_to_two_rows_in_both_languages(demo, actors):
    """At 1024×768 the reader's top bar (with sharing and undo) and the annotation tools take two rows in all, in
    English and in Vietnamese, whatever tool is chosen, with every control a finger's size."""
    reader = actors(1024, 768)
    sign_in(reader, "chair", demo.passwords["chair"])
    reader.goto("/meetings/demo")
    reader.get_by_role("link", name=DOC).click()
    expect(reader.get_by_test_id("reader-bar")).to_be_visible()
    controls = ("[data-testid=reader-bar] :is(button, select, input, a.btn), "
                "[data-testid=annotator-toolbar] :is(button, select)")
    for language, switch in (("en", "Tiếng Việt"), ("vi", "English")):
        expect(reader.locator("html")).to_have_attribute("lang", language)
        toolbar = reader.get_by_test_id("annotator-toolbar")
        expect(toolbar).to_have_class(re.compile(r"\bann-toolbar\b"))   # the page's script has built it
        reader.get_by_test_id("annotate").click()
        expect(toolbar).to_be_visible()
        for tool in ("read", "highlight", "ink", "note", "select"):
            toolbar.locator(f"[data-tool={tool}]").click()
            rows = reader.evaluate("""(sel) => [...new Set([...document.querySelectorAll(sel)]
                .map((e) => e.getBoundingClientRect()).filter((r) => r.width && r.height)
                .map((r) => Math.round(r.top / 20)))]""", controls)
            assert len(rows) == 2, f"{language}, {tool}: the controls take {len(rows)} rows at 1024 px"
            bars = reader.get_by_test_id("reader-bar").bounding_box()["height"] + toolbar.bounding_box()["height"]
            assert bars <= 2 * 66, f"{language}, {tool}: the tool bars are {bars:.0f} px high"
            no_horizontal_scroll(reader)
        big_enough(reader.locator(controls).locator("visible=true"))
        shot(reader, f"reader-annotating-{language}")
        reader.get_by_test_id("annotate").click()
        expect(toolbar).to_be_hidden()
        switch_language(reader, switch)
    expect(reader.locator("html")).to_have_attribute("lang", "en")


def test_a_document_added_during_the_meeting_reaches_every_screen_and_the_wall_names_it_page_after_page(
        demo, actors, tmp_path):
    """The secretary uploads a late amendment while the chair presents: without a reload the console and the
    tablets list it, the chair presents it, and the wall shows its title and page count on every page turn; taken
    off the agenda again, it leaves every screen the same way."""
    chair = chair_presents(demo, actors)
    chair.click("#display-new")
    expect(chair.locator("#display-url")).to_have_text(re.compile(r"/display/"))
    wall = actors(*WIDE)
    wall.goto(chair.get_attribute("#display-url", "href"))
    expect(wall.get_by_test_id("page-label")).to_have_text(f"{DOC} · Page 1 of 5")
    tablet = delegate(demo, actors, "D01")
    showing(tablet, "Page 1 of 5")
    for screen in (chair, wall, tablet):   # marks that vanish if a screen reloads
        screen.evaluate("window.__sameLoad = true")

    secretary = actors(*PORTRAIT)
    sign_in(secretary, "secretary", demo.passwords["secretary"])
    secretary.goto("/meetings/demo/prepare")
    form = agenda_item(secretary, "Cycling Network Plan 2027–2030, phase 1 (inner ring") \
        .locator("form.upload-form")
    big_enough(form.locator(".file-pick"))   # the file button is ours: a finger's size, in the page's language
    expect(form.locator("[data-file-name]")).to_have_text("No file chosen")
    form.locator("input[type=file]").set_input_files(str(make_pdf(tmp_path / "amendment.pdf", pages=3,
                                                                   text="Amendment: a bridge for bikes")))
    expect(form.locator("[data-file-name]")).to_have_text("amendment.pdf")
    form.locator("input[name=title]").fill("Late amendment: river bridge")
    form.get_by_role("button", name="Upload").click()
    expect(secretary.locator(".doc-title", has_text="Late amendment: river bridge")).to_be_visible(timeout=30000)

    expect(tablet.locator(".live-doc-open", has_text="Late amendment: river bridge")).to_have_count(1)
    chair.locator(".live-doc-open", has_text="Late amendment: river bridge").click()
    expect(chair.get_by_test_id("page-label")).to_have_text("Page 1 of 3")
    expect(wall.get_by_test_id("page-label")).to_have_text("Late amendment: river bridge · Page 1 of 3")
    showing(tablet, "Page 1 of 3")
    chair.click("#next")
    expect(wall.get_by_test_id("page-label")).to_have_text("Late amendment: river bridge · Page 2 of 3")
    showing(tablet, "Page 2 of 3")
    expect(tablet.locator("#next")).to_be_enabled()   # the tablet knows the page count: it may browse on
    for screen in (chair, wall, tablet):
        assert screen.evaluate("window.__sameLoad === true")
    shot(wall, "wall-late-document")

    # It was the wrong file: the secretary takes it off the agenda again (after saying yes to the question), and
    # every screen puts it away, still without a reload
    asked = []
    secretary.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    remove = secretary.get_by_role("button", name="Remove “Late amendment: river bridge”")
    big_enough(remove)
    remove.click()
    expect(secretary.locator(".flash")).to_have_text("Document “Late amendment: river bridge” removed.")
    assert asked and "Notes that members wrote on it are deleted too" in asked[0]
    expect(secretary.locator(".doc-title", has_text="Late amendment")).to_have_count(0)
    for screen in (chair, tablet):
        expect(screen.locator(".live-doc-open", has_text="Late amendment")).to_have_count(0)
    expect(wall.get_by_test_id("page-label")).to_have_text("")
    expect(tablet.get_by_test_id("page-label")).not_to_have_text(re.compile("of 3"))
    for screen in (chair, wall, tablet):
        assert screen.evaluate("window.__sameLoad === true")


def test_the_top_bar_shows_every_link_and_leaves_a_delegate_tablet_its_height(demo, actors):
    """At phone, portrait and landscape tablet widths, in English and Vietnamese, every link of the top bar is in
    view (none scrolled away or cut off); staff reach check-in, the attendance board, the roster and the audit
    log under More. On a landscape tablet the chair's bar and a delegate's take one row with the brand and the
    account menu (also on a portrait tablet for a delegate), so the page below gets that row's height."""
    chair = actors(*WIDE)
    sign_in(chair, "chair", demo.passwords["chair"])
    tablet = delegate(demo, actors, "D02")
    for who, page, links in (("delegate", tablet, 4), ("chair", chair, 6)):
        page.goto("/meetings/demo")
        for language, switch in (("en", "Tiếng Việt"), ("vi", "English")):
            expect(page.locator("html")).to_have_attribute("lang", language)
            for width, height in ((400, 800), (768, 1024), (1024, 768)):
                page.set_viewport_size({"width": width, "height": height})
                where = f"{who}, {language}, {width} px"
                nav = page.locator(".topnav")
                shown = nav.locator("> a, > details > summary, .topbar-end summary")
                expect(nav.locator("> a")).to_have_count(links)
                expect(page.get_by_test_id("nav-more")).to_have_count(0 if who == "delegate" else 1)
                for i in range(shown.count()):
                    box = shown.nth(i).bounding_box()
                    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, f"{where}: link {i} is cut off"
                big_enough(shown)
                no_horizontal_scroll(page)
                bar = page.locator(".topbar").bounding_box()["height"]
                if width == 1024 or (who == "delegate" and width >= 768):
                    assert bar <= 64, f"{where}: the top bar is {bar:.0f} px high, more than one row"
                if who == "chair":
                    more = page.get_by_test_id("nav-more")
                    more.locator("summary").click()
                    entries = more.locator(".menu-list a")
                    expect(entries).to_have_count(4)
                    for i in range(4):   # every entry in view and a finger's size, wherever the button sits
                        box = entries.nth(i).bounding_box()
                        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, f"{where}: More's entry {i} is cut off"
                    big_enough(entries)
                    if width == 1024 and language == "en":
                        shot(page, "top-bar-more")
                    page.keyboard.press("Escape")
                    expect(entries.first).to_be_hidden()
            page.set_viewport_size({"width": 1024, "height": 768})
            switch_language(page, switch)


def test_staff_reach_every_page_of_theirs_from_the_top_bar_menus(demo, actors):
    """The secretary opens check-in, the attendance board, the roster and the audit log from More (the button is
    marked while one of them is shown), a tap beside an open menu closes it, and the account menu says who is
    signed in and signs them out."""
    secretary = actors(1024, 768)
    sign_in(secretary, "secretary", demo.passwords["secretary"])
    secretary.goto("/meetings/demo/prepare")
    more = secretary.get_by_test_id("nav-more")
    for entry, heading in (("Check-in", "Check-in"), ("Attendance board", "Attendance board"),
                           ("Roster", "Roster"), ("Audit log", "Audit log")):
        more.locator("summary").click()
        more.get_by_role("link", name=entry).click()
        expect(secretary.locator("h1")).to_contain_text(heading)
        expect(more.locator("summary")).to_have_class(re.compile(r"\bactive\b"))
        expect(more.locator(".menu-list a[aria-current=page]")).to_have_text(entry)
        # folded, the button says which of its pages is shown (a screen reader hears only the button)
        expect(more.locator("summary")).to_have_accessible_name(f"More: {entry}, current page")
    secretary.get_by_role("link", name="Prepare").click()
    expect(more.locator("summary")).not_to_have_class(re.compile(r"\bactive\b"))
    expect(more.locator("summary")).to_have_accessible_name("More")

    more.locator("summary").click()
    expect(more.get_by_role("link", name="Roster")).to_be_visible()
    secretary.locator("main h1").click(position={"x": 5, "y": 5})   # a tap beside the menu closes it
    expect(more.get_by_role("link", name="Roster")).to_be_hidden()

    account = secretary.get_by_test_id("account-menu")
    expect(account.locator("summary")).to_have_text("Daniel Okafor")
    account.locator("summary").click()
    account.get_by_role("button", name="Sign out").click()
    secretary.wait_for_url(re.compile(r"/login"))
    secretary.goto("/meetings/demo/prepare")
    expect(secretary).to_have_url(re.compile(r"/login"))


def test_a_delegate_tablet_gives_the_page_all_the_height_the_first_screen_has(demo, actors):
    """Portrait and landscape tablets: the presented page fills the first screen down to the pager, which sits at
    the bottom edge in view, also while the annotation tools are open (they take their row from the page)."""
    chair_presents(demo, actors)
    tablet = delegate(demo, actors, "D03")
    showing(tablet, "Page 1 of 5")
    for width, height in ((768, 1024), (1024, 768), (1280, 800)):
        tablet.set_viewport_size({"width": width, "height": height})
        for annotating in (False, True):
            if annotating:
                tablet.get_by_test_id("annotate").click()
                expect(tablet.get_by_test_id("annotator-toolbar")).to_be_visible()
            where = f"{width}×{height}{', annotating' if annotating else ''}"
            tablet.wait_for_timeout(150)   # a resize is laid out on the next frames
            shot(tablet, f"tablet-fit-{width}x{height}{'-annotating' if annotating else ''}")
            pager = tablet.locator(".live-stage .pager").bounding_box()
            viewer = tablet.get_by_test_id("viewer").bounding_box()
            assert pager["y"] + pager["height"] <= height, f"{where}: the pager is below the screen's edge"
            assert height - (pager["y"] + pager["height"]) <= 28, \
                f"{where}: {height - pager['y'] - pager['height']:.0f} px of the screen are left empty under the pager"
            assert viewer["height"] >= 0.5 * height, f"{where}: the page gets only {viewer['height']:.0f} px"
            if annotating:
                tablet.get_by_test_id("annotate").click()
                expect(tablet.get_by_test_id("annotator-toolbar")).to_be_hidden()
        # Browsing on their own, the delegate gets "Back to the chair" next to the pager, still on the first screen.
        tablet.click("#next")
        showing(tablet, "Page 2 of 5")
        expect(tablet.get_by_test_id("follow-state")).to_have_text("You are browsing on your own; the chair is on page 1")
        tablet.wait_for_timeout(150)
        back = tablet.get_by_test_id("back-to-chair").bounding_box()
        pager = tablet.locator(".live-stage .pager").bounding_box()
        assert max(back["y"] + back["height"], pager["y"] + pager["height"]) <= height, f"{width}×{height}: browsing"
        assert tablet.get_by_test_id("viewer").bounding_box()["height"] >= 0.5 * height
        shot(tablet, "tablet-fit-browsing")
        tablet.get_by_test_id("back-to-chair").click()
        showing(tablet, "Page 1 of 5")
    # On a phone the item's title keeps the stage's width; the badge and "Annotate" go under it.
    tablet.set_viewport_size({"width": 400, "height": 800})
    tablet.wait_for_timeout(150)
    title = tablet.get_by_test_id("current-item").bounding_box()
    stage = tablet.locator(".live-stage").bounding_box()
    assert title["width"] >= 0.8 * stage["width"], f"the title is squeezed into {title['width']:.0f} of {stage['width']:.0f} px"


def test_presenting_a_document_of_an_item_gives_the_console_that_items_list_of_speakers(demo, actors):
    """The chair opens the meeting by presenting an item's document (which makes the item current): the console's
    list of speakers is that item's at once, and a delegate's request to speak reaches it without a reload."""
    chair = chair_presents(demo, actors)
    expect(chair.locator(".live-item.current")).to_contain_text("Cycling Network Plan")
    speakers = chair.locator("#speakers")
    expect(speakers).to_contain_text("Nobody has asked to speak on this item.")
    expect(speakers).not_to_contain_text("No agenda item is open.")
    tablet = delegate(demo, actors, "D04")
    tablet.locator("#speakers").get_by_role("button", name="Request to speak").click()
    expect(speakers.locator(".spk-queue li")).to_have_count(1)
    expect(speakers.locator(".spk-queue li")).to_contain_text("D04")
    # the place in the queue comes first; the seat, after the name, does not read as a place
    expect(speakers.locator(".spk-queue li").first).to_have_text(re.compile(r"^1\.\s*Jonas Weber · D04"))
    # the connected list names roles in the chair's language (it showed the codes on a Vietnamese page)
    presence = chair.locator("#presence")
    expect(presence.locator("li").first).to_contain_text("C1 · Chair")
    switch_language(chair, "Tiếng Việt")
    expect(chair.locator("html")).to_have_attribute("lang", "vi")
    expect(presence.locator("li").first).to_contain_text("C1 · Chủ tọa")
    assert not [text for text in presence.locator(".presence-meta").all_text_contents()
                if any(code in text for code in ("chair", "secretary", "delegate", "observer"))]


def test_the_console_keeps_the_pager_and_stop_presenting_on_the_first_screen_at_tablet_and_laptop_sizes(demo, actors):
    """Wherever the top bar takes one row or two, the chair turns pages and stops presenting without scrolling,
    and the presented page takes the rest of the height; beside it, from a landscape tablet up, the column the chair
    watches all meeting long (quorum, speakers, votes) is in view too."""
    chair = chair_presents(demo, actors)
    for width, height in ((1024, 768), (1280, 800), (1366, 768), (1920, 1080)):
        chair.set_viewport_size({"width": width, "height": height})
        chair.wait_for_timeout(150)
        shot(chair, "console-fit")
        for control in ("#prev", "#next", "#stop"):
            on_first_screen(chair, chair.locator(control))
        stage, side = chair.locator(".live-stage").bounding_box(), chair.locator(".live-side").bounding_box()
        assert side["x"] >= stage["x"] + stage["width"] and side["y"] < stage["y"] + stage["height"], \
            f"{width}×{height}: the speakers and votes column is not beside the page"
        on_first_screen(chair, chair.locator("#speakers"))
        stop = chair.locator("#stop").bounding_box()
        assert height - (stop["y"] + stop["height"]) <= 28, \
            f"{width}×{height}: {height - stop['y'] - stop['height']:.0f} px left empty under the pager"


def test_on_a_landscape_tablet_the_chair_presents_the_current_items_document_from_above_the_page(demo, actors):
    """At 1024 px the console's agenda is under the page: the current item's documents are buttons above it, so
    the chair opens the next item and presents its document without scrolling. Beside the agenda (1280 px) they
    are not repeated."""
    chair = actors(1024, 768)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    docs = chair.get_by_test_id("stage-docs")
    expect(docs).to_be_hidden()                      # no item open yet: nothing to offer
    for _ in range(3):
        chair.get_by_test_id("next-item").click()
    expect(chair.get_by_test_id("current-item")).to_contain_text("3. Draft budget 2027")
    button = docs.get_by_role("button", name="Draft budget 2027")
    on_first_screen(chair, button)
    big_enough(button)
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(chair.get_by_test_id("page-label")).to_have_text("Page 1 of 12")
    expect(button).to_have_attribute("aria-pressed", "true")
    for control in ("#prev", "#next", "#stop"):      # the row above the page still leaves the pager in view
        on_first_screen(chair, chair.locator(control))
    shot(chair, "console-item-documents")
    chair.set_viewport_size({"width": 1280, "height": 800})
    expect(docs).to_be_hidden()
    expect(chair.locator(".live-agenda .live-doc-open", has_text="Draft budget 2027")).to_be_visible()


def test_times_on_screen_are_the_meetings_whatever_zone_a_device_is_set_to(demo, actors):
    """The demo server keeps the meeting's time zone (UTC); the secretary's tablet and the wall's PC are set to
    Auckland (13 hours ahead in December): the check-in time and the wall clock still read the room's time."""
    secretary = actors(*PORTRAIT, timezone_id="Pacific/Auckland")
    sign_in(secretary, "secretary", demo.passwords["secretary"])
    secretary.goto("/meetings/demo/checkin")
    before = datetime.now(timezone.utc)
    secretary.fill("#manual-code", demo.badge("D05"))
    secretary.click("#manual-form button")
    expect(secretary.locator("#scan-result")).to_contain_text("Checked in")
    after = datetime.now(timezone.utc)
    shown = clock_faces(before, after)
    result = secretary.locator("#scan-result").inner_text()
    assert any(face in result for face in shown), f"{result!r} does not show the meeting's time {shown}"

    chair = actors(*WIDE)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    chair.click("#display-new")
    expect(chair.locator("#display-url")).to_have_text(re.compile(r"/display/"))
    wall = actors(*WIDE, timezone_id="Pacific/Auckland")
    wall.goto(chair.get_attribute("#display-url", "href"))
    expect(wall.get_by_test_id("clock")).to_have_text(re.compile(r"\d\d:\d\d"))
    now = datetime.now(timezone.utc)
    assert wall.get_by_test_id("clock").inner_text() in clock_faces(now - timedelta(minutes=1), now), "the wall clock"


def clock_faces(*moments: datetime) -> set[str]:
    """How a page may write these UTC moments' time of day: 14:05, or 02:05 PM in English."""
    return {face for t in moments for face in (f"{t:%H:%M}", f"{t:%I:%M %p}")}


def test_the_secretary_finds_a_member_on_the_roster_by_name_without_accents_or_by_seat(demo, actors):
    secretary = actors(1024, 768)
    sign_in(secretary, "secretary", demo.passwords["secretary"])
    secretary.goto("/meetings/demo/roster")
    rows = secretary.locator("#roster tbody tr:visible")
    expect(rows).to_have_count(15)
    displays = secretary.eval_on_selector_all("#roster tbody tr:first-child td", "(tds) => tds.map((td) => getComputedStyle(td).display)")
    assert set(displays) == {"table-cell"}, displays   # the buttons' cell too: the row's line stays one line
    finds_one(secretary, "[data-testid=roster-find]", rows, "tran van hung", "Trần Văn Hùng")
    finds_one(secretary, "[data-testid=roster-find]", rows, "d05", "Fatima El-Amrani")
    # how many the search leaves is written beside the box and said once typing pauses
    expect(secretary.get_by_test_id("roster-find-count")).to_have_text("1 of 15 shown")
    expect(secretary.get_by_test_id("announcer")).to_have_text("1 of 15 shown")
    finds_one(secretary, "[data-testid=roster-find]", rows, "nobody like this", "Nobody on the roster matches.")
    secretary.fill("[data-testid=roster-find]", "")
    expect(rows).to_have_count(15)

    # Importing from the tablet: the folded form above the roster, our file button (a finger's size), the chosen
    # file named beside it, imported.
    secretary.get_by_test_id("import-roster").locator("summary").click()
    picker = secretary.locator(".file-pick")
    big_enough(picker)
    expect(picker).to_have_text("Choose a CSV file")
    picker.locator("input[type=file]").set_input_files(files=[{
        "name": "late-arrivals.csv", "mimeType": "text/csv",
        "buffer": "name,role,seat,weight\nZoë Latecomer,delegate,D99,1\n".encode()}])
    expect(secretary.locator("[data-file-name]")).to_have_text("late-arrivals.csv")
    secretary.get_by_role("button", name="Import").click()
    expect(secretary.locator(".flash")).to_contain_text("Roster imported: 1 added")
    expect(rows).to_have_count(16)
    expect(rows.filter(has_text="Zoë Latecomer")).to_contain_text("D99")

    # One more, without a file: the folded form above the roster; a taken seat is refused first, nobody moves.
    add = secretary.get_by_test_id("add-member")
    big_enough(add.locator("summary"))
    add.locator("summary").click()
    add.get_by_label("Name", exact=True).fill("Bảo Substitute")
    add.get_by_label("Seat").fill("D99")
    add.get_by_role("button", name="Add to the roster").click()
    # the roster again, the form open as typed, the reason on top of it and the focus there (read out)
    refusal = add.get_by_test_id("form-refusal")
    expect(refusal).to_have_text("Seat D99 is taken by Zoë Latecomer.")
    expect(refusal).to_be_focused()
    expect(add.get_by_label("Name", exact=True)).to_have_value("Bảo Substitute")
    shot(secretary, "roster-refused")
    add.get_by_label("Seat").fill("D100")
    add.locator("select[name=role]").select_option(label="Observer")   # its label holds the options too (“Votes: As the role says”)
    big_enough(add.get_by_role("button", name="Add to the roster"))
    add.get_by_role("button", name="Add to the roster").click()
    expect(secretary.locator(".flash")).to_contain_text("Bảo Substitute is on the roster (seat D100).")
    expect(rows).to_have_count(17)
    expect(rows.filter(has_text="Bảo Substitute")).to_contain_text("Observer")
    add.locator("summary").click()
    shot(secretary, "roster-added")
    # Seated by mistake after all: taken off again, after saying yes
    asked = []
    secretary.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    rows.filter(has_text="Bảo Substitute").get_by_role("link", name="Change Bảo Substitute").click()
    secretary.get_by_role("button", name="Remove Bảo Substitute").click()   # on the member's own page
    expect(secretary.locator(".flash")).to_have_text("Bảo Substitute is no longer on the roster.")
    assert asked and asked[0].startswith("Take Bảo Substitute off the roster?")
    expect(rows).to_have_count(16)

    # A wrong seat and weight, corrected on the member's own page (the name is an admin's: shown, not editable)
    rows.filter(has_text="Zoë Latecomer").get_by_role("link", name="Change Zoë Latecomer").click()
    form = secretary.get_by_test_id("member-edit")
    expect(form.get_by_label("Name")).to_be_disabled()
    form.get_by_label("Seat").fill("D02")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_test_id("form-refusal")).to_have_text("Seat D02 is taken by Anna Kowalska.")
    expect(form.get_by_label("Seat")).to_have_value("D02")   # as typed, to correct
    form.get_by_label("Seat").fill("D98")
    form.get_by_label("Vote weight").fill("2")
    big_enough(form.get_by_role("button", name="Save"))
    shot(secretary, "member-change")
    form.get_by_role("button", name="Save").click()
    expect(secretary.locator(".flash")).to_have_text("Zoë Latecomer: saved.")
    expect(rows.filter(has_text="Zoë Latecomer").locator("td").nth(0)).to_have_text("D98")
    expect(rows.filter(has_text="Zoë Latecomer").locator("td").nth(3)).to_have_text("2")


def test_a_long_name_cut_short_in_the_top_bar_is_whole_in_the_account_menu(demo, actors):
    """An admin renames the secretary (on the member's page); beside a staff member's links at 1024 px the top
    bar cuts the long name short, and the account menu shows it whole."""
    long_name = "Maria-Magdalena Villanueva-Papadopoulou de la Fuente"
    admin = actors(1280, 800)
    sign_in(admin, "admin", demo.passwords["admin"])
    admin.goto("/meetings/demo/roster")
    admin.get_by_role("link", name="Change Daniel Okafor").click()
    admin.get_by_test_id("member-edit").get_by_label("Name").fill(long_name)
    admin.get_by_test_id("member-edit").get_by_role("button", name="Save").click()
    expect(admin.locator(".flash")).to_have_text(f"{long_name}: saved.")

    secretary = actors(1024, 768)
    sign_in(secretary, "secretary", demo.passwords["secretary"])
    secretary.goto("/meetings/demo/prepare")
    account = secretary.get_by_test_id("account-menu")
    cut = account.locator(".who-name").evaluate("e => e.scrollWidth > e.clientWidth")
    assert cut, "the long name fits the top bar after all: this test no longer shows the menu's use"
    account.locator("summary").click()
    head = account.get_by_test_id("signed-in-as")
    expect(head).to_have_text(f"Signed in as {long_name}")
    whole = head.evaluate("e => e.scrollWidth <= e.clientWidth && e.getBoundingClientRect().right <= innerWidth")
    assert whole, "the account menu's name is cut or runs off the screen"
    shot(secretary, "account-menu-long-name")


def test_the_wall_grows_with_a_larger_projector(demo, actors):
    """Laid out for 1280×800, the wall's text, gauge and columns grow on a 1920×1080 projector, and nothing of the
    side column is cut off there."""
    chair = chair_presents(demo, actors)
    chair.click("#display-new")
    expect(chair.locator("#display-url")).to_have_text(re.compile(r"/display/"))
    sizes = {}
    for width, height in (WIDE, (1920, 1080)):
        wall = actors(width, height)
        wall.goto(chair.get_attribute("#display-url", "href"))
        expect(wall.get_by_test_id("page-label")).to_have_text(f"{DOC} · Page 1 of 5")
        expect(wall.locator("#speakers .spk-empty").first).to_be_visible()
        wait_until(wall, PAGE_IMAGE_READY)   # the page itself, drawn for this projector's width
        sizes[width] = wall.evaluate("""() => ({
            text: parseFloat(getComputedStyle(document.querySelector('#speakers .spk-empty')).fontSize),
            dial: document.querySelector('#quorum .quorum-dial').getBoundingClientRect().width,
            cut: [...document.querySelectorAll('.wall-panels section')].some((s) =>
                s.getBoundingClientRect().bottom > document.querySelector('.wall-panels').getBoundingClientRect().bottom + 1)})""")
        shot(wall, "wall-size")
    assert sizes[1920]["text"] >= 1.25 * sizes[1280]["text"], sizes
    assert sizes[1920]["dial"] >= 1.25 * sizes[1280]["dial"], sizes
    assert not sizes[1920]["cut"], sizes


def test_a_one_time_sign_in_link_is_shown_as_a_qr_code_a_tablet_can_scan(demo, actors):
    """The secretary makes a one-time link for a delegate without a badge; the roster shows it as a QR code (the
    tablet's camera reads it, nobody types 33 characters) which decodes to the link, and the link signs them in."""
    import base64
    import io

    import zxingcpp
    from PIL import Image

    staff = actors(*PORTRAIT)
    sign_in(staff, "secretary", demo.passwords["secretary"])
    staff.goto("/meetings/demo/roster")
    staff.locator("tr", has_text="Anna Kowalska").get_by_role("button", name="Sign-in link").click()
    card = staff.get_by_test_id("signin-link")
    link = card.locator(".mono").inner_text().strip()
    qr = card.get_by_test_id("signin-qr")
    expect(qr).to_be_visible()
    src = qr.get_attribute("src")
    assert src.startswith("data:image/png;base64,")   # the secret travels in no other address
    image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB")
    assert [c.text for c in zxingcpp.read_barcodes(image)] == [link]
    no_horizontal_scroll(staff)
    shot(staff, "roster-signin-qr")
    tablet = actors(*PORTRAIT)
    tablet.goto(link)
    expect(tablet).to_have_url(re.compile(r"/meetings/demo/live$"))
    expect(tablet.locator(".who")).to_have_text("Anna Kowalska")


def test_a_form_that_asks_first_asks_even_when_tapped_before_the_scripts_arrive(demo, actors):
    """On slow Wi-Fi the page's scripts arrive late; a tap on “Badge lost: reissue” in that moment must still ask
    before the badge stops working (the question's listener came with the page's modules, after the buttons)."""
    import time as _time

    staff = actors(*PORTRAIT)
    sign_in(staff, "secretary", demo.passwords["secretary"])
    staff.route("**/static/js/**", lambda route: (_time.sleep(1.5), route.continue_()))
    asked = []
    staff.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    member = staff.evaluate("""async () => {   // the member page's address, from the roster
        const page = await (await fetch('/meetings/demo/roster')).text();
        return new DOMParser().parseFromString(page, 'text/html')
            .querySelector('a[aria-label="Change Lê Minh Châu"]').getAttribute('href'); }""")
    staff.goto(member, wait_until="commit")   # tapped as soon as the button shows
    staff.get_by_role("button", name="Badge lost: reissue").click()
    for _ in range(50):
        if asked:
            break
        staff.wait_for_timeout(100)
    assert asked == ["The current badge will stop working at once. Continue?"]
    staff.unroute("**/static/js/**")
    probe = actors(*PORTRAIT)
    assert probe.goto(demo.badge("D03")).status == 200   # said no: the badge still works


def test_a_note_being_written_keeps_its_page_when_the_chair_turns_and_nothing_typed_is_lost(demo, actors):
    """A delegate following the chair writes a sticky note; the chair turns the page. The tablet stays on the note's
    page with the text as typed and says where the chair went; the note is saved there, and “Back to the chair”
    catches up. A note still open when the delegate goes back to the chair anyway opens again, as typed, on its page."""
    chair = chair_presents(demo, actors)
    tablet = delegate(demo, actors, "D01")
    showing(tablet, "Page 1 of 5")
    follow, back, label = (tablet.get_by_test_id(t) for t in ("follow-state", "back-to-chair", "page-label"))
    tablet.get_by_test_id("annotate").click()
    tablet.get_by_test_id("annotator-toolbar").locator("[data-tool=note]").click()
    layer = tablet.get_by_test_id("annotation-layer")
    layer.click(position={"x": 120, "y": 150})
    note = tablet.locator(".ann-popover textarea")
    note.fill("Ask about the parking spaces on")   # half a sentence
    # who sees the note, in the toolbar's words
    expect(tablet.locator(".ann-popover select.ann-share option")).to_have_text(["Only me", "All members", "Chair only"])

    chair.click("#next")
    expect(chair.get_by_test_id("page-label")).to_have_text("Page 2 of 5")
    expect(follow).to_have_text("The chair moved to page 2")
    expect(note).to_have_value("Ask about the parking spaces on")
    expect(label).to_have_text("Page 1 of 5")
    expect(back).to_be_visible()
    on_first_screen(tablet, back)
    big_enough(back)
    shot(tablet, "note-kept-when-the-chair-turns")
    note.press_sequentially(" Market Square")
    tablet.locator(".ann-popover").get_by_role("button", name="Save").click()
    expect(tablet.locator(".ann-popover")).to_be_hidden()
    expect(layer.locator(".ann-item[data-kind=note]")).to_have_count(1)
    doc_id = tablet.evaluate("window.daisLive.state.presented.document_id")
    stored = tablet.request.get(f"/api/meetings/demo/documents/{doc_id}/annotations?page=1").json()
    assert [a["text"] for a in stored["annotations"]] == ["Ask about the parking spaces on Market Square"]
    expect(follow).to_have_text("The chair moved to page 2")   # nothing jumps when the note is saved either
    back.click()
    showing(tablet, "Page 2 of 5")
    expect(follow).to_have_text("You are following the chair")

    # Following again: with nothing being written, the chair's turn is followed at once.
    chair.click("#next")
    showing(tablet, "Page 3 of 5")
    # A note on page 3, and the chair moves on; the delegate goes back to the chair before saving it: the note
    # comes back, as typed, when they turn back to its page.
    tablet.get_by_test_id("annotator-toolbar").locator("[data-tool=note]").click()
    layer.click(position={"x": 140, "y": 200})
    note.fill("Second thought, not saved yet")
    chair.click("#next")
    expect(follow).to_have_text("The chair moved to page 4")
    back.click()
    showing(tablet, "Page 4 of 5")
    expect(note).to_have_count(0)
    tablet.click("#prev")
    showing(tablet, "Page 3 of 5")
    expect(note).to_have_value("Second thought, not saved yet")
    tablet.locator(".ann-popover").get_by_role("button", name="Save").click()
    expect(layer.locator(".ann-item[data-kind=note]")).to_have_count(1)


def test_a_portrait_tablet_asks_for_the_floor_from_the_first_screen(demo, actors):
    """At 800×1280 checking in, “Request to speak” and “Point of order” are a bar between the item's title and the page
    (under the page they were some 1,100 px down, out of sight even with no page shown): the delegate asks without
    scrolling, the page keeps at least half the height and the pager stays at the bottom. Turned to landscape, they
    are back at the top of the side column."""
    width, height = 800, 1280
    chair = actors(*WIDE)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    chair.get_by_test_id("next-item").click()   # an item open, no document shown: the empty page is the tallest thing
    expect(chair.get_by_test_id("current-item")).to_have_text(re.compile(r"^1\. "))
    tablet = actors(width, height)
    tablet.goto(demo.badge("D05"))
    expect(tablet.get_by_test_id("follow-state")).to_have_text("You are following the chair")
    speakers = tablet.locator("#speakers")
    request = speakers.get_by_role("button", name="Request to speak")
    for presented in (False, True):
        if presented:
            chair.locator(".live-doc-open", has_text=DOC).click()
            showing(tablet, "Page 1 of 5")
        expect(request).to_be_visible()
        tablet.wait_for_timeout(150)   # the page's height is measured on the next frames
        shot(tablet, f"portrait-floor-{'page' if presented else 'empty'}")
        for control in (request, speakers.get_by_role("button", name="Point of order"), tablet.locator(".live-stage .pager")):
            on_first_screen(tablet, control)
        big_enough(tablet.locator("#self-checkin button, #speakers button, #prev, #next"))
        viewer = tablet.get_by_test_id("viewer").bounding_box()
        assert viewer["height"] >= 0.5 * height, f"the page gets only {viewer['height']:.0f} px"
        no_horizontal_scroll(tablet)
        # nothing in the bar lies over anything else (a line once sat under the buttons, only fragments showing)
        overlaps = speakers.evaluate("""(box) => {
            const parts = [...box.children].filter((e) => e.getClientRects().length).map((e) => [e.className, e.getBoundingClientRect()]);
            const hits = [];
            parts.forEach(([a, r], i) => parts.slice(i + 1).forEach(([b, q]) => {
                if (r.left < q.right - 1 && q.left < r.right - 1 && r.top < q.bottom - 1 && q.top < r.bottom - 1) hits.push(`${a} / ${b}`); }));
            return hits; }""")
        assert not overlaps, f"over each other in the floor's bar: {overlaps}"

    tablet.locator("#self-checkin").get_by_role("button", name="I am here: check in").click()
    expect(tablet.locator("#self-checkin")).to_have_text("You are checked in.")
    request.click()
    expect(speakers).to_contain_text("You are number 1 on the list.")
    on_first_screen(tablet, speakers.get_by_role("button", name="Withdraw my request"))
    shot(tablet, "portrait-floor-asked")

    # Landscape: the side column as before, the page beside it; back in portrait, the bar again.
    tablet.set_viewport_size({"width": 1024, "height": 768})
    expect(tablet.locator(".live-agenda > .live-panels #speakers")).to_have_count(1)
    tablet.wait_for_timeout(150)
    on_first_screen(tablet, speakers.get_by_role("button", name="Withdraw my request"))
    panels, stage = tablet.locator(".live-panels").bounding_box(), tablet.locator(".live-stage").bounding_box()
    assert panels["x"] + panels["width"] <= stage["x"], "in landscape the floor is not beside the page"
    tablet.set_viewport_size({"width": width, "height": height})
    expect(tablet.locator(".live-stage > .live-panels #speakers")).to_have_count(1)
    on_first_screen(tablet, speakers.get_by_role("button", name="Withdraw my request"))


def test_a_landscape_tablet_reads_the_page_at_its_full_width_through_the_chairs_page_turns(demo, actors):
    """At 1024x768 an A4 page fitted whole was some 285-380 px wide, its text 5-7 px: unreadable without a pinch,
    and every page turn by the chair undid the pinch. 'Width' lays the page across the whole viewer, read by
    scrolling down; it stays through the chair's page turns and on this tablet's next visit."""
    chair = chair_presents(demo, actors)
    tablet = actors(1024, 768)
    tablet.goto(demo.badge("D02"))
    expect(tablet).to_have_url(re.compile(r"/meetings/demo/live$"))
    showing(tablet, "Page 1 of 5")
    image = tablet.locator("#viewer .pv-img")
    box = lambda locator: locator.bounding_box()   # noqa: E731
    whole = box(image)["width"]
    viewer_width = box(tablet.locator("#viewer .pv"))["width"]
    fit = tablet.get_by_test_id("fit-width")
    fit.click()
    expect(fit).to_have_attribute("aria-pressed", "true")
    wait_until(tablet, f"() => document.querySelector('#viewer .pv-img').getBoundingClientRect().width > {whole} * 1.5")
    wide = box(image)["width"]
    assert wide >= viewer_width - 40, (wide, viewer_width)
    stage = tablet.locator("#viewer .pv-stage")
    assert stage.evaluate("(s) => s.scrollHeight > s.clientHeight + 100"), "the page does not scroll down"
    assert stage.evaluate("(s) => s.scrollWidth <= s.clientWidth + 1"), "the page scrolls sideways"
    stage.evaluate("(s) => s.scrollTo(0, 400)")

    chair.click("#next")
    showing(tablet, "Page 2 of 5")
    assert abs(box(image)["width"] - wide) < 2, "the chair's page turn undid the width"
    assert stage.evaluate("(s) => s.scrollTop") == 0, "the next page does not start at its top"
    shot(tablet, "tablet-fit-width")

    tablet.reload()
    showing(tablet, "Page 2 of 5")
    expect(fit).to_have_attribute("aria-pressed", "true")
    wait_until(tablet, f"() => document.querySelector('#viewer .pv-img').getBoundingClientRect().width > {whole} * 1.5")
    fit.click()   # back to the whole page
    wait_until(tablet, f"() => Math.abs(document.querySelector('#viewer .pv-img').getBoundingClientRect().width - {whole}) < 2")


def test_a_title_cut_short_on_a_landscape_tablet_is_read_whole_with_a_tap(demo, actors):
    """Beside a landscape tablet's tools the item's title keeps to two lines (“3. Draft budget 2027 of the…”); its
    tooltip needs a mouse, so a tablet could not read the rest. A tap shows it whole, another folds it."""
    chair = actors(*WIDE)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    for _ in range(3):
        chair.get_by_test_id("next-item").click()
    expect(chair.get_by_test_id("current-item")).to_contain_text("3. Draft budget 2027")
    chair.locator(".live-doc-open", has_text="Draft budget 2027").click()   # the tablet's tools come beside the title
    expect(chair.get_by_test_id("page-label")).to_have_text("Page 1 of 12")
    tablet = delegate(demo, actors, "D05")
    tablet.set_viewport_size({"width": 1024, "height": 768})
    title = tablet.get_by_test_id("current-item")
    expect(title).to_contain_text("3. Draft budget 2027")
    cut = "(t) => t.scrollHeight > t.clientHeight + 1"
    assert title.evaluate(cut), "the long title is not cut at this width (the test needs it cut)"
    title.click()
    assert not title.evaluate(cut), "a tap did not show the whole title"
    assert title.evaluate("(t) => t.getBoundingClientRect().right <= innerWidth")
    title.click()
    assert title.evaluate(cut)
