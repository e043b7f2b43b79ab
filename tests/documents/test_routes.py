"""Serving pages and documents: who may see them, caching headers, metadata, progress, search, outline."""
from __future__ import annotations

import pymupdf
import pytest

from app.documents.pool import get_pool
from app.documents.progress import ProgressWatch
from app.documents.render import DEFAULT_WIDTH, MARK_END, MARK_START, THUMB_WIDTH
from tests.documents.conftest import only_document, render_all, upload
from tests.factories import make_pdf


@pytest.fixture
def rendered(app, client, auth, council, tmp_path):
    """A 3-page document on item 1, fully rendered; the client is signed out afterwards."""
    auth.login("sec")
    resp = upload(client, "council", council["items"][0], make_pdf(tmp_path / "b.pdf", pages=3), name="budget.pdf")
    assert resp.status_code == 200
    render_all(app)
    auth.logout()
    return only_document(app)


@pytest.mark.parametrize("who, status", [("del1", 200), ("sec", 200), ("root", 200), ("outsider", 403)])
def test_page_images_only_for_members_and_admins(client, auth, rendered, who, status):
    auth.login(who)
    resp = client.get(f"/pages/{rendered.sha256}/2/{DEFAULT_WIDTH}.png")
    assert resp.status_code == status
    if status == 200:
        assert resp.mimetype == "image/png"
        assert pymupdf.Pixmap(resp.data).width == DEFAULT_WIDTH
    else:
        assert "image" not in resp.mimetype
        assert resp.headers.get("Cache-Control", "") != "private, max-age=31536000, immutable"


def test_anonymous_gets_401_for_pages_and_api_and_sign_in_for_the_reader(client, rendered):
    assert client.get(f"/pages/{rendered.sha256}/1/{THUMB_WIDTH}.png").status_code == 401
    resp = client.get(f"/api/documents/{rendered.id}")
    assert resp.status_code == 401 and resp.get_json()["ok"] is False
    reader = client.get(f"/meetings/council/documents/{rendered.id}")
    assert reader.status_code == 302 and "/login" in reader.headers["Location"]


