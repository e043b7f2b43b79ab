"""The minutes editor in a real browser against the real server (wsgi.py): autosave, offline retry, conflict."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from app import create_app
from app.config import PROJECT_ROOT
from app.extensions import db
from app.meetings.models import Membership
from app.minutes import service
from tests.factories import add_member, make_meeting
from tests.support.browser import CHROMIUM_ARGS, chromium_path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """wsgi.py serving a fresh SQLite database with meeting “council” and its secretary."""
    data = tmp_path / "data"
    url = f"sqlite:///{tmp_path / 'dais.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": data})
    with app.app_context():
        db.create_all()
        meeting = make_meeting("council", items=2)
        add_member(meeting, "secretary", Membership.SECRETARY, seat="S1")
        db.session.commit()
        item_ids = [i.id for i in sorted(meeting.items, key=lambda i: i.position)]
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "DAIS_DATA_DIR": str(data), "PORT": str(port), "HOST": "127.0.0.1"}
    proc = subprocess.Popen([sys.executable, "wsgi.py"], cwd=PROJECT_ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/login", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield app, base, item_ids
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        with app.app_context():
            db.engine.dispose()


def stored(app, item_id):
    with app.app_context():
        row = service.item_minutes(item_id)
        return (row.notes, row.version) if row else None


def test_typing_saves_survives_going_offline_and_shows_a_conflict(server):
    chromium = chromium_path()
    from playwright.sync_api import expect, sync_playwright

    app, base, (first, second) = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 768, "height": 1024})
        page = context.new_page()
        page.goto(base + "/login")
        page.fill("#username", "secretary")
        page.fill("#password", "pw-secret-1")
        page.click("main button[type=submit]")
        page.goto(base + "/meetings/council/minutes")
        state = page.locator("#save-state")
        expect(state).to_have_text("All changes saved")

        notes = page.locator(f'[data-item="{first}"] textarea[data-field="notes"]')
        # each field is described by its item, and the item's save state
        expect(notes).to_have_accessible_description(re.compile(r"^1 Item 1"))
        notes.fill("Nguyễn Thị Mai opened the session.")
        expect(state).to_have_text("All changes saved", timeout=5000)
        assert stored(app, first) == ("Nguyễn Thị Mai opened the session.", 1)
        # a save that went well is shown, not said: a screen reader is not told at every pause in typing
        announcer = page.get_by_test_id("announcer")
        expect(announcer).to_have_text("")
        expect(state).not_to_have_attribute("aria-live", re.compile("."))

        # The connection drops: the text stays on the device and the page says it is retrying.
        context.set_offline(True)
        notes.fill("Nguyễn Thị Mai opened the session. Quorum reached.")
        expect(state).to_contain_text("Not saved", timeout=5000)
        expect(announcer).to_contain_text("1 Item 1: Not saved")
        kept = page.evaluate(f"localStorage.getItem('dais:minutes:council:{first}')")
        assert "Quorum reached." in kept
        assert stored(app, first)[1] == 1
        context.set_offline(False)
        expect(state).to_have_text("All changes saved", timeout=10000)
        expect(announcer).to_have_text("Saved again: all changes saved")
        assert stored(app, first) == ("Nguyễn Thị Mai opened the session. Quorum reached.", 2)
        assert page.evaluate(f"localStorage.getItem('dais:minutes:council:{first}')") is None

        # Someone else saves item 2 meanwhile: this editor's save is refused and both texts are shown.
        with app.app_context():
            from app.meetings.models import AgendaItem

            service.save_item_minutes(db.session.get(AgendaItem, second), "Their notes", "", 0, None)
            db.session.commit()
        other = page.locator(f'[data-item="{second}"]')
        other.locator('textarea[data-field="notes"]').fill("My notes")
        expect(state).to_have_text("Not saved — someone else changed this item", timeout=5000)
        expect(other.locator('[data-role="their-notes"]')).to_have_text("Their notes")
        expect(announcer).to_have_text(
            "2 Item 2: not saved — someone else changed this item. Choose which version to keep.")
        expect(other.locator('textarea[data-field="notes"]')).to_have_attribute("aria-invalid", "true")
        other.locator('[data-action="keep-mine"]').click()
        # the buttons hide; the focus is back in the text it was about, not lost to the top of the page
        expect(other.locator('textarea[data-field="notes"]')).to_be_focused()
        expect(state).to_have_text("All changes saved", timeout=5000)
        expect(other.locator('textarea[data-field="notes"]')).not_to_have_attribute("aria-invalid", "true")
        assert stored(app, second) == ("My notes", 2)
        assert page.evaluate("document.documentElement.scrollWidth") <= 768  # no horizontal scroll on a tablet
        browser.close()
