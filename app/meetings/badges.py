"""The printable badge sheet: one card per member with the meeting, name, seat, role and a sign-in QR (PyMuPDF).

Asked for over the web, the sheet is made in a child process (`python badges.py < spec.json > sheet.pdf`), never
in the process that holds the sockets: a congress of 500 members is about a second of CPU, and on the event loop
every tablet would wait for it. This file runs as a plain script there, so it imports nothing from the app.
"""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import pymupdf
import qrcode
from PIL import Image

FONTS = Path(__file__).resolve().parents[1] / "static" / "fonts"
FONT_FILE = FONTS / "NotoSans-Regular.ttf"
BOLD_FILE = FONTS / "NotoSans-Bold.ttf"
PAGE_W, PAGE_H = 595.0, 842.0  # A4 in points
CARD_W, CARD_H = 255.0, 148.0  # two columns x five rows fit on A4
MARGIN_X, MARGIN_Y, GAP = 36.0, 30.0, 8.0
PER_PAGE = 10
STEP, MIN_SIZE = 0.5, 7.0  # shrink text by this much at a time, never below the smallest size still read easily
ELLIPSIS = "…"
BREAKS = re.compile(r"( ?)([^ -]*-+|[^ -]+)")  # (space before, word): a line may break at a space or after a hyphen
BLACK, GREY = (0.0, 0.0, 0.0), (0.35, 0.35, 0.35)
TIMEOUT_SECONDS = 120


@dataclass
class Badge:
    """What one card shows."""

    name: str
    seat: str
    role: str   # in the reader's language, as the line under the seat
    url: str
    seat_line: str = ""   # “Seat D01” in the reader's language (English from the seat when not given)


def qr_png(data: str, box: int = 8, border: int = 1) -> bytes:
    """A QR code as a black-and-white PNG, `box` pixels to a module."""
    # Any of the eight masks makes a valid code (the reader learns which from the format bits); letting
    # `qrcode` score all eight took 85% of the sheet's QR time (2.7 of 3.2 s for 514 badges).
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border, mask_pattern=0)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = Image.frombytes("L", (size, size), pixels).convert("1").resize((size * box, size * box), Image.NEAREST)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


