"""People and their sign-in tokens."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.timeutil import utcnow


class User(UserMixin, db.Model):
    """A person. Staff sign in with a password; delegates with a badge or a one-time link."""

    __tablename__ = "users"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True, index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    password_hash: so.Mapped[str | None] = so.mapped_column(sa.String(256))
    is_admin: so.Mapped[bool] = so.mapped_column(default=False)
    language: so.Mapped[str | None] = so.mapped_column(sa.String(8))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password, never the password."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class SignInToken(db.Model):
    """A badge token or a one-time link, stored only as its SHA-256 hash."""

    __tablename__ = "signin_tokens"
    KIND_BADGE = "badge"
    KIND_LINK = "link"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    membership_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    kind: so.Mapped[str] = so.mapped_column(sa.String(8))
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    serial: so.Mapped[int] = so.mapped_column(default=1)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    expires_at: so.Mapped[datetime | None]
    used_at: so.Mapped[datetime | None]
    revoked_at: so.Mapped[datetime | None]

    membership = so.relationship("Membership")

    __table_args__ = (sa.CheckConstraint("kind IN ('badge', 'link')", name="kind"),)


class SignIn(db.Model):
    """One signed-in browser: made at each sign-in (password, badge, one-time link), its key kept in the session
    cookie and here only as its SHA-256 hash. A session counts while its row is not ended: signing out ends it (a
    copy of the cookie kept from before is worth nothing), and a badge reissued as lost ends every sign-in made
    with it (whoever found the badge is out, on every device and socket)."""

    __tablename__ = "signins"
    PASSWORD = "password"
    BADGE = "badge"
    LINK = "link"
    METHODS = (PASSWORD, BADGE, LINK)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    key_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # the membership whose badge or link signed in (None: a password)
    membership_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    method: so.Mapped[str] = so.mapped_column(sa.String(8))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    ended_at: so.Mapped[datetime | None]

    __table_args__ = (sa.CheckConstraint("method IN ('password', 'badge', 'link')", name="method"),)
