"""Sign-in: passwords, badges, one-time links, and every bad token case."""
import os
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth import service
from app.auth.models import SignInToken
from app.extensions import db
from app.meetings.models import Meeting
from app.timeutil import utcnow
from tests.factories import add_member, make_meeting, make_user


@pytest.fixture
def seated(ctx):
    """A scheduled meeting with a chair (password) and a delegate (badge only)."""
    meeting = make_meeting("council")
    add_member(meeting, "chair", "chair", "C1")
    delegate = add_member(meeting, "delegate-01", "delegate", "D01", password=None)
    db.session.commit()
    return meeting.id, delegate.id


def test_password_signin_and_signout(client, auth, seated):
    assert auth.login("chair").status_code == 302
    page = client.get("/")
    assert "Meeting council" in page.get_data(as_text=True)
    auth.logout()
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("username,password", [("chair", "wrong"), ("nobody", "pw-secret-1"), ("", "")])
def test_wrong_credentials_are_refused_plainly(client, auth, seated, username, password):
    response = auth.login(username, password) if username else client.post("/login", data={})
    assert response.status_code in (400, 401)
    text = response.get_data(as_text=True)
    if username:
        assert "Wrong username or password" in text
    assert client.get("/").status_code == 302  # still signed out


def test_passwords_are_stored_hashed(ctx, seated):
    from app.auth.models import User

    user = db.session.scalar(sa.select(User).where(User.username == "chair"))
    assert user.password_hash and "pw-secret-1" not in user.password_hash


def test_failed_signins_are_rate_limited(app, client, auth, seated):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    codes = [auth.login("chair", "wrong").status_code for _ in range(4)]
    assert codes[:3] == [401, 401, 401] and codes[3] == 429
    assert "Too many attempts" in auth.login("chair", "wrong").get_data(as_text=True)


def test_badge_signs_in_to_the_meeting(app, client, auth, seated):
    meeting_id, membership_id = seated
    with app.app_context():
        from app.meetings.models import Membership

        raw = service.ensure_badge(app.config["SECRET_KEY"], db.session.get(Membership, membership_id))
        db.session.commit()
        stored = db.session.scalars(sa.select(SignInToken.token_hash)).all()
    assert raw not in stored and service.hash_token(raw) in stored
    response = auth.badge(raw)
    assert response.status_code == 302 and response.headers["Location"].endswith("/meetings/council/live")
    assert client.get("/meetings/council").status_code == 200
    # A badge works again and again until the meeting closes.
    auth.logout()
    assert auth.badge(raw).status_code == 302


def _badge(app, membership_id):
    from app.meetings.models import Membership

    with app.app_context():
        raw = service.ensure_badge(app.config["SECRET_KEY"], db.session.get(Membership, membership_id))
        db.session.commit()
        return raw


def test_revoked_badge_stops_at_once_and_the_new_one_works(app, client, auth, seated):
    _, membership_id = seated
    old = _badge(app, membership_id)
    with app.app_context():
        from app.meetings.models import Membership

        new = service.revoke_badge(app.config["SECRET_KEY"], db.session.get(Membership, membership_id), None)
        db.session.commit()
    response = auth.badge(old)
    assert response.status_code == 410
    assert "revoked" in response.get_data(as_text=True)
    assert auth.badge(new).status_code == 302


def test_badge_of_a_closed_meeting_is_refused(app, auth, seated):
    meeting_id, membership_id = seated
    raw = _badge(app, membership_id)
    with app.app_context():
        db.session.get(Meeting, meeting_id).status = Meeting.CLOSED
        db.session.commit()
    response = auth.badge(raw)
    assert response.status_code == 410 and "meeting is closed" in response.get_data(as_text=True)


@pytest.mark.parametrize("token", ["bforgedforgedforgedforgedforgedfo", "x", "l" + "A" * 32, "b" * 300])
def test_forged_or_unknown_codes_get_a_plain_404(auth, seated, token):
    response = auth.badge(token)
    assert response.status_code == 404
    assert "This sign-in code is not valid" in response.get_data(as_text=True)


