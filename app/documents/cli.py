"""`flask documents ...`: queue and render page images from the command line."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from app.documents import queue
from app.documents.models import Document, PdfFile, RenderJob
from app.documents.render import EAGER_WIDTHS, FORMAT, WIDTHS, is_placeholder, page_path
from app.extensions import db

documents_cli = AppGroup("documents", help="Render page images of the stored PDFs.")


@documents_cli.command("render")
@click.option("--now", is_flag=True, help="Render here and now instead of leaving it to the server's workers.")
def render_command(now: bool) -> None:
    """Queue every page image that is missing from the cache or shows "This page could not be displayed."
    (tried again), and the pages that wait for their original; with --now, render them in this process.
    Says which originals are missing from originals/ or cannot be opened, and exits with 1 if any is."""
    from app.documents.worker import drain, original_problem

    data_dir = Path(current_app.config["DATA_DIR"])
    titles: dict[str, list[str]] = defaultdict(list)
    for sha, title in db.session.execute(sa.select(Document.sha256, Document.title).order_by(Document.id)):
        if title not in titles[sha]:
            titles[sha].append(title)
    conn = db.session.connection()
    added, retried, problems = 0, {}, {}
    for pdf in db.session.scalars(sa.select(PdfFile).order_by(PdfFile.created_at)):
        images = {(p, w) for p in range(1, pdf.page_count + 1) for w in EAGER_WIDTHS
                  if not page_path(data_dir, pdf.sha256, p, w).exists()}
        placeholders = _placeholders(data_dir, pdf)
        images |= placeholders
        queue.enqueue_images(conn, pdf.sha256, sorted(images))
        added += len({p for p, _ in images})
        if placeholders:
            retried[pdf.sha256] = placeholders
        problem = original_problem(data_dir, pdf.sha256)
        if problem:
            problems[pdf.sha256] = problem
    # Pages that waited for an original now present: try them again at once (not after the stale claim).
    held = queue.held(conn)
    queue.release_held(conn, [sha for sha in held if sha not in problems])
    db.session.commit()
    click.echo(f"{added} page(s) queued.")
    if now:
        click.echo(f"{drain(db.engine, data_dir)} image(s) rendered.")
        db.session.rollback()  # a new transaction: see what the render left
        problems.update({sha: why for sha, (why, _) in queue.held(db.session.connection()).items()
                         if sha not in problems})
        broken = {sha: sorted({p for p, w in images if is_placeholder(page_path(data_dir, sha, p, w), w)})
                  for sha, images in retried.items()}
        broken = {sha: pages for sha, pages in broken.items() if pages}
        if broken:
            listing = "; ".join(f"{_titles(titles, sha)} page{'s' if len(pages) > 1 else ''} "
                                f"{', '.join(map(str, pages))}" for sha, pages in broken.items())
            click.echo(f"{sum(map(len, broken.values()))} page(s) cannot be drawn and show a page saying so: "
                       f"{listing}.")
    elif retried:
        click.echo(f"{sum(len({p for p, _ in i}) for i in retried.values())} of them showed “This page could not "
                   "be displayed.” and will be tried again.")
    waiting = _pages_waiting(db.session.connection(), list(problems))
    for sha, why in problems.items():
        what = f"the original of {_titles(titles, sha)} (sha {sha[:12]})"
        if why == queue.MISSING_ORIGINAL:
            what += " is missing from originals/: restore it"
        else:
            what += " in originals/ cannot be opened (damaged, or not the uploaded file): restore it from the backup"
        if waiting.get(sha):
            click.echo(f"{waiting[sha]} page(s) could not be rendered: {what}, then run flask documents render again.")
        else:  # its pages are all in the cache, but the only copy of the file is gone
            click.echo(f"Every page is rendered, but {what}.")
    db.session.rollback()
    if problems:
        raise click.exceptions.Exit(1)


def _placeholders(data_dir: Path, pdf: PdfFile) -> set[tuple[int, int]]:
    """The cached (page, width) images of this PDF that are placeholders, at any width."""
    found = set()
    for width in WIDTHS:
        folder = page_path(data_dir, pdf.sha256, 1, width).parent
        if not folder.is_dir():
            continue
        for path in folder.glob(f"*.{FORMAT}"):
            if path.stem.isdigit() and 1 <= int(path.stem) <= pdf.page_count and is_placeholder(path, width):
                found.add((int(path.stem), width))
    return found


def _titles(titles: dict[str, list[str]], sha: str) -> str:
    """The documents that use a PDF, by title, for a sentence."""
    names = titles.get(sha)
    return ", ".join(f"“{t}”" for t in names) if names else "a removed document"


def _pages_waiting(conn: sa.Connection, sha256s: list[str]) -> dict[str, int]:
    """Pages of these PDFs still in the render queue."""
    if not sha256s:
        return {}
    jobs = RenderJob.__table__
    q = (sa.select(jobs.c.sha256, sa.func.count(sa.distinct(jobs.c.page))).where(jobs.c.sha256.in_(sha256s))
         .group_by(jobs.c.sha256))
    return {sha: n for sha, n in conn.execute(q)}
