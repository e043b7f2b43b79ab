"""Generate the PDF documents of the demo agenda pack in ``agendas/demo/``.

The demo pack is a fictitious regular session of the Committee on Urban
Development and Transport of the City of Riverton.  ``agendas/demo/meeting.toml``
is written by hand; this script only (re)creates the PDF documents it refers to:

* ``01-notice-and-draft-agenda.pdf``        notice of meeting and draft agenda
* ``02-minutes-2026-11-05.pdf``             minutes of the previous session
* ``03-draft-budget-2027.pdf``              draft budget 2027 (12 pages, tables,
                                            bar chart, landscape annex)
* ``04-cycling-network-plan.pdf``           cycling network plan with a map
* ``05-public-transport-tariff-2027.pdf``   fare proposal with a ridership chart
* ``05a-consultation-summary-vi-en.pdf``    bilingual (Vietnamese / English)
                                            consultation summary
* ``06-school-renovation-linden-park.pdf``  school renovation with site plan and
                                            schedule

Everything is drawn with PyMuPDF (text, tables, vector charts); the map and the
site plan are rendered with Pillow and embedded as PNG images.  Text uses
MuPDF's built-in Noto Serif (which covers Vietnamese) and the built-in
Helvetica clone for headings, so no system fonts are needed.

The output is deterministic: no randomness except seeded generators, fixed PDF
metadata dates and no new file IDs, so running the script twice produces
byte-identical files.  Existing PDFs are overwritten in place.

Usage (from the repository root)::

    .venv/bin/python scripts/make_demo_pack.py
"""

from __future__ import annotations

import io
import math
import random
import re
from pathlib import Path

import pymupdf
from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE.parent / "agendas" / "demo"

# Fixed metadata date of every generated document (PDF date format).
PDF_DATE = "D:20261119090000+01'00'"

# --------------------------------------------------------------------------
# Fonts, colours, page geometry
# --------------------------------------------------------------------------

SERIF = pymupdf.Font(script=1)  # MuPDF built-in Noto Serif (Latin incl. Vietnamese)
SANS = pymupdf.Font("helv")  # built-in Helvetica clone (Nimbus Sans)
SANS_BOLD = pymupdf.Font("hebo")
SERIF_NAME = "NotoSerif"  # resource name used for fake-bold serif text

NAVY = (0.12, 0.23, 0.37)
ACCENT = (0.80, 0.42, 0.10)
TEAL = (0.16, 0.50, 0.52)
BLACK = (0.08, 0.08, 0.08)
GREY = (0.40, 0.40, 0.42)
RULE = (0.70, 0.72, 0.75)
LIGHT = (0.87, 0.90, 0.94)
ZEBRA = (0.955, 0.965, 0.975)
WHITE = (1, 1, 1)

A4 = pymupdf.paper_rect("a4")  # 595 x 842 pt, portrait
A4_LANDSCAPE = pymupdf.Rect(0, 0, A4.height, A4.width)
MARGIN_X = 62
TOP = 78
BOTTOM = 68

CITY = "City of Riverton"
DEPARTMENT = "Department of Urban Development and Transport"
COMMITTEE = "Committee on Urban Development and Transport"

# Noto Serif has no U+2212 MINUS SIGN; an en dash is the usual substitute in tables.
MINUS = "\u2013"

BOLD_RE = re.compile(r"(\*\*.+?\*\*)")


def covers(font: pymupdf.Font, text: str) -> bool:
    return all(ch == " " or font.has_glyph(ord(ch)) for ch in text)


def money(value: float, decimals: int = 0) -> str:
    """Format a number with thousands separators, negative numbers with a minus sign."""
    s = f"{abs(value):,.{decimals}f}"
    return (MINUS if value < 0 else "") + s


def pct(value: float) -> str:
    return ("+" if value > 0 else MINUS if value < 0 else "\u00b1") + f"{abs(value):.1f} %"


# --------------------------------------------------------------------------
# A tiny flow-layout engine on top of PyMuPDF
# --------------------------------------------------------------------------


