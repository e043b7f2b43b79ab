"""Documents: PDFs on the agenda, stored once by content, rendered to page images for tablets."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Load the document tables."""
    from app.documents import models  # noqa: F401
