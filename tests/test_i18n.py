"""Languages: every main screen in Vietnamese and English, the catalogue complete, dates the Vietnamese way."""
from __future__ import annotations

import ast
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


def html_lang(code: str) -> re.Pattern:
    """The page's <html> element says it is in this language (whatever other attributes it carries)."""
    return re.compile(rf'<html\b[^>]*\blang="{code}"')


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
        user_data |= {m.user.username for m in meeting.memberships}   # the roster shows accounts under names
        user_data |= {d.title for i in meeting.items for d in i.documents}
        db.session.commit()
        return {"slug": meeting.slug, "meeting": meeting.id, "doc": doc.id, "display": display, "delegate": delegate, "user_data": user_data}


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
        assert html_lang("vi").search(html), name
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
        assert html_lang("en").search(html), name
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
    assert html_lang("vi").search(r.get_data(as_text=True)) and "Đăng nhập" in r.get_data(as_text=True)
    r = client.get("/login", headers={"Accept-Language": "de-DE,en;q=0.5"})
    assert html_lang("en").search(r.get_data(as_text=True))
    # Chosen on the button, kept on the user: another browser with an English Accept-Language still gets Vietnamese.
    client.post("/login", data={"username": "chair", "password": PASSWORD})
    client.post("/lang/vi")
    other = app.test_client()
    other.post("/login", data={"username": "chair", "password": PASSWORD})
    r = other.get("/", headers={"Accept-Language": "en"})
    assert html_lang("vi").search(r.get_data(as_text=True)) and "Cuộc họp của tôi" in r.get_data(as_text=True)


def test_refusals_are_translated(app, demo):
    """A DomainError's sentence reaches a Vietnamese user in Vietnamese, as a page and as JSON."""
    client = app.test_client()
    client.post("/lang/vi")
    r = client.get("/t/not-a-real-code")
    assert r.status_code >= 400 and html_lang("vi").search(r.get_data(as_text=True))
    assert not untranslated(r.get_data(as_text=True), english_msgids(), demo["user_data"])
    client.post("/login", data={"username": demo["delegate"], "password": PASSWORD})
    client.post("/lang/vi")
    r = client.get("/api/meetings/no-such-meeting/documents/1/annotations?page=x", headers={"Accept": "application/json"})
    assert r.status_code in (400, 404) and r.is_json
    message = r.get_json()["message"]
    assert message and not untranslated(f"<p>{message}</p>", english_msgids(), set())


# ----- refusals: a fixed sentence per refusal, every one in the catalogue -----

APP_DIR = PROJECT_ROOT / "app"
MO = CATALOG.with_suffix(".mo")


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _refusal_kinds(trees: dict[str, ast.Module]) -> set[str]:
    """DomainError and every class that derives from it (BadInput, SigningError, MinutesConflict, …)."""
    kinds, grew = {"DomainError"}, True
    while grew:
        grew = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in kinds and {_name(b) for b in node.bases} & kinds:
                    kinds.add(node.name)
                    grew = True
    return kinds


def _built(node: ast.AST) -> bool:
    """A sentence put together at run time: an f-string, `+`/`%` on strings, "…".format(…), a choice of two."""
    return (isinstance(node, (ast.JoinedStr, ast.BinOp, ast.IfExp))
            or isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format")


def _marked_constants(tree: ast.Module) -> dict[str, str]:
    """Module-level NAME = N_("…") (a sentence catalogued where it is defined)."""
    out = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Call) and _name(node.value.func) == "N_"
                and isinstance(node.value.args[0], ast.Constant)):
            out[node.targets[0].id] = node.value.args[0].value
    return out


def refusal_sentences(sources: dict[str, str]) -> tuple[list[str], set[tuple[str | None, str]]]:
    """(problems, msgids): every refusal raised with a sentence built at run time or not catalogued where it is
    defined; and the (context, msgid) of every refusal, fill-in (Phrase, Term) and N_() mark."""
    trees = {path: ast.parse(text, path) for path, text in sources.items()}
    kinds = _refusal_kinds(trees)
    problems: list[str] = []
    msgids: set[tuple[str | None, str]] = set()
    for path, tree in trees.items():
        marked = _marked_constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func, args = _name(node.func), node.args
            where = f"{path}:{node.lineno}"
            if func in kinds or func == "Phrase":
                first = args[0] if args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    msgids.add((None, first.value))
                elif func in kinds and isinstance(first, ast.Name) and first.id in marked:
                    msgids.add((None, marked[first.id]))
                elif func in kinds or first is None or _built(first):
                    problems.append(f"{where}: {func}({ast.unparse(first) if first else ''}) is not a fixed sentence")
            elif func == "Term":
                if len(args) == 2 and all(isinstance(a, ast.Constant) for a in args):
                    msgids.add((args[0].value, args[1].value))
                else:
                    problems.append(f"{where}: Term needs a context and a word, both written out")
            elif func == "N_" and args and isinstance(args[0], ast.Constant):
                msgids.add((None, args[0].value))
    return problems, msgids


def untranslated_msgids(msgids: set[tuple[str | None, str]]) -> list[tuple[str | None, str]]:
    """The msgids the compiled Vietnamese catalogue has no translation for."""
    from babel.messages.mofile import read_mo

    with MO.open("rb") as fh:
        compiled = {(_text(m.context), _first(m.id)): _first(m.string) for m in read_mo(fh) if m.id}
    return [key for key in sorted(msgids, key=lambda k: (k[0] or "", k[1])) if not compiled.get(key)]


def _app_sources() -> dict[str, str]:
    return {str(p.relative_to(PROJECT_ROOT)): p.read_text(encoding="utf-8") for p in sorted(APP_DIR.rglob("*.py"))}