class Report:
    """Builds one council document page by page with a moving y cursor."""

    def __init__(self, *, ref: str, title: str, short_title: str, date: str,
                 author: str, subject: str, keywords: str, serif_headings: bool = False,
                 header_left: str = f"{CITY} \u00b7 {COMMITTEE}"):
        self.doc = pymupdf.open()
        self.ref = ref
        self.title = title
        self.short_title = short_title
        self.date = date
        self.author = author
        self.subject = subject
        self.keywords = keywords
        self.serif_headings = serif_headings
        self.header_left = header_left
        self.toc: list[list] = []
        self.page: pymupdf.Page | None = None
        # text drawn on the current page, in reading order; written out by _flush()
        self.ops: list[tuple] = []
        self.landscape = False
        self.cover_pages: set[int] = set()
        self.contents_at: tuple[int, float] | None = None

    # ---- pages ---------------------------------------------------------
    def new_page(self, landscape: bool | None = None) -> None:
        self._flush()
        if landscape is not None:
            self.landscape = landscape
        rect = A4_LANDSCAPE if self.landscape else A4
        self.page = self.doc.new_page(width=rect.width, height=rect.height)
        self.page.insert_font(fontname=SERIF_NAME, fontbuffer=SERIF.buffer)
        self.x0 = MARGIN_X
        self.x1 = rect.width - MARGIN_X
        self.y = TOP
        self.ybottom = rect.height - BOTTOM

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    def _flush(self) -> None:
        """Write the queued text of the current page on top of its graphics.

        The text is emitted in the order it was drawn, so that text extraction
        follows the reading order.  Consecutive plain runs of one colour share a
        TextWriter; fake-bold serif runs are inserted with a stroke (render mode 2).
        """
        if self.page is not None:
            writer, writer_color = None, None
            for op in self.ops + [("end",)]:
                if writer is not None and (op[0] != "plain" or op[1] != writer_color):
                    writer.write_text(self.page, color=writer_color)
                    writer = None
                if op[0] == "plain":
                    _, color, x, y, text, font, size = op
                    if writer is None:
                        writer, writer_color = pymupdf.TextWriter(self.page.rect), color
                    writer.append((x, y), text, font=font, fontsize=size)
                elif op[0] == "bold":
                    _, color, x, y, text, size = op
                    self.page.insert_text((x, y), text, fontname=SERIF_NAME, fontsize=size,
                                          color=color, fill=color, render_mode=2,
                                          border_width=0.035)
        self.ops = []

    def ensure(self, height: float) -> None:
        if self.page is None or self.y + height > self.ybottom:
            self.new_page()

    # ---- low level text ----------------------------------------------------
    def text(self, x: float, baseline: float, s: str, *, font: pymupdf.Font = SERIF,
             size: float = 10, color=BLACK, bold: bool = False) -> float:
        """Draw ``s`` with its baseline at ``baseline``; returns the text width.

        ``bold`` with the serif font gives a stroked ("fake bold") rendering,
        because MuPDF only ships the regular cut of Noto Serif.
        """
        if not s:
            return 0.0
        if font is not SERIF and not covers(font, s):
            bold = bold or font is SANS_BOLD
            font = SERIF
        if not covers(font, s):  # never let MuPDF substitute a fallback font silently
            raise ValueError(f"font {font.name} cannot render {s!r}")
        if font is SERIF and bold:
            self.ops.append(("bold", tuple(color), x, baseline, s, size))
        else:
            self.ops.append(("plain", tuple(color), x, baseline, s, font, size))
        return font.text_length(s, fontsize=size)

    @staticmethod
    def measure(s: str, font: pymupdf.Font = SERIF, size: float = 10) -> float:
        if font is not SERIF and not covers(font, s):
            font = SERIF
        return font.text_length(s, fontsize=size)

    def wrap(self, text: str, width: float, size: float, font: pymupdf.Font = SERIF,
             bold: bool = False) -> list[list[tuple[str, bool]]]:
        """Split ``text`` (with **bold** markup) into lines of (word, bold) tokens."""
        tokens: list[tuple[str, bool]] = []
        glue = False  # previous part ended without white space
        for part in BOLD_RE.split(text):
            if not part:
                continue
            is_bold = bold or part.startswith("**")
            part = part[2:-2] if part.startswith("**") else part
            words = part.split()
            if words and tokens and glue and not part[0].isspace():
                # punctuation right after a bold span: attach it to the previous word
                tokens[-1] = (tokens[-1][0] + words.pop(0), tokens[-1][1])
            tokens.extend((word, is_bold) for word in words)
            glue = not part[-1].isspace()
        space = self.measure(" ", font, size)
        lines: list[list[tuple[str, bool]]] = []
        line: list[tuple[str, bool]] = []
        used = 0.0
        for word, is_bold in tokens:
            w = self.measure(word, font, size)
            if line and used + space + w > width:
                lines.append(line)
                line, used = [], 0.0
            used += (space if line else 0) + w
            line.append((word, is_bold))
        if line:
            lines.append(line)
        return lines

    def draw_line_tokens(self, tokens, x: float, baseline: float, width: float, *,
                         size: float, font=SERIF, color=BLACK, align: str = "left",
                         last: bool = True) -> None:
        widths = [self.measure(w, font, size) for w, _ in tokens]
        space = self.measure(" ", font, size)
        natural = sum(widths) + space * (len(tokens) - 1)
        gap = space
        if align == "justify" and not last and len(tokens) > 1:
            gap = space + (width - natural) / (len(tokens) - 1)
        elif align == "right":
            x += width - natural
        elif align == "center":
            x += (width - natural) / 2
        # Words are drawn one by one when the line is stretched; otherwise runs of the same
        # style are drawn as one string.  Runs carry their separating spaces as real
        # characters, which keeps the words apart in text extraction.
        stretched = gap != space
        i = 0
        while i < len(tokens):
            j = i + 1
            while not stretched and j < len(tokens) and tokens[j][1] == tokens[i][1]:
                j += 1
            run = " ".join(word for word, _ in tokens[i:j])
            # (in stretched lines only a trailing space: a leading one would double it)
            lead = " " if i > 0 and not stretched else ""
            tail = " " if j < len(tokens) else ""
            self.text(x - (space if lead else 0), baseline, lead + run + tail, font=font,
                      size=size, color=color, bold=tokens[i][1])
            x += sum(widths[i:j]) + space * (j - i - 1) + gap
            i = j

    # ---- block elements ------------------------------------------------------
    def paragraph(self, text: str, *, size: float = 10, leading: float | None = None,
                  align: str = "justify", indent: float = 0, color=BLACK,
                  after: float = 6, font: pymupdf.Font = SERIF, bold: bool = False) -> None:
        leading = leading or size * 1.42
        lines = self.wrap(text, self.width - indent, size, font, bold)
        self.ensure(min(len(lines), 2) * leading)
        fits = int((self.ybottom - self.y) // leading)
        # avoid a single widow line at the top of the next page
        widow_break = None
        if len(lines) - fits == 1:
            widow_break = fits - 1 if fits > 2 else 0
        for i, tokens in enumerate(lines):
            if i == widow_break:
                self.new_page()
            self.ensure(leading)
            baseline = self.y + size * 1.0
            self.draw_line_tokens(tokens, self.x0 + indent, baseline, self.width - indent,
                                  size=size, font=font, color=color, align=align,
                                  last=i == len(lines) - 1)
            self.y += leading
        self.y += after

    def paragraph_height(self, text: str, *, size: float = 10, indent: float = 0,
                         after: float = 6) -> float:
        return len(self.wrap(text, self.width - indent, size)) * size * 1.42 + after

    def bullets(self, items: list[str], *, size: float = 10, marker: str = "\u2022",
                indent: float = 16, after: float = 6) -> None:
        leading = size * 1.42
        for n, item in enumerate(items, 1):
            mark = marker if marker != "1." else f"{n}."
            lines = self.wrap(item, self.width - indent, size)
            self.ensure(min(len(lines), 2) * leading)
            for i, tokens in enumerate(lines):
                self.ensure(leading)
                baseline = self.y + size
                if i == 0:
                    self.text(self.x0 + 3, baseline, mark, size=size, color=NAVY)
                self.draw_line_tokens(tokens, self.x0 + indent, baseline, self.width - indent,
                                      size=size, align="left")
                self.y += leading
            self.y += 2.5
        self.y += after - 2.5

    def heading(self, text: str, level: int = 1, *, toc: bool = True, keep: float = 48) -> None:
        size = {0: 19, 1: 14.5, 2: 11.8, 3: 10.5}[level]
        before = {0: 0, 1: 14, 2: 9, 3: 6}[level]
        after = {0: 10, 1: 7, 2: 5, 3: 3}[level]
        font = SERIF if self.serif_headings else SANS_BOLD
        color = NAVY if level < 3 else BLACK
        lines = self.wrap(text, self.width, size, font)
        height = len(lines) * size * 1.25
        if self.y > TOP + 1:
            self.y += before
        self.ensure(height + keep)  # keep the heading with some following text
        for tokens in lines:
            baseline = self.y + size
            self.text(self.x0, baseline, " ".join(w for w, _ in tokens), font=font,
                      size=size, color=color, bold=True)
            self.y += size * 1.25
        if level == 1:
            shape = self.page.new_shape()
            shape.draw_line((self.x0, self.y + 1.5), (self.x0 + 46, self.y + 1.5))
            shape.finish(color=ACCENT, width=1.6)
            shape.commit()
            self.y += 4
        self.y += after
        if toc and level >= 1:
            self.toc.append([min(level, 3), text, self.page.number + 1])

    def table(self, header: list[str] | None, rows: list[list[str]], widths: list[float], *,
              aligns: str | None = None, size: float = 8.8, bold_rows: set[int] = frozenset(),
              shade_rows: set[int] = frozenset(), caption: str | None = None,
              zebra: bool = True, key_value: bool = False, after: float = 10) -> None:
        """Draw a table; ``widths`` are relative, ``aligns`` a string of l/r/c per column."""
        ncol = len(widths)
        aligns = aligns or "l" * ncol
        total = sum(widths)
        colw = [self.width * w / total for w in widths]
        pad_x, pad_y = 4.0, 3.2
        leading = size * 1.32
        align_name = {"l": "left", "r": "right", "c": "center"}

        def layout(cells, font, bold):
            wrapped = [self.wrap(str(c), colw[i] - 2 * pad_x, size, font, bold)
                       for i, c in enumerate(cells)]
            height = max(max(len(w), 1) for w in wrapped) * leading + 2 * pad_y
            return wrapped, height

        def draw_row(wrapped, height, *, font, bold, fill, color, line_above=None):
            shape = self.page.new_shape()
            if fill:
                shape.draw_rect(pymupdf.Rect(self.x0, self.y, self.x1, self.y + height))
                shape.finish(fill=fill, color=None, width=0)
            if line_above:
                shape.draw_line((self.x0, self.y), (self.x1, self.y))
                shape.finish(color=line_above[0], width=line_above[1])
            shape.draw_line((self.x0, self.y + height), (self.x1, self.y + height))
            shape.finish(color=RULE, width=0.4)
            shape.commit()
            x = self.x0
            for i, lines in enumerate(wrapped):
                baseline = self.y + pad_y + size * 0.98
                for tokens in lines:
                    self.draw_line_tokens(
                        [(w, b or bold) for w, b in tokens], x + pad_x, baseline,
                        colw[i] - 2 * pad_x, size=size, font=font, color=color,
                        align=align_name[aligns[i]])
                    baseline += leading
                x += colw[i]
            self.y += height

        head_font = SERIF if self.serif_headings else SANS_BOLD
        head = layout(header, head_font, True) if header else None

        def draw_header():
            if head:
                draw_row(*head, font=head_font, bold=True, fill=NAVY, color=WHITE)

        first_height = layout(rows[0], SERIF, 0 in bold_rows)[1] if rows else 0
        self.ensure((head[1] if head else 0) + first_height + 4)
        if not key_value:
            shape = self.page.new_shape()
            shape.draw_line((self.x0, self.y), (self.x1, self.y))
            shape.finish(color=NAVY, width=0.8)
            shape.commit()
        draw_header()
        for r, cells in enumerate(rows):
            is_bold = r in bold_rows
            wrapped, height = layout(cells, SERIF, is_bold)
            if self.y + height > self.ybottom:
                self.new_page()
                draw_header()
            fill = None
            if r in shade_rows:
                fill = LIGHT
            elif zebra and r % 2 == 1:
                fill = ZEBRA
            if key_value:
                wrapped[0] = [[(w, True) for w, _ in line] for line in wrapped[0]]
            draw_row(wrapped, height, font=SERIF, bold=is_bold, fill=fill, color=BLACK,
                     line_above=(NAVY, 0.8) if is_bold and r in shade_rows else None)
        if caption:
            self.y += 3
            self.paragraph(caption, size=8.2, color=GREY, align="left", after=0)
        self.y += after

    def figure(self, height: float, draw, caption: str | None = None, after: float = 10) -> None:
        """Reserve ``height`` points and call ``draw(report, rect)`` to fill them."""
        self.ensure(height + (22 if caption else 0))
        rect = pymupdf.Rect(self.x0, self.y, self.x1, self.y + height)
        draw(self, rect)
        self.y += height
        if caption:
            self.y += 5
            self.paragraph(caption, size=8.2, color=GREY, align="left", after=0)
        self.y += after

    def image(self, png: bytes, aspect: float, caption: str | None = None,
              width: float | None = None, after: float = 10) -> None:
        width = width or self.width
        height = width / aspect

        def draw(rep, rect):
            x = rect.x0 + (rect.width - width) / 2
            img_rect = pymupdf.Rect(x, rect.y0, x + width, rect.y0 + height)
            rep.page.insert_image(img_rect, stream=png)
            shape = rep.page.new_shape()
            shape.draw_rect(img_rect)
            shape.finish(color=RULE, width=0.5)
            shape.commit()

        self.figure(height, draw, caption, after)

    def callout(self, title: str, text: str, *, color=TEAL, size: float = 9.5,
                translation: str | None = None) -> None:
        """A shaded box with a title line and a paragraph (e.g. a draft resolution).

        ``translation`` is set below the text in a smaller grey type.
        """
        pad = 9
        inner_w = self.width - 2 * pad - 4
        leading = size * 1.42
        blocks = [(self.wrap(text, inner_w, size), size, leading, BLACK)]
        if translation:
            tsize = size - 0.8
            blocks.append((self.wrap(translation, inner_w, tsize), tsize, tsize * 1.42, GREY))
        height = pad * 2 + 16 + sum(len(b[0]) * b[2] for b in blocks) + 4 * (len(blocks) - 1)
        self.ensure(height + 6)
        rect = pymupdf.Rect(self.x0, self.y, self.x1, self.y + height)
        shape = self.page.new_shape()
        shape.draw_rect(rect)
        shape.finish(fill=(0.94, 0.97, 0.97), color=None, width=0)
        shape.draw_line(rect.tl, rect.bl)
        shape.finish(color=color, width=3)
        shape.commit()
        font = SERIF if self.serif_headings else SANS_BOLD
        self.text(self.x0 + pad + 4, self.y + pad + 9, title, font=font, size=10,
                  color=color, bold=True)
        top = self.y + pad + 16
        for lines, bsize, bleading, bcolor in blocks:
            baseline = top + bsize
            for i, tokens in enumerate(lines):
                self.draw_line_tokens(tokens, self.x0 + pad + 4, baseline, inner_w, size=bsize,
                                      color=bcolor, align="justify", last=i == len(lines) - 1)
                baseline += bleading
            top += len(lines) * bleading + 4
        self.y += height + 10

    def contents_page(self) -> None:
        """Start a page that is filled with the table of contents when the document is saved."""
        self.new_page()
        self.heading("Contents", 1, toc=False)
        self.contents_at = (self.page.number, self.y)
        self.new_page()

    def _draw_contents(self) -> None:
        pno, y = self.contents_at
        self.page = self.doc[pno]
        self.ops = []
        entries = [e for e in self.toc if e[2] > pno + 1]
        for level, title, page_no in entries:
            size = 10.5 if level == 1 else 9.5
            font = SANS_BOLD if level == 1 else SERIF
            indent = 0 if level == 1 else 18
            if level == 1:
                y += 7
            baseline = y + size
            tw = self.text(self.x0 + indent, baseline, title, font=font, size=size,
                           color=NAVY if level == 1 else BLACK)
            num = str(page_no)
            nw = self.measure(num, SANS, size)
            self.text(self.x1 - nw, baseline, num, font=SANS, size=size)
            dots_x0, dots_x1 = self.x0 + indent + tw + 6, self.x1 - nw - 6
            shape = self.page.new_shape()
            shape.draw_line((dots_x0, baseline - 1), (dots_x1, baseline - 1))
            shape.finish(color=RULE, width=0.8, dashes="[0.8 2.6] 0", lineCap=1)
            shape.commit()
            self.page.insert_link({"kind": pymupdf.LINK_GOTO, "page": page_no - 1,
                                   "from": pymupdf.Rect(self.x0, y, self.x1, y + size * 1.3),
                                   "to": pymupdf.Point(0, 0)})
            y += size * 1.75
        self._flush()
        self.page = None

    def signatures(self, people: list[tuple[str, str]]) -> None:
        self.ensure(70)
        self.y += 34
        colw = self.width / max(len(people), 2)
        shape = self.page.new_shape()
        for i, (name, role) in enumerate(people):
            x = self.x0 + i * colw
            shape.draw_line((x, self.y), (x + colw - 30, self.y))
            self.text(x, self.y + 12, name, size=9.5)
            self.text(x, self.y + 24, role, size=8.5, color=GREY)
        shape.finish(color=GREY, width=0.6)
        shape.commit()
        self.y += 34

    # ---- first page -------------------------------------------------------
    def letterhead(self, meta: list[tuple[str, str]], doc_type: str) -> None:
        """Crest, city name, document type and a key/value block with the metadata."""
        self.new_page()
        page = self.page
        draw_crest(page, pymupdf.Rect(self.x0, 36, self.x0 + 36, 80))
        self.text(self.x0 + 46, 52, CITY.upper(), font=SANS_BOLD, size=13, color=NAVY)
        self.text(self.x0 + 46, 66, DEPARTMENT, font=SANS, size=8.8, color=GREY)
        self.text(self.x0 + 46, 77, COMMITTEE, font=SANS, size=8.8, color=GREY)
        w = self.measure(doc_type, SANS_BOLD, 9)
        box = pymupdf.Rect(self.x1 - w - 16, 42, self.x1, 58)
        shape = page.new_shape()
        shape.draw_rect(box)
        shape.finish(fill=ACCENT, color=None, width=0)
        shape.draw_line((self.x0, 90), (self.x1, 90))
        shape.finish(color=NAVY, width=1.2)
        shape.commit()
        self.text(box.x0 + 8, 53.2, doc_type, font=SANS_BOLD, size=9, color=WHITE)
        self.y = 104
        self.table(None, [[k, v] for k, v in meta], [1, 3.2], size=8.8, zebra=False,
                   key_value=True, after=14)
        self.heading(self.title, 0, toc=False)
        self.toc.append([1, self.title, 1])
        self.cover_pages.add(0)

    # ---- finishing ---------------------------------------------------------
    def _decorate(self) -> None:
        """Running header and footer with page numbers (needs the final page count)."""
        total = self.doc.page_count
        for page in self.doc:
            self.page = page
            self.ops = []
            width = page.rect.width
            x0, x1 = MARGIN_X, width - MARGIN_X
            shape = page.new_shape()
            if page.number not in self.cover_pages:
                self.text(x0, 46, self.header_left, font=SANS, size=7.8, color=GREY)
                tw = self.measure(self.ref, SANS_BOLD, 7.8)
                self.text(x1 - tw, 46, self.ref, font=SANS_BOLD, size=7.8, color=NAVY)
                shape.draw_line((x0, 52), (x1, 52))
            fy = page.rect.height - 40
            shape.draw_line((x0, fy - 10), (x1, fy - 10))
            shape.finish(color=RULE, width=0.5)
            shape.commit()
            self.text(x0, fy, f"{self.short_title} \u00b7 {self.date}", font=SANS, size=7.8,
                      color=GREY)
            label = f"Page {page.number + 1} of {total}"
            tw = self.measure(label, SANS, 7.8)
            self.text(x1 - tw, fy, label, font=SANS, size=7.8, color=GREY)
            self._flush()
        self.page = None

    def save(self, path: Path) -> None:
        self._flush()
        if self.contents_at:
            self._draw_contents()
        self._decorate()
        self.doc.set_toc(self.toc)
        self.doc.set_metadata({
            "title": self.title,
            "author": self.author,
            "subject": self.subject,
            "keywords": self.keywords,
            "creator": "Dais demo pack generator (scripts/make_demo_pack.py)",
            "producer": "PyMuPDF",
            "creationDate": PDF_DATE,
            "modDate": PDF_DATE,
        })
        self.doc.subset_fonts()
        data = self.doc.tobytes(garbage=4, deflate=True, clean=True, no_new_id=True)
        path.write_bytes(data)
        self.doc.close()


# --------------------------------------------------------------------------
# Vector graphics (crest, charts, schedule)
# --------------------------------------------------------------------------


def draw_crest(page: pymupdf.Page, r: pymupdf.Rect) -> None:
    """A simple heraldic shield: blue field, a golden tower and a silver river."""
    shape = page.new_shape()
    mid = (r.x0 + r.x1) / 2
    shape.draw_polyline([(r.x0, r.y0), (r.x1, r.y0), (r.x1, r.y0 + r.height * 0.55)])
    shape.draw_bezier((r.x1, r.y0 + r.height * 0.55), (r.x1, r.y1 - r.height * 0.18),
                      (mid + r.width * 0.2, r.y1 - 4), (mid, r.y1))
    shape.draw_bezier((mid, r.y1), (mid - r.width * 0.2, r.y1 - 4),
                      (r.x0, r.y1 - r.height * 0.18), (r.x0, r.y0 + r.height * 0.55))
    shape.draw_line((r.x0, r.y0 + r.height * 0.55), (r.x0, r.y0))
    shape.finish(fill=NAVY, color=NAVY, width=1, closePath=True)
    # tower with battlements
    tw = r.width * 0.34
    tx0, ty0, ty1 = mid - tw / 2, r.y0 + r.height * 0.16, r.y0 + r.height * 0.56
    shape.draw_rect(pymupdf.Rect(tx0, ty0, tx0 + tw, ty1))
    for k in range(3):
        bx = tx0 + k * tw / 2.5
        shape.draw_rect(pymupdf.Rect(bx, ty0 - 3.5, bx + tw / 5, ty0))
    shape.finish(fill=(0.93, 0.74, 0.26), color=None, width=0)
    shape.draw_rect(pymupdf.Rect(mid - 2.2, ty1 - 7, mid + 2.2, ty1))
    shape.finish(fill=NAVY, color=None, width=0)
    # river: two wavy lines
    for k in range(2):
        y = r.y0 + r.height * (0.66 + 0.12 * k)
        pts = []
        for i in range(0, 25):
            x = r.x0 + 4 + (r.width - 8) * i / 24
            pts.append((x, y + 1.6 * math.sin(i / 24 * 4 * math.pi)))
        shape.draw_polyline(pts)
        shape.finish(color=WHITE, width=1.6, closePath=False)
    shape.commit()


def nice_step(max_value: float, ticks: int = 5) -> float:
    raw = max_value / ticks
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def bar_chart(rows: list[tuple[str, float, float]], series: tuple[str, str], unit: str):
    """Horizontal grouped bar chart: (label, value_a, value_b) per row."""

    def draw(rep: Report, rect: pymupdf.Rect) -> None:
        label_w = 150
        top, legend_h = rect.y0 + 4, 18
        plot = pymupdf.Rect(rect.x0 + label_w, top + legend_h, rect.x1 - 36, rect.y1 - 16)
        vmax = max(max(a, b) for _, a, b in rows)
        step = nice_step(vmax)
        nsteps = math.ceil(vmax / step)
        scale = plot.width / (nsteps * step)
        shape = rep.page.new_shape()
        shape.draw_rect(rect)
        shape.finish(fill=(0.985, 0.988, 0.992), color=RULE, width=0.5)
        for k in range(nsteps + 1):
            x = plot.x0 + k * step * scale
            shape.draw_line((x, plot.y0), (x, plot.y1))
            label = money(k * step)
            rep.text(x - rep.measure(label, SANS, 7) / 2, plot.y1 + 10, label, font=SANS,
                     size=7, color=GREY)
        shape.finish(color=(0.85, 0.86, 0.88), width=0.4)
        band = plot.height / len(rows)
        bar = band * 0.34
        colors = (RULE, NAVY)
        for i, (label, a, b) in enumerate(rows):
            y = plot.y0 + i * band + band * 0.14
            for j, v in enumerate((a, b)):
                r = pymupdf.Rect(plot.x0, y + j * bar, plot.x0 + v * scale, y + (j + 1) * bar)
                shape.draw_rect(r)
                shape.finish(fill=colors[j], color=None, width=0)
                if j == 1:
                    rep.text(r.x1 + 3, r.y1 - 1.5, money(v), font=SANS, size=6.8, color=NAVY)
            lines = rep.wrap(label, label_w - 10, 7.8, SANS)
            ly = y + bar - (len(lines) - 1) * 4.6 + 2.5
            for tokens in lines:
                s = " ".join(w for w, _ in tokens)
                rep.text(plot.x0 - 8 - rep.measure(s, SANS, 7.8), ly, s, font=SANS, size=7.8)
                ly += 9.2
        shape.draw_line((plot.x0, plot.y0), (plot.x0, plot.y1))
        shape.finish(color=GREY, width=0.7)
        lx = plot.x0
        for j, name in enumerate(series):
            shape.draw_rect(pymupdf.Rect(lx, top + 3, lx + 10, top + 11))
            shape.finish(fill=colors[j], color=None, width=0)
            rep.text(lx + 14, top + 10.5, name, font=SANS, size=7.8)
            lx += 24 + rep.measure(name, SANS, 7.8)
        rep.text(rect.x1 - 8 - rep.measure(unit, SANS, 7.2), top + 10.5, unit, font=SANS,
                 size=7.2, color=GREY)
        shape.commit()

    return draw


def line_chart(years: list[int], series: list[tuple[str, list[float], tuple]], unit: str,
               note_year: int | None = None, note: str = ""):
    def draw(rep: Report, rect: pymupdf.Rect) -> None:
        plot = pymupdf.Rect(rect.x0 + 44, rect.y0 + 26, rect.x1 - 16, rect.y1 - 22)
        vmax = max(max(v) for _, v, _ in series)
        step = nice_step(vmax, 4)
        nsteps = math.ceil(vmax / step)
        sy = plot.height / (nsteps * step)
        sx = plot.width / (len(years) - 1)
        shape = rep.page.new_shape()
        shape.draw_rect(rect)
        shape.finish(fill=(0.985, 0.988, 0.992), color=RULE, width=0.5)
        for k in range(nsteps + 1):
            y = plot.y1 - k * step * sy
            shape.draw_line((plot.x0, y), (plot.x1, y))
            label = money(k * step)
            rep.text(plot.x0 - 6 - rep.measure(label, SANS, 7), y + 2.5, label, font=SANS,
                     size=7, color=GREY)
        shape.finish(color=(0.85, 0.86, 0.88), width=0.4)
        for i, year in enumerate(years):
            x = plot.x0 + i * sx
            label = str(year)
            rep.text(x - rep.measure(label, SANS, 7.2) / 2, plot.y1 + 11, label, font=SANS,
                     size=7.2, color=GREY)
        if note_year is not None:
            x = plot.x0 + years.index(note_year) * sx
            shape.draw_line((x, plot.y0), (x, plot.y1))
            shape.finish(color=ACCENT, width=0.8, dashes="[3 2] 0")
            rep.text(x + 4, plot.y0 + 8, note, font=SANS, size=7, color=ACCENT)
        lx = plot.x0
        for name, values, color in series:
            pts = [(plot.x0 + i * sx, plot.y1 - v * sy) for i, v in enumerate(values)]
            shape.draw_polyline(pts)
            shape.finish(color=color, width=1.8, closePath=False)
            for p in pts:
                shape.draw_circle(p, 2.2)
            shape.finish(fill=color, color=WHITE, width=0.6)
            shape.draw_line((lx, rect.y0 + 12), (lx + 14, rect.y0 + 12))
            shape.finish(color=color, width=1.8)
            rep.text(lx + 18, rect.y0 + 14.5, name, font=SANS, size=7.8)
            lx += 34 + rep.measure(name, SANS, 7.8)
        rep.text(rect.x1 - 8 - rep.measure(unit, SANS, 7.2), rect.y0 + 14.5, unit, font=SANS,
                 size=7.2, color=GREY)
        shape.draw_line((plot.x0, plot.y1), (plot.x1, plot.y1))
        shape.finish(color=GREY, width=0.7)
        shape.commit()

    return draw


def donut_chart(parts: list[tuple[str, float, tuple]], centre_label: str):
    def draw(rep: Report, rect: pymupdf.Rect) -> None:
        shape = rep.page.new_shape()
        shape.draw_rect(rect)
        shape.finish(fill=(0.985, 0.988, 0.992), color=RULE, width=0.5)
        radius = rect.height / 2 - 14
        centre = pymupdf.Point(rect.x0 + 30 + radius, (rect.y0 + rect.y1) / 2)
        total = sum(v for _, v, _ in parts)
        angle = 90.0
        inner = radius * 0.55

        def arc(r, a0, a1):
            steps = max(2, int(abs(a1 - a0) / 3))
            return [(centre.x + r * math.cos(math.radians(a0 + (a1 - a0) * k / steps)),
                     centre.y - r * math.sin(math.radians(a0 + (a1 - a0) * k / steps)))
                    for k in range(steps + 1)]

        for name, value, color in parts:
            sweep = 360.0 * value / total
            # ring segment, clockwise from 12 o'clock
            outline = arc(radius, angle, angle - sweep) + arc(inner, angle - sweep, angle)
            shape.draw_polyline(outline)
            shape.finish(fill=color, color=WHITE, width=1.2, closePath=True)
            angle -= sweep
        lines = centre_label.split("\n")
        for i, s in enumerate(lines):
            size = 11 if i == 0 else 7.5
            font = SANS_BOLD if i == 0 else SANS
            rep.text(centre.x - rep.measure(s, font, size) / 2,
                     centre.y - 3 + i * 12, s, font=font, size=size,
                     color=NAVY if i == 0 else GREY)
        ly = rect.y0 + (rect.height - len(parts) * 17) / 2 + 10
        lx = centre.x + radius + 36
        for name, value, color in parts:
            shape.draw_rect(pymupdf.Rect(lx, ly - 8, lx + 10, ly + 1))
            shape.finish(fill=color, color=None, width=0)
            rep.text(lx + 16, ly, name, font=SANS, size=8)
            label = f"{money(value)}  ({100 * value / total:.1f} %)"
            rep.text(rect.x1 - 14 - rep.measure(label, SANS, 8), ly, label, font=SANS,
                     size=8, color=GREY)
            ly += 17
        shape.commit()

    return draw


def gantt_chart(months: list[str], tasks: list[tuple[str, float, float, tuple]],
                milestone: tuple[str, float] | None = None):
    """Tasks as (label, start_month_index, end_month_index, colour); months are columns."""

    def draw(rep: Report, rect: pymupdf.Rect) -> None:
        label_w = 170
        head = 18
        plot = pymupdf.Rect(rect.x0 + label_w, rect.y0 + head, rect.x1 - 6, rect.y1 - 6)
        cw = plot.width / len(months)
        rh = plot.height / len(tasks)
        shape = rep.page.new_shape()
        shape.draw_rect(rect)
        shape.finish(fill=(0.985, 0.988, 0.992), color=RULE, width=0.5)
        for i, m in enumerate(months):
            x = plot.x0 + i * cw
            if i % 2 == 0:
                shape.draw_rect(pymupdf.Rect(x, plot.y0, x + cw, plot.y1))
                shape.finish(fill=(0.94, 0.95, 0.965), color=None, width=0)
            rep.text(x + cw / 2 - rep.measure(m, SANS, 6.8) / 2, rect.y0 + 12, m, font=SANS,
                     size=6.8, color=GREY)
        for i, (label, start, end, color) in enumerate(tasks):
            y = plot.y0 + i * rh
            shape.draw_rect(pymupdf.Rect(plot.x0 + start * cw, y + rh * 0.22,
                                         plot.x0 + end * cw, y + rh * 0.78))
            shape.finish(fill=color, color=None, width=0)
            rep.text(rect.x0 + 8, y + rh / 2 + 3, label, font=SANS, size=7.8)
            shape.draw_line((rect.x0 + 4, y + rh), (rect.x1 - 4, y + rh))
            shape.finish(color=(0.88, 0.89, 0.9), width=0.3)
        if milestone:
            label, pos = milestone
            x = plot.x0 + pos * cw
            shape.draw_line((x, plot.y0), (x, plot.y1))
            shape.finish(color=ACCENT, width=1, dashes="[3 2] 0")
            rep.text(x - 4 - rep.measure(label, SANS_BOLD, 7), plot.y0 + 9, label,
                     font=SANS_BOLD, size=7, color=ACCENT)
        shape.commit()

    return draw


# --------------------------------------------------------------------------
# Raster images rendered with Pillow
# --------------------------------------------------------------------------


def pil_font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)  # Aileron, bundled with Pillow


