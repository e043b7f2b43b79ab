"""Odd pages: a page far longer than paper is drawn within a pixel cap (never at whatever memory it asks for),
paper pages render exactly as before, and a page too thin to read is refused at upload with a sentence."""
from __future__ import annotations

import json
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pymupdf
import pytest

from app.documents.render import WIDTHS, page_path, render_page
from tests.documents.conftest import files_under, only_document, render_all, upload

# The caps the renderer promises (docs/architecture.md, "Rendering pages"): no page image taller than
# 8192 px or larger than 2560 x 8192 pixels.
MAX_HEIGHT = 8192
MAX_PIXELS = 2560 * 8192
ROOT = Path(__file__).resolve().parents[2]

PAPER = {  # points, as PDF producers write them
    "A4 portrait": (595.28, 841.89), "A4 landscape": (841.89, 595.28),
    "A3 portrait": (841.89, 1190.55), "A3 landscape": (1190.55, 841.89),
    "letter portrait": (612, 792), "letter landscape": (792, 612), "legal portrait": (612, 1008),
}


def _pdf(path: Path, *sizes: tuple[float, float]) -> Path:
    """A PDF with one page per (width, height) in points, each with text and a frame, so there is ink to draw."""
    doc = pymupdf.open()
    for n, (w, h) in enumerate(sizes, 1):
        page = doc.new_page(width=w, height=h)
        page.draw_rect(pymupdf.Rect(1, 1, w - 1, h - 1), color=(0.8, 0, 0), width=0.5)
        page.insert_text((min(20, w / 4), min(40, h / 2)), f"Page {n}", fontsize=min(12, max(w / 10, 1)))
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()
    return path


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def _png_samples(data: bytes) -> bytes:
    """The RGB bytes of one of our PNGs (8-bit RGB, every row filter 0), checking each chunk's CRC."""
    width, height = _png_size(data)
    pos, idat = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF, kind
        if kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    raw = zlib.decompress(b"".join(idat))
    row = width * 3 + 1
    assert len(raw) == row * height
    assert all(raw[y * row] == 0 for y in range(height))
    return b"".join(raw[y * row + 1:(y + 1) * row] for y in range(height))


def _render(data_dir: Path, pdf: Path, page: int, width: int) -> bytes:
    doc = pymupdf.open(pdf)
    try:
        render_page(doc, data_dir, "ab" * 32, page, [width], want_text=False)
    finally:
        doc.close()
    return page_path(data_dir, "ab" * 32, page, width).read_bytes()


def _assert_within_cap(size: tuple[int, int], asked: int, page_w: float, page_h: float) -> None:
    w, h = size
    assert h <= MAX_HEIGHT and w * h <= MAX_PIXELS, size
    assert 1 <= w <= asked
    # The whole page, drawn smaller to fit: the proportions stay (within a pixel of rounding)...
    assert abs(w - h * page_w / page_h) <= 1.5, (size, page_w, page_h)
    # ...and no smaller than the cap needs.
    assert h >= MAX_HEIGHT - 2 or w == asked, size


@pytest.mark.parametrize("width", WIDTHS)
def test_tall_page_is_drawn_smaller_to_fit_the_cap(tmp_path, width):
    """The audit's page, 200 x 14400 pt (1:72): at every width it is drawn whole within the cap, not 2560 x 184320."""
    pdf = _pdf(tmp_path / "tall.pdf", (200, 14400))
    size = _png_size(_render(tmp_path / "data", pdf, 1, width))
    _assert_within_cap(size, width, 200, 14400)


def test_long_page_keeps_the_asked_width_while_it_fits(tmp_path):
    """A page three times as long as wide still comes at the asked width up to 2560 px (7680 px tall)."""
    pdf = _pdf(tmp_path / "long.pdf", (300, 900))
    for width in WIDTHS:
        assert _png_size(_render(tmp_path / "data", pdf, 1, width)) == (width, width * 3)


def test_very_wide_page_keeps_the_asked_width(tmp_path):
    """A banner 14400 x 200 pt is short at any width: it keeps the asked width."""
    pdf = _pdf(tmp_path / "wide.pdf", (14400, 200))
    assert _png_size(_render(tmp_path / "data", pdf, 1, 2560)) == (2560, 36)


