"""Page images: the widths we make, where they live on disk, and the PyMuPDF code that makes them.

Only render worker processes call render_pages(); the web process only computes paths.
Figures behind the choices are in docs/benchmarks.md ("Documents"):
- PNG: lossless, so text stays crisp; at tablet width it is as small as JPEG q90 4:4:4 and 4x smaller
  than lossless WebP; lossy WebP is smaller still but blurs thin strokes and encodes no faster.
- Widths: thumbnails 200 px, tablets 1280 px (a 10" tablet in portrait at 2x, or landscape at 1x),
  1920 and 2560 px made only when asked (projector, zoom).
- Caps: no image taller than MAX_PAGE_HEIGHT or larger than MAX_PAGE_PIXELS; a page that would be (a strip
  far longer than paper) is drawn whole at the zoom that fits, so narrower than the width asked.
"""
from __future__ import annotations

import math
import os
import re
import struct
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

THUMB_WIDTH = 200
DEFAULT_WIDTH = 1280
WIDTHS = (200, 1280, 1920, 2560)
EAGER_WIDTHS = (THUMB_WIDTH, DEFAULT_WIDTH)  # made for every page at upload; the rest on demand
FORMAT = "png"
MIME = "image/png"
# Caps on one page image, whatever the PDF says its page is (200 x 14400 pt drawn 2560 px wide would be
# 2560 x 184320 px: 1.4 GB of pixels). Paper never reaches them: A3 and legal at 2560 px are 3620 and 4216 px
# tall; a page 3.2 times as long as wide fills 2560 x 8192. Nor does the viewer need more: it fits the whole
# page in its stage and zooms at most 4x, so a page is never shown much taller than 8000 device pixels.
# 2560 x 8192 RGB is 63 MB of pixmap, the most a worker holds for one image.
MAX_PAGE_HEIGHT = 8192
MAX_PAGE_PIXELS = 2560 * 8192
SHA_RE = re.compile(r"^[0-9a-f]{64}$")
# Snippet markers around a search hit (Unicode private use; stripped from stored page text).
MARK_START = "\ue000"
MARK_END = "\ue001"


def page_path(data_dir: Path, sha256: str, page: int, width: int) -> Path:
    """The cache file of one page image: keyed by (document hash, page, width)."""
    return Path(data_dir) / "pages" / sha256[:2] / sha256 / str(width) / f"{page}.{FORMAT}"


def page_relpath(sha256: str, page: int, width: int) -> str:
    """The same file relative to DATA_DIR/pages (for X-Accel-Redirect)."""
    return f"{sha256[:2]}/{sha256}/{width}/{page}.{FORMAT}"


def page_url(sha256: str, page: int | str, width: int | str) -> str:
    """The content-addressed URL of a page image."""
    return f"/pages/{sha256}/{page}/{width}.{FORMAT}"


