"""Check an incoming PDF and store it content-addressed; nothing half-written on refusal."""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pymupdf

from app.errors import BadInput

pymupdf.TOOLS.mupdf_display_errors(False)  # MuPDF's complaints about broken files go to our messages, not stderr

PDF_MAGIC = b"%PDF-"
PDF_EOF = b"%%EOF"
TAIL = 4096  # the end-of-file marker must be near the end (incremental updates append after it)
CHUNK = 1024 * 1024


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
    label = f"“{name}”: " if name else ""
    size = os.path.getsize(path)
    if size == 0:
        raise BadInput(f"{label}this file is empty; choose the PDF again.")
    if size > max_bytes:
        raise BadInput(
            f"{label}this file is {size / 1e6:.0f} MB; the limit is {max_bytes / 1e6:.0f} MB. "
            "Split it or ask the admin to raise the limit."
        )
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        head = fh.read(1024)
        digest.update(head)
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    if PDF_MAGIC not in head:
        raise BadInput(f"{label}this file is not a PDF (whatever its name says); upload a PDF document.")
    with open(path, "rb") as fh:
        fh.seek(max(0, size - TAIL))
        tail = fh.read()
    if PDF_EOF not in tail:
        # MuPDF would "repair" a cut-off file into blank pages; an interrupted copy is refused instead.
        raise BadInput(f"{label}this file is damaged: it is cut short (its end is missing). "
                       "Copy or download it again and upload the complete file.")
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises its own FileDataError and others on broken files
        raise BadInput(f"{label}this file is damaged: {exc}. Export it to PDF again and upload the new copy.")
    try:
        if doc.needs_pass or doc.is_encrypted:
            raise BadInput(f"{label}this document is password-protected; upload an unprotected copy.")
        pages = doc.page_count
        if pages == 0:
            raise BadInput(f"{label}this file is damaged: it has no readable pages. "
                           "Export it to PDF again and upload the new copy.")
        if pages > max_pages:
            raise BadInput(
                f"{label}this document has {pages} pages; the limit is {max_pages}. Split it into parts."
            )
        try:
            doc.load_page(0)
        except Exception as exc:
            raise BadInput(f"{label}this file is damaged: its first page cannot be read ({exc}).")
        repaired = bool(doc.is_repaired)
    finally:
        doc.close()
    return PdfInfo(sha256=digest.hexdigest(), size_bytes=size, page_count=pages, repaired=repaired)


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
