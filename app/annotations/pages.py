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
