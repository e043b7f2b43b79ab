"""Sign-in: passwords for staff, badge tokens and one-time links for delegates."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta

import sqlalchemy as sa

from app.audit.service import record
from app.auth.models import SignIn, SignInToken, User
from app.errors import Gone, NotFound, Unauthorized
from app.extensions import db
from app.i18n import N_
from app.meetings.models import Meeting, Membership
from app.timeutil import utcnow

INVALID_CODE = N_(
    "This sign-in code is not valid. Scan your badge again, or ask the secretary for a new badge or link."
)


def hash_token(raw: str) -> str:
    """SHA-256 of a raw token: what the database keeps."""
    return hashlib.sha256(raw.encode()).hexdigest()


def authenticate(username: str, password: str) -> User:
    """The user with this username and password, or Unauthorized."""
    user = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
    if user is None or not user.check_password(password):
        raise Unauthorized("Wrong username or password. Check both and try again.")
    return user


def badge_token(secret_key: str, membership: Membership) -> str:
    """The raw token printed on a membership's badge (derived, so reprinting the sheet gives the same QR)."""
    msg = f"badge:{membership.id}:{membership.badge_serial}".encode()
    mac = hmac.new(secret_key.encode(), msg, hashlib.sha256).digest()
    return "b" + base64.urlsafe_b64encode(mac[:24]).decode().rstrip("=")


def ensure_badge(secret_key: str, membership: Membership) -> str:
    """Make sure the current badge token of the membership is registered; return it raw."""
    raw = badge_token(secret_key, membership)
    digest = hash_token(raw)
    exists = db.session.scalar(sa.select(SignInToken.id).where(SignInToken.token_hash == digest))
    if exists is None:
        db.session.add(
            SignInToken(
                membership_id=membership.id,
                kind=SignInToken.KIND_BADGE,
                token_hash=digest,
                serial=membership.badge_serial,
            )
        )
        db.session.flush()
    return raw


def ensure_badges(secret_key: str, memberships: list[Membership]) -> list[str]:
    """ensure_badge for many memberships in one look-up (the badge sheet): their raw tokens, in order."""
    raws = [badge_token(secret_key, m) for m in memberships]
    digests = [hash_token(raw) for raw in raws]
    known = set(db.session.scalars(sa.select(SignInToken.token_hash).where(SignInToken.token_hash.in_(digests))))
    for membership, digest in zip(memberships, digests):
        if digest not in known:
            db.session.add(SignInToken(membership_id=membership.id, kind=SignInToken.KIND_BADGE, token_hash=digest,
                                       serial=membership.badge_serial))
    db.session.flush()
    return raws


