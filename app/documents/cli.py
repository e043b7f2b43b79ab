"""`flask documents ...`: queue and render page images from the command line."""
from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from app.documents import queue
from app.documents.models import PdfFile
from app.documents.render import EAGER_WIDTHS, page_path
from app.extensions import db

documents_cli = AppGroup("documents", help="Render page images of the stored PDFs.")


@documents_cli.command("render")
@click.option("--now", is_flag=True, help="Render here and now instead of leaving it to the server's workers.")
def render_command(now: bool) -> None:
    """Queue every page image that is missing from the cache; with --now, render them in this process."""
    from app.documents.worker import drain

    data_dir = Path(current_app.config["DATA_DIR"])
    added = 0
    conn = db.session.connection()
    for pdf in db.session.scalars(sa.select(PdfFile)):
        missing = [p for p in range(1, pdf.page_count + 1)
                   if any(not page_path(data_dir, pdf.sha256, p, w).exists() for w in EAGER_WIDTHS)]
        queue.enqueue_document(conn, pdf.sha256, pdf.page_count, only=missing)
        added += len(missing)
    db.session.commit()
    click.echo(f"{added} page(s) queued.")
    if now:
        click.echo(f"{drain(db.engine, data_dir)} image(s) rendered.")