def test_one_time_link_works_once(app, client, auth, seated):
    _, membership_id = seated
    with app.app_context():
        from app.meetings.models import Membership

        raw = service.issue_link(db.session.get(Membership, membership_id), 15, None)
        db.session.commit()
    assert auth.badge(raw).status_code == 302
    auth.logout()
    again = auth.badge(raw)
    assert again.status_code == 410 and "already been used" in again.get_data(as_text=True)


def test_expired_link_is_refused(app, auth, seated):
    _, membership_id = seated
    with app.app_context():
        from app.meetings.models import Membership

        raw = service.issue_link(db.session.get(Membership, membership_id), 15, None)
        token = db.session.scalar(sa.select(SignInToken).where(SignInToken.token_hash == service.hash_token(raw)))
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = auth.badge(raw)
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)


def test_secretary_hands_out_a_link_from_the_roster(app, client, auth, seated):
    _, membership_id = seated
    with app.app_context():
        meeting = db.session.get(Meeting, seated[0])
        add_member(meeting, "secretary", "secretary", "S1")
        db.session.commit()
    auth.login("secretary")
    page = client.post(f"/meetings/council/members/{membership_id}/link").get_data(as_text=True)
    assert "One-time sign-in link for Delegate 01" in page
    link = page.split('class="mono big break">')[1].split("<")[0]
    assert link.startswith("http://dais.test/t/l")
    auth.logout()
    other = app.test_client()
    assert other.get(link.replace("http://dais.test", "")).status_code == 302


def test_links_and_badges_made_with_an_address_only_this_computer_opens_carry_a_warning(app, client, auth, seated):
    """Served as http://127.0.0.1:5000, the roster's links, badges and QR codes pointed there, and a tablet scanning
    them found nothing, with no word why on the screen."""
    from app.auth.routes import only_this_machine

    assert [only_this_machine(u) for u in ("http://127.0.0.1:5000", "http://localhost:5000/x", "http://[::1]:80",
                                           "http://127.8.0.1", "http://dais.localhost")] == [True] * 5
    assert [only_this_machine(u) for u in ("http://192.168.1.20:5000", "https://dais.city.gov", "http://10.0.0.2",
                                           "http://localhost-server.lan")] == [False] * 4
    _, membership_id = seated
    with app.app_context():
        add_member(db.session.get(Meeting, seated[0]), "secretary", "secretary", "S1")
        db.session.commit()
    auth.login("secretary")
    warning = 'data-testid="address-warning"'
    assert warning not in client.get("/meetings/council/roster").get_data(as_text=True)   # set to dais.test
    app.config["PUBLIC_URL"] = None   # none set: the address the page was opened by
    here = {"base_url": "http://127.0.0.1:5000"}
    page = client.post(f"/meetings/council/members/{membership_id}/link", **here).get_data(as_text=True)
    assert warning in page and "This address (http://127.0.0.1:5000) opens on this computer only" in page
    assert warning in client.get("/room", **here).get_data(as_text=True)
    app.config["PUBLIC_URL"] = "http://192.168.1.20:5000"   # the address the administrator set: no warning
    assert warning not in client.get("/meetings/council/roster", **here).get_data(as_text=True)


def test_delegate_cannot_hand_out_links(app, client, auth, seated):
    _, membership_id = seated
    with app.app_context():
        meeting = db.session.get(Meeting, seated[0])
        add_member(meeting, "delegate-02", "delegate", "D02")
        db.session.commit()
    auth.login("delegate-02")
    response = client.post(f"/meetings/council/members/{membership_id}/link")
    assert response.status_code == 403
    assert "Only the chair or secretary" in response.get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite(client, auth, seated):
    response = auth.login("chair")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_forms_need_a_csrf_token(app, seated):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = client.post("/login", data={"username": "chair", "password": "pw-secret-1"})
    assert response.status_code == 400
    assert "form has expired" in response.get_data(as_text=True)


