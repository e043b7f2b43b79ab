"""An original missing from originals/ (a restore without it) leaves its pages waiting, never placeholders;
`flask documents render` says which original is missing, and renders the real pages once it is back."""
from __future__ import annotations

import shutil

import pymupdf
import sqlalchemy as sa

from app.documents import queue
from app.documents.ingest import original_path
from app.documents.models import PdfPage
from app.documents.render import DEFAULT_WIDTH, EAGER_WIDTHS, page_path
from app.extensions import db
from tests.documents.conftest import files_under, only_document, render_all, upload
from tests.factories import make_pdf

PAGES = 3


def _old_placeholder(width: int) -> bytes:
    """The page the worker wrote for every page of a document whose original was missing, before the fix
    (the same drawing as worker._failed_page then was, made here so this test does not depend on it)."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((60, 120), "This page could not be displayed.", fontsize=20)
    zoom = width / 595
    data = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False).tobytes("png")
    doc.close()
    return data


def _texts(app, sha: str) -> dict[int, str]:
    with app.app_context():
        return dict(db.session.execute(sa.select(PdfPage.page, PdfPage.text).where(PdfPage.sha256 == sha)).all())


def _pending(app, sha: str) -> int:
    with app.app_context():
        return queue.pending_at_default(db.session.connection(), [sha]).get(sha, 0)


def _is_real_page(path, width: int) -> bool:
    data = path.read_bytes()
    return data.startswith(b"\x89PNG") and data != _old_placeholder(width) and b"could-not-be-drawn" not in data[:200]


def _uploaded(app, client, auth, council, tmp_path):
    """A 3-page document uploaded (its pages queued); the document and the path of its original."""
    auth.login("sec")
    upload(client, "council", council["items"][0], make_pdf(tmp_path / "budget.pdf", pages=PAGES),
           name="budget.pdf", title="Budget 2025")
    doc = only_document(app)
    return doc, original_path(app.config["DATA_DIR"], doc.sha256)


def test_a_missing_original_is_not_turned_into_placeholders(app, client, auth, council, tmp_path):
    doc, original = _uploaded(app, client, auth, council, tmp_path)
    original.unlink()
    render_all(app)
    data_dir = app.config["DATA_DIR"]
    assert files_under(data_dir / "pages") == []  # nothing cached that would be served as immutable
    assert _texts(app, doc.sha256) == {}  # no empty texts stored as if the pages had none
    assert _pending(app, doc.sha256) == PAGES  # the pages still wait: the reader shows them as being prepared


def test_cli_says_which_original_is_missing_and_renders_once_it_is_back(app, client, auth, council, tmp_path, runner):
    doc, original = _uploaded(app, client, auth, council, tmp_path)
    saved = shutil.copy(original, tmp_path / "saved.pdf")
    original.unlink()

    result = runner.invoke(args=["documents", "render", "--now"])
    assert result.exit_code == 1, result.output
    assert (f"{PAGES} page(s) could not be rendered: the original of “Budget 2025” (sha {doc.sha256[:12]}) is missing "
            f"from originals/: restore it, then run flask documents render again.") in result.output
    assert files_under(app.config["DATA_DIR"] / "pages") == []

    original.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(saved, original)
    result = runner.invoke(args=["documents", "render", "--now"])
    assert result.exit_code == 0, result.output
    assert "could not be rendered" not in result.output
    assert f"{PAGES * len(EAGER_WIDTHS)} image(s) rendered." in result.output
    data_dir = app.config["DATA_DIR"]
    for page in range(1, PAGES + 1):
        for width in EAGER_WIDTHS:
            assert _is_real_page(page_path(data_dir, doc.sha256, page, width), width)
    text = _texts(app, doc.sha256)[2]  # the real text again (the base-14 font writes the dash as "·")
    assert text.startswith("Budget report") and text.endswith("page 2")
    assert _pending(app, doc.sha256) == 0


def test_render_without_now_reports_the_missing_original_too(app, client, auth, council, tmp_path, runner):
    doc, original = _uploaded(app, client, auth, council, tmp_path)
    original.unlink()
    result = runner.invoke(args=["documents", "render"])
    assert result.exit_code == 1, result.output
    assert f"the original of “Budget 2025” (sha {doc.sha256[:12]}) is missing from originals/" in result.output


def test_placeholders_left_by_a_missing_original_are_rendered_again(app, client, auth, council, tmp_path, runner):
    """A data dir where the earlier worker had already put placeholders and empty texts for every page."""
    doc, original = _uploaded(app, client, auth, council, tmp_path)
    render_all(app)
    data_dir = app.config["DATA_DIR"]
    for page in range(1, PAGES + 1):
        for width in EAGER_WIDTHS:
            page_path(data_dir, doc.sha256, page, width).write_bytes(_old_placeholder(width))
    with app.app_context():
        db.session.execute(sa.update(PdfPage).where(PdfPage.sha256 == doc.sha256).values(text=""))
        db.session.commit()

    result = runner.invoke(args=["documents", "render", "--now"])
    assert result.exit_code == 0, result.output
    assert f"{PAGES} page(s) queued." in result.output
    for page in range(1, PAGES + 1):
        for width in EAGER_WIDTHS:
            assert _is_real_page(page_path(data_dir, doc.sha256, page, width), width)
    text = _texts(app, doc.sha256)[3]
    assert text.startswith("Budget report") and text.endswith("page 3")
    again = runner.invoke(args=["documents", "render", "--now"])
    assert "0 page(s) queued." in again.output and again.exit_code == 0


def test_a_page_mupdf_cannot_draw_keeps_its_placeholder(app, client, auth, council, tmp_path, runner, monkeypatch):
    """A broken page in a good file: the worker shows a page saying so and goes on (the queue must not stall);
    the command tries it again and says it still cannot be drawn."""
    from app.documents import worker

    doc, _ = _uploaded(app, client, auth, council, tmp_path)
    real = worker.render_page

    def broken_page_two(pdf, data_dir, sha, page, widths, want_text):
        if page == 2:
            raise RuntimeError("syntax error in content stream")
        return real(pdf, data_dir, sha, page, widths, want_text)

    monkeypatch.setattr(worker, "render_page", broken_page_two)
    render_all(app)
    data_dir = app.config["DATA_DIR"]
    assert _pending(app, doc.sha256) == 0
    assert _is_real_page(page_path(data_dir, doc.sha256, 1, DEFAULT_WIDTH), DEFAULT_WIDTH)
    placeholder = page_path(data_dir, doc.sha256, 2, DEFAULT_WIDTH)
    assert placeholder.exists() and not _is_real_page(placeholder, DEFAULT_WIDTH)

    result = runner.invoke(args=["documents", "render", "--now"])
    assert result.exit_code == 0, result.output
    assert "1 page(s) queued." in result.output  # tried again, once per run of the command
    assert "1 page(s) cannot be drawn and show a page saying so: “Budget 2025” page 2." in result.output
    assert placeholder.exists() and not _is_real_page(placeholder, DEFAULT_WIDTH)


def test_a_damaged_original_is_not_turned_into_placeholders(app, client, auth, council, tmp_path, runner):
    doc, original = _uploaded(app, client, auth, council, tmp_path)
    original.write_bytes(b"%PDF-1.7\n this is not the uploaded file \n%%EOF\n")
    result = runner.invoke(args=["documents", "render", "--now"])
    assert result.exit_code == 1, result.output
    assert f"the original of “Budget 2025” (sha {doc.sha256[:12]}) in originals/ cannot be opened" in result.output
    assert files_under(app.config["DATA_DIR"] / "pages") == []
    assert _pending(app, doc.sha256) == PAGES


def test_cli_says_so_when_the_pages_are_there_but_the_original_is_not(app, client, auth, council, tmp_path, runner):
    """A restore of pages/ without originals/: the room reads, but the only copy of the file is gone."""
    doc, original = _uploaded(app, client, auth, council, tmp_path)
    render_all(app)
    original.unlink()
    result = runner.invoke(args=["documents", "render"])
    assert result.exit_code == 1, result.output
    assert "0 page(s) queued." in result.output
    assert (f"Every page is rendered, but the original of “Budget 2025” (sha {doc.sha256[:12]}) is missing from "
            "originals/: restore it.") in result.output
