"""Render progress: the numbers for one document, and the watcher that pushes them to the staff room."""
from __future__ import annotations

import sqlalchemy as sa

from app.documents import queue
from app.documents.models import Document, PdfFile
from app.extensions import db


def progress_of(doc: Document, pending: int | None = None) -> dict:
    """`document.progress` payload: pages ready at the default width, of how many."""
    if pending is None:
        pending = queue.pending_at_default(db.session.connection(), [doc.sha256]).get(doc.sha256, 0)
    pages = doc.pdf.page_count
    rendered = max(0, pages - pending)
    return {"document_id": doc.id, "sha256": doc.sha256, "rendered": rendered, "pages": pages,
            "done": rendered >= pages}


class ProgressWatch:
    """Remembers what was last pushed, so each change is pushed once (and `done` exactly once)."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}

    def tick(self) -> list[dict]:
        """Compare the queue with the last look; emit the changes; return the payloads emitted."""
        from app.documents.broadcast import push_progress

        pending = queue.pending_at_default(db.session.connection())
        changed = {sha: n for sha, n in pending.items() if self.last.get(sha) != n}
        finished = {sha: 0 for sha in self.last if sha not in pending}
        self.last = dict(pending)
        todo = {**changed, **finished}
        sent = []
        if todo:
            docs = db.session.scalars(sa.select(Document).join(PdfFile).where(Document.sha256.in_(list(todo))))
            for doc in docs:
                payload = progress_of(doc, todo[doc.sha256])
                push_progress(doc.meeting_id, payload)
                sent.append(payload)
        db.session.rollback()  # end the read transaction: the next tick must see new commits
        return sent
