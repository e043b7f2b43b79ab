"""The accounts page (/accounts), as an admin, a chair, a delegate and a stranger see it."""
from __future__ import annotations

import re

import pytest

from app.audit.service import entries
from app.auth.models import User
from app.extensions import db
from app.meetings.models import Membership
from tests.factories import add_member, make_meeting, make_user


@pytest.fixture
def people(app):
    """An admin, and a meeting with a chair and a delegate (badge only): their ids. (No app context stays open
    around the requests: flask_login would keep the first client's user in it for every client.)"""
    with app.app_context():
        make_user("root", "Root Admin", admin=True)
        meeting = make_meeting("council")
        add_member(meeting, "chair", Membership.CHAIR, "C1")
        add_member(meeting, "delegate-01", seat="D01", password=None)
        db.session.commit()
        return {u.username: u.id for u in db.session.query(User)}


@pytest.fixture
def stored(app):
    """stored(fn): fn() run in a fresh app context, for what the database holds after the requests."""
    def run(fn):
        with app.app_context():
            return fn()
    return run


def user(username: str) -> User | None:
    return db.session.query(User).filter_by(username=username).one_or_none()


def shown_password(html: str) -> str:
    return re.search(r'data-testid="shown-password">([^<]+)<', html).group(1)


def test_an_admin_sees_every_account_with_its_meetings_and_a_find_box(client, auth, people):
    auth.login("root")
    html = client.get("/accounts").get_data(as_text=True)
    assert html.count('data-testid="account-row"') == 3
    for text in ("Root Admin", "Chair", "delegate-01", "Meeting council: Chair", "Meeting council: Delegate",
                 "Badge only", "Administrator", 'data-find="#accounts"'):
        assert text in html
    assert f'href="/accounts/{people["chair"]}"' in html


def test_admins_reach_the_page_from_their_meetings_page_and_menu_and_others_do_not(client, auth, people):
    auth.login("root")
    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="accounts-link"' in home and 'data-testid="menu-accounts"' in home
    auth.logout()
    auth.login("chair")
    home = client.get("/").get_data(as_text=True)
    assert "/accounts" not in home


