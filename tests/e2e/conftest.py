"""End-to-end fixtures: the demo meeting on a real server process (wsgi.py), played in Debian's Chromium.

The demo data dir (migrated, agendas/demo imported, demo signing certificate, staff passwords) is made once per
session and copied for each test; each test gets its own server on a free port with badges printed for it.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM_ARGS, chromium_path
from tests.support.server import flask_cli, free_port, migrate, running_server

# The SQLite default, whatever the machine's environment says.
ENV = {"DATABASE_URL": "", "MESSAGE_QUEUE_URL": ""}


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the e2e tests (package scope: Playwright's loop must be gone before other
    tests that run asyncio, such as pyHanko's signing, or their own Playwright); each actor gets its own context (cookies, storage, viewport)."""
    path = chromium_path()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=10_000)   # a shared 2-core CI machine renders pages and answers slower than a laptop

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def pytest_configure(config):
    config.addinivalue_line("markers", "server_env(**env): extra environment for the test's Dais server")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """A data dir with the demo meeting, its signing certificate, the staff passwords (as scripts/run makes them)
    and the badge sheet; the badge codes ({seat: "/t/<token>"}) as read from the sheet's QR codes."""
    from tests.e2e.screens import badge_links

    chromium_path()   # no browser, no end-to-end test: say so before spending time on the data
    data = tmp_path_factory.mktemp("demo-template") / "data"
    migrate(data, env=ENV)
    flask_cli(data, "agenda", "import", "agendas/demo", env=ENV)
    flask_cli(data, "minutes", "demo-cert", env=ENV)
    out = flask_cli(data, "demo", "credentials", env=ENV)
    passwords = dict(re.findall(r"^\s+(admin|chair|secretary)\s+(\S+)\s*$", out, re.M))
    assert set(passwords) == {"admin", "chair", "secretary"}, out
    sheet = tmp_path_factory.mktemp("badges") / "badges.pdf"
    flask_cli(data, "badges", "demo", "--out", str(sheet), env={**ENV, "DAIS_PUBLIC_URL": "http://badge.invalid"})
    paths = {seat: url.removeprefix("http://badge.invalid") for seat, url in badge_links(sheet).items()}
    return data, passwords, paths


@dataclass
class Demo:
    """A running server on a copy of the demo data dir."""

    base: str
    data: Path
    passwords: dict[str, str]
    badge_paths: dict[str, str]
    env: dict[str, str] = field(default_factory=dict)

    def badge(self, seat: str) -> str:
        """The URL on the badge of that seat (the same code as printed; the badge is not spent by use)."""
        return self.base + self.badge_paths[seat]

    def print_badges(self) -> Path:
        """`flask badges demo` for this server's address: the sheet the secretary prints."""
        out = self.data / "badges-demo.pdf"
        flask_cli(self.data, "badges", "demo", "--out", str(out), env=self.env)
        return out


@pytest.fixture
def demo(demo_template, tmp_path, request):
    """The demo meeting served by its own wsgi.py process (extra environment: @pytest.mark.server_env(...))."""
    src, passwords, paths = demo_template
    data = tmp_path / "data"
    shutil.copytree(src, data)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    marker = request.node.get_closest_marker("server_env")
    env = {**ENV, "DAIS_PUBLIC_URL": base, **(marker.kwargs if marker else {})}
    with running_server(data, env=env, port=port) as url:
        assert url == base
        yield Demo(base=base, data=data, passwords=passwords, badge_paths=paths, env=env)


@pytest.fixture
def actors(browser, demo):
    """new(width, height[, timezone_id]) -> a fresh page in its own browser context (its clock in that zone, UTC by
    default, as the demo server's); all closed after the test."""
    contexts = []
    blocked: list[str] = []   # what the pages' Content Security Policy refused: our own pages must need nothing of it

    def new(width: int, height: int, timezone_id: str = "UTC"):
        context = browser.new_context(viewport={"width": width, "height": height}, base_url=demo.base,
                                      locale="en-GB", timezone_id=timezone_id)
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: blocked.append(f"{page.url}: {msg.text}")
                if "Content Security Policy" in msg.text else None)
        return page

    yield new
    for context in contexts:
        context.close()
    assert not blocked, f"the Content Security Policy blocked: {blocked}"