@pytest.mark.parametrize("paper", sorted(PAPER))
def test_paper_pages_render_exactly_as_asked(tmp_path, paper):
    """A4, A3, letter and legal, portrait and landscape, at every width the app serves: exactly the asked width,
    and pixel for pixel what MuPDF draws at zoom = width / page width (the renderer before the cap)."""
    pdf = _pdf(tmp_path / "paper.pdf", PAPER[paper])
    doc = pymupdf.open(pdf)
    dlist = doc.load_page(0).get_displaylist()
    for width in WIDTHS:
        data = _render(tmp_path / "data", pdf, 1, width)
        zoom = width / dlist.rect.width
        pix = dlist.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
        assert _png_size(data) == (pix.width, pix.height) and pix.width == width
        assert _png_samples(data) == bytes(pix.samples), (paper, width)
    doc.close()


CHILD = textwrap.dedent("""
    import json, resource, sys, tempfile
    from pathlib import Path
    import pymupdf
    from app.documents.render import render_page

    def rss_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    tmp = Path(tempfile.mkdtemp())
    doc = pymupdf.open()
    for w, h in [(595.28, 841.89), (200, 14400), (3, 14400)]:
        doc.new_page(width=w, height=h).insert_text((2, 40), "x", fontsize=2)
    render_page(doc, tmp, "cd" * 32, 1, [1280, 2560], want_text=True)   # an A4 page: the worker's usual state
    before = rss_mb()
    # A worker gone wild must fail here, not take the server with it: 2 GB of address space more, at most.
    with open("/proc/self/status") as fh:
        vm = next(int(line.split()[1]) for line in fh if line.startswith("VmSize:")) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (vm + 2 * 1024 ** 3, resource.RLIM_INFINITY))
    render_page(doc, tmp, "cd" * 32, 2, [200, 1280, 1920, 2560], want_text=True)
    render_page(doc, tmp, "cd" * 32, 3, [200, 1280, 1920, 2560], want_text=True)
    print(json.dumps({"before": before, "after": rss_mb()}))
""")


def test_rendering_hostile_pages_keeps_the_worker_small():
    """Pages of 200 x 14400 and 3 x 14400 pt at every width, in a child process as a worker would: its peak
    memory grows by less than 200 MB (before the cap: 4.3 GB for the first page at 2560 px)."""
    proc = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rss = json.loads(proc.stdout.strip().splitlines()[-1])
    assert rss["after"] - rss["before"] < 200, rss


def test_long_page_is_served_narrower_than_asked(app, client, auth, council, tmp_path):
    """A 1:10 page is accepted; /pages/…/1/1280.png is the whole page 820 px wide (8192 px tall), the A4
    page next to it exactly 1280 px: the URL names the width asked, the image says what it is."""
    pdf = _pdf(tmp_path / "minutes.pdf", (300, 3000), PAPER["A4 portrait"])
    auth.login("sec")
    assert upload(client, "council", council["items"][0], pdf).status_code == 200
    render_all(app)
    sha = only_document(app).sha256
    auth.login("del1")
    tall = client.get(f"/pages/{sha}/1/1280.png")
    assert tall.status_code == 200 and tall.mimetype == "image/png"
    _assert_within_cap(_png_size(tall.data), 1280, 300, 3000)
    assert _png_size(tall.data) == (820, 8192)
    assert _png_size(client.get(f"/pages/{sha}/2/1280.png").data) == (1280, 1811)


@pytest.mark.parametrize("sizes, page, shown", [
    ([(200, 14400)], 1, "7.1 × 508 cm"),  # the audit's file
    ([PAPER["A4 portrait"], (14400, 200), PAPER["A4 portrait"]], 2, "508 × 7.1 cm"),
    ([PAPER["A4 portrait"], (3, 14400)], 2, "0.1 × 508 cm"),
])
def test_page_too_thin_to_read_is_refused_at_upload(app, client, auth, council, tmp_path, sizes, page, shown):
    """More than 1:50: the secretary is told which page, its size, and what to do; nothing is kept."""
    pdf = _pdf(tmp_path / "odd.pdf", *sizes)
    auth.login("sec")
    resp = upload(client, "council", council["items"][0], pdf, name="odd.pdf")
    assert resp.status_code == 400
    assert resp.get_json()["message"] == (
        f"“odd.pdf”: page {page} measures {shown}, a strip too thin to read on a screen. Export the document "
        "again on a normal paper size (A4, for example) or leave that page out.")
    data = app.config["DATA_DIR"]
    assert files_under(data / "originals") == [] and files_under(data / "pages") == []


def test_page_of_one_to_fifty_is_still_accepted(app, client, auth, council, tmp_path):
    """Exactly 1:50 (a long strip, but drawn within the cap) is not refused."""
    pdf = _pdf(tmp_path / "strip.pdf", (100, 5000))
    auth.login("sec")
    assert upload(client, "council", council["items"][0], pdf).status_code == 200
