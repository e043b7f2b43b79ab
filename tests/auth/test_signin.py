"""Sign-in: passwords, badges, one-time links, and every bad token case."""
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
