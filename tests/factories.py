"""Builders that keep tests short: meetings, members, PDFs."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pymupdf
from werkzeug.security import generate_password_hash

from app.auth.models import User
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, Membership

PASSWORD = "pw-secret-1"
# Hash once: the production hash is deliberately slow, and tests make many users.
_PASSWORD_HASH = generate_password_hash(PASSWORD)


def make_user(username: str, name: str | None = None, password: str | None = PASSWORD, admin: bool = False) -> User:
    """A user (with a password unless password=None)."""
    user = User(username=username, name=name or username.replace("-", " ").title(), is_admin=admin)
    if password == PASSWORD:
        user.password_hash = _PASSWORD_HASH
    elif password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def make_meeting(slug: str = "council", status: str = Meeting.SCHEDULED, items: int = 2) -> Meeting:
    """A meeting with `items` agenda items."""
    meeting = Meeting(slug=slug, title=f"Meeting {slug}", starts_at=datetime(2026, 12, 3, 14, 0),
                      place="Council Chamber", status=status)
    db.session.add(meeting)
    db.session.flush()
    for n in range(items):
        db.session.add(AgendaItem(meeting=meeting, position=n, title=f"Item {n + 1}"))
    db.session.flush()
    return meeting


def add_member(meeting: Meeting, username: str, role: str = Membership.DELEGATE, seat: str | None = None,
               weight: int = 1, password: str | None = PASSWORD, votes: bool | None = None) -> Membership:
    """A member of the meeting (creating the user if new); `votes`: None as the role says (a secretary does not)."""
    user = db.session.query(User).filter_by(username=username).one_or_none() or make_user(username, password=password)
    membership = Membership(meeting=meeting, user=user, role=role, seat=seat, vote_weight=weight,
                            **({} if votes is None else {"votes": votes}))
    db.session.add(membership)
    db.session.flush()
    return membership


def make_pdf(path: Path, pages: int = 3, text: str = "Budget report") -> Path:
    """A small real PDF with text on every page."""
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page()
        page.insert_text((72, 72), f"{text} — page {n + 1}", fontsize=14)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()
    return path
