"""`flask minutes export MEETING --out FILE.pdf` and `flask minutes demo-cert`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.errors import DomainError

minutes_cli = AppGroup("minutes", help="Minutes: export, and the demo signing certificate.")


@minutes_cli.command("export")
@click.argument("meeting")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write: .pdf (signed when approved and unchanged), .html, or .csv (votes; attendance with --attendance).")
@click.option("--attendance", is_flag=True, help="With a .csv file: the attendance instead of the votes.")
def export_command(meeting: str, out: Path, attendance: bool) -> None:
    """Write the minutes of MEETING as PDF, HTML or CSV, as the export buttons do."""
    from app.meetings.service import get_meeting
    from app.minutes import export, service

    with current_app.test_request_context():
        try:
            m = get_meeting(meeting)
        except DomainError as exc:
            raise click.ClickException(exc.message)
        doc = service.collect(m)
        state = service.approval_state(m, doc)
        suffix = out.suffix.lower()
        if suffix == ".pdf":
            data = state.approval.signed_pdf if state.status == service.APPROVED else export.render_pdf(doc, state.status)
            what = "signed, approved minutes" if state.status == service.APPROVED else "draft minutes (not signed)"
        elif suffix in (".html", ".htm"):
            data, what = export.render_html(doc, state.status).encode(), "minutes as HTML"
        elif suffix == ".csv":
            data = (export.attendance_csv(doc) if attendance else export.votes_csv(doc)).encode()
            what = "attendance as CSV" if attendance else "votes as CSV"
        else:
            raise click.ClickException("Choose an output file ending in .pdf, .html or .csv.")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    click.echo(f"Wrote the {what} of “{m.slug}” to {out}")


@minutes_cli.command("demo-cert")
@click.option("--force", is_flag=True, help="Replace an existing demo certificate.")
def demo_cert_command(force: bool) -> None:
    """Make a self-signed signing certificate for the demo in the data dir (once; kept while valid)."""
    from app.minutes.signing import write_demo_cert

    cert, key, created = write_demo_cert(Path(current_app.config["DATA_DIR"]), force=force)
    if created:
        click.echo(f"Wrote a self-signed demo signing certificate to {cert} (key: {key}). Not for production.")
    else:
        click.echo(f"The demo signing certificate {cert} is already there and valid.")