def test_every_refusal_is_a_fixed_sentence_with_a_vietnamese_translation():
    problems, msgids = refusal_sentences(_app_sources())
    assert problems == []
    assert len(msgids) > 250  # the refusals of every domain, with their fill-ins
    assert ("vote state", "closed") in msgids and (None, "There is no vote %(id)s.") in msgids
    assert untranslated_msgids(msgids) == []


def test_the_refusal_checker_finds_built_and_untranslated_sentences():
    """The test above can fail: f-strings, concatenation, .format() and uncatalogued sentences are caught."""
    source = '''
from app.errors import BadInput, Phrase, Term
from app.minutes.service import MinutesConflict
UNMARKED = "Nothing here."
class Mine(MinutesConflict):
    pass
def refuse(n, title):
    raise Mine(f"Page {n} of “{title}” is missing.", {})
    raise BadInput("Page " + str(n) + " is missing.")
    raise BadInput("Page {} is missing.".format(n))
    raise BadInput(UNMARKED)
    raise BadInput(Phrase("A clause %(n)s.", n=n) if n else "no page")
    raise BadInput("Nobody has translated this sentence.")
    return Term("vote state", title)
'''
    problems, msgids = refusal_sentences({**_app_sources(), "app/example.py": source})
    assert [p.split(":")[1] for p in problems] == ["8", "9", "10", "11", "12", "14"], problems
    assert untranslated_msgids(msgids) == [(None, "A clause %(n)s."), (None, "Nobody has translated this sentence.")]


def _signed_in(app, username: str, lang: str):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    client.post(f"/lang/{lang}")
    return client


def test_a_refused_vote_reaches_each_user_in_their_language_with_its_fill_ins(app, demo):
    from app.voting.models import Vote

    vi, en = _signed_in(app, "chair", "vi"), _signed_in(app, "root", "en")
    made = vi.post(f"/api/meetings/{demo['slug']}/votes", json={"question": "Thông qua dự toán?"})
    assert made.status_code == 201, made.get_json()
    vote_id = made.get_json()["vote"]["id"]
    with app.app_context():
        db.session.get(Vote, vote_id).state = Vote.CLOSED
        db.session.commit()
    refused = vi.post(f"/api/votes/{vote_id}/open", headers={"Accept": "application/json"})
    assert refused.status_code == 409
    assert refused.get_json()["message"] == f"Không thể mở biểu quyết {vote_id}: biểu quyết đang ở trạng thái “đã đóng”."
    refused = en.post(f"/api/votes/{vote_id}/close", headers={"Accept": "application/json"})
    assert refused.get_json()["message"] == f"Cannot close vote {vote_id}: it is closed."
    # A validation message (pydantic's own is English only) and a role list.
    bad = vi.post(f"/api/meetings/{demo['slug']}/votes", json={"question": "", "duration_seconds": 2})
    assert bad.status_code == 400
    assert bad.get_json()["message"] == ("Hãy kiểm tra lại biểu mẫu: “nội dung biểu quyết” không được để trống; "
                                         "“thời gian biểu quyết” phải ít nhất là 5.")
    delegate = _signed_in(app, demo["delegate"], "vi")
    refused = delegate.post(f"/api/votes/{vote_id}/open", headers={"Accept": "application/json"})
    assert refused.status_code == 403
    assert refused.get_json()["message"] == "Chỉ chủ tọa của cuộc họp này (hoặc quản trị viên) mới được làm việc này."


def test_a_socket_refusal_reaches_a_vietnamese_user_in_vietnamese(app, demo):
    from app.extensions import socketio

    with app.app_context():
        from app.documents.models import Document

        doc = db.session.get(Document, demo["doc"])
        title, pages = doc.title, doc.page_count
    chair = socketio.test_client(app, flask_test_client=_signed_in(app, "chair", "vi"))
    meeting = chair.emit("meeting.join", {"meeting": demo["meeting"]}, callback=True)
    assert meeting["ok"], meeting
    ack = chair.emit("chair.present", {"meeting": demo["meeting"], "document": demo["doc"], "page": pages + 7},
                     callback=True)
    assert ack == {"ok": False, "error": "bad_input",
                   "message": f"Không có trang {pages + 7}: “{title}” có các trang từ 1 đến {pages}."}
    ack = chair.emit("chair.present", {"meeting": demo["meeting"], "document": demo["doc"], "page": "2"},
                     callback=True)
    assert ack["message"] == "Sự kiện bị từ chối: “page” phải là số nguyên."
    delegate = socketio.test_client(app, flask_test_client=_signed_in(app, demo["delegate"], "vi"))
    ack = delegate.emit("chair.next_item", {"meeting": demo["meeting"]}, callback=True)
    assert ack["message"] == "Chỉ chủ tọa hoặc thư ký của cuộc họp này mới được gửi “chair.next_item”."
    # vote.cast takes a shorter road than other events (no request context unless it is refused)
    ack = delegate.emit("vote.cast", {"meeting": demo["meeting"], "vote": 999999, "options": [1]}, callback=True)
    assert ack == {"ok": False, "error": "not_found", "message": "Không có biểu quyết 999999."}
    ack = delegate.emit("vote.cast", {"meeting": demo["meeting"], "vote": 1, "options": "Tán thành"}, callback=True)
    assert ack["message"].startswith("Sự kiện bị từ chối: “options”"), ack
    english = socketio.test_client(app, flask_test_client=_signed_in(app, "secretary", "en"))
    ack = english.emit("chair.present", {"meeting": demo["meeting"], "document": demo["doc"], "page": pages + 7},
                       callback=True)
    assert ack["message"] == f"Page {pages + 7} does not exist: “{title}” has pages 1 to {pages}."