def png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def render_cycling_map() -> tuple[bytes, float]:
    """Map-like diagram of the inner-city cycling network (drawn at 2x, then scaled down)."""
    S = 2
    W, H = 1200, 820
    img = Image.new("RGB", (W * S, H * S), (244, 241, 234))
    d = ImageDraw.Draw(img)
    rng = random.Random(2027)

    def P(x, y):
        return (round(x * S), round(y * S))

    def river_y(x):
        return 560 + 38 * math.sin(x / 190) + 0.03 * x

    xs = list(range(30, W + 1, 120))  # north-south streets
    ys_north = [30, 130, 230, 330, 430]
    ys_south = [660, 740, 820]
    parks = {
        "Linden Park": [(40, 142), (258, 142), (258, 218), (40, 218)],
        "University Gardens": [(992, 142), (1168, 142), (1168, 218), (992, 218)],
        "Harbour Green": [(762, 672), (978, 672), (978, 728), (762, 728)],
    }
    # building blocks
    for grid_y in (ys_north, ys_south):
        for i in range(len(xs) - 1):
            for j in range(len(grid_y) - 1):
                x0, x1 = xs[i] + 12, xs[i + 1] - 12
                y0, y1 = grid_y[j] + 12, grid_y[j + 1] - 12
                for _ in range(rng.randint(2, 3)):
                    bw = rng.uniform(28, 60)
                    bh = rng.uniform(22, 50)
                    bx = rng.uniform(x0, max(x0, x1 - bw))
                    by = rng.uniform(y0, max(y0, y1 - bh))
                    d.rectangle([P(bx, by), P(min(bx + bw, x1), min(by + bh, y1))],
                                fill=(225, 220, 211))
    for poly in parks.values():
        d.polygon([P(*p) for p in poly], fill=(203, 229, 190))
    # streets
    white = (255, 255, 255)
    for x in xs:
        d.line([P(x, 0), P(x, 470)], fill=white, width=8 * S)
        d.line([P(x, 640), P(x, H)], fill=white, width=8 * S)
    for y in ys_north + ys_south:
        d.line([P(0, y), P(W, y)], fill=white, width=8 * S)
    # main roads
    main = (250, 224, 150)
    d.line([P(0, 330), P(W, 330)], fill=main, width=13 * S)
    d.line([P(630, 0), P(630, H)], fill=main, width=13 * S)
    # railway with station
    d.line([P(0, 84), P(W, 76)], fill=(95, 95, 95), width=5 * S)
    for k in range(0, W, 24):
        d.line([P(k, 84 - k / W * 8), P(k + 12, 84 - (k + 12) / W * 8)], fill=white, width=2 * S)
    d.rectangle([P(600, 66), P(660, 92)], fill=(120, 120, 130))
    # river with embankment path, then bridges
    river = [(x, river_y(x)) for x in range(-20, W + 40, 10)]
    d.line([P(*p) for p in river], fill=(168, 204, 228), width=62 * S, joint="curve")
    bridges = {390: "West Bridge", 630: "Linden Bridge", 990: "Harbour Bridge"}
    for bx in bridges:
        by = river_y(bx)
        d.rectangle([P(bx - 9, by - 48), P(bx + 9, by + 48)], fill=white,
                    outline=(150, 150, 150), width=S)

    existing = (46, 125, 50)
    orange = (214, 96, 20)

    def lane(points, color, width=7, dashed=False):
        pts = [P(*p) for p in points]
        if not dashed:
            d.line(pts, fill=color, width=width * S, joint="curve")
            return
        for (ax, ay), (bx, by) in zip(pts, pts[1:]):
            n = max(2, int(math.hypot(bx - ax, by - ay) // (14 * S)))
            for k in range(0, n, 2):
                t0, t1 = k / n, (k + 1) / n
                d.line([(ax + (bx - ax) * t0, ay + (by - ay) * t0),
                        (ax + (bx - ax) * t1, ay + (by - ay) * t1)], fill=color, width=width * S)

    # existing lanes (fragments)
    lane([(30, 330), (390, 330)], existing)
    lane([(630, 130), (630, 230)], existing)
    lane([(870, 740), (1200, 740)], existing)
    lane([(750, 660), (750, 820)], existing)
    # phase 1: inner ring, river route with Linden Bridge, university link
    lane([(390, 130), (870, 130), (870, 430), (390, 430), (390, 130)], orange, 9)
    lane([(x, river_y(x) - 44) for x in range(150, 1111, 10)], orange, 9)
    lane([(630, 430), (630, 660)], orange, 9)
    lane([(870, 230), (1110, 230)], orange, 9)
    # phase 2: radial routes
    lane([(30, 130), (390, 130)], orange, 6, dashed=True)
    lane([(870, 330), (1200, 330)], orange, 6, dashed=True)
    lane([(990, 330), (990, 740)], orange, 6, dashed=True)
    lane([(390, 430), (390, 820)], orange, 6, dashed=True)

    def text_box(x, y, label, size=20, color=(20, 20, 20), anchor="la"):
        f = pil_font(size * S)
        left, top, right, bottom = d.textbbox(P(x, y), label, font=f, anchor=anchor)
        d.rectangle([left - 4 * S, top - 3 * S, right + 4 * S, bottom + 3 * S], fill=white)
        d.text(P(x, y), label, fill=color, font=f, anchor=anchor)

    def poi(x, y, label, tx, ty, anchor="la"):
        d.ellipse([P(x - 8, y - 8), P(x + 8, y + 8)], fill=(30, 58, 95), outline=white,
                  width=3 * S)
        text_box(tx, ty, label, 19, anchor=anchor)

    f_district = pil_font(23 * S)
    for label, (x, y) in {"NORTH END": (150, 248), "OLD TOWN": (470, 248),
                          "EAST QUARTER": (960, 380), "SOUTHBANK": (560, 780),
                          "HARBOUR DISTRICT": (1095, 700)}.items():
        d.text(P(x, y), label, fill=(125, 115, 105), font=f_district, anchor="mm")
    f_park = pil_font(18 * S)
    for name, poly in parks.items():
        cx = (poly[0][0] + poly[1][0]) / 2
        cy = (poly[0][1] + poly[2][1]) / 2
        d.text(P(cx, cy), name, fill=(55, 105, 55), font=f_park, anchor="mm")
    d.text(P(470, 590), "River Wend", fill=(55, 100, 145), font=pil_font(21 * S), anchor="mm")
    text_box(630, 518, "Linden Bridge", 16, color=(55, 100, 145), anchor="mm")
    poi(630, 79, "Central Station", 660, 96)
    poi(630, 330, "Market Square", 660, 344)
    poi(210, 190, "Linden Park Primary School", 60, 160)
    poi(1110, 230, "Riverton University", 1170, 250, anchor="ra")
    poi(870, 610, "Harbour Ferry", 886, 620)

    # legend
    lx0, ly0 = 40, 650
    d.rectangle([P(lx0, ly0), P(lx0 + 300, ly0 + 150)], fill=white, outline=(150, 150, 150),
                width=2 * S)
    d.text(P(lx0 + 14, ly0 + 10), "Cycle network", fill=(20, 20, 20), font=pil_font(19 * S))
    entries = [("Existing cycle lane", existing, False, 7),
               ("Phase 1 (2027-2028)", orange, False, 9),
               ("Phase 2 (2029-2030)", orange, True, 6)]
    for k, (label, color, dashed, width) in enumerate(entries):
        y = ly0 + 48 + 30 * k
        lane([(lx0 + 16, y), (lx0 + 76, y)], color, width, dashed)
        d.text(P(lx0 + 90, y), label, fill=(20, 20, 20), font=pil_font(17 * S), anchor="lm")
    d.line([P(lx0 + 16, ly0 + 132), P(lx0 + 76, ly0 + 132)], fill=(95, 95, 95), width=5 * S)
    d.text(P(lx0 + 90, ly0 + 132), "Railway", fill=(20, 20, 20), font=pil_font(17 * S),
           anchor="lm")
    # north arrow and scale bar
    nx, ny = 1165, 385
    d.polygon([P(nx, ny), P(nx - 14, ny + 40), P(nx, ny + 31), P(nx + 14, ny + 40)],
              fill=(30, 58, 95))
    d.text(P(nx, ny + 56), "N", fill=(30, 58, 95), font=pil_font(19 * S), anchor="mm")
    sx, sy = 950, 800
    d.rectangle([P(sx - 10, sy - 30), P(sx + 230, sy + 14)], fill=white)
    d.rectangle([P(sx, sy), P(sx + 100, sy + 7)], fill=(30, 30, 30))
    d.rectangle([P(sx + 100, sy), P(sx + 200, sy + 7)], fill=white, outline=(30, 30, 30), width=S)
    for k, label in enumerate(("0", "500 m", "1 km")):
        d.text(P(sx + 100 * k, sy - 6), label, fill=(30, 30, 30), font=pil_font(15 * S),
               anchor="md")

    img = img.resize((W, H), Image.LANCZOS)
    img = img.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    return png_bytes(img), W / H


def render_site_plan() -> tuple[bytes, float]:
    """Site plan of Linden Park Primary School with the phase 2 works hatched."""
    S = 2
    W, H = 1200, 760
    img = Image.new("RGB", (W * S, H * S), (246, 244, 238))
    d = ImageDraw.Draw(img)
    white = (255, 255, 255)
    ink = (25, 25, 25)
    wall = (60, 60, 60)
    orange = (214, 96, 20)
    navy = (30, 58, 95)

    def P(x, y):
        return (round(x * S), round(y * S))

    def label(x, y, text, size=21, anchor="la", box=True, color=ink):
        f = pil_font(size * S)
        if box:
            left, top, right, bottom = d.textbbox(P(x, y), text, font=f, anchor=anchor)
            d.rectangle([left - 5 * S, top - 4 * S, right + 5 * S, bottom + 4 * S], fill=white)
        d.text(P(x, y), text, fill=color, font=f, anchor=anchor)

    # streets
    d.rectangle([P(0, 0), P(W, 62)], fill=white)
    d.rectangle([P(0, 0), P(62, H)], fill=white)
    label(640, 31, "Linden Avenue", 22, anchor="mm", box=False, color=(105, 105, 105))
    f = pil_font(22 * S)
    street = Image.new("RGBA", (260 * S, 34 * S), (0, 0, 0, 0))
    ImageDraw.Draw(street).text((130 * S, 17 * S), "School Lane", fill=(105, 105, 105, 255),
                                font=f, anchor="mm")
    street = street.rotate(90, expand=True)
    img.paste(street, P(14, 300), street)
    # plot
    d.rectangle([P(80, 80), P(1180, 740)], outline=(125, 125, 125), width=3 * S)
    # sports field with temporary classrooms and trees
    d.rectangle([P(880, 100), P(1165, 725)], fill=(208, 231, 194))
    for i, x in enumerate(range(915, 1140, 55)):
        for y in (135, 690):
            r = 20 + (i % 3) * 4
            d.ellipse([P(x - r, y - r), P(x + r, y + r)], fill=(118, 168, 98),
                      outline=(88, 138, 78), width=2 * S)
    for k in range(4):
        y0 = 300 + k * 52
        d.rectangle([P(905, y0), P(1140, y0 + 44)], fill=(214, 222, 234), outline=(95, 110, 135),
                    width=2 * S)
    label(1022, 268, "Temporary classrooms", 18, anchor="mm")
    label(1022, 560, "Sports field", 21, anchor="mm", box=False, color=(70, 110, 60))
    # schoolyard
    d.rectangle([P(360, 400), P(850, 720)], fill=(226, 223, 215))
    label(605, 430, "Schoolyard", 21, anchor="mm", box=False, color=(110, 105, 95))
    # Building B (existing, renovated in phase 1)
    d.rectangle([P(110, 300), P(330, 710)], fill=(236, 222, 200), outline=wall, width=4 * S)
    # Building A (phase 2): hatched
    a_rect = [P(110, 110), P(620, 300)]
    mask = Image.new("L", img.size, 0)
    ImageDraw.Draw(mask).rectangle(a_rect, fill=255)
    hatch = Image.new("RGB", img.size, (236, 222, 200))
    hd = ImageDraw.Draw(hatch)
    for k in range(-H, W, 20):
        hd.line([P(k, 0), P(k + H, H)], fill=orange, width=3 * S)
    img.paste(hatch, (0, 0), mask)
    d.rectangle(a_rect, outline=wall, width=4 * S)
    d.line([P(110, 300), P(330, 300)], fill=wall, width=4 * S)
    # new lift and stair tower at the inner corner
    d.rectangle([P(334, 304), P(420, 372)], fill=white, outline=orange, width=4 * S)
    # gym
    d.rectangle([P(660, 110), P(850, 330)], fill=(218, 223, 232), outline=wall, width=4 * S)
    label(365, 150, "Building A (1964): phase 2", 21)
    label(220, 480, "Building B", 21, anchor="mm")
    label(220, 512, "(1978, renovated", 17, anchor="mm", box=False)
    label(220, 536, "2024-2025)", 17, anchor="mm", box=False)
    label(755, 220, "Gym", 21, anchor="mm", box=False)
    label(432, 340, "New lift and stairs", 17, anchor="lm")
    # main entrance
    ex, ey = 240, 104
    d.polygon([P(ex, ey), P(ex - 11, ey - 20), P(ex + 11, ey - 20)], fill=navy)
    label(258, 94, "Main entrance", 17, anchor="lm", color=navy)
    # legend
    lx, ly = 520, 560
    d.rectangle([P(lx, ly), P(lx + 310, ly + 140)], fill=white, outline=(150, 150, 150),
                width=2 * S)
    sw = Image.new("RGB", (50 * S, 26 * S), (236, 222, 200))
    sd = ImageDraw.Draw(sw)
    for k in range(-30, 60, 10):
        sd.line([P(k, 0), P(k + 26, 26)], fill=orange, width=3 * S)
    img.paste(sw, P(lx + 14, ly + 14))
    entries = ["Phase 2 renovation", "New construction", "Existing building",
               "Temporary classrooms"]
    d.rectangle([P(lx + 14, ly + 46), P(lx + 64, ly + 72)], fill=white, outline=orange,
                width=3 * S)
    d.rectangle([P(lx + 14, ly + 78), P(lx + 64, ly + 104)], fill=(236, 222, 200), outline=wall,
                width=2 * S)
    d.rectangle([P(lx + 14, ly + 110), P(lx + 64, ly + 132)], fill=(214, 222, 234),
                outline=(95, 110, 135), width=2 * S)
    for k, text in enumerate(entries):
        label(lx + 76, ly + 27 + 32 * k, text, 17, anchor="lm", box=False)
    # north arrow and scale bar
    nx, ny = 392, 610
    d.polygon([P(nx, ny), P(nx - 13, ny + 38), P(nx, ny + 29), P(nx + 13, ny + 38)], fill=navy)
    label(nx, ny + 54, "N", 18, anchor="mm", box=False, color=navy)
    sx, sy = 380, 700
    d.rectangle([P(sx, sy), P(sx + 50, sy + 6)], fill=(30, 30, 30))
    d.rectangle([P(sx + 50, sy), P(sx + 100, sy + 6)], fill=white, outline=(30, 30, 30), width=S)
    for k, text in enumerate(("0", "10 m", "20 m")):
        label(sx + 50 * k, sy - 5, text, 14, anchor="md", box=False)

    img = img.resize((W, H), Image.LANCZOS)
    img = img.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    return png_bytes(img), W / H


# --------------------------------------------------------------------------
# Shared data (kept consistent with agendas/demo/meeting.toml)
# --------------------------------------------------------------------------

MEETING_DATE = "3 December 2026"
MEETING_TIME = "14:00"
MEETING_PLACE = "City Hall, Council Chamber B (2nd floor), 1 Market Square, Riverton"

# (seat, name, role, vote weight, group)
MEMBERS = [
    ("C1", "Nguyễn Thị Mai", "Chair", 1, "Riverton Together"),
    ("S1", "Daniel Okafor", "Secretary (non-voting)", 0, "City administration"),
    ("D01", "Trần Văn Hùng", "Delegate", 1, "Riverton Together"),
    ("D02", "Anna Kowalska", "Delegate", 1, "Green Alliance"),
    ("D03", "Lê Minh Châu", "Delegate", 2, "Riverton Together"),
    ("D04", "Jonas Weber", "Delegate", 1, "Civic Union"),
    ("D05", "Fatima El-Amrani", "Delegate", 1, "Social Democrats"),
    ("D06", "Phạm Quốc Bảo", "Delegate", 1, "Civic Union"),
    ("D07", "Sofia Lindqvist", "Delegate", 1, "Green Alliance"),
    ("D08", "Hoàng Thu Hà", "Delegate", 2, "Social Democrats"),
    ("D09", "Marco Bianchi", "Delegate", 1, "Civic Union"),
    ("D10", "Đặng Ngọc Lan", "Delegate", 1, "Riverton Together"),
    ("D11", "Peter Novák", "Delegate", 1, "Independent"),
    ("D12", "Võ Thanh Tùng", "Delegate", 1, "Social Democrats"),
    ("O1", "Grace Mensah", "Observer (Youth Council)", 0, "Youth Council"),
]

AGENDA = [
    ("1", "Opening of the session and adoption of the agenda", "01-notice-and-draft-agenda.pdf"),
    ("2", "Approval of the minutes of the regular session of 5 November 2026",
     "02-minutes-2026-11-05.pdf"),
    ("3", "Draft budget 2027 of the Department of Urban Development and Transport",
     "03-draft-budget-2027.pdf"),
    ("4", "Cycling Network Plan 2027\u20132030, phase 1 (inner ring and river route)",
     "04-cycling-network-plan.pdf"),
    ("5", "Public transport fares from 1 March 2027", "05-public-transport-tariff-2027.pdf"),
    ("5.1", "Introduction of a social monthly pass at EUR 29",
     "05a-consultation-summary-vi-en.pdf"),
    ("5.2", "Adjustment of single tickets and day passes", ""),
    ("6", "Renovation of Linden Park Primary School, phase 2 (Building A)",
     "06-school-renovation-linden-park.pdf"),
    ("7", "Any other business", ""),
]

# Budget lines in EUR thousand: code, name, actual 2025, budget 2026, forecast 2026, draft 2027
BUDGET = [
    ("Roads and Bridges", [
        ("5411", "Road maintenance and resurfacing", 18240, 19100, 19460, 19950),
        ("5412", "Bridges and structures", 6310, 6580, 6520, 7020),
        ("5413", "Winter service", 4870, 5020, 4610, 5100),
        ("5414", "Street lighting", 5650, 5880, 5940, 6010),
        ("5415", "Street cleaning (transport share)", 3350, 3570, 3560, 3790),
    ]),
    ("Public Transport", [
        ("5421", "Bus and tram service contract (RTC)", 47900, 50800, 51350, 53600),
        ("5422", "Concessionary fares compensation", 3120, 3360, 3410, 3780),
        ("5423", "Stops, shelters and passenger information", 1290, 1440, 1380, 1560),
    ]),
    ("Cycling and Walking", [
        ("5431", "Cycle lane maintenance and marking", 1420, 1610, 1590, 1880),
        ("5432", "Cycle network planning and construction", 1960, 2840, 2620, 5890),
        ("5433", "Bicycle parking and bike-sharing contract", 520, 610, 640, 820),
        ("5434", "Footways and pedestrian crossings", 280, 290, 300, 330),
    ]),
    ("Traffic Management and Road Safety", [
        ("5441", "Traffic signals and control centre", 3880, 4010, 4060, 4170),
        ("5442", "Road safety programmes and school routes", 1240, 1300, 1290, 1380),
        ("5443", "Parking management and enforcement", 1820, 1900, 1950, 1930),
    ]),
    ("Urban Planning and Building Control", [
        ("5451", "Land-use planning and urban design", 4310, 4480, 4420, 4650),
        ("5452", "Building permits and inspections", 4760, 4910, 4980, 5060),
        ("5453", "Surveying and geodata", 800, 850, 840, 900),
    ]),
    ("Parks and Public Space", [
        ("5461", "Parks and green space maintenance", 8910, 9180, 9240, 9420),
        ("5462", "Street trees", 2140, 2210, 2260, 2330),
        ("5463", "Playgrounds", 1580, 1630, 1610, 1640),
    ]),
    ("Public Buildings and Schools", [
        ("5471", "School buildings: maintenance and operation", 13820, 14460, 14730, 15010),
        ("5472", "School renovation programme", 5190, 7760, 7240, 9600),
        ("5473", "Other public buildings", 2440, 2580, 2610, 2740),
    ]),
    ("Administration and Central Services", [
        ("5481", "Management and central services", 4110, 4200, 4230, 4260),
        ("5482", "IT and digitalisation", 1850, 1920, 1980, 1980),
    ]),
]

CAPITAL = [
    ("Inner-ring cycle route and river route, phase 1", 4600),
    ("Linden Park Primary School, phase 2 (Building A)", 8400),
    ("Resurfacing programme (22 km of main roads)", 7200),
    ("Harbour Bridge: bearings and expansion joints", 3150),
    ("Bus priority at 48 signalised junctions", 1940),
    ("Street lighting: final LED conversion stage", 2480),
    ("Playground renewals at six sites", 1150),
]

# code, name, budget 2026, draft 2027 (EUR thousand)
REVENUE = [
    ("Parking fees and residents' permits", 14200, 14850),
    ("State grant for public transport operations", 20900, 21400),
    ("Building permit and planning fees", 4480, 4620),
    ("Road-use and excavation permits", 1310, 1380),
    ("National cycling infrastructure programme", 1200, 3450),
    ("State school building grant", 4100, 6300),
    ("Other income (rents, concessions, fines share)", 2090, 2150),
]


def fte_change(value: float) -> str:
    if abs(value) < 0.05:
        return "\u2013"
    return ("+" if value > 0 else MINUS) + f"{abs(value):.1f}"


def division_totals():
    rows = []
    for division, lines in BUDGET:
        sums = [sum(line[k] for line in lines) for k in range(2, 6)]
        rows.append((division, *sums))
    return rows


def members_table(rep: Report) -> None:
    rows = [[seat, name, role, str(weight) if weight else "\u2013", group]
            for seat, name, role, weight, group in MEMBERS]
    rep.table(["Seat", "Name", "Role", "Vote weight", "Group"], rows, [0.7, 2.2, 2.1, 1.1, 1.9],
              aligns="lllcl", size=8.8)


# --------------------------------------------------------------------------
# 01 Notice of meeting and draft agenda
# --------------------------------------------------------------------------


def make_notice(path: Path) -> None:
    rep = Report(ref="UDT/2026/110", title="Notice of meeting and draft agenda",
                 short_title="Notice and draft agenda", date="19 November 2026",
                 author="Nguyễn Thị Mai, Chair of the Committee",
                 subject="Regular session of 3 December 2026",
                 keywords="notice, agenda, committee, urban development, transport")
    rep.letterhead([
        ("Committee", COMMITTEE),
        ("Session", f"Regular session 12/2026, {MEETING_DATE}, {MEETING_TIME}"),
        ("Place", MEETING_PLACE),
        ("Reference", "UDT/2026/110"),
        ("Date of notice", "19 November 2026"),
    ], "NOTICE")
    rep.paragraph("To the members of the Committee on Urban Development and Transport,",
                  align="left")
    rep.paragraph(
        f"I hereby invite you to the regular session of the Committee on Urban Development and "
        f"Transport on **Thursday, {MEETING_DATE}, at {MEETING_TIME}** in Council Chamber B of "
        f"City Hall. The session is public. Items that concern individual staff matters or "
        f"confidential contract terms will, if necessary, be dealt with in a closed part at "
        f"the end of the session; no such items are currently planned.")
    rep.paragraph(
        "The documents for each agenda item are available in the Dais meeting system from "
        "today. Members who use a tablet provided by the City are asked to synchronise it "
        "before the session, as the wireless network in Chamber B can be slow when the room is "
        "full. Paper copies are available from the committee secretariat on request.")
    rep.heading("Draft agenda", 1)
    rows = []
    for number, title, doc in AGENDA:
        indent = "" if "." not in number else "   "
        rows.append([number, indent + title, doc or "\u2013"])
    rep.table(["No.", "Item", "Document"], rows, [0.55, 4.1, 2.6], size=8.8)
    rep.paragraph(
        "Items 3, 4, 5 and 6 are for decision. The draft budget (item 3) will be forwarded to "
        "the Finance Committee together with the committee's recommendation; the final budget "
        "resolution is adopted by the City Council on 17 December 2026. Under item 5 the "
        "committee will vote separately on the two sub-items, as the consultation results "
        "differ considerably between them.")
    rep.heading("Practical information", 1)
    rep.bullets([
        "Members who are unable to attend are asked to inform the secretary, Daniel Okafor, by "
        "1 December 2026 (extension 4417). Substitutes must be registered before the session "
        "opens so that their vote weight can be assigned in the voting system.",
        "Votes are cast electronically. Two delegates represent merged electoral districts and "
        "therefore hold a vote weight of 2; the results show both the number of members and "
        "the weighted number of votes.",
        "The public part of the session is streamed live on the City website. Members of the "
        "public may ask questions under item 1 if they have registered by noon on the day "
        "before the session.",
        "Chamber B is accessible by lift from the Market Square entrance. An induction loop is "
        "available; please ask the usher for a receiver.",
    ])
    rep.heading("Committee membership", 1)
    rep.paragraph(
        "The committee consists of the chair, twelve delegates and a non-voting secretary. The "
        "Youth Council sends one observer with the right to speak but not to vote.",
        after=8)
    members_table(rep)
    rep.paragraph("Yours sincerely,", align="left", after=0)
    rep.signatures([("Nguyễn Thị Mai", "Chair of the Committee")])
    rep.save(path)


# --------------------------------------------------------------------------
# 02 Minutes of the previous session
# --------------------------------------------------------------------------


def vote_line(yes, no, abstain) -> str:
    """yes/no/abstain are lists of member names; vote weight is looked up in MEMBERS."""
    weight = {name: w for _, name, _, w, _ in MEMBERS}

    def part(names):
        n, w = len(names), sum(weight[n] for n in names)
        return f"{n} member{'s' if n != 1 else ''} ({w} vote{'s' if w != 1 else ''})"

    return f"Yes: {part(yes)}; No: {part(no)}; Abstentions: {part(abstain)}."


def make_minutes(path: Path) -> None:
    rep = Report(ref="UDT/2026/104", title="Minutes of the regular session of 5 November 2026",
                 short_title="Minutes 5 November 2026", date="12 November 2026",
                 author="Daniel Okafor, Committee Secretary",
                 subject="Minutes, regular session 11/2026",
                 keywords="minutes, committee, urban development, transport, 2026")
    rep.letterhead([
        ("Session", "Regular session 11/2026, Thursday 5 November 2026, 14:00\u201317:25"),
        ("Place", "City Hall, Council Chamber B"),
        ("Chair", "Nguyễn Thị Mai"),
        ("Minutes", "Daniel Okafor, Committee Secretary"),
        ("Status", "Draft for approval on 3 December 2026"),
    ], "MINUTES")
    rep.heading("Attendance", 1)
    present = [name for seat, name, role, w, g in MEMBERS if seat.startswith(("C", "D"))
               and name != "Marco Bianchi"]
    rep.paragraph(
        "**Present (voting):** " + ", ".join(present) + ". **Excused:** Marco Bianchi. "
        "**Also present:** Daniel Okafor (secretary), Grace Mensah (observer, Youth Council), "
        "Dr. Helen Carter (Head of Department), Tomasz Zieliński (Head of Transport Planning), "
        "and eleven members of the public.")
    rep.paragraph(
        "With twelve of thirteen voting members present, representing 14 of 15 votes, the "
        "committee was quorate throughout the session.")

    rep.heading("1. Opening and adoption of the agenda", 1)
    rep.paragraph(
        "The chair opened the session at 14:00 and welcomed the members and the public. She "
        "informed the committee that the report on the Harbour Road construction site, "
        "requested at the previous session, would be given under any other business. The "
        "agenda was adopted unanimously without changes.")
    rep.paragraph(
        "In the public question time, a resident of Southbank asked when the pedestrian crossing "
        "at Ferry Street would be equipped with an audible signal. Mr Zieliński replied that the "
        "work is included in the 2027 signal programme and should be completed by May 2027.")

    rep.heading("2. Minutes of the session of 1 October 2026", 1)
    rep.paragraph(
        "Ms Kowalska asked for her statement on the tree-felling permit in Linden Avenue to be "
        "recorded in full, as submitted in writing to the secretariat. With this amendment the "
        "minutes were approved.")
    everyone = present
    rep.paragraph("**Vote:** " + vote_line([n for n in everyone if n != "Peter Novák"], [],
                                          ["Peter Novák"]) + " Approved.")

    rep.heading("3. Readiness of the winter service 2026/27", 1)
    rep.paragraph(
        "The Head of Department presented the winter service plan. The road salt stores are "
        "filled to 94 % of capacity (6,580 tonnes). Fourteen gritting vehicles and 31 smaller "
        "vehicles for cycle lanes and footways are available; two additional contractors have "
        "been engaged for the cycle network, which is now cleared with the same priority as "
        "main bus routes. The budget for the season remains EUR 5.02 million.")
    rep.paragraph(
        "Mr Weber asked whether brine spraying could replace dry salt on bridges. The "
        "department will test brine on the Harbour Bridge this winter and report on the "
        "results in spring. Ms Hoàng Thu Hà asked that the pavements around schools and "
        "care homes be included in the first priority group; the Head of Department agreed "
        "to examine this. The committee took note of the report.")

    rep.heading("4. Extension of residents' parking zone R7 (Southbank)", 1)
    rep.paragraph(
        "Mr Zieliński presented the proposal to extend zone R7 by eleven streets south of the "
        "river. A survey in September counted an average occupancy of 104 % in the evening, "
        "with many vehicles of commuters to the ferry terminal. The residents' permit will cost "
        "EUR 120 per year; visitors may park for up to two hours with a ticket.")
    rep.paragraph(
        "Mr Phạm Quốc Bảo supported the extension but asked for a reduced permit fee for "
        "care workers who visit patients in the area. Ms El-Amrani proposed to review the zone "
        "after twelve months. The chair put the amended proposal, including the review clause, "
        "to the vote.")
    no_votes = ["Jonas Weber", "Phạm Quốc Bảo"]
    abstain = ["Peter Novák"]
    yes = [n for n in everyone if n not in no_votes + abstain]
    rep.callout("Decision UDT-2026-41",
                "The committee recommends that the City Council extend residents' parking zone "
                "R7 to the streets listed in the annex of document UDT/2026/96 from 1 February "
                "2027, and instructs the administration to report on the effects of the "
                "extension after twelve months. " + vote_line(yes, no_votes, abstain)
                + " Adopted.")

    rep.heading("5. Cycling Network Plan 2027\u20132030: first reading", 1)
    rep.paragraph(
        "The planning consultants presented the draft network plan, including the results of "
        "the public consultation with 1,146 responses. Members discussed in particular the loss "
        "of on-street parking on the inner ring and the design of the junction at Market "
        "Square. Ms Lindqvist asked for the river route to be built in the first phase, as it "
        "connects Southbank to the Old Town without the steep gradient of Castle Hill. Mr "
        "Trần Văn Hùng asked the administration to present alternatives for delivery traffic "
        "in Market Street.")
    rep.paragraph(
        "The chair summarised that the plan will be submitted for decision on 3 December 2026 "
        "together with the cost estimate and the grant application. No vote was taken.")

    rep.heading("6. Review of public transport fares: consultation update", 1)
    rep.paragraph(
        "The Riverton Transit Company (RTC) reported that 3,904 responses had been received in "
        "the consultation on fares, 412 of them in Vietnamese. A large majority supports the "
        "proposed social monthly pass, while opinions on the increase of single tickets are "
        "divided. The full proposal, with a summary of the consultation in Vietnamese and "
        "English, will be submitted to the December session. The committee took note of the "
        "update.")

    rep.heading("7. Any other business", 1)
    rep.paragraph(
        "**Harbour Road construction site.** The Head of Department reported that the renewal "
        "of the water main is four weeks behind schedule because of unexpected ground "
        "conditions. The road will remain closed to through traffic until 18 December 2026; "
        "bus line 14 continues to use the diversion via Dock Street.")
    rep.paragraph(
        "**Youth Council.** Ms Mensah presented the Youth Council's wish for safe bicycle "
        "parking at secondary schools. The chair asked the administration to include this in "
        "the cycling plan.")
    rep.paragraph("The chair closed the public session at 17:25.")
    rep.signatures([("Nguyễn Thị Mai", "Chair"), ("Daniel Okafor", "Secretary")])
    rep.save(path)


# --------------------------------------------------------------------------
# 03 Draft budget 2027
# --------------------------------------------------------------------------


def make_budget(path: Path) -> None:
    divisions = division_totals()
    tot = [sum(r[k] for r in divisions) for k in range(1, 5)]
    actual25, budget26, forecast26, draft27 = tot
    rev26 = sum(r[1] for r in REVENUE)
    rev27 = sum(r[2] for r in REVENUE)
    capital = sum(v for _, v in CAPITAL)
    change = draft27 - budget26
    change_pct = 100 * change / budget26
    pt_row = {name: (a, b, f, d) for name, a, b, f, d in divisions}

    rep = Report(ref="UDT/2026/112", title="Draft budget 2027 of the Department of Urban "
                 "Development and Transport", short_title="Draft budget 2027",
                 date="19 November 2026", author="Dr. Helen Carter, Head of Department",
                 subject="Agenda item 3, regular session of 3 December 2026",
                 keywords="budget 2027, expenditure, capital programme, revenue")
    rep.letterhead([
        ("Agenda item", "3 \u2013 for decision"),
        ("Reference", "UDT/2026/112"),
        ("Submitted by", "Dr. Helen Carter, Head of Department, with the Finance Office"),
        ("Date", "19 November 2026"),
        ("Next steps", "Finance Committee 10 December 2026; City Council 17 December 2026"),
    ], "FOR DECISION")
    rep.heading("Summary", 1, toc=False)
    rep.paragraph(
        f"The draft budget 2027 of the Department of Urban Development and Transport provides "
        f"for total expenditure of **EUR {draft27 / 1000:.1f} million**, an increase of EUR "
        f"{change / 1000:.1f} million or {change_pct:.1f} % compared with the budget 2026. "
        f"Income is expected to reach EUR {rev27 / 1000:.1f} million, so that the net "
        f"contribution from the general city budget rises from EUR "
        f"{(budget26 - rev26) / 1000:.1f} million to EUR {(draft27 - rev27) / 1000:.1f} million.")
    rep.paragraph(
        "Almost the entire increase is explained by three decisions the City Council has "
        "already taken in principle: the new service contract with the Riverton Transit "
        "Company, the first phase of the cycling network plan and the second phase of the "
        "renovation of Linden Park Primary School. The other divisions grow by between 2 and "
        "4.5 per cent, mainly because of the pay increase and higher construction prices.")
    rep.table(["Key figures (EUR thousand)", "Budget 2026", "Draft 2027", "Change"], [
        ["Total expenditure", money(budget26), money(draft27), pct(change_pct)],
        ["Total income", money(rev26), money(rev27), pct(100 * (rev27 - rev26) / rev26)],
        ["Net cost to the general budget", money(budget26 - rev26), money(draft27 - rev27),
         pct(100 * ((draft27 - rev27) - (budget26 - rev26)) / (budget26 - rev26))],
        ["Capital investment programme", "24,870", money(capital),
         pct(100 * (capital - 24870) / 24870)],
        ["Staff (full-time equivalents)", "412.5", "418.0", pct(100 * 5.5 / 412.5)],
    ], [3.2, 1.3, 1.3, 1.1], aligns="lrrr", bold_rows={2}, shade_rows={2})

    rep.contents_page()
    rep.heading("1. Introduction", 1)
    rep.paragraph(
        "This document presents the draft budget 2027 for the areas for which the Committee on "
        "Urban Development and Transport is responsible: roads and bridges, public transport, "
        "cycling and walking, traffic management, urban planning and building control, parks "
        "and public space, public buildings including schools, and the central services of "
        "the department. It follows the structure of the city-wide budget and uses the cost "
        "centres of the financial system, which are listed in detail in Annex A.")
    rep.paragraph(
        "The committee is asked to examine the draft and to recommend it to the Finance "
        "Committee, with or without amendments. Amendments that increase expenditure must "
        "indicate how they are to be financed, either by savings elsewhere in the department "
        "or by additional income. Amendments received by the secretariat before 1 December "
        "2026 have been included in the list of motions distributed with the agenda.")
    rep.paragraph(
        "All amounts are given in thousands of euros (EUR thousand) unless stated otherwise. "
        "Figures for 2025 are audited actual results; the forecast for 2026 is based on the "
        "accounts closed on 30 September 2026 and the department's estimate for the fourth "
        "quarter.")
    rep.heading("2. Economic context and planning assumptions", 1)
    rep.paragraph(
        "The national economy has recovered moderately in 2026, and the City's tax income is "
        "expected to grow by 3.4 % in 2027 according to the autumn tax forecast. At the same "
        "time, construction prices remain high: the construction price index for civil "
        "engineering works rose by 5.1 % over the last twelve months, and tenders for road "
        "works continue to attract few bidders. The draft budget therefore assumes that "
        "construction prices will rise by a further 4.0 % in 2027.")
    rep.paragraph(
        "The collective agreement for public employees provides for a pay increase of 3.2 % "
        "from 1 April 2027. Energy prices have stabilised; the City's electricity contract for "
        "2027 and 2028 was concluded in June 2026 at a price 11 % below the previous contract, "
        "which mainly benefits street lighting, traffic signals and school buildings.")
    rep.table(["Assumption", "2026", "2027", "Source"], [
        ["Consumer price inflation", "2.4 %", "2.1 %", "Central bank, September 2026"],
        ["Construction prices, civil engineering", "5.1 %", "4.0 %", "Statistics Office"],
        ["Pay increase, public employees", "2.8 %", "3.2 %", "Collective agreement"],
        ["Electricity price (City contract)", "0.241", "0.214", "EUR per kWh, framework contract"],
        ["Interest rate on new City loans", "3.10 %", "2.90 %", "Finance Office"],
    ], [2.6, 0.9, 0.9, 2.4], aligns="lccl",
        caption="Table 1: Planning assumptions used for the draft budget 2027.")
    rep.paragraph(
        "The public transport service contract is indexed to a basket of wages, diesel and "
        "electricity prices. The indexation for 2027 has been calculated at 3.6 %, which adds "
        "EUR 1.8 million to the contract payment even before the service improvements agreed "
        "for the new timetable in December 2026 are taken into account.")

    rep.new_page()
    rep.heading("3. Expenditure by division", 1)
    rep.paragraph(
        "Table 2 shows the expenditure of each division for the years 2025 to 2027. Chart 1 "
        "compares the budget 2026 with the draft for 2027. The largest single item remains "
        "the payment to the Riverton Transit Company, which accounts for about one third of "
        "the department's budget.")
    rows = []
    for name, a, b, f, d in divisions:
        rows.append([name, money(a), money(b), money(f), money(d), pct(100 * (d - b) / b)])
    rows.append(["Total", money(actual25), money(budget26), money(forecast26), money(draft27),
                 pct(change_pct)])
    rep.table(["Division", "Actual 2025", "Budget 2026", "Forecast 2026", "Draft 2027",
               "Change"], rows, [3.0, 1.1, 1.1, 1.2, 1.1, 0.95], aligns="lrrrrr",
              bold_rows={len(rows) - 1}, shade_rows={len(rows) - 1},
              caption="Table 2: Expenditure by division, EUR thousand. Change: draft 2027 "
                      "compared with budget 2026.")
    rep.paragraph(
        f"The budget of the **Public Transport** division rises by EUR "
        f"{(pt_row['Public Transport'][3] - pt_row['Public Transport'][1]):,} thousand. Besides "
        "the indexation of the service contract, the new timetable introduces a 10-minute "
        "service on bus lines 3, 7 and 14 on Saturdays and extends the night service to "
        "Sunday nights. The compensation for concessionary fares increases because the social "
        "monthly pass proposed under agenda item 5 is expected to be used by about 4,800 "
        "residents.")
    rep.paragraph(
        "**Cycling and Walking** shows the strongest relative growth. The increase is almost "
        "entirely due to the construction of the first phase of the cycling network, for which "
        "the City has applied for a grant of 75 % from the national cycling infrastructure "
        "programme. If the grant is not awarded, the construction works will not start and the "
        "corresponding expenditure will be blocked.")
    rep.paragraph(
        "In **Public Buildings and Schools**, the second phase of the renovation of Linden Park "
        "Primary School starts in spring 2027. The operating budget for school buildings grows "
        "only by the pay increase and the higher cleaning contract; energy costs fall despite "
        "the additional floor area of the new school canteen in Eastgate.")

    rep.new_page()
    rep.heading("3.1 Comparison with the budget 2026", 2)
    slow = [n for n, a, b, f, d in divisions if (d - b) / b < 0.04]
    words = ["none", "one", "two", "three", "four", "five", "six", "seven", "eight"]
    rep.paragraph(
        f"The chart below shows the budget 2026 and the draft 2027 for each division. "
        f"{words[len(slow)].capitalize()} of the eight divisions grow by less than four per "
        f"cent. The strongest increases are in cycling and walking, in public buildings and "
        f"schools, and in public transport, where the service contract accounts for most of "
        f"the additional expenditure.")
    rep.figure(300, bar_chart([(n, b, d) for n, a, b, f, d in divisions],
                              ("Budget 2026", "Draft 2027"), "EUR thousand"),
               caption="Chart 1: Expenditure by division, budget 2026 and draft 2027 "
                       "(EUR thousand).")
    rep.heading("3.2 Savings and efficiency measures", 2)
    rep.paragraph(
        "To keep the increase of the net cost within the limit set by the Finance Committee, "
        "the department proposes savings of EUR 1.46 million. They are included in the draft "
        "and do not reduce services that are visible to residents.")
    rep.bullets([
        "Street lighting: the last 2,900 sodium lamps will be replaced by LED luminaires, "
        "saving EUR 310 thousand of electricity and maintenance per year.",
        "Parking enforcement: digital parking permits and scan vehicles reduce the manual "
        "checking effort by four full-time equivalents through natural turnover.",
        "Winter service: shared depots with the neighbouring district reduce rental costs by "
        "EUR 180 thousand.",
        "Building control: the online permit portal, introduced in 2026, reduces printing, "
        "postage and archive costs by EUR 95 thousand.",
    ])

    rep.new_page()
    rep.heading("4. Capital investment programme 2027", 1)
    rep.paragraph(
        f"The capital investment programme amounts to EUR {capital / 1000:.2f} million. It is "
        "financed by grants, by the depreciation reserve and by new loans of EUR 9.8 million. "
        "The projects are listed in Table 3; projects with a total cost of more than EUR 5 "
        "million are also subject to a separate decision of the City Council.")
    rep.table(["Project", "2027 (EUR thousand)", "Share"],
              [[name, money(v), f"{100 * v / capital:.1f} %"] for name, v in CAPITAL]
              + [["Total capital programme", money(capital), "100.0 %"]],
              [4.2, 1.4, 0.9], aligns="lrr", bold_rows={len(CAPITAL)},
              shade_rows={len(CAPITAL)},
              caption="Table 3: Capital investment programme 2027.")
    palette = [NAVY, ACCENT, TEAL, (0.55, 0.60, 0.67), (0.85, 0.65, 0.30),
               (0.40, 0.62, 0.80), (0.62, 0.75, 0.55)]
    short = ["Cycle routes", "School renovation", "Resurfacing", "Harbour Bridge",
             "Bus priority", "LED lighting", "Playgrounds"]
    rep.figure(190, donut_chart([(short[i], v, palette[i]) for i, (_, v) in enumerate(CAPITAL)],
                                f"{capital / 1000:.1f} m\nEUR 2027"),
               caption="Chart 2: Capital investment programme 2027 by project (EUR thousand).")
    rep.paragraph(
        "The resurfacing programme concentrates on the main roads with the worst condition "
        "ratings: Harbour Road, Eastgate, North Avenue and the western section of Castle Hill "
        "Road. Works are coordinated with the utility companies so that no road is opened "
        "again within five years of resurfacing.")

    rep.new_page()
    rep.heading("5. Income", 1)
    rep.paragraph(
        f"The department expects income of EUR {rev27 / 1000:.1f} million in 2027. The "
        "increase results mainly from grants for the cycling network and the school "
        "renovation, which are paid in line with the progress of the works. Parking income "
        "grows moderately because of the extension of residents' parking zone R7 decided in "
        "November.")
    rep.table(["Source of income", "Budget 2026", "Draft 2027", "Change"],
              [[n, money(a), money(b), pct(100 * (b - a) / a)] for n, a, b in REVENUE]
              + [["Total income", money(rev26), money(rev27), pct(100 * (rev27 - rev26) / rev26)]],
              [3.4, 1.1, 1.1, 1.0], aligns="lrrr", bold_rows={len(REVENUE)},
              shade_rows={len(REVENUE)}, caption="Table 4: Income, EUR thousand.")
    rep.paragraph(
        "Fees for building permits have not been changed since 2021. The administration will "
        "propose a new fee schedule in spring 2027; the draft budget does not yet include any "
        "additional income from it. The state grant for public transport operations is based "
        "on the number of passenger kilometres in 2025 and has been confirmed by the Ministry "
        "of Transport.")
    rep.heading("6. Risks", 1)
    rep.paragraph(
        "The main risks of the draft budget are summarised below. The department reports on "
        "them to the committee every quarter as part of the budget monitoring report.")
    rep.table(["Risk", "Possible effect", "Mitigation"], [
        ["Cycling grant is not awarded or reduced", "Up to EUR 3.45 million less income",
         "Construction starts only after the grant decision"],
        ["Construction prices rise faster than 4 %", "EUR 0.3 million per percentage point",
         "Price escalation clauses; phased tendering"],
        ["Severe winter", "Up to EUR 1.2 million additional winter service",
         "Winter service reserve in the general budget"],
        ["Lower ridership than forecast", "Higher compensation payment to RTC",
         "Quarterly review of the fare revenue with RTC"],
        ["Delays in the school renovation", "Costs of temporary classrooms continue",
         "Early ordering of windows and ventilation units"],
    ], [2.2, 2.0, 2.4], size=8.6, caption="Table 5: Main budget risks.")

    rep.new_page()
    rep.heading("7. Medium-term financial plan 2027\u20132030", 1)
    rep.paragraph(
        "The medium-term plan shows how the department's budget would develop if current "
        "decisions are implemented and no new projects are added. The plan is indicative; it "
        "will be updated with each annual budget.")
    plan = [draft27] + [round(draft27 * f, -1) for f in (1.028, 1.047, 1.061)]
    inc = [rev27] + [round(rev27 * f, -1) for f in (1.012, 0.985, 0.97)]
    rep.table(["EUR thousand", "2027", "2028", "2029", "2030"], [
        ["Expenditure", *[money(v) for v in plan]],
        ["Income", *[money(v) for v in inc]],
        ["Net cost", *[money(a - b) for a, b in zip(plan, inc)]],
    ], [2.0, 1, 1, 1, 1], aligns="lrrrr", bold_rows={2}, shade_rows={2},
        caption="Table 6: Medium-term financial plan (indicative).")
    rep.paragraph(
        "From 2029 the grants for the first phase of the cycling network and for the school "
        "renovation end, while the capital charges of the loans continue. The net cost "
        "therefore increases faster than expenditure. The department will present options for "
        "stabilising the net cost, including a review of parking charges, with the draft "
        "budget 2028.")
    rep.heading("8. Recommendation", 1)
    rep.paragraph(
        "The administration recommends that the committee approve the draft budget 2027 and "
        "forward it to the Finance Committee. The proposed resolution is set out below.")
    rep.callout("Draft resolution",
                f"The Committee on Urban Development and Transport approves the draft budget "
                f"2027 of the Department of Urban Development and Transport with total "
                f"expenditure of EUR {money(draft27)} thousand and total income of EUR "
                f"{money(rev27)} thousand, including the capital investment programme of EUR "
                f"{money(capital)} thousand, and recommends that the Finance Committee and the "
                f"City Council adopt it. Expenditure for the first phase of the cycling "
                f"network is blocked until the national grant has been awarded.")
    rep.paragraph(
        "Annex A lists all cost centres. Annex B shows the staffing plan and Annex C explains "
        "the terms and abbreviations used in this document.", after=0)

    # Annex A: landscape detail table
    rep.new_page(landscape=True)
    rep.heading("Annex A: Budget lines by cost centre", 1)
    rows, bold, shade = [], set(), set()
    for division, lines in BUDGET:
        for code, name, a, b, f, d in lines:
            rows.append([code, name, money(a), money(b), money(f), money(d), money(d - b),
                         pct(100 * (d - b) / b)])
        a, b, f, d = pt_row[division]
        bold.add(len(rows))
        shade.add(len(rows))
        rows.append(["", f"Total {division}", money(a), money(b), money(f), money(d),
                     money(d - b), pct(100 * (d - b) / b)])
    bold.add(len(rows))
    shade.add(len(rows))
    rows.append(["", "Total department", money(actual25), money(budget26), money(forecast26),
                 money(draft27), money(change), pct(change_pct)])
    rep.table(["Cost centre", "Description", "Actual 2025", "Budget 2026", "Forecast 2026",
               "Draft 2027", "Change", "Change %"], rows,
              [0.8, 3.6, 1, 1, 1.05, 1, 0.9, 0.9], aligns="llrrrrrr", size=8.2,
              bold_rows=bold, shade_rows=shade, zebra=False,
              caption="All amounts in EUR thousand. Change: draft 2027 compared with budget 2026.")

    rep.new_page(landscape=False)
    rep.heading("Annex B: Staffing plan", 1)
    staff = [("Roads and Bridges", 118.0, 118.0), ("Public Transport", 9.5, 10.0),
             ("Cycling and Walking", 11.0, 14.0),
             ("Traffic Management and Road Safety", 64.5, 61.5),
             ("Urban Planning and Building Control", 82.0, 84.0),
             ("Parks and Public Space", 71.5, 72.5), ("Public Buildings and Schools", 38.0, 40.0),
             ("Administration and Central Services", 18.0, 18.0)]
    s26 = sum(a for _, a, _ in staff)
    s27 = sum(b for _, _, b in staff)
    rep.paragraph(
        f"The staffing plan provides for {s27:.1f} full-time equivalents (FTE), {s27 - s26:.1f} "
        f"more than in 2026. Three new posts in cycling and walking are financed for four years "
        f"from the national cycling programme. In traffic management three posts will not be "
        f"filled again when the current post holders retire, as a result of the digital parking "
        f"permits.")
    rep.table(["Division", "FTE 2026", "FTE 2027", "Change"],
              [[n, f"{a:.1f}", f"{b:.1f}", fte_change(b - a)] for n, a, b in staff]
              + [["Total", f"{s26:.1f}", f"{s27:.1f}", fte_change(s27 - s26)]],
              [3.4, 1, 1, 1], aligns="lrrr", bold_rows={len(staff)}, shade_rows={len(staff)},
              caption="Table A2: Full-time equivalents by division.")
    rep.paragraph(
        "Personnel costs are budgeted centrally in the cost centres of each division and "
        "include employer contributions to social insurance and the pension fund. The vacancy "
        "rate is assumed to be 3.5 %, in line with the average of the last three years.")
    rep.heading("Recruitment in 2027", 2)
    rep.paragraph(
        "The department expects to recruit 24 people in 2027, including replacements for "
        "retirements. Particular difficulties are expected in recruiting civil engineers and "
        "building inspectors; the department will therefore continue its cooperation with "
        "Riverton University, which offers paid placements for students in the last year of "
        "their studies. Eight students took part in the programme in 2026, and five of them "
        "have accepted a position with the City after graduation.")
    rep.paragraph(
        "Apprenticeships in gardening, road maintenance and administration will continue at the "
        "level of 2026 with 14 apprentices in total.")

    rep.new_page()
    rep.heading("Annex C: Glossary and abbreviations", 1)
    rep.table(["Term", "Explanation"], [
        ["Actual", "Audited result of the financial year, as published in the annual accounts."],
        ["Budget", "Amount approved by the City Council for the financial year."],
        ["Forecast", "Expected result for the current year, based on the accounts at the end of "
                     "the third quarter and the department's estimate for the fourth quarter."],
        ["Capital programme", "Investments in assets with a useful life of more than one year "
                              "and a value of more than EUR 5,000."],
        ["Cost centre", "Smallest unit of the budget for which expenditure is planned and "
                        "reported, identified by a four-digit code."],
        ["Net cost", "Expenditure minus income; the amount financed from the general city "
                     "budget."],
        ["FTE", "Full-time equivalent; one FTE corresponds to 39 working hours per week."],
        ["RTC", "Riverton Transit Company, the municipal operator of buses and trams."],
        ["Blocked expenditure", "Expenditure that may only be spent after a condition is met, "
                                "for example the award of a grant."],
    ], [1.4, 4.6], size=8.8)
    rep.heading("Contact", 2)
    rep.paragraph(
        "Questions on this document may be addressed to the Finance Office of the department, "
        "Ms Lê Thị Hồng (budget coordinator), extension 4382, or to the committee secretariat. "
        "Members who wish to submit amendments are asked to use the amendment form in the "
        "Dais meeting system so that all members can see them before the session.")
    rep.save(path)


# --------------------------------------------------------------------------
# 04 Cycling network plan
# --------------------------------------------------------------------------


def make_cycling(path: Path) -> None:
    rep = Report(ref="UDT/2026/114", title="Cycling Network Plan 2027\u20132030: phase 1 "
                 "(inner ring and river route)", short_title="Cycling Network Plan, phase 1",
                 date="19 November 2026", author="Tomasz Zieliński, Head of Transport Planning",
                 subject="Agenda item 4, regular session of 3 December 2026",
                 keywords="cycling, cycle lanes, network plan, inner ring, river route")
    rep.letterhead([
        ("Agenda item", "4 \u2013 for decision"),
        ("Reference", "UDT/2026/114 (first reading: UDT/2026/101, 5 November 2026)"),
        ("Submitted by", "Tomasz Zieliński, Head of Transport Planning"),
        ("Date", "19 November 2026"),
        ("Financial impact", "EUR 9.4 million (phase 1), of which EUR 4.6 million in 2027"),
    ], "FOR DECISION")
    rep.heading("Summary", 1, toc=False)
    rep.paragraph(
        "Riverton's cycle network has grown piece by piece over thirty years. Many lanes end "
        "abruptly at junctions, the Old Town can only be reached over busy main roads, and the "
        "river can be crossed safely on a bicycle at only one of its three bridges. The Cycling "
        "Network Plan 2027\u20132030 closes these gaps in two phases. This report asks the "
        "committee to approve the first phase: a protected inner ring around the Old Town, a "
        "continuous route along the River Wend and a link to Riverton University.")
    rep.table(["Phase 1 at a glance", ""], [
        ["New protected cycle lanes", "11.1 km (inner ring 6.8 km, river route 1.2 km, "
                                      "university link 3.1 km)"],
        ["Construction period", "April 2027 to October 2028, in six sections"],
        ["Total cost", "EUR 9.4 million, of which 75 % eligible for the national grant"],
        ["On-street parking", "212 spaces removed, 140 replaced in the Market Square garage"],
        ["Public support", "68 % of 1,146 consultation responses in favour"],
    ], [1.6, 4.0], size=8.8, key_value=True, zebra=True)

    rep.heading("1. Current situation", 1)
    rep.paragraph(
        "Cycling has become an important mode of transport in Riverton. The household travel "
        "survey of 2025 found that 14 % of all trips by residents are made by bicycle, compared "
        "with 9 % in 2016. On the busiest counting station, on the Linden Bridge, an average of "
        "6,300 cyclists were counted on working days in June 2026.")
    rep.paragraph(
        "The number of cyclists injured in road accidents has fallen slightly in the last two "
        "years, but remains high at junctions where cycle lanes end or where cyclists share "
        "the carriageway with buses. Almost half of all serious accidents in 2025 occurred on "
        "the six main roads that form the planned inner ring.")
    rep.table(["Indicator", "2022", "2023", "2024", "2025", "Target 2030"], [
        ["Cycling share of all trips", "12 %", "13 %", "13 %", "14 %", "20 %"],
        ["Cycle network, total km", "33.5", "35.0", "36.8", "38.0", "58.7"],
        ["of which protected lanes, km", "9.2", "10.4", "12.1", "14.0", "34.7"],
        ["Cyclists injured", "143", "151", "138", "129", "below 90"],
        ["of which seriously injured", "21", "24", "19", "17", "below 10"],
        ["Bicycle parking spaces in the centre", "1,840", "2,010", "2,260", "2,480", "4,000"],
    ], [2.6, 0.8, 0.8, 0.8, 0.8, 1.1], aligns="lrrrrr",
        caption="Table 1: Cycling indicators. Sources: household travel survey, police accident "
                "statistics, municipal counting stations.")

    rep.heading("2. The planned network", 1)
    rep.paragraph(
        "The map shows the existing cycle lanes and the routes of both phases. Phase 1 forms a "
        "closed ring around the Old Town along Castle Street, Eastgate, Harbour Road and West "
        "Wall, with a branch across the Linden Bridge to Southbank and an eastward link to the "
        "university campus. Phase 2 adds radial routes to the North End, the East Quarter and "
        "the harbour district.")
    png, aspect = render_cycling_map()
    rep.image(png, aspect, caption="Figure 1: Cycling network, existing lanes and planned "
                                   "phases 1 and 2 (schematic, not to scale for details).")
    rep.paragraph(
        "Where space allows, the lanes are separated from motor traffic by a kerb or by a "
        "strip of at least 0.6 m with bollards. At the eleven signalised junctions on the "
        "ring, cyclists get their own signal phase or an advanced stop line, depending on the "
        "traffic volume of turning vehicles.")

    rep.new_page()
    rep.heading("3. Design standards", 1)
    rep.paragraph(
        "The design follows the national guidelines for cycle infrastructure of 2023. The "
        "width of the lanes is chosen so that cargo bikes and bicycles with child trailers can "
        "overtake each other safely, which the consultation identified as a frequent problem "
        "on the existing lanes.")
    rep.table(["Type", "Where used", "Width", "Separation"], [
        ["One-way protected lane", "Inner ring, main roads", "2.30 m", "Kerb or 0.6 m strip "
                                                                       "with bollards"],
        ["Two-way cycle track", "River route, university link", "3.50 m", "Kerb, separate from "
                                                                          "footway"],
        ["Cycle street", "Residential streets in phase 2", "carriageway",
         "Motor traffic allowed as guests, 30 km/h"],
        ["Shared bus and cycle lane", "Only on short sections below 150 m", "4.75 m",
         "Marking only"],
    ], [1.6, 1.8, 0.9, 2.1], size=8.6, caption="Table 2: Types of cycle infrastructure.")
    rep.heading("3.1 Junctions and bus stops", 2)
    rep.paragraph(
        "Bus stops on the ring are designed as floating bus stops, with the cycle lane running "
        "behind the waiting area and a marked crossing for passengers. The design was tested "
        "with the Riverton Association for the Blind in October; tactile paving and a raised "
        "crossing will be used at every stop.")
    rep.paragraph(
        "At Market Square the ring crosses the main bus corridor. The junction will be rebuilt "
        "as a protected junction with corner islands, so that cyclists turning left wait in a "
        "protected position outside the path of motor vehicles. The signal programme gives "
        "buses priority; waiting times for cyclists will not exceed 60 seconds.")
    rep.heading("3.2 Parking and deliveries", 2)
    rep.paragraph(
        "The inner ring requires the removal of 212 on-street parking spaces. 140 of them are "
        "replaced by spaces for residents in the Market Square garage, which is only 52 % "
        "occupied at night. Loading bays are kept on all sections with shops; in Market Street, "
        "deliveries will be permitted between 06:00 and 10:30, as requested by the traders' "
        "association at the first reading.")

    rep.new_page()
    rep.heading("4. Sections, phasing and costs", 1)
    sections = [
        ("1a", "Castle Street (West Wall to Market Square)", 1.4, 1380, "Apr 2027 \u2013 Sep 2027"),
        ("1b", "Eastgate (Market Square to Harbour Road)", 1.9, 1720, "Jun 2027 \u2013 Dec 2027"),
        ("1c", "Harbour Road (Eastgate to Ferry Street)", 1.8, 1950, "Mar 2028 \u2013 Aug 2028"),
        ("1d", "West Wall (Ferry Street to Castle Street)", 1.7, 1490, "Apr 2028 \u2013 Oct 2028"),
        ("1e", "River route and Linden Bridge", 1.2, 1420, "Apr 2027 \u2013 Nov 2027"),
        ("1f", "University link (Eastgate to campus)", 3.1, 1440, "Aug 2027 \u2013 Jun 2028"),
    ]
    km = sum(s[2] for s in sections)
    cost = sum(s[3] for s in sections)
    rep.paragraph(
        f"Phase 1 is divided into six sections with a total length of {km:.1f} km. They are "
        "built one after another so that no two parallel main roads are affected by works at "
        "the same time. The first sections are those with the highest accident numbers.")
    rep.table(["Section", "Route", "Length (km)", "Cost (EUR thousand)", "Construction"],
              [[a, b, f"{c:.1f}", money(d), e] for a, b, c, d, e in sections]
              + [["", "Total phase 1", f"{km:.1f}", money(cost), "Apr 2027 \u2013 Oct 2028"]],
              [0.7, 3.0, 0.9, 1.1, 1.6], aligns="llrrl", bold_rows={len(sections)},
              shade_rows={len(sections)}, size=8.6,
              caption="Table 3: Sections of phase 1. Costs include planning, construction, "
                      "signals and 10 % contingency.")
    rep.paragraph(
        f"The total cost of phase 1 is estimated at EUR {cost / 1000:.1f} million. The national "
        "cycling infrastructure programme covers 75 % of eligible costs; the City's share of "
        f"about EUR {cost * 0.25 / 1000:.1f} million is included in the draft budget 2027 and "
        "the medium-term plan. Phase 2, with 9.6 km of new routes, is estimated at EUR 7.8 "
        "million and will be submitted for decision in 2028.")
    rep.heading("5. Consultation", 1)
    rep.paragraph(
        "The draft plan was published for consultation from 1 July to 15 September 2026. "
        "1,146 responses were received online and at four public meetings. 68 % supported the "
        "plan, 21 % opposed it and 11 % expressed no clear opinion. The most frequent concerns "
        "were the loss of parking spaces (312 mentions), conflicts between cyclists and "
        "pedestrians at bus stops (188) and the duration of the construction works (141).")
    rep.paragraph(
        "The plan was changed in three respects after the consultation: the river route was "
        "moved into phase 1, loading times in Market Street were extended, and additional "
        "bicycle parking will be built at the three secondary schools along the ring, as "
        "proposed by the Youth Council.")

    rep.new_page()
    rep.heading("6. Recommendation", 1)
    rep.paragraph(
        "The administration recommends approving phase 1 of the Cycling Network Plan so that "
        "the grant application can be completed before the national deadline of 31 January "
        "2027. Detailed designs for each section will be presented to the committee before "
        "construction starts.")
    rep.callout("Draft resolution",
                "1. The Committee on Urban Development and Transport approves phase 1 of the "
                "Cycling Network Plan 2027\u20132030 as set out in document UDT/2026/114. "
                "2. The administration is instructed to apply for a grant from the national "
                "cycling infrastructure programme and to start construction of sections 1a "
                "and 1e in April 2027, provided that the grant has been awarded. "
                "3. The detailed design of each section shall be presented to the committee "
                "for information before the works are tendered.")
    rep.heading("Annex: Timetable of the next steps", 2)
    rep.table(["Date", "Step"], [
        ["3 December 2026", "Decision of the committee"],
        ["31 January 2027", "Deadline of the national grant application"],
        ["February 2027", "Tender for sections 1a and 1e"],
        ["March 2027", "Expected grant decision; information of residents and businesses"],
        ["April 2027", "Start of construction, sections 1a and 1e"],
        ["October 2028", "Completion of phase 1; evaluation report to the committee"],
    ], [1.4, 4.6], size=8.8)
    rep.save(path)


# --------------------------------------------------------------------------
# 05 Public transport fares 2027
# --------------------------------------------------------------------------

FARES = [
    ("Single ticket, adult", 2.40, 2.70),
    ("Single ticket, child (6\u201314 years)", 1.20, 1.30),
    ("Short trip (up to 4 stops)", 1.60, 1.70),
    ("Day pass, one person", 6.80, 7.20),
    ("Day pass, group (up to 5 people)", 13.50, 14.00),
    ("Monthly pass, adult", 58.00, 58.00),
    ("Monthly pass, pupils and trainees", 39.00, 35.00),
    ("Social monthly pass (new)", None, 29.00),
    ("Annual pass, adult (12 monthly payments)", 49.00, 49.00),
]


def make_tariff(path: Path) -> None:
    impact = [("Single tickets and short trips", 1620), ("Day passes", 410),
              ("Pupils' monthly pass (price reduction)", -190),
              ("Social monthly pass (loss of revenue)", -1380),
              ("Compensation for the social pass (City)", 1150),
              ("Additional journeys", 220), ("Abolition of the discounted ten-ticket scheme", 40)]
    net = sum(v for _, v in impact)
    fares_only = net - 1150
    rep = Report(ref="UDT/2026/118", title="Public transport fares from 1 March 2027",
                 short_title="Public transport fares 2027", date="19 November 2026",
                 author="Riverton Transit Company (RTC) and Transport Planning",
                 subject="Agenda item 5, regular session of 3 December 2026",
                 keywords="public transport, fares, tariff, social pass, RTC")
    rep.letterhead([
        ("Agenda item", "5 \u2013 for decision (sub-items 5.1 and 5.2 voted separately)"),
        ("Reference", "UDT/2026/118"),
        ("Submitted by", "Riverton Transit Company (RTC) with Transport Planning"),
        ("Date", "19 November 2026"),
        ("Related documents", "UDT/2026/121 Consultation summary (Vietnamese / English)"),
    ], "FOR DECISION")
    rep.heading("Summary", 1, toc=False)
    rep.paragraph(
        "The Riverton Transit Company proposes to adjust the fares of buses and trams from 1 "
        "March 2027. The proposal has two parts, which the committee is asked to decide "
        "separately: the introduction of a social monthly pass at EUR 29 for residents with "
        "low incomes, seniors receiving pension credit and students (sub-item 5.1), and an "
        "increase of single tickets and day passes to cover the rising costs of the service "
        "(sub-item 5.2). The price of the regular monthly and annual passes remains unchanged, "
        "and the pupils' monthly pass becomes cheaper.")
    rep.paragraph(
        f"Taken together, the changes are expected to increase fare revenue by EUR "
        f"{fares_only / 1000:.2f} million in 2027 (ten months) and to attract about 1.1 million "
        f"additional journeys a year. Including the City's compensation for the social pass, "
        f"RTC's revenue increases by EUR {net / 1000:.2f} million.")
    rep.heading("1. Ridership and revenue", 1)
    rep.paragraph(
        "Ridership has recovered from the fall during the pandemic and is expected to exceed "
        "the level of 2019 for the first time in 2026. Fare revenue has grown more slowly "
        "than ridership, because an increasing share of passengers uses monthly and annual "
        "passes, whose prices have not been raised since 2023.")
    years = list(range(2019, 2027))
    rep.figure(190, line_chart(years, [
        ("Journeys (million)", [48.2, 31.5, 34.9, 41.8, 45.6, 47.9, 49.3, 50.6], NAVY),
        ("Fare revenue (EUR million)", [36.1, 23.4, 25.9, 31.2, 34.0, 35.8, 37.0, 38.2], ACCENT),
    ], "2026: forecast", note_year=2020, note="Pandemic"),
        caption="Chart 1: Journeys and fare revenue of RTC, 2019\u20132026.")
    rep.paragraph(
        "The cost of the service has risen faster than revenue. Wages of drivers increased by "
        "12 % over the last three years, and the new electric buses, while cheaper to run, "
        "have higher capital costs. The share of costs covered by fares has fallen from 52 % "
        "in 2019 to 47 % in 2026.")

    rep.heading("2. Proposed fares", 1)
    rows = []
    for name, old, new in FARES:
        if old is None:
            rows.append([name, "\u2013", f"{new:.2f}", "new"])
        else:
            rows.append([name, f"{old:.2f}", f"{new:.2f}",
                         pct(100 * (new - old) / old) if new != old else "unchanged"])
    rep.table(["Ticket", "Current (EUR)", "From 1 March 2027 (EUR)", "Change"], rows,
              [3.0, 1.1, 1.5, 1.0], aligns="lrrr", shade_rows={7},
              caption="Table 1: Current and proposed fares. The social monthly pass (shaded) is "
                      "the subject of sub-item 5.1; the other changes are the subject of "
                      "sub-item 5.2.")
    rep.heading("2.1 Sub-item 5.1: Social monthly pass", 2)
    rep.paragraph(
        "The social monthly pass costs EUR 29, half the price of the regular monthly pass. It "
        "is available to residents who receive housing benefit, income support or pension "
        "credit, and to students at Riverton University and the vocational college. It "
        "replaces the current concession scheme, under which eligible residents receive ten "
        "discounted single tickets per month, a scheme that is little known and rarely used.")
    rep.paragraph(
        "Eligibility is checked once a year by the citizens' office; afterwards the pass can be "
        "bought online, in the RTC app or at the customer centre at the Central Station. "
        "Following the consultation, it will also be sold at the counters of the three "
        "district offices, because many older residents do not use smartphones.")
    rep.paragraph(
        "RTC estimates that about 4,800 residents will use the social pass. The loss of revenue "
        "of about EUR 1.65 million a year (EUR 1.38 million in the ten months of 2027) is "
        "largely compensated by the City through the cost centre for concessionary fares "
        "(5422). The results of the consultation among the Vietnamese "
        "community, which is strongly represented among the eligible groups, are summarised in "
        "the attached document UDT/2026/121.")
    rep.heading("2.2 Sub-item 5.2: Single tickets and day passes", 2)
    rep.paragraph(
        "Single tickets and day passes are used mainly by occasional passengers and visitors. "
        "The proposed increase of 30 cents for an adult single ticket brings Riverton in line "
        "with comparable cities in the region, where single tickets cost between EUR 2.60 and "
        "EUR 3.10. The day pass becomes relatively cheaper compared with two single tickets, "
        "which encourages visitors to buy it.")
    rep.paragraph(
        "In the consultation, 47 % of respondents accepted the increase, 44 % rejected it and "
        "9 % gave no opinion. Several respondents proposed to raise the price of the annual "
        "pass instead; RTC advises against this because regular passengers are the most "
        "important source of stable income.")

    rep.heading("3. Financial impact", 1)
    rep.table(["Effect on RTC revenue, March\u2013December 2027", "EUR thousand"],
              [[n, money(v)] for n, v in impact] + [["Net effect", money(net)]],
              [4.2, 1.2], aligns="lr", bold_rows={len(impact)}, shade_rows={len(impact)},
              caption="Table 2: Estimated financial effects in 2027 (ten months).")
    rep.paragraph(
        "The compensation paid by the City for the social pass is included in the draft budget "
        "2027 (agenda item 3). If only sub-item 5.2 is adopted, RTC's revenue would increase by "
        "about EUR 2.0 million, but the City would lose the opportunity to simplify the "
        "concession scheme. If only sub-item 5.1 is adopted, the compensation payment to RTC "
        "under the service contract would increase by about EUR 1.1 million.")
    rep.heading("4. Implementation", 1)
    rep.bullets([
        "December 2026: decision of the committee; City Council decision on 17 December 2026.",
        "January 2027: update of ticket machines, app and sales systems; training of staff.",
        "February 2027: information campaign in six languages, including Vietnamese, at stops, "
        "in vehicles and in the district offices.",
        "1 March 2027: new fares in force; social passes can be ordered from 15 February.",
        "September 2027: first evaluation report to the committee.",
    ], marker="\u2022")
    rep.heading("5. Draft resolutions", 1)
    rep.callout("Sub-item 5.1 \u2013 Social monthly pass",
                "The committee recommends that the City Council introduce a social monthly pass "
                "at EUR 29.00 from 1 March 2027 for the groups listed in section 2.1 of document "
                "UDT/2026/118, and that the discounted ten-ticket scheme be discontinued at the "
                "same date.")
    rep.callout("Sub-item 5.2 \u2013 Single tickets and day passes",
                "The committee recommends that the City Council approve the fares for single "
                "tickets, short trips and day passes listed in Table 1 of document "
                "UDT/2026/118 from 1 March 2027.", color=ACCENT)
    rep.save(path)


# --------------------------------------------------------------------------
# 05a Consultation summary, Vietnamese and English
# --------------------------------------------------------------------------


def make_consultation_vi(path: Path) -> None:
    rep = Report(ref="UDT/2026/121",
                 title="Tóm tắt ý kiến tham vấn cộng đồng về giá vé giao thông công cộng 2027",
                 short_title="Consultation summary (VI/EN)", date="18 November 2026",
                 author="Office for Community Participation, City of Riverton",
                 subject="Agenda item 5.1, regular session of 3 December 2026",
                 keywords="consultation, Vietnamese, public transport, social pass, tham vấn",
                 serif_headings=True,
                 header_left=f"{CITY} \u00b7 Thành phố Riverton \u00b7 {COMMITTEE}")
    rep.letterhead([
        ("Mục / Item", "5.1 \u2013 Vé tháng xã hội / Social monthly pass"),
        ("Số hiệu / Reference", "UDT/2026/121"),
        ("Người lập / Prepared by", "Đặng Thu Trang, Văn phòng Tham gia Cộng đồng / "
                                    "Office for Community Participation"),
        ("Ngày / Date", "18 tháng 11 năm 2026 / 18 November 2026"),
        ("Ngôn ngữ / Languages", "Tiếng Việt, bản dịch tiếng Anh / Vietnamese with English "
                                 "translation"),
    ], "FOR INFORMATION")
    rep.paragraph("Summary of the community consultation on public transport fares 2027",
                  size=12, color=NAVY, align="left", after=10)

    def bilingual(vi: str, en: str) -> None:
        rep.ensure(rep.paragraph_height(vi) + rep.paragraph_height(en, size=9))  # keep together
        rep.paragraph(vi)
        rep.paragraph(en, size=9, color=GREY, after=9)

    rep.heading("1. Giới thiệu / Introduction", 1)
    bilingual(
        "Từ ngày 15 tháng 9 đến ngày 31 tháng 10 năm 2026, Thành phố Riverton đã tổ chức "
        "tham vấn cộng đồng về đề xuất điều chỉnh giá vé xe buýt và xe điện từ ngày 1 tháng 3 "
        "năm 2027. Để mọi cư dân đều có thể tham gia, bảng câu hỏi được dịch sang sáu ngôn "
        "ngữ, trong đó có tiếng Việt. Tài liệu này tóm tắt các ý kiến nhận được bằng tiếng "
        "Việt và được trình lên Ủy ban Phát triển Đô thị và Giao thông kèm theo bản dịch "
        "tiếng Anh.",
        "From 15 September to 31 October 2026 the City of Riverton held a public consultation "
        "on the proposed adjustment of bus and tram fares from 1 March 2027. So that all "
        "residents could take part, the questionnaire was translated into six languages, "
        "including Vietnamese. This document summarises the responses received in Vietnamese "
        "and is submitted to the Committee on Urban Development and Transport together with "
        "an English translation.")
    rep.heading("2. Người tham gia / Participation", 1)
    groups = [("Người cao tuổi (trên 60 tuổi) / Seniors (over 60)", 169),
              ("Học sinh, sinh viên / Pupils and students", 91),
              ("Người đi làm / Employed", 104),
              ("Khác / Other", 48)]
    total = sum(n for _, n in groups)
    bilingual(
        f"Tổng cộng có {total} người trả lời bằng tiếng Việt: 318 người trả lời trực tuyến, "
        "67 người điền phiếu giấy tại Trung tâm Cộng đồng Southbank và 27 người tham gia hai "
        "buổi thảo luận trực tiếp vào ngày 4 và ngày 18 tháng 10. Các buổi thảo luận được tổ "
        "chức cùng với Hội người Việt tại Riverton.",
        f"A total of {total} people responded in Vietnamese: 318 online, 67 on paper forms at "
        "the Southbank Community Centre and 27 at two discussion meetings on 4 and 18 October. "
        "The meetings were organised together with the Vietnamese Community Association of "
        "Riverton.")
    rep.table(["Nhóm / Group", "Số người / Respondents", "Tỷ lệ / Share"],
              [[g, str(n), f"{100 * n / total:.1f} %"] for g, n in groups]
              + [["Tổng cộng / Total", str(total), "100.0 %"]],
              [3.6, 1.4, 1.1], aligns="lrr", bold_rows={len(groups)},
              shade_rows={len(groups)},
              caption="Bảng 1 / Table 1: Người trả lời theo nhóm / Respondents by group.")
    rep.heading("3. Ý kiến chính / Main findings", 1)
    findings = [
        ("Đa số người tham gia (72 %) ủng hộ vé tháng xã hội giá 29 euro cho người có thu nhập "
         "thấp, người cao tuổi và sinh viên.",
         "A large majority (72 %) supports the social monthly pass at EUR 29 for residents with "
         "low incomes, seniors and students."),
        ("Nhiều người lo ngại rằng việc tăng giá vé lượt từ 2,40 euro lên 2,70 euro sẽ ảnh hưởng "
         "đến các gia đình chỉ thỉnh thoảng đi xe buýt.",
         "Many are concerned that raising the single fare from EUR 2.40 to EUR 2.70 will affect "
         "families who only use the bus occasionally."),
        ("Người cao tuổi đề nghị được mua vé xã hội tại quầy, không chỉ qua ứng dụng điện thoại.",
         "Older residents ask to be able to buy the social pass at a counter, not only in the "
         "smartphone app."),
        ("Các tiểu thương tại chợ Southbank đề nghị tăng tần suất tuyến 14 vào sáng sớm.",
         "Traders at the Southbank market ask for more frequent early-morning services on "
         "line 14."),
        ("Thông tin về giá vé mới cần được dịch sang tiếng Việt và dán tại các trạm dừng chính.",
         "Information on the new fares should be translated into Vietnamese and displayed at "
         "the main stops."),
    ]
    for vi, en in findings:
        rep.ensure(rep.paragraph_height(vi, indent=16) + rep.paragraph_height(en, size=9,
                                                                             indent=16))
        rep.bullets([vi], after=0)
        rep.paragraph(en, size=9, color=GREY, indent=16, after=6)
    rep.heading("4. Trích dẫn tiêu biểu / Representative quotes", 1)
    quotes = [
        ("\u201cTôi đi xe buýt đến chợ mỗi ngày. Vé tháng xã hội sẽ giúp gia đình tôi tiết "
         "kiệm gần 30 euro mỗi tháng.\u201d \u2014 nữ, 67 tuổi, Southbank",
         "\u201cI take the bus to the market every day. The social monthly pass would save my "
         "family almost 30 euros a month.\u201d \u2014 woman, 67, Southbank"),
        ("\u201cCon tôi học ở trường tiểu học Linden Park. Chúng tôi cần giá vé hợp lý cho học "
         "sinh và xe buýt đúng giờ hơn.\u201d \u2014 nam, 41 tuổi, Old Town",
         "\u201cMy child attends Linden Park Primary School. We need affordable fares for pupils "
         "and buses that run on time.\u201d \u2014 man, 41, Old Town"),
        ("\u201cTôi không có điện thoại thông minh. Xin hãy cho phép mua vé ở quầy của "
         "phường.\u201d "
         "\u2014 nam, 74 tuổi, East Quarter",
         "\u201cI do not have a smartphone. Please let us buy the pass at the district office "
         "counter.\u201d \u2014 man, 74, East Quarter"),
    ]
    for vi, en in quotes:
        rep.callout("Ý kiến / Quote", vi, translation=en, color=TEAL, size=9.5)
    rep.heading("5. Kiến nghị / Recommendations", 1, keep=180)
    bilingual(
        "Văn phòng Tham gia Cộng đồng kiến nghị Ủy ban: (1) thông qua vé tháng xã hội như đề "
        "xuất; (2) cho phép mua vé xã hội tại quầy của ba văn phòng quận; (3) cung cấp thông "
        "tin về giá vé mới bằng tiếng Việt và các ngôn ngữ khác; và (4) xem xét tăng tần suất "
        "tuyến 14 vào buổi sáng sớm trong kế hoạch vận hành năm 2027.",
        "The Office for Community Participation recommends that the committee: (1) approve the "
        "social monthly pass as proposed; (2) allow the social pass to be bought at the "
        "counters of the three district offices; (3) provide information on the new fares in "
        "Vietnamese and other languages; and (4) consider more frequent early-morning services "
        "on line 14 in the 2027 service plan.")
    bilingual(
        "Bản tóm tắt này đã được Ban chấp hành Hội người Việt tại Riverton xem xét và đồng ý "
        "vào ngày 12 tháng 11 năm 2026.",
        "This summary was reviewed and endorsed by the board of the Vietnamese Community "
        "Association of Riverton on 12 November 2026.")
    rep.signatures([("Đặng Thu Trang", "Văn phòng Tham gia Cộng đồng"),
                    ("Lý Văn Phúc", "Chủ tịch Hội người Việt tại Riverton")])
    rep.save(path)


# --------------------------------------------------------------------------
# 06 School renovation
# --------------------------------------------------------------------------


def make_school(path: Path) -> None:
    costs = [
        ("Site preparation, asbestos removal and strip-out", 820),
        ("Building envelope: insulation, windows, roof", 4380),
        ("Building services: heating, ventilation, electrical, PV", 3960),
        ("Lift and stair extension", 1240),
        ("Interior works, toilets, fire safety", 2170),
        ("Furniture and digital classroom equipment", 690),
        ("Temporary classrooms (20 months)", 760),
        ("Fees: architects, engineers, surveys", 1880),
    ]
    total = sum(v for _, v in costs)
    grant = round(total * 0.4 / 10) * 10
    rep = Report(ref="UDT/2026/116", title="Renovation of Linden Park Primary School, phase 2 "
                 "(Building A)", short_title="Linden Park Primary School, phase 2",
                 date="19 November 2026", author="Public Buildings Division",
                 subject="Agenda item 6, regular session of 3 December 2026",
                 keywords="school, renovation, energy retrofit, accessibility, Linden Park")
    rep.letterhead([
        ("Agenda item", "6 \u2013 for decision"),
        ("Reference", "UDT/2026/116"),
        ("Submitted by", "Public Buildings Division, with the Education Department"),
        ("Date", "19 November 2026"),
        ("Financial impact", f"EUR {total / 1000:.1f} million (2026\u20132028); state grant "
                             f"EUR {grant / 1000:.1f} million"),
    ], "FOR DECISION")
    rep.heading("Summary", 1, toc=False)
    rep.paragraph(
        "Linden Park Primary School is attended by 438 pupils in 18 classes. Its two main "
        "buildings date from 1964 (Building A) and 1978 (Building B). Building B was renovated "
        "in 2024 and 2025 for EUR 6.2 million. This report proposes the second phase: the "
        "complete renovation of Building A, including energy retrofit, a lift and a new "
        "staircase, fire safety works and the removal of asbestos-containing floor tiles. "
        f"The cost is estimated at EUR {total / 1000:.1f} million.")
    rep.heading("1. Condition of Building A", 1)
    rep.paragraph(
        "A condition survey in spring 2026 confirmed that Building A has reached the end of "
        "its technical life in almost every respect. The windows, installed in 1989, leak air "
        "and water; several classrooms on the north side cannot be heated above 17 \u00b0C on "
        "cold days. The heating pipes are corroded, the electrical installation does not meet "
        "current standards, and the only staircase does not comply with fire regulations for "
        "a building of this size.")
    rep.paragraph(
        "The building is not accessible. Two pupils and one teacher with reduced mobility "
        "currently can only use the ground floor, which has forced the school to reorganise "
        "its timetable every year. Samples taken in 2025 found asbestos fibres in the "
        "adhesive of the floor tiles in eleven rooms; the rooms are safe as long as the tiles "
        "are not damaged, but the tiles must be removed before any other works start.")
    rep.table(["Element", "Condition", "Measure"], [
        ["Windows and facade", "Poor: air leakage, water ingress", "Replace windows, insulate "
                                                                    "facade (16 cm)"],
        ["Roof", "Fair: insulation 6 cm, no leaks", "Add 20 cm insulation, PV system 96 kWp"],
        ["Heating", "Poor: corroded pipes, old radiators", "Connect to district heating, new "
                                                           "radiators"],
        ["Ventilation", "None (windows only)", "Ventilation with heat recovery in classrooms"],
        ["Electrical installation", "Poor: does not meet standards", "Complete renewal, LED "
                                                                     "lighting"],
        ["Accessibility", "Not accessible", "Lift, accessible toilets, door openers"],
        ["Fire safety", "One staircase only", "Second staircase, fire alarm system"],
    ], [1.5, 2.0, 2.5], size=8.6, caption="Table 1: Condition survey 2026 and proposed measures.")

    rep.new_page()
    rep.heading("2. Site plan and scope of works", 1)
    png, aspect = render_site_plan()
    rep.image(png, aspect, caption="Figure 1: Site plan of Linden Park Primary School. Building "
                                   "A (hatched) is renovated in phase 2; the new lift and stair "
                                   "tower is built at the junction with the schoolyard.")
    rep.paragraph(
        "The new lift and staircase are built as an extension at the inner corner of the "
        "L-shaped building, facing the schoolyard. This position connects all three floors of "
        "Building A with the ground floor of Building B and avoids any loss of classroom "
        "space. The extension has a timber structure and a green roof.")
    rep.paragraph(
        "During the works, eight classes move to temporary classrooms on the sports field. The "
        "modules are rented for 20 months and will be connected to the school's heating and "
        "network. The gym remains in use, and the schoolyard is separated from the site by a "
        "solid fence.")

    rep.new_page()
    rep.heading("3. Costs and financing", 1)
    rep.table(["Cost group", "EUR thousand"],
              [[n, money(v)] for n, v in costs] + [["Total cost (incl. VAT)", money(total)]],
              [4.2, 1.3], aligns="lr", bold_rows={len(costs)}, shade_rows={len(costs)},
              caption="Table 2: Cost estimate, price level of 2026 with an allowance for price "
                      "increases until 2028.")
    years = [("2026", 1050), ("2027", 8400), ("2028", total - 1050 - 8400)]
    rep.paragraph(
        f"The state school building programme covers 40 % of the eligible costs; the grant of "
        f"EUR {money(grant)} thousand was confirmed in principle in October 2026. The "
        f"remaining EUR {money(total - grant)} thousand are financed from the City's capital "
        f"budget. The expenditure is spread over three years: "
        + ", ".join(f"{y}: EUR {money(v)} thousand" for y, v in years) + ".")
    rep.paragraph(
        "The energy retrofit reduces the building's heating demand by about 70 % and its "
        "carbon emissions by 96 tonnes a year. Together with the photovoltaic system, the "
        "energy costs of the school are expected to fall by EUR 58 thousand a year.")
    rep.heading("4. Schedule", 1)
    quarters = ["Q1/27", "Q2/27", "Q3/27", "Q4/27", "Q1/28", "Q2/28", "Q3/28", "Q4/28", "Q1/29"]
    rep.figure(180, gantt_chart(quarters, [
        ("Tender and award of contracts", 0, 1.5, (0.55, 0.60, 0.67)),
        ("Temporary classrooms in use", 1.6, 8.6, (0.75, 0.80, 0.86)),
        ("Asbestos removal and strip-out", 2.0, 3.0, ACCENT),
        ("Building envelope and roof", 2.6, 5.5, NAVY),
        ("Building services", 3.4, 7.0, TEAL),
        ("Lift and stair extension", 4.0, 6.5, (0.85, 0.65, 0.30)),
        ("Interior works and fit-out", 6.0, 8.0, (0.40, 0.62, 0.80)),
        ("Move back and handover", 8.0, 8.6, (0.62, 0.75, 0.55)),
    ], milestone=("Pupils move back", 8.5)),
        caption="Chart 1: Schedule of phase 2 by quarter.")
    rep.paragraph(
        "The noisiest works, especially the asbestos removal and the demolition inside the "
        "building, are scheduled for the summer holidays of 2027. The school, the parents' "
        "council and the after-school club have been involved in the planning since "
        "February 2026.")

    rep.new_page()
    rep.heading("5. Alternatives considered", 1)
    rep.paragraph(
        "A replacement building was examined as an alternative. It would cost about EUR 21.5 "
        "million and could only be built on the sports field, which would then be lost for "
        "at least three years. Renovating Building A preserves a building that is typical of "
        "the school architecture of the 1960s and produces far less carbon emissions during "
        "construction. The administration therefore recommends renovation.")
    rep.heading("6. Recommendation", 1)
    rep.callout("Draft resolution",
                f"The Committee on Urban Development and Transport approves the renovation of "
                f"Building A of Linden Park Primary School with total costs of EUR "
                f"{money(total)} thousand, as set out in document UDT/2026/116, and recommends "
                f"that the City Council release the funds in the capital budget 2027 and the "
                f"commitment appropriation for 2028. The administration is instructed to tender "
                f"the works in the first quarter of 2027.")
    rep.paragraph(
        "The Education Committee discussed the project on 24 November 2026 and supports it "
        "unanimously. The school's parents' council has submitted a letter of support, which "
        "is available from the secretariat.")
    rep.save(path)


# --------------------------------------------------------------------------


DOCUMENTS = [
    ("01-notice-and-draft-agenda.pdf", make_notice),
    ("02-minutes-2026-11-05.pdf", make_minutes),
    ("03-draft-budget-2027.pdf", make_budget),
    ("04-cycling-network-plan.pdf", make_cycling),
    ("05-public-transport-tariff-2027.pdf", make_tariff),
    ("05a-consultation-summary-vi-en.pdf", make_consultation_vi),
    ("06-school-renovation-linden-park.pdf", make_school),
]


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, build in DOCUMENTS:
        path = OUT_DIR / name
        build(path)
        with pymupdf.open(path) as doc:
            pages = doc.page_count
        print(f"{path.relative_to(HERE.parent)}: {pages} pages, {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