def write_atomic(dest: Path, data: bytes) -> None:
    """Write a file so that readers see all of it or nothing."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, dest)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def clean_text(text: str) -> str:
    """Page text as stored for search: no NULs, no snippet markers, whitespace collapsed."""
    text = text.replace("\x00", " ").replace(MARK_START, " ").replace(MARK_END, " ")
    return re.sub(r"\s+", " ", text).strip()


def read_text(pg) -> str:
    """A page's text as stored: its text blocks in reading order (top to bottom, left to right), one paragraph
    each, a blank line between them, so that “Page as text” shows a table's rows and a heading on their own lines
    (the whole page was one run of words); search reads the same text."""
    blocks = (clean_text(block[4]) for block in pg.get_text("blocks", sort=True) if block[6] == 0)
    return "\n\n".join(block for block in blocks if block)


PNG_LEVEL = 3  # zlib level: about MuPDF's PNG size at half its encode time (docs/benchmarks.md)


PNG_ROWS = 64  # rows per zlib call: a small buffer, not a second copy of the image


def encode_png(pix) -> bytes:
    """An RGB pixmap as PNG: rows unfiltered, zlib level 3 (twice as fast as MuPDF's own PNG writer).

    The rows go to zlib PNG_ROWS at a time through one small buffer, so the only large things in memory are
    the pixmap and the compressed bytes (copying the image twice first took 3 times the pixmap)."""
    width, height, stride = pix.width, pix.height, pix.stride
    samples = pix.samples_mv
    line = stride + 1  # each row starts with filter type 0 (none): the buffer's zeros, never overwritten
    buf = bytearray(line * min(PNG_ROWS, max(height, 1)))
    view = memoryview(buf)
    deflate = zlib.compressobj(PNG_LEVEL)
    idat = []
    for top in range(0, height, PNG_ROWS):
        n = min(PNG_ROWS, height - top)
        for i in range(n):
            y = top + i
            view[i * line + 1:(i + 1) * line] = samples[y * stride:(y + 1) * stride]
        idat.append(deflate.compress(view[:n * line]))
    idat.append(deflate.flush())
    del view

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2 if pix.n == 3 else 0, 0, 0, 0)
    crc = zlib.crc32(b"IDAT")
    for part in idat:
        crc = zlib.crc32(part, crc)
    return b"".join([b"\x89PNG\r\n\x1a\n", chunk(b"IHDR", header), struct.pack(">I", sum(map(len, idat))), b"IDAT",
                     *idat, struct.pack(">I", crc & 0xFFFFFFFF), chunk(b"IEND", b"")])


def page_zoom(rect, width: int) -> float:
    """The zoom that draws a page `width` px wide, or less if that image would pass MAX_PAGE_HEIGHT or
    MAX_PAGE_PIXELS: then the largest that fits, the whole page, narrower than asked (same proportions)."""
    import pymupdf

    w, h = rect.width, rect.height
    zoom = width / w if w > 0 else 1.0
    if h > 0:
        zoom = min(zoom, MAX_PAGE_HEIGHT / h)
        if w > 0:
            zoom = min(zoom, math.sqrt(MAX_PAGE_PIXELS / (w * h)))
    # The pixmap is the transformed rectangle rounded outwards (MuPDF's fz_round_rect, as .irect here):
    # a capped page may come out a pixel over, so shrink by a hair until it does not.
    for _ in range(20):
        box = (rect * pymupdf.Matrix(zoom, zoom)).irect
        if box.height <= MAX_PAGE_HEIGHT and box.width * box.height <= MAX_PAGE_PIXELS:
            break
        zoom *= 0.9999
    return zoom


@dataclass
class PageResult:
    """What a worker made for one page: the widths written and, at the default width, the text."""

    page: int
    widths: list[int]
    text: str | None


def render_page(doc, data_dir: Path, sha256: str, page: int, widths: list[int], want_text: bool) -> PageResult:
    """Render one page (1-based) at each width from one display list; write the files; maybe read the text."""
    import pymupdf

    pg = doc.load_page(page - 1)
    dlist = pg.get_displaylist()
    rect = dlist.rect
    for width in widths:
        zoom = page_zoom(rect, width)  # width / page width, unless the page is far longer than paper
        pix = dlist.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
        data = encode_png(pix)
        pix = None  # free the pixels before the next width's are made
        write_atomic(page_path(data_dir, sha256, page, width), data)
        data = None
    text = None
    if want_text:
        try:
            text = read_text(pg)
        except Exception:  # a page whose text cannot be read still shows; it is just not searchable
            text = ""
    return PageResult(page=page, widths=list(widths), text=text)


def read_outline(doc) -> list[dict]:
    """The PDF outline (bookmarks) as the document's table of contents."""
    out = []
    for entry in doc.get_toc(simple=True):
        level, title, page = entry[0], entry[1], entry[2]
        if not isinstance(page, int) or page < 1:
            continue
        out.append({"level": int(level), "title": clean_text(str(title))[:300] or "—", "page": page})
    return out


# A page MuPDF cannot draw is shown as a plain page saying so, marked in a PNG tEXt chunk right after the
# header, so that `flask documents render` can find such placeholders again without a database column.
PLACEHOLDER_MARK = b"dais:page-could-not-be-drawn"
_HEAD = 33  # PNG signature (8) and the IHDR chunk (25): the mark's chunk starts here


def _plain_failed_page(width: int) -> bytes:
    """The placeholder as drawn by MuPDF (what the worker cached, unmarked, before the mark existed)."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((60, 120), "This page could not be displayed.", fontsize=20)
    zoom = width / 595
    data = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False).tobytes("png")
    doc.close()
    return data


_plain_cache: dict[int, bytes] = {}


def _plain(width: int) -> bytes:
    if width not in _plain_cache:
        _plain_cache[width] = _plain_failed_page(width)
    return _plain_cache[width]


def failed_page(width: int) -> bytes:
    """The page image that stands for a page MuPDF could not draw, with the placeholder mark."""
    data = _plain(width)
    text = b"Comment\x00" + PLACEHOLDER_MARK
    chunk = struct.pack(">I", len(text)) + b"tEXt" + text + struct.pack(">I", zlib.crc32(b"tEXt" + text) & 0xFFFFFFFF)
    return data[:_HEAD] + chunk + data[_HEAD:]


def is_placeholder(path: Path, width: int) -> bool:
    """Whether this cached page image is a placeholder (marked, or the unmarked one of earlier versions)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_HEAD + 64)
            if PLACEHOLDER_MARK in head:
                return True
            if width in WIDTHS and os.fstat(fh.fileno()).st_size == len(_plain(width)):
                return head + fh.read() == _plain(width)
    except FileNotFoundError:
        return False
    return False