def test_admin_flag_is_separate_from_meeting_roles(ctx):
    admin = make_user("root", admin=True)
    db.session.commit()
    assert admin.is_admin and admin.check_password("pw-secret-1")


@pytest.mark.parametrize("target,lands_on", [
    ("/meetings/council", "/meetings/council"),
    ("/meetings/council?tab=votes", "/meetings/council?tab=votes"),
    ("//evil.example", "/"),
    ("/\t/evil.example", "/"),            # a tab that the URL drops: "//evil.example"
    ("/%09/evil.example", "/"),           # the same, sent encoded
    ("/\\evil.example", "/"),             # a backslash that browsers read as "/"
    ("/\n/evil.example", "/"),
    ("https://evil.example/", "/"),
    ("javascript:alert(1)", "/"),
])
def test_after_signing_in_the_next_address_stays_on_this_site(client, seated, target, lands_on):
    """An address in ?next= is followed only to a page of this site: a phishing link that signs a chair in on the
    real server must not then take them to another."""
    from urllib.parse import quote

    response = client.post(f"/login?next={quote(target, safe='/%?=')}",
                           data={"username": "chair", "password": "pw-secret-1"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == lands_on, location
    assert "evil" not in location


@pytest.fixture
def app_with(database_url, tmp_path):
    """Apps on this test's database with a sign-in limit of 3 a minute and these settings (disposed after)."""
    from app import create_app

    made = []

    def make(**config):
        made.append(create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                                "DATA_DIR": tmp_path / "data", "WTF_CSRF_ENABLED": False,
                                "LOGIN_RATE_LIMIT": "3 per minute", **config}))
        return made[-1]
    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def _attempt(client, address: str, password: str = "wrong", remote: str = "127.0.0.1") -> int:
    return client.post("/login", data={"username": "chair", "password": password},
                       headers={"X-Forwarded-For": address}, environ_base={"REMOTE_ADDR": remote}).status_code


def test_without_a_proxy_a_claimed_address_does_not_escape_the_limit(app_with, seated):
    """With no proxy configured, X-Forwarded-For is the client's own claim: believing it would lift the limit."""
    client = app_with().test_client()
    assert [_attempt(client, f"10.0.0.{n}") for n in range(1, 5)] == [401, 401, 401, 429]


def test_behind_a_proxy_each_tablet_has_its_own_limit(app_with, seated):
    """Behind nginx (DAIS_PROXIES=1) every request comes from the proxy's address: one person's failed attempts
    must not lock everyone in the room out, so the address nginx forwards is the one counted."""
    client = app_with(PROXIES=1).test_client()
    assert [_attempt(client, "10.0.0.1") for _ in range(4)] == [401, 401, 401, 429]
    assert _attempt(client, "10.0.0.2") == 401                    # another tablet is not locked out
    assert _attempt(client, "10.0.0.2", "pw-secret-1") == 302      # and the chair signs in from it


def test_several_processes_share_one_count_through_redis(app_with, seated, monkeypatch):
    """With a Redis message queue (several processes), the failed sign-ins are counted there, not per process
    (three processes allowed the limit three times over)."""
    import uuid

    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not reachable at {url}; set TEST_REDIS_URL")
    monkeypatch.setenv("MESSAGE_QUEUE_URL", url)
    monkeypatch.delenv("DAIS_RATELIMIT_STORAGE_URI", raising=False)
    channel = f"dais-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("MESSAGE_QUEUE_CHANNEL", channel)
    one, two = app_with(), app_with()
    assert (one.config["RATELIMIT_STORAGE_URI"], one.config["RATELIMIT_KEY_PREFIX"]) == (url, f"dais:{channel}")
    first, second = one.test_client(), two.test_client()
    me = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"   # a count of its own
    assert [_attempt(client, "x", remote=me) for client in (first, second, first, second)] == [401, 401, 401, 429]


