"""Accounts as an admin keeps them (app/auth/accounts.py): passwords made by the server, stored hashed, a new one
ends every sign-in, the last admin kept."""
from __future__ import annotations

import re

import pytest

from app.audit.service import entries
from app.auth import accounts, service
from app.auth.models import SignIn, User
from app.errors import BadInput, Conflict
from app.extensions import db
from app.meetings.models import Membership
from tests.factories import add_member, make_meeting, make_user


def test_a_new_staff_account_gets_a_strong_password_kept_only_hashed(ctx):
    root = make_user("root", admin=True)
    user, password = accounts.create_staff("  New-Chair ", "  Lan   Nguyen ", False, root.id)
    db.session.commit()
    assert (user.username, user.name, user.is_admin) == ("new-chair", "Lan Nguyen", False)
    assert len(password) >= 20 and password not in (user.password_hash or "")
    # read off a screen onto a tablet: four groups of five, nothing that looks like something else
    assert re.fullmatch(r"[a-z2-9]{5}(-[a-z2-9]{5}){3}", password) and not set(password) & set("01ilo"), password
    assert user.check_password(password) and service.authenticate("new-chair", password).id == user.id
    [entry] = entries(action="account.created")
    assert entry.meeting_id is None and entry.actor_id == root.id
    assert entry.detail == {"user_id": user.id, "username": "new-chair", "admin": False}
    assert password not in repr(entry.detail) and user.password_hash not in repr(entry.detail)


def test_two_accounts_never_get_the_same_password(ctx):
    _, one = accounts.create_staff("one", "One", False, None)
    _, two = accounts.create_staff("two", "Two", False, None)
    assert one != two


@pytest.mark.parametrize("username,says", [
    ("", "Give the account a username"),
    ("Lan Nguyen", "may use only lowercase letters"),
    ("lan/../x", "may use only lowercase letters"),
    ("-lan", "may use only lowercase letters"),
    ("x" * 65, "may use only lowercase letters"),
])
def test_a_username_that_is_not_one_is_refused_with_what_a_username_holds(ctx, username, says):
    with pytest.raises(BadInput) as exc:
        accounts.create_staff(username, "Lan", False, None)
    assert says in exc.value.message
    assert db.session.query(User).count() == 0


def test_a_taken_username_is_refused_naming_its_holder_and_a_free_one(ctx):
    make_user("lan", "Lan Tran")
    make_user("lan-2")
    with pytest.raises(Conflict) as exc:
        accounts.create_staff("LAN", "Lan Nguyen", False, None)
    assert "“lan” is taken (by Lan Tran)" in exc.value.message and "“lan-3”" in exc.value.message


def test_no_name_is_refused(ctx):
    with pytest.raises(BadInput, match="Give the person's name"):
        accounts.create_staff("lan", "   ", False, None)


def test_the_list_holds_every_account_by_name_with_its_meetings_and_roles(ctx):
    meeting = make_meeting("council")
    add_member(meeting, "zoe", Membership.CHAIR)
    add_member(meeting, "adam", password=None)
    make_user("root", "Root", admin=True)
    db.session.commit()
    rows = accounts.accounts()
    assert [a.user.username for a in rows] == ["adam", "root", "zoe"]
    assert [(m.slug, role) for m, role in rows[2].seats] == [("council", "chair")]
    assert rows[1].seats == [] and rows[0].user.password_hash is None


def _signed_in(user_id: int, method: str = SignIn.PASSWORD) -> int:
    service.start_signin(user_id, method)
    db.session.flush()
    return db.session.query(SignIn).order_by(SignIn.id.desc()).first().id


def test_a_new_password_replaces_the_old_and_ends_every_sign_in_of_the_account(ctx):
    root = make_user("root", admin=True)
    chair = make_user("chair")
    other = make_user("other")
    mine = [_signed_in(chair.id), _signed_in(chair.id, SignIn.BADGE)]
    theirs = _signed_in(other.id)
    password, ended = accounts.reset_password(chair, root.id)
    db.session.commit()
    assert sorted(ended) == sorted(mine)
    assert not chair.check_password("pw-secret-1") and chair.check_password(password)
    assert db.session.get(SignIn, theirs).ended_at is None
    [entry] = entries(action="account.password_reset")
    assert entry.detail == {"user_id": chair.id, "signins_ended": 2} and entry.meeting_id is None


def test_a_new_password_of_ones_own_keeps_the_sign_in_it_was_made_from(ctx):
    root = make_user("root", admin=True)
    here, elsewhere = _signed_in(root.id), _signed_in(root.id)
    _, ended = accounts.reset_password(root, root.id, keep_signin=here)
    assert ended == [elsewhere]


def test_admin_role_given_and_taken_and_audited(ctx):
    root = make_user("root", admin=True)
    chair = make_user("chair")
    assert accounts.set_admin(chair, True, root.id) is True
    assert accounts.set_admin(chair, True, root.id) is False   # twice: nothing more
    assert accounts.set_admin(chair, False, root.id) is True
    db.session.commit()
    assert not chair.is_admin
    assert [e.detail for e in entries(action="account.admin_changed")] == [
        {"user_id": chair.id, "old": False, "new": True}, {"user_id": chair.id, "old": True, "new": False}]


def test_the_last_admin_keeps_the_role_and_nobody_removes_their_own(ctx):
    root = make_user("root", admin=True)
    with pytest.raises(Conflict, match="Root is the last administrator"):
        accounts.set_admin(root, False, root.id)
    other = make_user("other", admin=True)
    with pytest.raises(Conflict, match="cannot remove your own administrator role"):
        accounts.set_admin(root, False, root.id)
    assert root.is_admin and other.is_admin
    assert entries(action="account.admin_changed") == []
