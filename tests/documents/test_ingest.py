"""Uploads: refusals say why and keep nothing; repaired files are flagged; the same file is stored once."""
from __future__ import annotations

import pymupdf
import pytest
import sqlalchemy as sa

from app.documents.models import Document, PdfFile, PdfPage, RenderJob
from app.documents.service import attach_pdf
from app.errors import BadInput
from app.extensions import db
from app.meetings.models import AgendaItem
from tests.documents.conftest import files_under, render_all, upload
from tests.factories import make_pdf


def _counts(app):
    with app.app_context():
        return {m.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
                for m in (Document, PdfFile, PdfPage, RenderJob)}


def _assert_nothing_kept(app):
    data = app.config["DATA_DIR"]
    assert files_under(data / "originals") == []
    assert files_under(data / "tmp") == []
    assert files_under(data / "pages") == []
    assert _counts(app) == {"documents": 0, "pdf_files": 0, "pdf_pages": 0, "render_jobs": 0}


def _encrypted(path):
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "secret minutes")
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u-pass", owner_pw="o-pass")
    return path.read_bytes()


@pytest.mark.parametrize("case", ["not_pdf", "truncated", "garbage_after_header", "encrypted", "too_many_pages", "empty"])
def test_refused_upload_says_why_and_keeps_nothing(app, client, auth, council, tmp_path, case):
    good = make_pdf(tmp_path / "good.pdf", pages=3).read_bytes()
    data, expected = {
        "not_pdf": (b"PK\x03\x04 this is a zip, renamed" * 50, "“report.pdf”: this file is not a PDF (whatever its name says); upload a PDF document."),
        "truncated": (good[: len(good) // 3], "“report.pdf”: this file is damaged: "),
        "garbage_after_header": (b"%PDF-1.7\n" + b"\x00\xff garbage " * 200, "“report.pdf”: this file is damaged: "),
        "encrypted": (None, "“report.pdf”: this document is password-protected; upload an unprotected copy."),
        "too_many_pages": (make_pdf(tmp_path / "long.pdf", pages=6).read_bytes(), "“report.pdf”: this document has 6 pages; the limit is 5. Split it into parts."),
        "empty": (b"", "this file is empty"),
    }[case]
    if case == "encrypted":
        data = _encrypted(tmp_path / "enc.pdf")
    app.config["MAX_PDF_PAGES"] = 5
    auth.login("sec")
    resp = upload(client, "council", council["items"][0], data=data)
    assert resp.status_code == 400, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["ok"] is False
    if case in ("truncated", "garbage_after_header", "empty"):
        assert expected in body["message"]
    else:
        assert body["message"] == expected
    _assert_nothing_kept(app)


def test_over_size_limit_refused(app, council, tmp_path):
    big = make_pdf(tmp_path / "big.pdf", pages=40)
    with app.app_context():
        item = db.session.get(AgendaItem, council["items"][0])
        with pytest.raises(BadInput) as refused:
            attach_pdf(item, big, filename="big.pdf", title=None, data_dir=app.config["DATA_DIR"],
                       max_pages=100, max_bytes=2_000)
        db.session.rollback()
    assert refused.value.message.startswith("“big.pdf”: this file is ")
    assert "the limit is 0 MB. Split it or ask the admin to raise the limit." in refused.value.message
    _assert_nothing_kept(app)


def test_repaired_file_is_accepted_and_flagged(app, client, auth, council, tmp_path):
    raw = make_pdf(tmp_path / "r.pdf", pages=2).read_bytes()
    broken = raw.replace(b"startxref", b"startxrfe")  # a broken cross-reference table: MuPDF rebuilds it
    auth.login("sec")
    resp = upload(client, "council", council["items"][0], data=broken)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["document"]["repaired"] is True
    doc_id = resp.get_json()["document"]["id"]
    assert client.get(f"/api/documents/{doc_id}").get_json()["repaired"] is True
    page = client.get(f"/meetings/council/prepare").get_data(as_text=True)
    assert "repaired on upload" in page


def test_same_file_twice_is_stored_and_rendered_once(app, client, auth, council, tmp_path):
    pdf = make_pdf(tmp_path / "budget.pdf", pages=3)
    auth.login("sec")
    first = upload(client, "council", council["items"][0], pdf, name="budget.pdf")
    assert first.status_code == 200
    assert render_all(app) == 6  # 3 pages x (thumbnail + tablet)
    again_same_item = upload(client, "council", council["items"][0], pdf, name="budget.pdf")
    other_item = upload(client, "council", council["items"][1], pdf, name="budget-copy.pdf")
    assert again_same_item.get_json()["document"]["id"] == first.get_json()["document"]["id"]
    assert other_item.get_json()["document"]["id"] != first.get_json()["document"]["id"]
    assert render_all(app) == 0  # nothing queued again: the pages exist
    data = app.config["DATA_DIR"]
    assert len(files_under(data / "originals")) == 1
    assert len(files_under(data / "pages")) == 6
    assert _counts(app)["pdf_files"] == 1 and _counts(app)["documents"] == 2
