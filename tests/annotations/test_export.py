"""My annotated copy: a PDF library finds the annotations, of the right types, at the right places."""
import io

import pymupdf
import pytest

from app.documents.service import attach_pdf
from app.extensions import db
from app.meetings.models import Meeting
from tests.annotations.conftest import highlight, ink, note


def _annots(data: bytes):
    with pymupdf.open(stream=io.BytesIO(data), filetype="pdf") as pdf:
        out = []
        for page in pdf:
            for a in page.annots():
                # Back to the page as it is shown (what the stored coordinates mean).
                shown = a.rect * page.rotation_matrix
                out.append({"page": page.number + 1, "type": a.type[1], "rect": shown, "content": a.info["content"],
                            "title": a.info["title"], "stroke": a.colors.get("stroke"),
                            "vertices": a.vertices})
        return out


def _close(r, expected, tol):
    return all(abs(a - b) <= tol for a, b in zip(tuple(r), expected))


def test_annotated_copy_holds_highlight_ink_and_note_where_they_were_drawn(room, login):
    ana = login("author")
    for body in (highlight(room, geometry={"rects": [[72, 60, 300, 80], [72, 84, 200, 100]]}, text="check this"),
                 ink(room),
                 note(room, text="Ask about <b>line 4</b> & more")):
        assert ana.post(f"/api/meetings/{room.slug}/annotations", json=body).status_code == 201
    resp = ana.get(f"/meetings/{room.slug}/documents/{room.doc_id}/annotated.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert "attachment" in resp.headers["Content-Disposition"] and "annotated" in resp.headers["Content-Disposition"]
    found = _annots(resp.data)
    assert [(f["page"], f["type"]) for f in found] == [(1, "Highlight"), (2, "Ink"), (3, "Text")]
    hl, drawing, sticky = found
    # The highlight covers both line rectangles (PyMuPDF pads a highlight's rect by a few points).
    assert _close(hl["rect"], (72, 60, 300, 100), 8) and hl["content"] == "check this" and hl["title"] == "Ana"
    quads = hl["vertices"]
    assert len(quads) == 8 and _close(quads[0] + quads[3], (72, 60, 300, 80), 0.5)
    assert _close(drawing["rect"], (100, 100, 310, 340), 10)  # padded by the pen width
    assert [[tuple(round(c) for c in p) for p in s] for s in drawing["vertices"]] == [
        [(100, 100), (150, 120), (200, 180)], [(300, 300), (310, 340)]]
    assert drawing["stroke"] == pytest.approx((0x15 / 255, 0x65 / 255, 0xC0 / 255), abs=0.01)
    assert _close(sticky["rect"][:2], (400, 500), 20) and sticky["content"] == "Ask about <b>line 4</b> & more"


def test_rotated_page_annotations_land_where_they_were_seen(app, room, login, tmp_path):
    with app.app_context():
        pdf = pymupdf.open()
        page = pdf.new_page(width=595, height=842)
        page.insert_text((72, 72), "landscape", fontsize=14)
        page.set_rotation(90)  # shown 842 wide, 595 high
        path = tmp_path / "rotated.pdf"
        pdf.save(path)
        pdf.close()
        meeting = db.session.get(Meeting, room.meeting_id)
        doc = attach_pdf(meeting.items[1], path, filename="rotated.pdf", title="Rotated",
                         data_dir=app.config["DATA_DIR"], max_pages=10, max_bytes=10**7)
        db.session.commit()
        doc_id = doc.id
    ana = login("author")
    listing = ana.get(f"/api/meetings/{room.slug}/documents/{doc_id}/annotations?page=1").get_json()
    assert (listing["page_width"], listing["page_height"]) == (842, 595)
    body = ink(room, document_id=doc_id, page=1, geometry={"strokes": [[[700, 100], [800, 500]]]})
    assert ana.post(f"/api/meetings/{room.slug}/annotations", json=body).status_code == 201
    found = _annots(ana.get(f"/meetings/{room.slug}/documents/{doc_id}/annotated.pdf").data)
    assert len(found) == 1 and _close(found[0]["rect"].normalize(), (700, 100, 800, 500), 10)


def test_copy_without_annotations_is_the_original_and_other_meetings_documents_are_refused(room, login):
    ben = login("delegate")
    resp = ben.get(f"/meetings/{room.slug}/documents/{room.doc_id}/annotated.pdf")
    assert resp.status_code == 200 and _annots(resp.data) == []
    with pymupdf.open(stream=io.BytesIO(resp.data), filetype="pdf") as pdf:
        assert pdf.page_count == 3 and "budget" in pdf[0].get_text()
    resp = ben.get(f"/meetings/{room.slug}/documents/{room.other_doc_id}/annotated.pdf")
    assert resp.status_code == 404 and "not on the agenda" in resp.get_data(as_text=True)
