"""Check an incoming PDF and store it content-addressed; nothing half-written on refusal."""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pymupdf

from app.errors import BadInput, Count

log = logging.getLogger("dais.documents")
pymupdf.TOOLS.mupdf_display_errors(False)  # MuPDF's complaints about broken files go to our log lines, not stderr

PDF_MAGIC = b"%PDF-"
PDF_EOF = b"%%EOF"
TAIL = 4096  # the end-of-file marker must be near the end (incremental updates append after it)
CHUNK = 1024 * 1024
# A page whose long side is more than this many times its short side is refused: no screen shows such a strip
# readably (at 1:50 the whole page fills a tablet's height at about 14 px wide), and no paper is shaped so
# (A4 is 1:1.41, legal 1:1.65, a till receipt about 1:10). The renderer caps its images anyway
# (render.MAX_PAGE_HEIGHT): this only tells the secretary early, naming the page.
MAX_PAGE_RATIO = 50


@dataclass(frozen=True)
class PdfInfo:
    """What the checks learned about an accepted PDF."""

    sha256: str
    size_bytes: int
    page_count: int
    repaired: bool


def original_path(data_dir: Path, sha256: str) -> Path:
    """Where the original with this hash lives under the data dir."""
    return Path(data_dir) / "originals" / sha256[:2] / f"{sha256}.pdf"


def inspect_pdf(path: Path, max_pages: int, max_bytes: int, name: str = "") -> PdfInfo:
    """Check that the file is a readable, unprotected PDF within the limits; return what it is."""
    name = name or Path(path).name
    size = os.path.getsize(path)
    if size == 0:
        raise BadInput("“%(file)s”: this file is empty; choose the PDF again.", file=name)
    if size > max_bytes:
        raise BadInput("“%(file)s”: this file is %(size)s MB; the limit is %(limit)s MB. Split it or ask the admin to "
                       "raise the limit.", file=name, size=round(size / 1e6), limit=round(max_bytes / 1e6))
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        head = fh.read(1024)
        digest.update(head)
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    if PDF_MAGIC not in head:
        raise BadInput("“%(file)s”: this file is not a PDF (whatever its name says); upload a PDF document.", file=name)
    with open(path, "rb") as fh:
        fh.seek(max(0, size - TAIL))
        tail = fh.read()
    if PDF_EOF not in tail:
        # MuPDF would "repair" a cut-off file into blank pages; an interrupted copy is refused instead.
        raise BadInput("“%(file)s”: this file is damaged: it is cut short (its end is missing). Copy or download it "
                       "again and upload the complete file.", file=name)
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises its own FileDataError and others on broken files
        # MuPDF's reason is English and technical: it goes to the log, the person gets what to do.
        log.info("refused %s: MuPDF cannot open it: %s", name, exc)
        raise BadInput("“%(file)s”: this file is damaged: it cannot be opened as a PDF. Export it to PDF again and "
                       "upload the new copy.", file=name)
    try:
        if doc.needs_pass or doc.is_encrypted:
            raise BadInput("“%(file)s”: this document is password-protected; upload an unprotected copy.", file=name)
        pages = doc.page_count
        if pages == 0:
            raise BadInput("“%(file)s”: this file is damaged: it has no readable pages. Export it to PDF again and "
                           "upload the new copy.", file=name)
        if pages > max_pages:
            raise BadInput("“%(file)s”: this document has %(pages)s pages; the limit is %(limit)s. Split it into parts.",
                           file=name, pages=pages, limit=max_pages)
        try:
            doc.load_page(0)
        except Exception as exc:
            log.info("refused %s: MuPDF cannot read its first page: %s", name, exc)
            raise BadInput("“%(file)s”: this file is damaged: its first page cannot be read. Export it to PDF again and "
                           "upload the new copy.", file=name)
        _check_proportions(doc, name)
        repaired = bool(doc.is_repaired)
    finally:
        doc.close()
    return PdfInfo(sha256=digest.hexdigest(), size_bytes=size, page_count=pages, repaired=repaired)


def _check_proportions(doc, name: str) -> None:
    """Refuse the first page more than MAX_PAGE_RATIO times as long as it is wide (or as wide as it is long)."""
    for index in range(doc.page_count):
        try:
            box = doc.page_cropbox(index)  # the page's size without loading it (15 µs; 2000 pages in 30 ms)
        except Exception:  # an unreadable page is the worker's to show as such, not a reason to refuse the file
            continue
        w, h = abs(box.width), abs(box.height)
        if max(w, h) > MAX_PAGE_RATIO * min(w, h):
            raise BadInput("“%(file)s”: page %(page)s measures %(width)s × %(height)s cm, a strip too thin to read on "
                           "a screen. Export the document again on a normal paper size (A4, for example) or leave "
                           "that page out.", file=name, page=index + 1, width=Count(round(w / 72 * 2.54, 1)),
                           height=Count(round(h / 72 * 2.54, 1)))


def store_original(src: Path, data_dir: Path, info: PdfInfo) -> Path:
    """Copy an inspected file into content-addressed storage (atomic rename; no-op if present)."""
    dest = original_path(data_dir, info.sha256)
    if dest.exists():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, open(src, "rb") as fh:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, dest)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return dest


def spool_upload(stream: BinaryIO, data_dir: Path) -> Path:
    """Write an uploaded stream to a temporary file in the data dir; the caller deletes it."""
    tmp_dir = Path(data_dir) / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=tmp_dir, suffix=".upload")
    with os.fdopen(fd, "wb") as out:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            out.write(chunk)
    return Path(tmp)
