"""The preparation page in Chromium against the real server: what a secretary in a hurry must not lose."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.screens import agenda_item, sign_in
from tests.factories import make_pdf

pytestmark = pytest.mark.slow

WIDE = (1280, 800)
BUDGET = "Draft budget 2027 of the Department of Urban Development and Transport"


def secretary_prepares(demo, actors):
    page = actors(*WIDE)
    sign_in(page, "secretary", demo.passwords["secretary"])
    page.goto("/meetings/demo/prepare")
    return page


def upload_form(page, item_title: str):
    return agenda_item(page, item_title).locator("form.upload-form")


@pytest.mark.server_env(DAIS_MAX_UPLOAD_MB="1")
def test_an_upload_keeps_what_the_secretary_is_typing_and_a_file_too_large_is_refused_before_it_is_sent(
        demo, actors, tmp_path):
    """A finished upload used to reload the page, wiping a half-typed new item (and cancelling another upload);
    now it waits for a tap when something typed would be lost. A file over the limit is refused at once."""
    page = secretary_prepares(demo, actors)
    new_item = page.locator("form", has=page.get_by_role("button", name="Add item")).locator("input[name=title]")
    new_item.fill("Question time")   # the "Add an item" form, half done
    form = upload_form(page, BUDGET)
    form.locator("input[type=file]").set_input_files(str(make_pdf(tmp_path / "annex.pdf", pages=2, text="Annex")))
    form.locator("input[name=title]").fill("Budget annex")
    page.evaluate("window.__sameLoad = true")
    form.get_by_role("button", name="Upload").click()
    expect(form.locator(".upload-status")).to_have_text("Ready: 2 pages.", timeout=30000)
    # said once when ready (not at every percent), and the keyboard's focus is still on the button pressed
    expect(page.get_by_test_id("announcer")).to_have_text("Ready: 2 pages.")
    expect(form.get_by_role("button", name="Upload")).to_be_focused()
    expect(form.get_by_role("button", name="Upload")).to_have_attribute("aria-disabled", "true")
    expect(new_item).to_have_value("Question time")
    assert page.evaluate("window.__sameLoad === true")   # not reloaded under the secretary's fingers
    form.get_by_role("button", name="Show it in the list").click()
    expect(page.locator(".doc-title", has_text="Budget annex")).to_be_visible()

    big = tmp_path / "big.pdf"
    big.write_bytes(make_pdf(tmp_path / "small.pdf", pages=1).read_bytes() + b"%" + b"x" * (1024 * 1024 + 10))
    form = upload_form(page, BUDGET)
    sent = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    form.locator("input[type=file]").set_input_files(str(big))
    form.get_by_role("button", name="Upload").click()
    expect(form.locator(".upload-status")).to_have_text("This file is larger than the limit of 1 MB.")
    assert sent == []


def test_deleting_an_item_says_what_goes_with_it_and_closing_the_meeting_asks_first(demo, actors):
    page = secretary_prepares(demo, actors)
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    fares = agenda_item(page, "Public transport fares from 1 March 2027")
    fares.get_by_role("button", name="Delete").click()
    expect(agenda_item(page, "Public transport fares")).not_to_have_count(0)   # dismissed
    assert asked and "Delete “Public transport fares from 1 March 2027” and with it 2 sub-items and 2 documents?" \
        in asked[-1], asked

    page.once("dialog", lambda d: d.accept())
    fares.get_by_role("button", name="Delete").click()
    expect(page.locator(".flash")).to_contain_text(
        "“Public transport fares from 1 March 2027” was deleted, and with it 2 sub-items and 2 documents.")
    expect(agenda_item(page, "social monthly pass")).to_have_count(0)

    page.goto("/meetings/demo/audit?kind=agenda")
    entry = page.locator("tr, li, article", has_text="Agenda item deleted").first
    expect(entry).to_contain_text("Introduction of a social monthly pass")

    page.goto("/meetings/demo/prepare")
    page.get_by_role("button", name="Make it live").click()
    expect(page.get_by_test_id("meeting-status")).to_have_text("Live")
    closing: list[str] = []
    page.once("dialog", lambda d: (closing.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Make it closed").click()
    expect(page.get_by_test_id("meeting-status")).to_have_text("Live")   # said no: still live
    assert closing and "Close the meeting?" in closing[0]


def test_the_short_name_is_checked_by_the_browser_before_it_is_sent(demo, actors):
    """Chromium refused the field's pattern (an unescaped '-' in a character class), so it never checked it."""
    admin = actors(*WIDE)
    errors: list[str] = []
    admin.on("console", lambda m: errors.append(m.text) if "pattern" in m.text.lower() else None)
    sign_in(admin, "admin", demo.passwords["admin"])
    admin.goto("/")
    short = admin.locator("input[name=slug]")
    short.fill("City Council Dec 2026")
    assert short.evaluate("el => el.checkValidity()") is False
    short.fill("council-2026-12")
    assert short.evaluate("el => el.checkValidity()") is True
    assert errors == []
