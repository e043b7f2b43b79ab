"""End-to-end fixtures: the demo meeting on a real server process (wsgi.py), played in Debian's Chromium.

The demo data dir (migrated, agendas/demo imported, demo signing certificate, staff passwords) is made once per
session and copied for each test; each test gets its own server on a free port with badges printed for it.
"""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT
from tests.support.server import flask_cli, free_port, migrate, running_server

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# The SQLite default, whatever the machine's environment says.
ENV = {"DATABASE_URL": "", "MESSAGE_QUEUE_URL": ""}


def chromium_path() -> str:
    """Debian's chromium; under CI its absence fails the run, elsewhere the browser tests are skipped with the reason."""
    path = shutil.which("chromium")
    if path:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail("Debian's chromium is not installed, and the end-to-end tests need it under CI "
                    "(.ci/run installs it: apt-get install chromium).", pytrace=False)
    pytest.skip("Debian's chromium is not installed (apt-get install chromium); the end-to-end tests need it")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session; each actor gets its own context (cookies, storage, viewport)."""
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """A data dir with the demo meeting, its signing certificate and the staff passwords (as scripts/run makes them)."""
    data = tmp_path_factory.mktemp("demo-template") / "data"
    migrate(data, env=ENV)
    flask_cli(data, "agenda", "import", "agendas/demo", env=ENV)
    flask_cli(data, "minutes", "demo-cert", env=ENV)
    out = flask_cli(data, "demo", "credentials", env=ENV)
    passwords = dict(re.findall(r"^\s+(admin|chair|secretary)\s+(\S+)\s*$", out, re.M))
    assert set(passwords) == {"admin", "chair", "secretary"}, out
    return data, passwords


@dataclass
class Demo:
    """A running server on a copy of the demo data dir."""

    base: str
    data: Path
    passwords: dict[str, str]
    badges_pdf: Path
    contexts: list = field(default_factory=list)


@pytest.fixture
def demo(demo_template, tmp_path):
    """The demo meeting served by its own wsgi.py process; badges printed with this server's address."""
    src, passwords = demo_template
    data = tmp_path / "data"
    shutil.copytree(src, data)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**ENV, "DAIS_PUBLIC_URL": base}
    badges = data / "badges-demo.pdf"
    flask_cli(data, "badges", "demo", "--out", str(badges), env=env)
    with running_server(data, env=env, port=port) as url:
        assert url == base
        yield Demo(base=base, data=data, passwords=passwords, badges_pdf=badges)


@pytest.fixture
def actors(browser, demo):
    """new(name, width, height) -> a fresh page in its own browser context; all closed after the test."""
    contexts = []

    def new(width: int, height: int):
        context = browser.new_context(viewport={"width": width, "height": height}, base_url=demo.base,
                                      locale="en-GB", timezone_id="UTC")
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield new
    for context in contexts:
        context.close()
