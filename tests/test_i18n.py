"""Languages: every main screen in Vietnamese and English, the catalogue complete, dates the Vietnamese way."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po

from app.config import PROJECT_ROOT
from app.extensions import db
from app.live.service import create_display_link
from app.meetings.models import Membership
from app.meetings.packs import import_pack
from tests.factories import PASSWORD, make_user

CATALOG = PROJECT_ROOT / "app" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
DEMO = PROJECT_ROOT / "agendas" / "demo"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
VISIBLE_ATTRS = {"placeholder", "title", "aria-label", "alt"}


def load_catalog():
    with CATALOG.open("rb") as fh:
        return read_po(fh, locale="vi")


def english_msgids() -> list[str]:
    """Every English text of the catalogue whose Vietnamese is different (so seeing it means it was not translated)."""
    out = []
    for m in load_catalog():
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for msgid in ids:
            if msgid.strip() and msgid not in strings and re.search(r"[A-Za-z]{2}", msgid):
                out.append(msgid)
    return out


def _matcher(msgid: str) -> re.Pattern:
    """A msgid as a whole-text pattern: each %(name)s stands for some text."""
    parts = PLACEHOLDER.split(msgid)
    pattern = "".join(re.escape(p.replace("%%", "%")) if i % 2 == 0 else ".+?" for i, p in enumerate(parts))
    return re.compile(r"\s*" + pattern + r"\s*", re.S)


class _Texts(HTMLParser):
    """Visible text nodes, visible attributes and the strings inside the pages' JSON blobs for scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.json_strings: list[str] = []
        self._in: str | None = None
        self._json = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._in = tag
            self._json = tag == "script" and attrs.get("type") == "application/json"
        for key in VISIBLE_ATTRS & attrs.keys():
            if attrs[key]:
                self.texts.append(attrs[key])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in, self._json = None, False

    def handle_data(self, data):
        if self._in is None:
            if data.strip():
                self.texts.append(" ".join(data.split()))
        elif self._json and data.strip():
            _walk(json.loads(data), self.json_strings)


def _walk(value, out):
    # Lower-case identifiers ("members", "live") are settings and states, not text for people.
    if isinstance(value, str):
        if not re.fullmatch(r"[a-z_]+", value):
            out.append(value)
    elif isinstance(value, dict):
        for v in value.values():
            _walk(v, out)
    elif isinstance(value, list):
        for v in value:
            _walk(v, out)


def untranslated(html: str, msgids: list[str], user_data: set[str]) -> list[str]:
    """The English msgids that a page shows as text, in an attribute, or hands to its scripts."""
    parser = _Texts()
    parser.feed(html)
    found = set()
    candidates = [s for s in parser.texts + parser.json_strings if s.strip() and s.strip() not in user_data]
    for msgid in msgids:
        pattern = _matcher(msgid)
        for text in candidates:
            # Whole-text match, or a long sentence inside a longer text (short words could be user data).
            if pattern.fullmatch(text) or (len(msgid.split()) >= 4 and "%(" not in msgid and msgid in text):
                found.add(msgid)
    return sorted(found)


# ----- the catalogue -----

def test_every_catalogue_entry_has_a_vietnamese_translation():
    catalog = load_catalog()
    assert catalog.plural_forms == "nplurals=1; plural=0;"
    problems = []
    for m in catalog:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.fuzzy or not all(s.strip() for s in strings):
            problems.append(m.id)
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        wanted = sorted(set(PLACEHOLDER.findall(" ".join(ids))))
        for s in strings:
            if sorted(set(PLACEHOLDER.findall(s))) != wanted:
                problems.append(("placeholders", m.id, s))
    assert problems == [], problems
    assert len(catalog) > 400


def _first(value):
    return value[0] if isinstance(value, (list, tuple)) else value


def _text(value):
    return value.decode() if isinstance(value, bytes) else value


def test_compiled_catalogue_is_up_to_date():
    mo = CATALOG.with_suffix(".mo")
    assert mo.exists(), "run scripts/i18n compile"
    from babel.messages.mofile import read_mo

    with mo.open("rb") as fh:
        compiled = {(_text(m.context), _first(m.id)): _first(m.string) for m in read_mo(fh) if m.id}
    for m in load_catalog():
        if m.id:
            assert compiled.get((m.context, _first(m.id))) == _first(m.string), f"{m.id!r}: the .mo is older than the .po; run scripts/i18n compile"


# ----- the screens -----

@pytest.fixture
def demo(app):
    """The demo pack, a signed-in-able chair/delegate/admin, a document and a wall-screen link."""
    cfg = app.config
    with app.app_context():
        meeting, _ = import_pack(DEMO, data_dir=cfg["DATA_DIR"], max_pages=cfg["MAX_PDF_PAGES"],
                                 max_bytes=cfg["MAX_UPLOAD_MB"] * 1024 * 1024)
        root = make_user("root", name="Root Admin", admin=True)
        for m in meeting.memberships:
            m.user.password_hash = root.password_hash
        doc = next(d for item in meeting.items for d in item.documents)
        display = create_display_link(meeting, None)
        delegate = next(m.user.username for m in meeting.memberships if m.role == Membership.DELEGATE)
        user_data = {meeting.title, meeting.place}
        user_data |= {i.title for i in meeting.items} | {m.user.name for m in meeting.memberships}
        user_data |= {d.title for i in meeting.items for d in i.documents}
        db.session.commit()
        return {"slug": meeting.slug, "doc": doc.id, "display": display, "delegate": delegate, "user_data": user_data}


