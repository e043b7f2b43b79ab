"""Sign-in views: password, badge/link token, sign-out, language, the room QR."""
from __future__ import annotations

import base64
import io
from urllib.parse import urlsplit

import qrcode
from flask import current_app, flash, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_url, login_user, logout_user

from app.auth import bp, service
from app.auth.forms import LoginForm
from app.auth.models import SignIn, SignInToken, User
from app.errors import DomainError
from app.extensions import db, limiter, login
from app.i18n import keep_language
from app.signals import signins_ended
from app.web import error_response, wants_json


@login.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in user for a session cookie, while its sign-in has not ended (signed out, badge reissued)."""
    try:
        uid = int(user_id)
    except (TypeError, ValueError):
        return None
    return service.session_user(uid, session.get(SIGNIN_KEY))


SIGNIN_KEY = service.SIGNIN_KEY


def _signed_in(user: User, method: str, membership_id: int | None = None) -> None:
    """Start a new session for the user (a fresh cookie: nothing of the one before is kept) and record it."""
    session.clear()
    login_user(user)
    session[SIGNIN_KEY] = service.start_signin(user.id, method, membership_id)


@login.unauthorized_handler
def unauthorized():
    """Not signed in: an API caller gets 401 with a sentence (a redirect to a page is no answer to fetch()); a
    browser goes to the sign-in page and, once signed in, back where it was going."""
    if wants_json():
        return error_response(401, "unauthorized", "Sign in first: scan your badge or sign in with your password.")
    return redirect(login_url(login.login_view, next_url=request.url))


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _failed(response) -> bool:
    """Only failed sign-ins count against the rate limit."""
    return response.status_code >= 400


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
def login_page():
    """Password sign-in for admins, chairs and secretaries."""
    if current_user.is_authenticated:
        return redirect(url_for("meetings.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = service.authenticate(form.username.data or "", form.password.data or "")
        except DomainError as exc:
            flash(_("Wrong username or password. Check both and try again."), "error")
            current_app.logger.warning("failed sign-in for %r from %s", form.username.data, request.remote_addr)
            status = exc.status
        else:
            _signed_in(user, SignIn.PASSWORD)
            from app.audit.service import record

            record("signin.password", user.id)
            db.session.commit()
            return redirect(_safe_next() or url_for("meetings.index"))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


def _safe_next() -> str | None:
    """Only redirect to paths on this site: a path with no scheme and no host, and nothing a browser reads past
    (a tab, a line break or a backslash, which browsers drop or read as "/": "/\t/evil.example" became
    "//evil.example")."""
    target = request.args.get("next", "")
    if not target.startswith("/") or any(c < " " or c in "\\\x7f" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


@bp.route("/t/<token>")
@limiter.limit(_login_limit, deduct_when=_failed)
def token_signin(token: str):
    """Sign in with a badge QR or a one-time link; bad codes get a plain page and a 4xx."""
    try:
        membership, kind = service.redeem(token)
    except DomainError as exc:
        current_app.logger.warning("refused sign-in code from %s: %s", request.remote_addr, exc.code)
        return error_response(exc.status, exc.code, exc.localized())
    _signed_in(membership.user, SignIn.BADGE if kind == SignInToken.KIND_BADGE else SignIn.LINK, membership.id)
    session["meeting"] = membership.meeting.slug
    db.session.commit()
    return redirect(url_for("live.tablet", slug=membership.meeting.slug))


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out (POST, CSRF-protected, so no link can sign someone out): the sign-in ends on the server, so a copy
    of the cookie is worth nothing after, and this browser's sockets close."""
    ended = service.end_signin(session.get(SIGNIN_KEY))
    db.session.commit()
    logout_user()
    session.clear()
    if ended:
        signins_ended.send(None, ids=ended, reason="signed_out")
    return redirect(url_for("auth.login_page"))


@bp.route("/lang/<code>", methods=["POST"])
def set_language(code: str):
    """Choose the interface language (kept on the user, or in the session before sign-in)."""
    if keep_language(code) and current_user.is_authenticated:
        current_user.language = code
        db.session.commit()
    return redirect(_safe_next() or request.referrer or url_for("meetings.index"))


def public_base_url() -> str:
    """The address tablets use to reach this server (DAIS_PUBLIC_URL, else the request's host)."""
    return (current_app.config.get("PUBLIC_URL") or request.host_url).rstrip("/")


def only_this_machine(url: str) -> bool:
    """Whether an address opens on this computer only (localhost, 127.x, ::1): links and badges made with it do
    not work on the tablets, and the page that shows them says so."""
    import ipaddress
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@bp.route("/room")
def room():
    """A page with the room's QR code: any tablet scans it to reach the sign-in page."""
    return render_template("auth/room.html", url=public_base_url() + url_for("auth.login_page"))


@bp.route("/room/qr.png")
def room_qr():
    """The room QR as a PNG."""
    return send_png_qr(public_base_url() + url_for("auth.login_page"))


def qr_png(data: str) -> bytes:
    """A QR code for `data`, as PNG bytes."""
    buf = io.BytesIO()
    qrcode.make(data, box_size=10, border=2).save(buf, format="PNG")
    return buf.getvalue()


def qr_data_url(data: str) -> str:
    """A QR code for `data` inside the page (a data: URL), for a secret that must not travel in another URL."""
    return "data:image/png;base64," + base64.b64encode(qr_png(data)).decode("ascii")


def send_png_qr(data: str):
    """A QR code for `data` as a PNG response."""
    return send_file(io.BytesIO(qr_png(data)), mimetype="image/png", max_age=0)


@bp.route("/account")
@login_required
def account():
    """Who am I: name and memberships."""
    return redirect(url_for("meetings.index"))
