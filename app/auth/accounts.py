"""Accounts as an admin keeps them: the list, a new staff account, a new password, the admin role.

Passwords are made here, never typed by the admin: the caller shows the one returned once, and only its salted
hash is stored (User.set_password). A new password ends every sign-in of the account; the last admin is kept."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.audit.service import record
from app.auth.models import User
from app.auth.service import end_user_signins
from app.errors import BadInput, Conflict, Forbidden, NotFound
from app.extensions import db
from app.meetings.models import Meeting, Membership
from app.meetings.service import USERNAME_RE

# A password read out or copied from a screen onto a tablet: no letters or digits that look alike (0/O, 1/l/I),
# no capitals, in groups of five: 20 characters of 31, about 99 random bits.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_GROUPS, PASSWORD_GROUP = 4, 5
NAME_MAX = 200


@dataclass
class Account:
    """One row of the accounts page: the user and the meetings they are on, with their role there."""

    user: User
    seats: list[tuple[Meeting, str]] = field(default_factory=list)


def accounts() -> list[Account]:
    """Every account, by name, with its meetings (newest meeting first): two queries, whatever the count."""
    users = list(db.session.scalars(sa.select(User).order_by(sa.func.lower(User.name), User.username)))
    rows = {u.id: Account(u) for u in users}
    seats = db.session.execute(sa.select(Membership.user_id, Meeting, Membership.role).join(Meeting)
                               .order_by(Meeting.starts_at.desc().nulls_last(), Meeting.id.desc()))
    for user_id, meeting, role in seats:
        if user_id in rows:
            rows[user_id].seats.append((meeting, role))
    return list(rows.values())


def get_account(user_id: int) -> Account:
    """One account with its meetings, or NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such account (any more). Go back to the list of accounts.")
    seats = db.session.execute(sa.select(Meeting, Membership.role).join(Membership)
                               .where(Membership.user_id == user.id)
                               .order_by(Meeting.starts_at.desc().nulls_last(), Meeting.id.desc())).all()
    return Account(user, [(m, role) for m, role in seats])


def new_password() -> str:
    """A strong random password, for the admin to hand over."""
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_GROUP))
                    for _ in range(PASSWORD_GROUPS))


def checked_username(username: str) -> str:
    """The username as stored (trimmed, lowercase), or BadInput saying what a username may hold."""
    wanted = (username or "").strip().lower()
    if not wanted:
        raise BadInput("Give the account a username: the person types it to sign in.")
    if not USERNAME_RE.match(wanted):
        raise BadInput("The username “%(username)s” may use only lowercase letters a–z, digits, dots and dashes "
                       "(at most 64, starting with a letter or digit), such as “nguyen-lan”.", username=wanted[:80])
    return wanted


def free_username(base: str) -> str:
    """`base`, or `base-2`, `base-3` ... : the first nobody has."""
    taken = set(db.session.scalars(sa.select(User.username).where(User.username.startswith(base[:60]))))
    if base not in taken:
        return base
    n = 2
    while f"{base[:60]}-{n}" in taken:
        n += 1
    return f"{base[:60]}-{n}"


def create_staff(username: str, name: str, is_admin: bool, actor_id: int | None) -> tuple[User, str]:
    """A new account with a new random password (the caller commits and shows the password once): the user and
    the password. A username that is not one, or is taken, and an empty name are refused with what to do."""
    wanted = checked_username(username)
    name = " ".join((name or "").split())
    if not name:
        raise BadInput("Give the person's name: it is shown on every screen and in the minutes.")
    if len(name) > NAME_MAX:
        raise BadInput("The name is longer than %(max)s characters; shorten it.", max=NAME_MAX)
    holder = db.session.scalar(sa.select(User).where(User.username == wanted))
    if holder is not None:
        raise Conflict("The username “%(username)s” is taken (by %(name)s). Choose another, such as “%(free)s”; "
                       "to give %(name)s a new password, open their account in the list.",
                       username=wanted, name=holder.name, free=free_username(wanted))
    password = new_password()
    user = User(username=wanted, name=name, is_admin=bool(is_admin))
    user.set_password(password)
    try:
        with db.session.begin_nested():   # two admins making the same username at once: the unique index decides
            db.session.add(user)
            db.session.flush()
    except IntegrityError:
        raise Conflict("The username “%(username)s” was taken a moment ago. Choose another, such as “%(free)s”.",
                       username=wanted, free=free_username(wanted))
    record("account.created", actor_id, None, user_id=user.id, username=wanted, admin=bool(is_admin))
    return user, password


def reset_password(user: User, actor_id: int | None, keep_signin: int | None = None) -> tuple[str, list[int]]:
    """Give the account a new random password (the old one stops working) and end every sign-in of it, but
    `keep_signin` (an admin's own, when they reset their own password). The caller commits, shows the password
    once and tells the ended sign-ins' sockets (signins_ended): the password and the ids ended."""
    password = new_password()
    user.set_password(password)
    ended = end_user_signins(user.id, keep_signin)
    record("account.password_reset", actor_id, None, user_id=user.id, signins_ended=len(ended))
    return password, ended


def set_admin(user: User, admin: bool, actor_id: int) -> bool:
    """Give or take the admin role (the caller commits): whether it changed. Nobody takes their own, and the last
    admin keeps it (else nobody could manage accounts or create meetings)."""
    # Lock the admins' rows (PostgreSQL; SQLite writes one at a time): two admins removing each other at the same
    # moment must leave one.
    admins = set(db.session.scalars(sa.select(User.id).where(User.is_admin.is_(True)).with_for_update()))
    if actor_id not in admins:
        raise Forbidden("Only an administrator may change who is an administrator.")
    if bool(user.is_admin) == bool(admin):
        return False
    if not admin:
        if admins <= {user.id}:
            raise Conflict("%(name)s is the last administrator: make someone else an administrator first.",
                           name=user.name)
        if user.id == actor_id:
            raise Conflict("You cannot remove your own administrator role: another administrator must do it, so "
                           "that nobody locks themselves out.")
    old = bool(user.is_admin)
    user.is_admin = bool(admin)
    db.session.flush()
    record("account.admin_changed", actor_id, None, user_id=user.id, old=old, new=bool(admin))
    return True
