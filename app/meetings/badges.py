"""The printable badge sheet: one card per member with name, seat and a sign-in QR (PyMuPDF)."""
from __future__ import annotations

import io
from dataclasses import dataclass

import pymupdf
import qrcode

from app.config import PROJECT_ROOT

FONT_FILE = PROJECT_ROOT / "app" / "static" / "fonts" / "NotoSans-Regular.ttf"
BOLD_FILE = PROJECT_ROOT / "app" / "static" / "fonts" / "NotoSans-Bold.ttf"
CARD_W, CARD_H = 255.0, 148.0  # points: two columns x five rows fit on A4
MARGIN_X, MARGIN_Y, GAP = 36.0, 30.0, 8.0


@dataclass
class Badge:
    """What one card shows."""

    name: str
    seat: str
    role: str
    url: str


def qr_png(data: str) -> bytes:
    """A QR code as PNG bytes."""
    img = qrcode.make(data, box_size=8, border=1)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def badge_sheet(meeting_title: str, badges: list[Badge]) -> bytes:
    """A PDF of badge cards, ten to an A4 page, with cut lines."""
    doc = pymupdf.open()
    font_kwargs = {"fontfile": str(FONT_FILE), "fontname": "noto"} if FONT_FILE.exists() else {"fontname": "helv"}
    bold_kwargs = ({"fontfile": str(BOLD_FILE), "fontname": "notob"} if BOLD_FILE.exists() else {"fontname": "hebo"})
    per_page = 10
    for start in range(0, max(len(badges), 1), per_page):
        page = doc.new_page(width=595.0, height=842.0)
        for n, badge in enumerate(badges[start:start + per_page]):
            col, row = n % 2, n // 2
            x0 = MARGIN_X + col * (CARD_W + GAP)
            y0 = MARGIN_Y + row * (CARD_H + GAP)
            card = pymupdf.Rect(x0, y0, x0 + CARD_W, y0 + CARD_H)
            page.draw_rect(card, color=(0.6, 0.6, 0.6), width=0.5, dashes="[3 3] 0")
            qr_rect = pymupdf.Rect(card.x1 - 112, card.y0 + 18, card.x1 - 12, card.y0 + 118)
            page.insert_image(qr_rect, stream=qr_png(badge.url))
            text_rect = pymupdf.Rect(card.x0 + 12, card.y0 + 14, qr_rect.x0 - 8, card.y1 - 10)
            page.insert_textbox(pymupdf.Rect(text_rect.x0, text_rect.y0, text_rect.x1, text_rect.y0 + 30),
                                meeting_title, fontsize=7.5, color=(0.35, 0.35, 0.35), **font_kwargs)
            page.insert_textbox(pymupdf.Rect(text_rect.x0, text_rect.y0 + 34, text_rect.x1, text_rect.y0 + 84),
                                badge.name, fontsize=13, **font_kwargs)
            if badge.seat:
                page.insert_textbox(pymupdf.Rect(text_rect.x0, text_rect.y0 + 84, text_rect.x1, text_rect.y0 + 116),
                                    f"Seat {badge.seat}", fontsize=15, **bold_kwargs)
            page.insert_textbox(pymupdf.Rect(text_rect.x0, text_rect.y0 + 104, text_rect.x1, text_rect.y1 + 6),
                                badge.role, fontsize=9, color=(0.3, 0.3, 0.3), **font_kwargs)
            page.insert_textbox(pymupdf.Rect(qr_rect.x0, qr_rect.y1 + 2, qr_rect.x1, card.y1 - 4),
                                "Scan to sign in", fontsize=7, align=1, color=(0.35, 0.35, 0.35), **font_kwargs)
    doc.set_metadata({"title": f"Badges — {meeting_title}", "producer": "Dais", "creator": "Dais"})
    data = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return data
