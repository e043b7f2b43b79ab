"""Every real-world PDF in ../shared/pdfs is rendered page by page, or refused with a clear sentence."""
from __future__ import annotations

import time

import pymupdf
import pytest
import sqlalchemy as sa

from app.documents import queue
from app.documents.models import Document, PdfFile, PdfPage
from app.documents.pool import start_pool, stop_pool
from app.documents.render import EAGER_WIDTHS, page_path
from app.documents.service import attach_pdf
from app.documents.worker import _failed_page
from app.errors import BadInput
from app.extensions import db
from app.meetings.models import AgendaItem


@pytest.fixture(scope="module")
def page_store(tmp_path_factory):
    """One data dir for both databases: the second run finds the images made by the first (as a server
    would after a restart), so the 117-page book is drawn once per test session, and its text read twice."""
    return tmp_path_factory.mktemp("shared-pdf-store")


def test_every_shared_pdf_renders_or_is_refused_clearly(app, council, shared_pdfs, page_store):
    files = sorted(shared_pdfs.glob("*.pdf"))
    assert len(files) >= 13
    app.config["DATA_DIR"] = data_dir = page_store
    refused, accepted = {}, {}
    with app.app_context():
        item = db.session.get(AgendaItem, council["items"][0])
        for path in files:  # read in place: attach_pdf stores its own content-addressed copy
            try:
                doc = attach_pdf(item, path, filename=path.name, title=None, data_dir=data_dir,
                                 max_pages=app.config["MAX_PDF_PAGES"], max_bytes=50 * 1024 * 1024)
                db.session.commit()
                accepted[path.name] = (doc.sha256, doc.page_count)
            except BadInput as exc:
                db.session.rollback()
                refused[path.name] = exc.message
    assert refused == {
        "005-libreoffice-writer-password--libreoffice-writer-password.pdf":
            "“005-libreoffice-writer-password--libreoffice-writer-password.pdf”: "
            "this document is password-protected; upload an unprotected copy.",
        # Its cross-reference table points past the objects: MuPDF and poppler both find no drawable page.
        "017-unreadable-meta-data--unreadablemetadata.pdf":
            "“017-unreadable-meta-data--unreadablemetadata.pdf”: this file is damaged: it has no readable pages. "
            "Export it to PDF again and upload the new copy.",
    }
    assert accepted["009-pdflatex-geotopo--GeoTopo-komprimiert.pdf"][1] == 117

    pool = start_pool(app, workers=2, monitor=False)  # two worker processes, as in production
    try:
        deadline = time.monotonic() + 120
        with app.app_context():
            while queue.pending_total(db.session.connection()) and time.monotonic() < deadline:
                db.session.rollback()
                time.sleep(0.2)
            assert queue.pending_total(db.session.connection()) == 0
    finally:
        stop_pool(app)
    assert pool.stopped

    placeholders = {w: _failed_page(w) for w in EAGER_WIDTHS}
    for name, (sha, pages) in accepted.items():
        for page in range(1, pages + 1):
            for width in EAGER_WIDTHS:
                path = page_path(data_dir, sha, page, width)
                assert path.exists(), f"{name} page {page} at {width} px was not rendered"
                data = path.read_bytes()
                assert data != placeholders[width], f"{name} page {page} could not be drawn"
        first = pymupdf.Pixmap(str(page_path(data_dir, sha, 1, 1280)))
        assert first.width == 1280 and first.height > 100
    with app.app_context():
        texts = dict(db.session.execute(sa.select(PdfPage.page, PdfPage.text).join(
            PdfFile, PdfFile.sha256 == PdfPage.sha256).where(
            PdfFile.sha256 == accepted["015-arabic--habibi.pdf"][0])).all())
        assert any("\u0600" <= ch <= "\u06ff" for ch in texts[1])  # right-to-left text was read
        outline = db.session.get(PdfFile, accepted["006-pdflatex-outline--pdflatex-outline.pdf"][0]).outline
        assert outline and outline[0]["page"] >= 1 and outline[0]["title"]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == len(accepted)