class Face:
    """A font, measured fast: PyMuPDF measures a string a character at a time through Python, so each character's
    advance is asked once and kept, and each box's text is fitted once (the meeting's title is on every card)."""

    def __init__(self, fontfile: Path, builtin: str) -> None:
        self.font = pymupdf.Font(fontfile=str(fontfile)) if fontfile.exists() else pymupdf.Font(builtin)
        self._advances: dict[str, float] = {}
        self._fitted: dict[tuple[str, float, float, float], tuple[float, list[str]]] = {}

    def width(self, text: str, size: float) -> float:
        """The width of `text` at `size` points (as `Font.text_length`, fallback fonts included)."""
        advances = self._advances
        for ch in text:
            if ch not in advances:
                advances[ch] = self.font.text_length(ch, 1)
        return sum(advances[ch] for ch in text) * size

    def line_height(self, size: float) -> float:
        """The distance between two baselines: ascender to descender, as PyMuPDF's textboxes use."""
        return size * (self.font.ascender - self.font.descender)

    def wrap(self, text: str, size: float, width: float, break_words: bool) -> list[str] | None:
        """`text` in lines no wider than `width` at `size` points, broken at spaces and after hyphens; a word wider
        than a line is broken inside if `break_words`, else there is no wrapping (None)."""
        lines: list[str] = []
        line = ""
        for space, word in BREAKS.findall(text):
            candidate = line + space + word if line else word
            if self.width(candidate, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            if self.width(word, size) > width and not break_words:
                return None
            while self.width(word, size) > width:
                cut = 1
                while self.width(word[:cut + 1], size) <= width:
                    cut += 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        if line:
            lines.append(line)
        return lines

    def fit(self, text: str, size: float, width: float, height: float) -> tuple[float, list[str]]:
        """The largest size from `size` down to MIN_SIZE at which `text` fits the box, with its lines; if it does
        not fit even at MIN_SIZE, the lines that do, the last one cut with an ellipsis."""
        key = (text, size, width, height)
        if key not in self._fitted:
            self._fitted[key] = self._fit(text, size, width, height)
        return self._fitted[key]

    def _fit(self, text: str, size: float, width: float, height: float) -> tuple[float, list[str]]:
        while True:
            lines = self.wrap(text, size, width, break_words=False)
            if lines is not None and len(lines) * self.line_height(size) <= height:
                return size, lines
            if size - STEP < MIN_SIZE:
                break
            size -= STEP
        lines = self.wrap(text, size, width, break_words=True) or []
        keep = max(1, int(height // self.line_height(size)))
        if len(lines) > keep:
            last = lines[keep - 1]
            while last and self.width(last + ELLIPSIS, size) > width:
                last = last[:-1]
            lines = lines[:keep - 1] + [last.rstrip() + ELLIPSIS]
        return size, lines

    def write(self, writer: pymupdf.TextWriter, text: str, rect: pymupdf.Rect, size: float,
              centred: bool = False) -> None:
        """Lay `text` out in `rect` through the text writer, shrunk to fit (blank text writes nothing)."""
        size, lines = self.fit(" ".join(text.split()), size, rect.width, rect.height)
        y = rect.y0 + size * self.font.ascender
        for line in lines:
            x = rect.x0 + (rect.width - self.width(line, size)) / 2 if centred else rect.x0
            writer.append(pymupdf.Point(x, y), line, font=self.font, fontsize=size)
            y += self.line_height(size)


def badge_sheet(meeting_title: str, badges: list[Badge], scan_label: str = "Scan to sign in") -> bytes:
    """A PDF of badge cards, ten to an A4 page, with cut lines (made in this process: see `render_sheet`)."""
    regular, bold = Face(FONT_FILE, "helv"), Face(BOLD_FILE, "hebo")
    doc = pymupdf.open()
    for start in range(0, max(len(badges), 1), PER_PAGE):
        page = doc.new_page(width=PAGE_W, height=PAGE_H)
        black, grey = pymupdf.TextWriter(page.rect), pymupdf.TextWriter(page.rect)
        shape = page.new_shape()
        for n, badge in enumerate(badges[start:start + PER_PAGE]):
            col, row = n % 2, n // 2
            x0 = MARGIN_X + col * (CARD_W + GAP)
            y0 = MARGIN_Y + row * (CARD_H + GAP)
            card = pymupdf.Rect(x0, y0, x0 + CARD_W, y0 + CARD_H)
            shape.draw_rect(card)
            # The meeting across the top; under it the QR code on the right, the person on the left.
            top = pymupdf.Rect(card.x0 + 12, card.y0 + 8, card.x1 - 12, card.y0 + 29)
            regular.write(grey, meeting_title, top, 7.5)
            qr = pymupdf.Rect(card.x1 - 108, card.y0 + 32, card.x1 - 12, card.y0 + 128)
            page.insert_image(qr, stream=qr_png(badge.url), alpha=0)
            regular.write(grey, scan_label, pymupdf.Rect(qr.x0, qr.y1 + 1, qr.x1, card.y1 - 3), 7, centred=True)
            left, right = card.x0 + 12, qr.x0 - 8
            regular.write(black, badge.name, pymupdf.Rect(left, card.y0 + 33, right, card.y0 + 90), 13)
            if badge.seat:
                bold.write(black, badge.seat_line or f"Seat {badge.seat}", pymupdf.Rect(left, card.y0 + 92, right, card.y0 + 114), 15)
            regular.write(grey, badge.role, pymupdf.Rect(left, card.y0 + 116, right, card.y1 - 6), 9)
        shape.finish(color=(0.6, 0.6, 0.6), width=0.5, dashes="[3 3] 0")
        shape.commit()
        black.write_text(page, color=BLACK)
        grey.write_text(page, color=GREY)
    doc.set_metadata({"title": f"Badges — {meeting_title}", "producer": "Dais", "creator": "Dais"})
    doc.subset_fonts()
    data = doc.tobytes(garbage=1, deflate=True)
    doc.close()
    return data


def render_sheet(meeting_title: str, badges: list[Badge], scan_label: str = "Scan to sign in") -> bytes:
    """The badge sheet made by a child process, so the server keeps serving meanwhile; the PDF as bytes."""
    spec = json.dumps({"title": meeting_title, "badges": [asdict(b) for b in badges], "scan": scan_label})
    try:
        # Under gevent (and eventlet) subprocess is cooperative: the event loop runs while the child works.
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve())], input=spec.encode(),
                              capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"the badge sheet took longer than {TIMEOUT_SECONDS} s")
    if proc.returncode != 0 or not proc.stdout.startswith(b"%PDF"):
        raise RuntimeError("the badge sheet could not be made: " + proc.stderr.decode(errors="replace")[-500:])
    return proc.stdout


def main() -> int:
    """Child process entry: read the spec from stdin, write the PDF to stdout."""
    spec = json.loads(sys.stdin.buffer.read())
    pdf = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # what PyMuPDF or MuPDF print (warnings) goes to stderr, not into the PDF
    pdf.write(badge_sheet(spec["title"], [Badge(**b) for b in spec["badges"]], spec["scan"]))
    pdf.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
