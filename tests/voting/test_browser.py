"""A real server and a real browser: the chair opens a secret vote, a delegate votes on the tablet page,
the console shows the count, closes, and the tablet shows the result."""

import pytest
import requests

from tests.support.browser import CHROMIUM_ARGS, chromium_path
from tests.support.server import flask_cli, free_port, migrate, running_server

pytestmark = pytest.mark.slow

def test_a_delegate_votes_on_the_tablet_and_sees_the_result(tmp_path):
    chromium = chromium_path()
    from playwright.sync_api import sync_playwright

    port = free_port()
    migrate(tmp_path)
    flask_cli(tmp_path, "agenda", "import", "agendas/demo")
    out = flask_cli(tmp_path, "demo", "credentials", env={"PORT": str(port)})
    badge = next(line.split(": ", 1)[1] for line in out.splitlines() if "badge link" in line)
    chair_pw = next(line.split()[1] for line in out.splitlines() if line.strip().startswith("chair "))
    with running_server(tmp_path, port=port) as base:
        chair = requests.Session()
        token = chair.get(base + "/login", timeout=20).text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        chair.post(base + "/login", data={"username": "chair", "password": chair_pw, "csrf_token": token}, timeout=20)
        csrf = chair.get(base + "/", timeout=20).text.split('name="csrf-token" content="')[1].split('"')[0]
        headers = {"X-CSRFToken": csrf, "Accept": "application/json"}
        chair.post(base + "/meetings/demo/status", data={"value": "live", "csrf_token": csrf}, timeout=20)
        # prepared by a chair reading Vietnamese: the English tablet still reads For / Against / Abstain
        vote = chair.post(base + "/api/meetings/demo/votes", json={"question": "Adopt the budget?", "secret": True},
                          headers={**headers, "Accept-Language": "vi"}, timeout=20).json()["vote"]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            tablet = browser.new_page(viewport={"width": 768, "height": 1024})
            tablet.goto(badge)
            # The ballot's module arrives late (a slow network): the vote opens meanwhile, and the tablet must
            # still show it (the live client starts once every panel is ready, so no delta passes them by).
            held: list = []
            tablet.route("**/vote-ballot.js", lambda route: held.append(route))
            tablet.goto(base + "/meetings/demo/live", wait_until="commit")
            tablet.wait_for_selector("[data-testid=follow-state]")
            for _ in range(100):  # until the page asks for the module (and everything else has loaded)
                if held:
                    break
                tablet.wait_for_timeout(50)
            tablet.wait_for_timeout(500)
            opened = chair.post(f"{base}/api/votes/{vote['id']}/open", headers=headers, timeout=20).json()
            assert opened["ok"], opened
            assert len(held) == 1
            held[0].continue_()
            tablet.wait_for_selector("[data-testid=vote-option]", timeout=10000)
            assert tablet.locator("[data-testid=vote-option]").all_inner_texts() == ["For", "Against", "Abstain"]
            tablet.locator("[data-testid=vote-option]").first.click()
            assert "final once cast" in tablet.locator(".vote-note").inner_text()
            tablet.locator("[data-testid=vote-confirm]").click()
            tablet.wait_for_selector("[data-testid=vote-recorded]", timeout=10000)
            assert "Your ballot was recorded" in tablet.locator("[data-testid=vote-recorded]").inner_text()
            assert tablet.evaluate("document.documentElement.scrollWidth") <= 768
            console = browser.new_page(viewport={"width": 1280, "height": 900})
            console.context.add_cookies([{"name": c.name, "value": c.value, "url": base} for c in chair.cookies])
            console.goto(base + "/meetings/demo/console")
            console.wait_for_selector("[data-testid=vote-close]", timeout=10000)
            assert console.locator("[data-testid=vote-progress]").inner_text().startswith("1 of ")
            console.locator("[data-testid=vote-close]").click()
            console.wait_for_selector("[data-testid=vote-publish]", timeout=10000)
            tablet.wait_for_selector("[data-testid=vote-verdict]", timeout=10000)
            assert tablet.locator("[data-testid=vote-verdict]").inner_text() == "Adopted"
            assert tablet.locator(".vote-chart .vote-bar").count() == 3
            browser.close()