@pytest.mark.parametrize("who", ["chair", "delegate-01"])
def test_anyone_but_an_admin_is_refused_and_sees_no_account(app, client, auth, people, stored, who):
    if who == "chair":
        auth.login("chair")
    else:
        from app.auth.service import ensure_badge

        def badge():
            raw = ensure_badge(app.config["SECRET_KEY"], db.session.query(Membership).filter_by(user_id=people[who]).one())
            db.session.commit()
            return raw

        assert client.get(f"/t/{stored(badge)}").status_code == 302
    for method, url, data in [("GET", "/accounts", None), ("GET", f"/accounts/{people['root']}", None),
                              ("POST", "/accounts", {"username": "mine", "name": "Mine", "admin": "y"}),
                              ("POST", f"/accounts/{people['chair']}/password", {}),
                              ("POST", f"/accounts/{people[who]}/admin", {"value": "yes"})]:
        response = client.open(url, method=method, data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 403, (method, url)
        assert "Only an administrator manages accounts." in html and "Root Admin" not in html
    assert stored(lambda: user("mine")) is None
    assert not stored(lambda: user(who).is_admin)


def test_a_stranger_is_sent_to_sign_in(client, people):
    response = client.get("/accounts")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_a_new_account_shows_its_password_once_and_it_signs_in(app, client, auth, people, stored):
    auth.login("root")
    response = client.post("/accounts", data={"username": "new-chair", "name": "Lan Nguyen"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    password = shown_password(html)
    assert "Account created: Lan Nguyen" in html and "new-chair" in html
    assert "It is not shown again" in html
    made, kept_hash = stored(lambda: (user("new-chair").id, user("new-chair").password_hash))
    assert not stored(lambda: user("new-chair").is_admin)
    assert kept_hash and password not in kept_hash
    [detail] = stored(lambda: [e.detail for e in entries(action="account.created")])
    assert detail == {"user_id": made, "username": "new-chair", "admin": False}
    assert password not in repr(detail) and kept_hash not in repr(detail)
    assert password not in client.get(f"/accounts/{made}").get_data(as_text=True)   # never again
    assert password not in client.get("/accounts").get_data(as_text=True)
    other = app.test_client()
    assert other.post("/login", data={"username": "new-chair", "password": password}).status_code == 302
    assert "Lan Nguyen" in other.get("/").get_data(as_text=True)


def test_an_admin_account_can_be_made_on_the_page(client, auth, people, stored):
    auth.login("root")
    client.post("/accounts", data={"username": "second", "name": "Second Admin", "admin": "y"})
    assert stored(lambda: user("second").is_admin)


def test_a_taken_username_gives_the_form_back_as_typed_with_what_to_do(client, auth, people, stored):
    auth.login("root")
    response = client.post("/accounts", data={"username": "Chair", "name": "Văn <b>Chair</b> Two", "admin": "y"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The username “chair” is taken (by Chair). Choose another, such as “chair-2”" in html
    assert 'value="Chair"' in html and 'value="Văn &lt;b&gt;Chair&lt;/b&gt; Two"' in html
    assert re.search(r'name="admin"[^>]*checked|checked[^>]*name="admin"', html)
    assert "<b>Chair</b>" not in html
    assert stored(lambda: db.session.query(User).count()) == 3


@pytest.mark.parametrize("data,says", [
    ({"username": "Lan Nguyen", "name": "Lan"}, "may use only lowercase letters"),
    ({"username": "", "name": "Lan"}, "Username (lowercase letters, digits, dashes): Fill in this field"),
    ({"username": "lan", "name": ""}, "Name: Fill in this field"),
    ({"username": "x" * 65, "name": "Lan"}, "Use at most 64 characters"),
])
def test_a_bad_username_or_no_name_is_refused_with_a_sentence(client, auth, people, stored, data, says):
    auth.login("root")
    response = client.post("/accounts", data=data)
    assert response.status_code == 400
    assert says in response.get_data(as_text=True)
    assert stored(lambda: db.session.query(User).count()) == 3


def test_a_new_password_works_the_old_one_no_longer_and_their_other_sign_ins_end(app, client, auth, people, stored):
    chair = app.test_client()
    assert chair.post("/login", data={"username": "chair", "password": "pw-secret-1"}).status_code == 302
    assert chair.get("/").status_code == 200
    auth.login("root")
    page = client.get(f"/accounts/{people['chair']}").get_data(as_text=True)
    assert "data-confirm=" in page and "New password" in page
    response = client.post(f"/accounts/{people['chair']}/password")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "New password for Chair" in html
    password = shown_password(html)
    response = chair.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]   # signed out
    assert app.test_client().post("/login", data={"username": "chair", "password": "pw-secret-1"}).status_code == 401
    assert app.test_client().post("/login", data={"username": "chair", "password": password}).status_code == 302
    [(actor, detail)] = stored(lambda: [(e.actor_id, e.detail) for e in entries(action="account.password_reset")])
    assert actor == people["root"] and detail == {"user_id": people["chair"], "signins_ended": 1}
    assert password not in repr(detail)


def test_an_admin_who_resets_their_own_password_stays_signed_in_here(client, auth, people, stored):
    auth.login("root")
    password = shown_password(client.post(f"/accounts/{people['root']}/password").get_data(as_text=True))
    assert client.get("/accounts").status_code == 200
    assert stored(lambda: user("root").check_password(password))


def test_admin_role_given_then_taken_with_a_flash(client, auth, people, stored):
    auth.login("root")
    response = client.post(f"/accounts/{people['chair']}/admin", data={"value": "yes"}, follow_redirects=True)
    assert "Chair is an administrator now." in response.get_data(as_text=True)
    assert stored(lambda: user("chair").is_admin)
    response = client.post(f"/accounts/{people['chair']}/admin", data={"value": "no"}, follow_redirects=True)
    assert "Chair is no longer an administrator." in response.get_data(as_text=True)
    assert not stored(lambda: user("chair").is_admin)
    assert stored(lambda: len(entries(action="account.admin_changed"))) == 2


def test_the_last_admin_and_ones_own_role_are_kept_with_a_sentence(client, auth, people, stored):
    auth.login("root")
    response = client.post(f"/accounts/{people['root']}/admin", data={"value": "no"})
    assert response.status_code == 409
    assert "Root Admin is the last administrator: make someone else an administrator first." in \
        response.get_data(as_text=True)
    client.post(f"/accounts/{people['chair']}/admin", data={"value": "yes"})
    response = client.post(f"/accounts/{people['root']}/admin", data={"value": "no"})
    assert response.status_code == 409
    assert "You cannot remove your own administrator role" in response.get_data(as_text=True)
    assert stored(lambda: user("root").is_admin)


@pytest.mark.parametrize("value", ["", "maybe"])
def test_an_admin_form_without_a_choice_is_refused(client, auth, people, value):
    auth.login("root")
    response = client.post(f"/accounts/{people['chair']}/admin", data={"value": value})
    assert response.status_code == 400 and "Make administrator" in response.get_data(as_text=True)


def test_an_unknown_account_is_404(client, auth, people):
    auth.login("root")
    assert client.get("/accounts/999999").status_code == 404
    assert client.post("/accounts/999999/password").status_code == 404


def test_forms_without_a_csrf_token_are_refused_and_change_nothing(app, client, auth, people, stored):
    auth.login("root")
    app.config["WTF_CSRF_ENABLED"] = True
    for url, data in [("/accounts", {"username": "sneaky", "name": "Sneaky", "admin": "y"}),
                      (f"/accounts/{people['chair']}/password", {}),
                      (f"/accounts/{people['chair']}/admin", {"value": "yes"})]:
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "form has expired" in response.get_data(as_text=True)
    assert not stored(lambda: user("chair").is_admin)
    assert stored(lambda: user("chair").check_password("pw-secret-1"))
    assert stored(lambda: user("sneaky")) is None
    assert stored(lambda: entries(action="account.created") + entries(action="account.password_reset")) == []


def test_a_new_password_closes_the_accounts_open_sockets_saying_why(app, client, auth, people):
    """The chair's console (a socket) is told in words that a new password signed it out, then closed; it cannot
    come back with the old session."""
    from app.extensions import socketio

    chair = app.test_client()
    chair.post("/login", data={"username": "chair", "password": "pw-secret-1"})
    socket = socketio.test_client(app, flask_test_client=chair)
    with app.app_context():
        from app.meetings.models import Meeting

        meeting_id = db.session.query(Meeting.id).scalar()
    assert socket.emit("meeting.join", {"meeting": meeting_id}, callback=True)["ok"]
    socket.get_received()
    auth.login("root")
    assert client.post(f"/accounts/{people['chair']}/password").status_code == 200
    said = [m["args"][0] for m in socket.queue if m["name"] == "live.signed_out"]   # (closed: no get_received)
    assert [m["reason"] for m in said] == ["password_reset"]
    assert said[0]["message"] == ("An administrator gave your account a new password, so this device is signed out. "
                                  "Sign in with the new password.")
    assert not socket.is_connected()
    assert not socketio.test_client(app, flask_test_client=chair).is_connected()
