"""Page sizes in PDF points, read once per (sha256, page) with PyMuPDF and kept in memory."""
from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from app.documents.ingest import original_path

_MAX = 20_000
_cache: OrderedDict[tuple[str, int], tuple[float, float]] = OrderedDict()
_lock = threading.Lock()


def page_size(data_dir: Path, sha256: str, page: int) -> tuple[float, float]:
    """Width and height of a page (1-based) as PyMuPDF shows it (page.rect: rotation applied, origin top-left)."""
    key = (sha256, page)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    import pymupdf

    with pymupdf.open(original_path(data_dir, sha256)) as doc:
        rect = doc.load_page(page - 1).rect
    size = (round(float(rect.width), 3), round(float(rect.height), 3))
    with _lock:
        _cache[key] = size
        while len(_cache) > _MAX:
            _cache.popitem(last=False)
    return size


QUOTE_MAX = 500  # characters of a highlight's words kept; a longer one ends with "…"


def highlighted_words(data_dir: Path, sha256: str, page: int, rects: list[list[float]]) -> str:
    """The words of a page (1-based) that a highlight covers, in the page's reading order, one space apart: a
    word counts when the middle of its box lies in one of `rects` (display coordinates, as stored; a finger's
    rectangle seldom hugs the letters). Empty when the page has no text there (a scan) or cannot be read: a
    highlight is never refused for its words."""
    import pymupdf

    try:
        with pymupdf.open(original_path(data_dir, sha256)) as doc:
            pg = doc.load_page(page - 1)
            # Text positions are those of the unrotated page; the rectangles are as the page is shown.
            derotate = pg.derotation_matrix
            boxes = [pymupdf.Rect(*r).transform(derotate).normalize() for r in rects]
            words = pg.get_text("words", sort=True)
    except Exception:  # noqa: BLE001 - the highlight stands without its words
        return ""
    chosen = [w[4] for w in words
              if any(box.contains(pymupdf.Point((w[0] + w[2]) / 2, (w[1] + w[3]) / 2)) for box in boxes)]
    quote = " ".join(" ".join(chosen).split())
    return quote if len(quote) <= QUOTE_MAX else quote[:QUOTE_MAX - 1].rstrip() + "…"
