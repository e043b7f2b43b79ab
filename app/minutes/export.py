"""The minutes as a PDF (pymupdf.Story: HTML + CSS, Noto Sans), as standalone HTML, and the facts as CSV."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

import pymupdf
from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.config import PROJECT_ROOT
from app.minutes.wording import seated, vote_words

FONT_DIR = PROJECT_ROOT / "app" / "static" / "fonts"
REGULAR, BOLD = FONT_DIR / "NotoSans-Regular.ttf", FONT_DIR / "NotoSans-Bold.ttf"
PAGE = pymupdf.paper_rect("a4")
BODY = PAGE + (56, 64, -56, -64)  # margins in points: room for the running header and the page footer

PDF_CSS = """
@font-face { font-family: noto; src: url(NotoSans-Regular.ttf); }
@font-face { font-family: noto; src: url(NotoSans-Bold.ttf); font-weight: bold; }
* { font-family: noto; }
body { font-size: 10pt; line-height: 1.35; color: #14202b; }
h1 { font-size: 20pt; margin: 0 0 2pt 0; }
h2 { font-size: 13pt; margin: 14pt 0 4pt 0; color: #0b3d73; }
h3 { font-size: 10.5pt; margin: 8pt 0 2pt 0; }
p { margin: 0 0 4pt 0; }
.meta p { margin: 0 0 1pt 0; }
.agenda-line { margin: 0 0 1pt 0; }
.depth-1 { margin-left: 16pt; } .depth-2 { margin-left: 32pt; }
.vote { margin: 2pt 0 6pt 8pt; }
.vote p { margin: 0 0 1pt 0; }
.label { color: #526170; }
.person { margin: 0 0 1pt 8pt; }
.muted { color: #526170; }
.small { font-size: 8.5pt; }
.decision { font-weight: bold; }
.doc-sub { font-size: 12pt; margin-bottom: 8pt; }
"""


@dataclass
class ApprovalInfo:
    """The approval block printed at the end of an approved PDF."""

    name: str
    at: str
    content_hash: str
    signed: bool = True


# ----- Jinja filters (registered in init_app) -----

def _parse(value) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def minutes_datetime(value) -> str:
    """An ISO date-time as entered (the meeting's start) as “3 December 2026, 14:00” in the reader's language."""
    from app.i18n import format_datetime

    parsed = _parse(value)
    return format_datetime(parsed, "long") if parsed else (str(value) if value else "")


def minutes_moment(value) -> str:
    """An ISO moment stored in UTC (an approval) as “6 December 2026, 10:57” in the meeting's time zone."""
    from app.i18n import format_moment

    parsed = _parse(value)
    return format_moment(parsed, "long") if parsed else (str(value) if value else "")


def minutes_time(value) -> str:
    """An ISO moment stored in UTC (an arrival, a vote's close, a speech) as “14:05” in the meeting's time zone."""
    from app.i18n import local

    parsed = _parse(value)
    return local(parsed).strftime("%H:%M") if parsed else (str(value) if value else "")


def duration(seconds) -> str:
    """Seconds as “3:05” (minutes:seconds)."""
    if not isinstance(seconds, (int, float)):
        return ""
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


def plain_text(text: str) -> Markup:
    """Plain text with line breaks as escaped HTML paragraphs: markup in notes shows as typed, never runs."""
    paragraphs = [p for p in str(text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]
    return Markup("".join(
        "<p>" + str(Markup("<br>").join(escape(line) for line in p.strip("\n").split("\n"))) + "</p>" for p in paragraphs
    ))


def presence_label(status: str) -> str:
    """An attendance status in the reader's language."""
    return {"present": _("Present"), "excused": _("Excused"), "absent": _("Absent"), "left": _("Left early"),
            "late": _("Late")}.get(status or "", (status or "").capitalize() or _("Unknown"))


PRESENCE_ORDER = ("present", "late", "left", "excused", "absent")


def presence_counts(rows: list[dict]) -> list[tuple[str, int]]:
    """How many people per attendance status, present first and absent last."""
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    order = {s: n for n, s in enumerate(PRESENCE_ORDER)}
    return sorted(counts.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))


def status_text(state: str, approval: ApprovalInfo | None) -> str:
    """The minutes' status line of the header."""
    if approval is not None:
        return _("Approved by the chair and digitally signed")
    return {"approved": _("Approved"), "changed": _("Draft — changed since the last approval")}.get(
        state, _("Draft — not yet approved"))


# ----- outputs -----

def render_html(doc: dict, state: str = "not_approved") -> str:
    """A standalone HTML file of the minutes (styles inline, no scripts)."""
    return render_template("minutes/export.html", doc=doc, approval=None, status_text=status_text(state, None))


def render_pdf(doc: dict, state: str = "not_approved", approval: ApprovalInfo | None = None,
               approval_on_new_page: bool = False) -> bytes:
    """The minutes as an A4 PDF with a running header and “Page X of N” on every page."""
    html = render_template("minutes/_document.html", doc=doc, approval=approval,
                           status_text=status_text(state, approval), approval_on_new_page=approval_on_new_page)
    story = pymupdf.Story(html=html, user_css=PDF_CSS, archive=pymupdf.Archive(str(FONT_DIR)))
    buf = io.BytesIO()
    writer = pymupdf.DocumentWriter(buf)
    more = True
    while more:
        device = writer.begin_page(PAGE)
        more, _filled = story.place(BODY)
        story.draw(device)
        writer.end_page()
    writer.close()
    pdf = pymupdf.open("pdf", buf.getvalue())
    try:
        _decorate(pdf, doc, approval)
        pdf.subset_fonts()  # only the glyphs used: a few dozen kB instead of the whole fonts
        pdf.set_metadata({"title": f"{_('Minutes')} — {doc['meeting']['title']}", "author": ", ".join(doc["meeting"]["secretary"]),
                          "subject": doc["meeting"]["title"], "creator": "Dais", "producer": "Dais"})
        return pdf.tobytes(garbage=3, deflate=True)
    finally:
        pdf.close()


def _decorate(pdf: pymupdf.Document, doc: dict, approval: ApprovalInfo | None) -> None:
    """Running header (meeting title) and footer (“Page X of N”) in Noto Sans."""
    total = pdf.page_count
    title = doc["meeting"]["title"]
    for n, page in enumerate(pdf, start=1):
        page.insert_font(fontname="noto", fontfile=str(REGULAR))
        grey = (0.35, 0.4, 0.45)
        header = pymupdf.Rect(BODY.x0, 28, BODY.x1, 52)
        page.insert_textbox(header, f"{_('Minutes')} — {title}", fontname="noto", fontsize=8, color=grey)
        page.draw_line((BODY.x0, 50), (BODY.x1, 50), color=(0.75, 0.78, 0.82), width=0.5)
        footer = pymupdf.Rect(BODY.x0, PAGE.y1 - 46, BODY.x1, PAGE.y1 - 24)
        page.insert_textbox(footer, _("Page %(page)s of %(total)s", page=n, total=total), fontname="noto",
                            fontsize=8.5, color=grey, align=pymupdf.TEXT_ALIGN_RIGHT)
        if approval is None:
            page.insert_textbox(footer, _("Draft"), fontname="noto", fontsize=8.5, color=grey)


def render_for_signature(doc: dict, state: str, approval: ApprovalInfo) -> tuple[bytes, tuple | None]:
    """The approved minutes and where their visible signature goes. When the last page has no room left under
    “Digital signature:” (the label alone at its foot, a printed copy then looked unsigned), the approval section
    starts a page of its own."""
    pdf = render_pdf(doc, state, approval)
    box = signature_box(pdf)
    if box is None:
        pdf = render_pdf(doc, state, approval, approval_on_new_page=True)
        box = signature_box(pdf)
    return pdf, box


def signature_box(pdf_bytes: bytes) -> tuple[int, tuple[int, int, int, int]] | None:
    """Where the visible signature goes: (page index, box in PDF user space) below the signature label."""
    with pymupdf.open("pdf", pdf_bytes) as pdf:
        label = _("Digital signature") + ":"
        for index in range(pdf.page_count - 1, -1, -1):
            page = pdf[index]
            hits = page.search_for(label)
            if not hits:
                continue
            top = hits[-1].y1 + 4
            if top + 70 > BODY.y1 + 10:
                return None  # no room left on the page: the signature stays invisible (still in the reader's panel)
            height = page.rect.height
            # pyHanko boxes are in PDF user space (origin bottom-left); PyMuPDF's rects are top-left.
            return index, (int(BODY.x0), int(height - top - 64), int(BODY.x0 + 260), int(height - top))
    return None


# ----- CSV -----

def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return "\ufeff" + out.getvalue()  # the BOM makes spreadsheets read UTF-8 (Vietnamese names) correctly


def votes_csv(doc: dict) -> str:
    """Every vote: item, question, kind, rule, counts, result (worded in the exporter's language); one extra row
    per named ballot."""
    rows = []
    votes = [(it["number"], it["title"], v) for it in doc["items"] for v in it["votes"]["rows"]]
    votes += [("", "", v) for v in doc["other_votes"]]
    for number, title, v in votes:
        w = vote_words(v)
        counts = "; ".join(f"{label}: {n}" for label, n in w["counts"])
        rows.append([number, title, v["question"], w["kind"], w["rule"], counts, w["result"], w["turnout"], w["room"],
                     v["closed_at"] or "", "", ""])
        for n in w["names"]:
            rows.append([number, title, v["question"], "", "", "", "", "", "", "", n["name"], n["choice"]])
    return _csv(["item", "item_title", "question", "kind", "rule", "counts", "result", "voted", "present_at_close",
                 "closed_at", "member", "member_vote"], rows)


def attendance_csv(doc: dict) -> str:
    """The attendance record: name, seat, role, status, arrived, left, excuse, and whose proxy each held or gave."""
    given: dict[tuple[str, str], str] = {}
    held: dict[tuple[str, str], list[str]] = {}
    for p in (doc.get("proxies") or {}).get("rows", []):
        given[(p["giver"], p["giver_seat"])] = seated(p["holder"], p["holder_seat"])
        held.setdefault((p["holder"], p["holder_seat"]), []).append(seated(p["giver"], p["giver_seat"]))
    rows = [[r["name"], r["seat"], r["role"], r["status"], r["arrived_at"] or "", r["left_at"] or "", r["excuse"],
             given.get((r["name"], r["seat"]), ""), "; ".join(held.get((r["name"], r["seat"]), []))]
            for r in doc["attendance"]["rows"]]
    return _csv(["name", "seat", "role", "status", "arrived_at", "left_at", "excuse", "proxy_given_to", "proxy_held_for"],
                rows)

