"""The admin's accounts page in Chromium against the real server: a new chair's account made, its password read
off the screen once and used on another device."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.screens import big_enough, no_horizontal_scroll, shot, sign_in

pytestmark = pytest.mark.slow


def test_an_admin_makes_a_chairs_account_and_the_password_shown_once_signs_them_in(demo, actors):
    admin = actors(1280, 800)
    sign_in(admin, "admin", demo.passwords["admin"])
    admin.get_by_test_id("accounts-link").click()          # from where admins land: their meetings page
    expect(admin.get_by_role("heading", name="Accounts")).to_be_visible()
    rows = admin.get_by_test_id("account-row")
    expect(rows.filter(has_text="admin")).to_have_count(1)
    total = rows.count()
    assert total >= 3
    admin.get_by_test_id("accounts-find").fill("secretary")
    expect(admin.get_by_test_id("accounts-find-count")).to_contain_text(f"of {total} shown")
    admin.get_by_test_id("accounts-find").fill("")
    admin.get_by_test_id("new-account").locator("summary").click()
    no_horizontal_scroll(admin)
    big_enough(admin.locator("#accounts .btn"))
    shot(admin, "accounts")

    form = admin.get_by_test_id("new-account")
    form.get_by_label("Username").fill("new-chair")
    form.get_by_label("Name", exact=True).fill("Lan Nguyễn")
    form.get_by_role("button", name="Create account").click()
    shown = admin.get_by_test_id("new-password")
    expect(shown).to_contain_text("It is not shown again")
    expect(admin.get_by_test_id("shown-username")).to_have_text("new-chair")
    password = admin.get_by_test_id("shown-password").inner_text().strip()
    assert len(password) >= 20
    shot(admin, "accounts-password")

    tablet = actors(768, 1024)
    sign_in(tablet, "new-chair", password)
    expect(tablet.get_by_test_id("signed-in-as")).to_contain_text("Lan Nguyễn")

    admin.get_by_role("link", name="Done").click()          # the account's page: the password is not there again
    expect(admin.get_by_role("heading", name="Lan Nguyễn")).to_be_visible()
    assert password not in admin.content()
    admin.goto("/accounts")
    expect(rows.filter(has_text="new-chair")).to_have_count(1)
    admin.set_viewport_size({"width": 768, "height": 1024})
    no_horizontal_scroll(admin)
    shot(admin, "accounts")