def revoke_badge(secret_key: str, membership: Membership, actor_id: int | None) -> str:
    """Revoke the membership's badge at once and register a new one; return the new raw token. (Whoever signed in
    with the old badge stays signed in until `end_badge_signins` ends those sign-ins too: the roster page does both.)"""
    now = utcnow()
    db.session.execute(
        sa.update(SignInToken)
        .where(
            SignInToken.membership_id == membership.id,
            SignInToken.kind == SignInToken.KIND_BADGE,
            SignInToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    membership.badge_serial += 1
    db.session.flush()
    record("badge.reissued", actor_id, membership.meeting_id, membership_id=membership.id,
           serial=membership.badge_serial)
    return ensure_badge(secret_key, membership)


def issue_link(membership: Membership, minutes: int, actor_id: int | None) -> str:
    """A one-time sign-in link token (single use, expires after `minutes`)."""
    raw = "l" + secrets.token_urlsafe(24)
    db.session.add(
        SignInToken(
            membership_id=membership.id,
            kind=SignInToken.KIND_LINK,
            token_hash=hash_token(raw),
            expires_at=utcnow() + timedelta(minutes=minutes),
        )
    )
    record("signin_link.issued", actor_id, membership.meeting_id, membership_id=membership.id)
    db.session.flush()
    return raw


def redeem(raw: str) -> tuple[Membership, str]:
    """The membership a badge or link signs in, and which of the two it is (SignInToken.KIND_*); a one-time link
    is spent atomically. Raises on every bad case."""
    if not raw or len(raw) > 128:
        raise NotFound(INVALID_CODE)
    token = db.session.scalar(sa.select(SignInToken).where(SignInToken.token_hash == hash_token(raw)))
    if token is None:
        raise NotFound(INVALID_CODE)
    membership = token.membership
    now = utcnow()
    if token.revoked_at is not None:
        raise Gone("This badge has been revoked (it was reported lost or replaced). Ask the secretary for your new badge.")
    if membership.meeting.status == Meeting.CLOSED:
        raise Gone("This meeting is closed, so its sign-in codes no longer work. Staff can still sign in with a password.")
    if token.kind == SignInToken.KIND_LINK:
        if token.expires_at is not None and token.expires_at < now:
            raise Gone("This sign-in link has expired. Ask the secretary for a new one.")
        # Spend the link atomically: two taps at once sign in only once.
        spent = db.session.execute(
            sa.update(SignInToken)
            .where(SignInToken.id == token.id, SignInToken.used_at.is_(None))
            .values(used_at=now)
        )
        if spent.rowcount != 1:
            db.session.rollback()
            raise Gone("This sign-in link has already been used. Each link works once; ask the secretary for a new one.")
    record("signin.token", membership.user_id, membership.meeting_id, kind=token.kind)
    return membership, token.kind


def create_user(username: str, name: str, password: str | None = None, is_admin: bool = False) -> User:
    """A new user (the caller commits)."""
    user = User(username=username.strip().lower(), name=name.strip(), is_admin=is_admin)
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def get_user(username: str) -> User:
    """The user with this username, or NotFound."""
    user = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound("There is no user “%(username)s”.", username=username)
    return user


# ----- signed-in browsers -----

SIGNIN_KEY = "signin"   # the session cookie's key of its sign-in's raw key (app.auth.models.SignIn)


def start_signin(user_id: int, method: str, membership_id: int | None = None) -> str:
    """Record a new signed-in browser and return its raw key, for the session cookie (the caller commits)."""
    raw = secrets.token_urlsafe(32)
    db.session.add(SignIn(key_hash=hash_token(raw), user_id=user_id, membership_id=membership_id, method=method))
    return raw


def _key_hash(raw: object) -> str | None:
    return hash_token(raw) if isinstance(raw, str) and 0 < len(raw) <= 128 else None


def session_user(user_id: int, raw: object) -> User | None:
    """The user a session cookie stands for: the user of its sign-in, while the sign-in has not ended (one query).

    A session without a sign-in key was made before sign-ins were recorded (the server was upgraded while it was
    open): it is taken as it was then, until the cookie's lifetime ends it (PERMANENT_SESSION_LIFETIME)."""
    if raw is None:
        return db.session.get(User, user_id)
    digest = _key_hash(raw)
    if digest is None:
        return None
    return db.session.scalar(sa.select(User).join(SignIn, SignIn.user_id == User.id)
                             .where(SignIn.key_hash == digest, SignIn.ended_at.is_(None), User.id == user_id))


def signin_id(raw: object) -> int | None:
    """The id of the sign-in with this raw key, while it has not ended."""
    digest = _key_hash(raw)
    if digest is None:
        return None
    return db.session.scalar(sa.select(SignIn.id).where(SignIn.key_hash == digest, SignIn.ended_at.is_(None)))


def _end(*where) -> list[int]:
    ids = list(db.session.scalars(sa.select(SignIn.id).where(SignIn.ended_at.is_(None), *where)))
    if ids:
        db.session.execute(sa.update(SignIn).where(SignIn.id.in_(ids)).values(ended_at=utcnow()))
    return ids


def signin_languages(ids: list[int]) -> dict[int, str | None]:
    """The interface language of each sign-in's person (None: never chosen), to tell them in it that it ended."""
    return dict(db.session.execute(sa.select(SignIn.id, User.language).join(User, User.id == SignIn.user_id)
                                   .where(SignIn.id.in_(ids))).all())


def end_signin(raw: object) -> list[int]:
    """Sign out: end the sign-in with this key (the caller commits); the ids ended."""
    digest = _key_hash(raw)
    return _end(SignIn.key_hash == digest) if digest else []


def end_badge_signins(membership_id: int) -> list[int]:
    """A badge reissued as lost: end every sign-in made with a badge of this membership (the caller commits)."""
    return _end(SignIn.membership_id == membership_id, SignIn.method == SignIn.BADGE)


def end_user_signins(user_id: int, keep: int | None = None) -> list[int]:
    """A new password: end every sign-in of this user (password, badge or link), but the sign-in `keep` (the
    caller commits); the ids ended."""
    return _end(SignIn.user_id == user_id, *([SignIn.id != keep] if keep is not None else []))
