"""A highlight keeps the words it marks (its quote), read from the PDF, and “My notes” shows them."""
from __future__ import annotations

import re

import pymupdf
import pytest

from app.annotations.pages import QUOTE_MAX, highlighted_words
from app.documents.ingest import original_path
from app.documents.models import Document
from app.documents.service import attach_pdf
from app.errors import BadInput
from app.extensions import db
from app.meetings.models import Meeting
from tests.annotations.conftest import highlight, note

BLANK = [[300, 400, 500, 430]]   # a stretch of page 1 with nothing printed on it


def _attach(app, room, path, title):
    with app.app_context():
        meeting = db.session.get(Meeting, room.meeting_id)
        doc = attach_pdf(meeting.items[1], path, filename=path.name, title=title, data_dir=app.config["DATA_DIR"],
                         max_pages=200, max_bytes=50 * 1024 * 1024)
        db.session.commit()
        return doc.id


def test_a_highlight_keeps_the_words_it_covers_and_my_notes_shows_them_escaped(app, room, login, tmp_path):
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_text((72, 72), "Article 4: the fee rises <b>by 3%</b> & more", fontsize=12)
    page.insert_text((72, 200), "Not marked", fontsize=12)
    path = tmp_path / "fees.pdf"
    pdf.save(path)
    pdf.close()
    doc_id = _attach(app, room, path, "Fees")
    ana = login("author")
    made = ana.post(f"/api/meetings/{room.slug}/annotations",
                    json=highlight(room, document_id=doc_id, geometry={"rects": [[70, 58, 400, 78]]}, text=""))
    assert made.status_code == 201
    assert made.get_json()["annotation"]["quote"] == "Article 4: the fee rises <b>by 3%</b> & more"
    blank = ana.post(f"/api/meetings/{room.slug}/annotations",
                     json=highlight(room, document_id=doc_id, geometry={"rects": BLANK}, text=""))
    assert blank.get_json()["annotation"]["quote"] == ""
    ana.post(f"/api/meetings/{room.slug}/annotations", json=note(room))
    mine = ana.get(f"/api/meetings/{room.slug}/annotations/mine").get_json()["annotations"]
    assert sorted(a["quote"] for a in mine) == ["", "", "Article 4: the fee rises <b>by 3%</b> & more"]

    html = ana.get(f"/meetings/{room.slug}/notes").get_data(as_text=True)
    assert html.count('data-testid="note-quote"') == 1   # the blank highlight and the note show no quote
    assert "Article 4: the fee rises &lt;b&gt;by 3%&lt;/b&gt; &amp; more" in html and "<b>by 3%</b>" not in html
    assert "Not marked" not in html


def test_moving_a_highlight_reads_its_words_again_and_other_changes_keep_them(app, room, login):
    ana = login("author")
    made = ana.post(f"/api/meetings/{room.slug}/annotations", json=highlight(room)).get_json()["annotation"]
    # tests/factories.make_pdf prints “budget — page 1” at (72, 72); its built-in font has no dash and prints a dot
    printed = made["quote"]
    assert re.fullmatch(r"budget \S page 1", printed), printed
    url = f"/api/annotations/{made['id']}"
    moved = ana.patch(url, json={"geometry": {"rects": BLANK}}).get_json()["annotation"]
    assert moved["quote"] == ""
    back = ana.patch(url, json={"geometry": {"rects": [[72, 60, 300, 80]]}}).get_json()["annotation"]
    assert back["quote"] == printed
    recoloured = ana.patch(url, json={"color": "#66bb6a", "text": "ask"}).get_json()["annotation"]
    assert recoloured["quote"] == printed and recoloured["text"] == "ask"
    refused = ana.patch(url, json={"geometry": {"rects": [[72, 60, 9000, 80]]}})
    assert refused.status_code == 400
    assert ana.get(url).get_json()["annotation"]["quote"] == printed