def screens(demo) -> dict[str, tuple[str, str]]:
    """Screen name -> (who signs in, path)."""
    s, doc = demo["slug"], demo["doc"]
    screens = {
        "sign-in": (None, "/login"),
        "my meetings": ("chair", "/"),
        "agenda": ("chair", f"/meetings/{s}"),
        "prepare": ("root", f"/meetings/{s}/prepare"),
        "roster": ("root", f"/meetings/{s}/roster"),
        "audit log": ("root", f"/meetings/{s}/audit"),
        "check-in": ("secretary", f"/meetings/{s}/checkin"),
        "attendance board": ("chair", f"/meetings/{s}/attendance"),
        "minutes editor": ("secretary", f"/meetings/{s}/minutes"),
        "live tablet": (demo["delegate"], f"/meetings/{s}/live"),
        "chair console": ("chair", f"/meetings/{s}/console"),
        "wall screen": (None, f"/display/{demo['display']}"),
        "document reader": (demo["delegate"], f"/meetings/{s}/documents/{doc}"),
        "my notes": (demo["delegate"], f"/meetings/{s}/notes"),
        "not found": ("chair", "/meetings/no-such-meeting"),
    }
    return screens


def render(app, who: str | None, path: str, lang: str):
    """A fresh browser: choose the language with the language button (before or after signing in), open the page."""
    client = app.test_client()
    if who:
        r = client.post("/login", data={"username": who, "password": PASSWORD})
        assert r.status_code == 302, (who, r.status_code)
    client.post(f"/lang/{lang}")
    return client.get(path, follow_redirects=True)


def test_every_screen_in_vietnamese_shows_no_english(app, demo):
    msgids = english_msgids()
    failures, rendered = {}, []
    for name, (who, path) in screens(demo).items():
        r = render(app, who, path, "vi")
        html = r.get_data(as_text=True)
        assert r.status_code in (200, 404), (name, r.status_code)
        assert '<html lang="vi">' in html, name
        found = untranslated(html, msgids, demo["user_data"])
        if found:
            failures[name] = found
        rendered.append(name)
    assert failures == {}, failures
    assert len(rendered) == len(screens(demo))


def test_every_screen_in_english_is_english(app, demo):
    vi_only = {"Chương trình nghị sự", "Đăng nhập", "Đăng xuất", "Đại biểu"}
    for name, (who, path) in screens(demo).items():
        r = render(app, who, path, "en")
        html = r.get_data(as_text=True)
        assert r.status_code in (200, 404), (name, r.status_code)
        assert '<html lang="en">' in html, name
        assert not [w for w in vi_only if w in html], name


def test_the_checker_finds_english(app, demo):
    """The test above can fail: an English page is full of catalogue strings."""
    html = render(app, "chair", f"/meetings/{demo['slug']}", "en").get_data(as_text=True)
    found = untranslated(html, english_msgids(), demo["user_data"])
    assert "Agenda" in found and "Sign out" in found


def test_agenda_date_is_vietnamese(app, demo):
    html = render(app, "chair", f"/meetings/{demo['slug']}", "vi").get_data(as_text=True)
    # 3 December 2026, 14:00 (a Thursday) the Vietnamese way: day, "tháng 12", year; 24-hour time.
    assert re.search(r"thứ năm, 3 tháng 12, 2026, 14:00", html, re.I), re.findall(r"[^<>]*2026[^<>]*", html)
    assert "December" not in html and "Thursday" not in html
    en = render(app, "chair", f"/meetings/{demo['slug']}", "en").get_data(as_text=True)
    assert "Thursday, December 3, 2026" in en


def test_first_visit_follows_the_browser_and_the_choice_sticks(app, demo):
    client = app.test_client()
    r = client.get("/login", headers={"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.5"})
    assert '<html lang="vi">' in r.get_data(as_text=True) and "Đăng nhập" in r.get_data(as_text=True)
    r = client.get("/login", headers={"Accept-Language": "de-DE,en;q=0.5"})
    assert '<html lang="en">' in r.get_data(as_text=True)
    # Chosen on the button, kept on the user: another browser with an English Accept-Language still gets Vietnamese.
    client.post("/login", data={"username": "chair", "password": PASSWORD})
    client.post("/lang/vi")
    other = app.test_client()
    other.post("/login", data={"username": "chair", "password": PASSWORD})
    r = other.get("/", headers={"Accept-Language": "en"})
    assert '<html lang="vi">' in r.get_data(as_text=True) and "Cuộc họp của tôi" in r.get_data(as_text=True)


def test_refusals_are_translated(app, demo):
    """A DomainError's sentence reaches a Vietnamese user in Vietnamese, as a page and as JSON."""
    client = app.test_client()
    client.post("/lang/vi")
    r = client.get("/t/not-a-real-code")
    assert r.status_code >= 400 and '<html lang="vi">' in r.get_data(as_text=True)
    assert not untranslated(r.get_data(as_text=True), english_msgids(), demo["user_data"])
    client.post("/login", data={"username": demo["delegate"], "password": PASSWORD})
    client.post("/lang/vi")
    r = client.get("/api/meetings/no-such-meeting/documents/1/annotations?page=x", headers={"Accept": "application/json"})
    assert r.status_code in (400, 404) and r.is_json
    message = r.get_json()["message"]
    assert message and not untranslated(f"<p>{message}</p>", english_msgids(), set())
