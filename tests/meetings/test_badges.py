"""The badge sheet: one card per member, and each QR decodes to a link that signs that member in."""
import pymupdf
import zxingcpp
from PIL import Image

from app.extensions import db
from tests.factories import add_member, make_meeting


def decode_qrs(pdf_bytes: bytes) -> list[str]:
    """Every QR code on every page, as text, in reading order."""
    found = []
    with pymupdf.open(stream=pdf_bytes, filetype="pdf") as doc:
        for page in doc:
            pix = page.get_pixmap(dpi=150)
            img = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
            found += [r.text for r in sorted(zxingcpp.read_barcodes(img), key=lambda r: (r.position.top_left.y, r.position.top_left.x))]
    return found


def seat_meeting(n_delegates=11):
    meeting = make_meeting("council")
    add_member(meeting, "secretary", "secretary", "S1")
    for i in range(n_delegates):
        add_member(meeting, f"delegate-{i:02}", "delegate", f"D{i:02}", password=None)
    db.session.commit()
    return meeting


def test_badge_qr_codes_sign_their_member_in(app, client, auth):
    with app.app_context():
        seat_meeting()
    auth.login("secretary")
    response = client.get("/meetings/council/badges.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    with pymupdf.open(stream=response.data, filetype="pdf") as doc:
        assert doc.page_count == 2  # 12 members, ten to a page
        text = doc[0].get_text()
    assert "Delegate 00" in text and "Seat D00" in text
    urls = decode_qrs(response.data)
    assert len(urls) == 12 and all(u.startswith("http://dais.test/t/b") for u in urls)
    auth.logout()
    for url in urls[:2]:
        tablet = app.test_client()
        signed_in = tablet.get(url.replace("http://dais.test", ""))
        assert signed_in.status_code == 302
        assert "Meeting council" in tablet.get("/meetings/council").get_data(as_text=True)


def test_printing_twice_gives_the_same_badges(app, client, auth):
    with app.app_context():
        seat_meeting(2)
    auth.login("secretary")
    first = decode_qrs(client.get("/meetings/council/badges.pdf").data)
    second = decode_qrs(client.get("/meetings/council/badges.pdf").data)
    assert first == second


def test_badges_cli_writes_the_sheet(app, runner, tmp_path):
    with app.app_context():
        seat_meeting(3)
    out = tmp_path / "badges.pdf"
    result = runner.invoke(args=["badges", "council", "--out", str(out)])
    assert result.exit_code == 0 and "Wrote 4 badges" in result.output
    assert len(decode_qrs(out.read_bytes())) == 4


def test_badges_cli_unknown_meeting(runner, tmp_path):
    result = runner.invoke(args=["badges", "nope", "--out", str(tmp_path / "b.pdf")])
    assert result.exit_code != 0 and "There is no meeting “nope”" in result.output


def test_delegates_cannot_download_badges(app, client, auth):
    with app.app_context():
        meeting = seat_meeting(1)
        add_member(meeting, "delegate-x", "delegate", "DX")
        db.session.commit()
    auth.login("delegate-x")
    assert client.get("/meetings/council/badges.pdf").status_code == 403


def test_room_qr_leads_to_sign_in(client):
    response = client.get("/room/qr.png")
    img = Image.open(__import__("io").BytesIO(response.data))
    assert zxingcpp.read_barcodes(img)[0].text == "http://dais.test/login"