@pytest.fixture
def council(app):
    """As `seated`, with a secretary, and no app context held over the test: each request below is its own, as
    in a browser (a held context would share Flask-Login's cached user between the test's clients)."""
    with app.app_context():
        meeting = make_meeting("council")
        add_member(meeting, "chair", "chair", "C1")
        add_member(meeting, "secretary", "secretary", "S1")
        delegate = add_member(meeting, "delegate-01", "delegate", "D01", password=None)
        db.session.commit()
        return meeting.id, delegate.id


def _signed_in_reads(client) -> int:
    return client.get("/api/meetings/council/votes", headers={"Accept": "application/json"}).status_code


def test_a_badge_reported_lost_signs_out_whoever_used_it_on_every_device_and_socket(app, client, auth, council):
    """Whoever found the lost badge and signed in with it is out the moment the secretary reissues it: their pages,
    their API calls and their open socket (through which they could vote), and the socket cannot come back. The
    member's other sign-ins (the secretary's one-time link) and the staff are not touched."""
    from app.extensions import socketio

    meeting_id, membership_id = council
    finder = app.test_client()
    assert finder.get(f"/t/{_badge(app, membership_id)}").status_code == 302
    owner = app.test_client()                      # the member on a second device, by a one-time link
    with app.app_context():
        from app.meetings.models import Membership

        link = service.issue_link(db.session.get(Membership, membership_id), 15, None)
        db.session.commit()
    assert owner.get(f"/t/{link}").status_code == 302
    socket = socketio.test_client(app, flask_test_client=finder)
    assert socket.is_connected()
    assert socket.emit("meeting.join", {"meeting": meeting_id}, callback=True)["ok"]
    assert _signed_in_reads(finder) == 200

    auth.login("secretary")
    reissued = client.post(f"/meetings/council/members/{membership_id}/reissue")
    assert reissued.status_code == 200, reissued.get_data(as_text=True)[-3000:]
    assert not socket.is_connected()
    assert _signed_in_reads(finder) == 401
    assert finder.get("/meetings/council").status_code == 302        # to the sign-in page
    assert not socketio.test_client(app, flask_test_client=finder).is_connected()
    assert _signed_in_reads(owner) == 200                              # the link's sign-in stands
    assert _signed_in_reads(client) == 200                             # and the secretary's


def test_signing_out_ends_the_session_on_the_server_so_a_copied_cookie_is_worth_nothing(app, client, auth, council):
    from app.extensions import socketio

    meeting_id, _ = council
    auth.login("chair")
    cookie = client.get_cookie("session", domain="dais.test").value
    socket = socketio.test_client(app, flask_test_client=client)
    assert socket.emit("meeting.join", {"meeting": meeting_id}, callback=True)["ok"]
    assert auth.logout().status_code == 302
    assert not socket.is_connected()
    thief = app.test_client()
    thief.set_cookie("session", cookie, domain="dais.test")
    assert _signed_in_reads(thief) == 401
    assert not socketio.test_client(app, flask_test_client=thief).is_connected()
    auth.login("chair")                                                # signing in again works as ever
    assert _signed_in_reads(client) == 200


def test_sign_ins_are_kept_as_hashes_and_each_sign_in_is_its_own(app, client, auth, council):
    from app.auth.models import SignIn

    auth.login("chair")
    first = client.get_cookie("session", domain="dais.test").value
    auth.logout()
    auth.login("chair")
    with app.app_context():
        rows = db.session.scalars(sa.select(SignIn).order_by(SignIn.id)).all()
        assert [(r.method, r.ended_at is not None) for r in rows] == [("password", True), ("password", False)]
        assert all(len(r.key_hash) == 64 for r in rows)
    assert client.get_cookie("session", domain="dais.test").value != first