def test_page_is_immutable_with_strong_etag_and_304(app, client, auth, rendered):
    auth.login("del1")
    url = f"/pages/{rendered.sha256}/1/{DEFAULT_WIDTH}.png"
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    etag = first.headers["ETag"]
    assert etag == f'"{rendered.sha256}-1-{DEFAULT_WIDTH}"'  # strong (no W/), names the content
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    other = client.get(f"/pages/{rendered.sha256}/2/{DEFAULT_WIDTH}.png", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_x_accel_redirect_lets_nginx_send_the_file(app, client, auth, rendered):
    app.config["X_ACCEL"] = True
    auth.login("del1")
    resp = client.get(f"/pages/{rendered.sha256}/3/{THUMB_WIDTH}.png")
    assert resp.status_code == 200 and resp.data == b""
    sha = rendered.sha256
    assert resp.headers["X-Accel-Redirect"] == f"/_dais_pages/{sha[:2]}/{sha}/{THUMB_WIDTH}/3.png"


@pytest.mark.parametrize("path", ["/pages/{sha}/4/1280.png", "/pages/{sha}/0/1280.png", "/pages/{sha}/1/999.png",
                                  "/pages/{bad}/1/1280.png", "/api/documents/999"])
def test_unknown_pages_and_documents_are_404(client, auth, rendered, path):
    auth.login("root")
    resp = client.get(path.format(sha=rendered.sha256, bad="f" * 64))
    assert resp.status_code == 404


def test_document_metadata_for_the_viewer(client, auth, rendered, council):
    auth.login("del1")
    meta = client.get(f"/api/documents/{rendered.id}").get_json()
    assert meta == {
        "ok": True, "id": rendered.id, "title": "budget", "meeting": "council", "item_id": council["items"][0],
        "pages": 3, "sha256": rendered.sha256, "widths": [200, 1280, 1920, 2560], "default_width": 1280,
        "thumb_width": 200, "page_url": f"/pages/{rendered.sha256}/{{page}}/{{width}}.png",
        "outline": [], "rendered": 3, "repaired": False,
    }
    auth.logout()
    auth.login("outsider")
    assert client.get(f"/api/documents/{rendered.id}").status_code == 403
    assert client.get(f"/meetings/council/documents/{rendered.id}").status_code == 403


def test_reader_page_opens_at_the_asked_page(client, auth, rendered):
    auth.login("del1")
    page = client.get(f"/meetings/council/documents/{rendered.id}?page=2")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="2"' in html and "js/pages/reader.js" in html and "budget" in html
    assert client.get(f"/meetings/other/documents/{rendered.id}").status_code in (403, 404)


def test_outline_becomes_the_table_of_contents(app, client, auth, council, tmp_path):
    pdf = pymupdf.open()
    for n in range(4):
        pdf.new_page().insert_text((72, 72), f"Section {n}")
    pdf.set_toc([[1, "Budget 2027", 1], [2, "Revenue", 2], [2, "Spending & cuts <b>", 3], [1, "Annexes", 4]])
    path = tmp_path / "toc.pdf"
    pdf.save(path)
    auth.login("sec")
    doc_id = upload(client, "council", council["items"][0], path).get_json()["document"]["id"]
    assert client.get(f"/api/documents/{doc_id}").get_json()["outline"] == []  # not read until a worker opens it
    render_all(app)
    assert client.get(f"/api/documents/{doc_id}").get_json()["outline"] == [
        {"level": 1, "title": "Budget 2027", "page": 1}, {"level": 2, "title": "Revenue", "page": 2},
        {"level": 2, "title": "Spending & cuts <b>", "page": 3}, {"level": 1, "title": "Annexes", "page": 4},
    ]


def test_search_finds_the_page_with_a_snippet(app, client, auth, council, tmp_path):
    pdf = pymupdf.open()
    for text in ("Opening remarks and the agenda", "The cycling network will grow by twelve kilometres",
                 "Tariff for public transport stays unchanged"):
        pdf.new_page().insert_text((72, 72), text)
    path = tmp_path / "plan.pdf"
    pdf.save(path)
    auth.login("sec")
    doc_id = upload(client, "council", council["items"][1], path, name="plan.pdf", title="Cycling plan").get_json()["document"]["id"]
    render_all(app)
    auth.logout()
    auth.login("del1")
    data = client.get("/api/meetings/council/search?q=cycling kilom").get_json()
    assert data["ok"] is True
    assert len(data["results"]) == 1
    hit = data["results"][0]
    assert (hit["document_id"], hit["title"], hit["page"]) == (doc_id, "Cycling plan", 2)
    assert f"{MARK_START}cycling{MARK_END}" in hit["snippet"]
    assert f"{MARK_START}kilometres{MARK_END}" in hit["snippet"]
    assert "cycling network will grow by twelve kilometres" in hit["snippet"].replace(MARK_START, "").replace(MARK_END, "")
    assert client.get("/api/meetings/council/search?q=\"); DROP TABLE pdf_pages; --").get_json() == {"ok": True, "results": []}
    assert client.get("/api/meetings/council/search?q=").get_json() == {"ok": True, "results": []}
    long = client.get("/api/meetings/council/search?q=" + "x" * 201)
    assert long.status_code == 400 and "too long" in long.get_json()["message"]
    auth.logout()
    auth.login("outsider")
    assert client.get("/api/meetings/council/search?q=cycling").status_code == 403


def test_upload_then_progress_until_done(app, client, auth, council, tmp_path):
    auth.login("sec")
    resp = upload(client, "council", council["items"][0], make_pdf(tmp_path / "p.pdf", pages=5))
    doc = resp.get_json()["document"]
    assert doc["pages"] == 5 and doc["repaired"] is False
    first = client.get(f"/api/documents/{doc['id']}/progress").get_json()
    assert first == {"document_id": doc["id"], "sha256": first["sha256"], "rendered": 0, "pages": 5, "done": False}
    with app.app_context():
        watch = ProgressWatch()
        assert [p["rendered"] for p in watch.tick()] == [0]
        assert watch.tick() == []  # nothing changed, nothing pushed
    render_all(app)
    with app.app_context():
        (done,) = watch.tick()
        assert done == {**first, "rendered": 5, "done": True}
        assert watch.tick() == []
    assert client.get(f"/api/documents/{doc['id']}/progress").get_json()["done"] is True
    assert get_pool(app) is None  # tests start no render pool unless they ask for one


def test_a_page_as_text_for_members_who_cannot_see_the_image(app, client, auth, council, tmp_path):
    """What a screen reader reads instead of the page image: its text, once prepared, in the order a person reads
    it, one paragraph per block of the page; a page the document does not have, a sentence; others' documents,
    refused."""
    pdf = pymupdf.open()
    pdf.new_page().insert_text((72, 72), "Opening remarks and the agenda")
    page = pdf.new_page()
    page.insert_text((72, 300), "The fare stays at 2.40 euros for adults\nand 1.20 euros for children.")   # drawn first
    page.insert_text((72, 72), "Tariff for public transport stays unchanged", fontsize=16)               # read first
    path = tmp_path / "plan.pdf"
    pdf.save(path)
    auth.login("sec")
    doc_id = upload(client, "council", council["items"][1], path, name="plan.pdf").get_json()["document"]["id"]
    auth.logout()
    auth.login("del1")
    waiting = client.get(f"/api/documents/{doc_id}/pages/2/text").get_json()
    assert waiting == {"ok": True, "page": 2, "ready": False, "text": ""}   # not rendered yet
    render_all(app)
    page = client.get(f"/api/documents/{doc_id}/pages/2/text").get_json()
    assert page["ok"] and page["ready"]
    assert page["text"] == ("Tariff for public transport stays unchanged\n\n"
                            "The fare stays at 2.40 euros for adults and 1.20 euros for children.")
    missing = client.get(f"/api/documents/{doc_id}/pages/3/text")
    assert missing.status_code == 404 and missing.get_json()["message"] == "This document has no page 3; it has 2."
    auth.logout()
    assert client.get(f"/api/documents/{doc_id}/pages/1/text").status_code == 401
    auth.login("outsider")
    assert client.get(f"/api/documents/{doc_id}/pages/1/text").status_code == 403
