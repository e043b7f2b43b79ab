"""The security headers (app/headers.py): every page says what it may run and that no one may frame it."""
import re
from pathlib import Path

from app import create_app
from app.config import PROJECT_ROOT


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_pages_run_only_the_apps_own_scripts_and_are_never_framed(client):
    for path in ("/login", "/static/css/dais.css"):
        response = client.get(path)
        response.close()   # a static file's body is a file
        assert response.status_code == 200
        csp = directives(response)
        assert csp["script-src"] == "'self'"          # no inline script, no eval, no other host
        assert csp["connect-src"] == "'self'"         # sockets and fetches: this origin only
        assert csp["frame-ancestors"] == "'none'" and response.headers["X-Frame-Options"] == "DENY"
        assert csp["object-src"] == "'none'"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "camera=(self)" in response.headers["Permissions-Policy"]


def test_plain_http_on_the_room_network_keeps_working_and_secure_cookies_bring_hsts(tmp_path):
    """Without DAIS_SECURE_COOKIES the server answers http as it is (no redirect to https, a session cookie
    the browser sends back over http); with it, the cookie is Secure and https answers carry HSTS."""
    base = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a.db'}", "DATA_DIR": tmp_path}
    plain = create_app(base).test_client()
    response = plain.get("/login")
    assert response.status_code == 200 and "Strict-Transport-Security" not in response.headers
    assert "Secure" not in response.headers.get("Set-Cookie", "")
    secure_app = create_app({**base, "SESSION_COOKIE_SECURE": True})
    response = secure_app.test_client().get("/login", base_url="https://dais.test")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in response.headers["Set-Cookie"]


def test_no_template_has_an_inline_script_or_event_handler():
    """The policy runs no inline script: a template that had one would break in the browser, so none has."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|\son[a-z]+\s*=\s*\"", re.I)
    templates = Path(PROJECT_ROOT, "app", "templates").rglob("*.html")
    found = [f"{path.relative_to(PROJECT_ROOT)}: {m.group(0)}" for path in templates
             for m in inline.finditer(path.read_text(encoding="utf-8"))]
    assert not found, found
