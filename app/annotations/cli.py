"""`flask annotations purge --before DATE`: the retention policy."""
from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from app.extensions import db

annotations_cli = AppGroup("annotations", help="Annotations (retention).")


@annotations_cli.command("purge")
@click.option("--before", "before", required=True, help="Delete annotations last changed before this date (YYYY-MM-DD).")
def purge(before: str) -> None:
    """Delete every annotation last changed before DATE (all authors, all meetings)."""
    from app.annotations.service import purge_before

    try:
        cutoff = datetime.strptime(before, "%Y-%m-%d")
    except ValueError:
        raise click.BadParameter(f"“{before}” is not a date; write it as YYYY-MM-DD, e.g. 2026-01-31.",
                                 param_hint="--before")
    count = purge_before(cutoff)
    db.session.commit()
    click.echo(f"Deleted {count} annotation(s) last changed before {cutoff:%Y-%m-%d}.")
