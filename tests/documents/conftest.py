"""Documents fixtures: a meeting with a secretary, a delegate and an outsider, and render helpers."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from app.documents.models import Document
from app.documents.worker import drain
from app.extensions import db
from app.meetings.models import Membership
from tests.factories import add_member, make_meeting, make_user


@pytest.fixture
def council(app):
    """Meeting `council` (2 items): `sec` is secretary, `del1` delegate; `outsider` belongs elsewhere; `root` admin."""
    with app.app_context():
        meeting = make_meeting("council")
        add_member(meeting, "sec", Membership.SECRETARY)
        add_member(meeting, "del1", Membership.DELEGATE, seat="A1")
        other = make_meeting("other", items=1)
        add_member(other, "outsider", Membership.DELEGATE, seat="B1")
        make_user("root", admin=True)
        items = [i.id for i in meeting.items]
        db.session.commit()
        return {"slug": "council", "items": items, "meeting_id": meeting.id}


def upload(client, slug: str, item_id: int, path: Path | None = None, data: bytes | None = None,
           name: str = "report.pdf", title: str = ""):
    """POST a file to the upload route as the tablet's fetch() does (JSON reply)."""
    body = data if data is not None else Path(path).read_bytes()
    return client.post(f"/meetings/{slug}/items/{item_id}/documents",
                       data={"pdf": (io.BytesIO(body), name), "title": title},
                       headers={"Accept": "application/json"}, content_type="multipart/form-data")


def render_all(app) -> int:
    """Render everything queued, in the test process (as the CLI `flask documents render --now` does)."""
    with app.app_context():
        return drain(db.engine, Path(app.config["DATA_DIR"]))


def files_under(path: Path) -> list[Path]:
    """Every file below a directory (none if it does not exist)."""
    return sorted(p for p in Path(path).rglob("*") if p.is_file()) if Path(path).exists() else []


def only_document(app) -> Document:
    """The one document in the database."""
    with app.app_context():
        docs = db.session.query(Document).all()
        assert len(docs) == 1
        return docs[0]