def test_a_highlight_on_a_turned_page_quotes_the_words_as_they_are_seen(app, room, login, tmp_path):
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_text((72, 72), "landscape table heading", fontsize=14)
    page.insert_text((72, 300), "elsewhere", fontsize=14)
    page.set_rotation(90)
    shown = [w for w in page.get_text("words") if w[4] in ("landscape", "heading")]
    box = pymupdf.Rect(shown[0][:4]) | pymupdf.Rect(shown[1][:4])
    seen = (box * page.rotation_matrix).normalize()   # where the words are on the turned page, as a tablet shows it
    path = tmp_path / "turned.pdf"
    pdf.save(path)
    pdf.close()
    doc_id = _attach(app, room, path, "Turned")
    body = highlight(room, document_id=doc_id, geometry={"rects": [[seen.x0 - 2, seen.y0 - 2, seen.x1 + 2, seen.y1 + 2]]})
    made = login("author").post(f"/api/meetings/{room.slug}/annotations", json=body).get_json()["annotation"]
    assert made["quote"] == "landscape table heading"


def test_a_long_highlight_is_quoted_up_to_its_limit_and_a_missing_original_gives_no_quote(app, room, login, tmp_path):
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    for line in range(40):
        page.insert_text((40, 40 + line * 19), f"Line {line + 1} of the regulation on parking in the old town", fontsize=11)
    path = tmp_path / "long.pdf"
    pdf.save(path)
    pdf.close()
    doc_id = _attach(app, room, path, "Long")
    ana = login("author")
    whole = highlight(room, document_id=doc_id, geometry={"rects": [[0, 0, 595, 842]]})
    quote = ana.post(f"/api/meetings/{room.slug}/annotations", json=whole).get_json()["annotation"]["quote"]
    assert quote.startswith("Line 1 of the regulation") and quote.endswith("…") and len(quote) == QUOTE_MAX
    with app.app_context():
        sha = db.session.get(Document, doc_id).sha256
        assert highlighted_words(app.config["DATA_DIR"], "0" * 64, 1, [[0, 0, 595, 842]]) == ""
        assert original_path(app.config["DATA_DIR"], sha).exists()


def test_highlights_on_the_real_world_pdfs_quote_their_first_words(app, room, login, shared_pdfs):
    """On every shared PDF Dais accepts: a highlight over page 1's first printed line quotes that line's words
    (a page without text, a scan, quotes nothing and is still stored)."""
    ana = login("author")
    checked = 0
    for path in sorted(shared_pdfs.glob("*.pdf")):
        try:
            doc_id = _attach(app, room, path, path.stem[:60])
        except BadInput:
            continue   # refused at upload (tests/documents/test_shared_pdfs.py says which and why)
        with pymupdf.open(path) as pdf:
            page = pdf[0]
            words = page.get_text("words", sort=True)
            first = [w for w in words if (w[5], w[6]) == (words[0][5], words[0][6])] if words else []
            if first:
                line = pymupdf.Rect(first[0][:4])
                for w in first[1:]:
                    line |= pymupdf.Rect(w[:4])
                seen = (line * page.rotation_matrix).normalize() & page.rect
            else:
                seen = pymupdf.Rect(10, 10, 60, 30)
            width, height = page.rect.width, page.rect.height
        rect = [max(seen.x0, 0), max(seen.y0, 0), min(seen.x1, width), min(seen.y1, height)]
        if rect[2] - rect[0] < 0.5 or rect[3] - rect[1] < 0.5:
            continue   # a line of zero height (text drawn invisibly): no rectangle a person could draw
        resp = ana.post(f"/api/meetings/{room.slug}/annotations",
                        json=highlight(room, document_id=doc_id, geometry={"rects": [rect]}, text=""))
        assert resp.status_code == 201, (path.name, resp.get_json())
        quote = resp.get_json()["annotation"]["quote"]
        if first:
            assert " ".join(first[0][4].split()) in quote, (path.name, quote, [w[4] for w in first])
            checked += 1
        else:
            assert quote == "", path.name
    assert checked >= 8
