"""Command-line tools: `flask agenda import`, `flask badges`, `flask users`, `flask demo`."""
from __future__ import annotations

import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from app.errors import DomainError
from app.extensions import db

agenda_cli = AppGroup("agenda", help="Agenda packs.")
users_cli = AppGroup("users", help="User accounts.")
demo_cli = AppGroup("demo", help="The demo meeting.")


def register(app: Flask) -> None:
    """Attach the command groups to the app."""
    app.cli.add_command(agenda_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(badges_command)


def _fail(exc: DomainError) -> None:
    raise click.ClickException(exc.message)


@agenda_cli.command("import")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--if-new", is_flag=True, help="Only when the meeting does not exist yet: a meeting already there "
              "is left as the secretary and the chair changed it (scripts/run uses this for the demo).")
def agenda_import(folder: Path, if_new: bool) -> None:
    """Create or update a meeting from an agenda pack folder (idempotent, one transaction)."""
    from app.meetings.models import Meeting
    from app.meetings.packs import import_pack

    cfg = current_app.config
    if if_new:
        slug = Path(folder).resolve().name.lower()
        existing = db.session.scalar(sa.select(Meeting).where(Meeting.slug == slug))
        if existing is not None:
            click.echo(f"“{slug}” exists already ({existing.status}): kept as it is now, with every change made on "
                       f"the server (run `flask agenda import {folder}` to make it the pack's again).")
            return
    try:
        meeting, counts = import_pack(folder, data_dir=cfg["DATA_DIR"], max_pages=cfg["MAX_PDF_PAGES"],
                                      max_bytes=cfg["MAX_UPLOAD_MB"] * 1024 * 1024)
    except DomainError as exc:
        _fail(exc)
    changes = {k: v for k, v in counts.items() if v}
    if changes:
        click.echo(f"Imported “{meeting.slug}”: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in changes.items()))
    else:
        click.echo(f"“{meeting.slug}” is already up to date; nothing changed.")


def _badge_base_url() -> str:
    cfg = current_app.config
    return (cfg.get("PUBLIC_URL") or f"http://{_display_host(cfg['HOST'])}:{cfg['PORT']}").rstrip("/")


def _display_host(host: str) -> str:
    if host in ("0.0.0.0", "::"):
        import socket

        try:
            probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            probe.connect(("192.0.2.1", 9))  # no packet is sent; this only picks the LAN interface
            host = probe.getsockname()[0]
            probe.close()
        except OSError:
            host = "127.0.0.1"
    return host


@click.command("badges")
@with_appcontext
@click.argument("meeting")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="PDF file to write.")
@click.option("--url", "url", default=None, metavar="URL",
              help="The address the tablets reach Dais at (default: DAIS_PUBLIC_URL, else this machine's HOST:PORT).")
def badges_command(meeting: str, out: Path, url: str | None) -> None:
    """Write the printable badge sheet (name, seat, sign-in QR) of MEETING to a PDF."""
    from app.meetings import badges, service
    from app.meetings.routes import badge_list

    if url is not None and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url.strip()):
        raise click.BadParameter(f"{url!r} is not a web address; give one like https://dais.example.org.",
                                 param_hint="--url")
    base = (url.strip() if url else _badge_base_url()).rstrip("/")
    with current_app.test_request_context(base_url=base):
        try:
            m = service.get_meeting(meeting)
        except DomainError as exc:
            _fail(exc)
        cards = badge_list(m, base)
        pdf = badges.badge_sheet(m.title, cards)
        db.session.commit()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    click.echo(f"Wrote {len(cards)} badges to {out}; their codes lead to {base}.")
    host = (urlsplit(base).hostname or "").lower()
    if host == "localhost" or host.startswith("127.") or host == "::1":
        click.echo("Only this machine can open that address: print them again with --url (or DAIS_PUBLIC_URL) set "
                   "to the address the tablets use.", err=True)


@users_cli.command("create")
@click.argument("username")
@click.option("--name", required=True)
@click.option("--admin", is_flag=True, help="Give the user the admin role.")
@click.password_option()
def users_create(username: str, name: str, admin: bool, password: str) -> None:
    """Create a user who signs in with a password."""
    from app.auth.models import User
    from app.auth.service import create_user

    if not name.strip():
        raise click.ClickException("Give the person's name with --name (it is shown on every screen and in the "
                                   "minutes).")
    if db.session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise click.ClickException(f"The user {username} exists already; to change their password, run "
                                   f"`flask users set-password {username}`.")
    create_user(username, name.strip(), password, is_admin=admin)
    db.session.commit()
    click.echo(f"Created {username}.")


@users_cli.command("set-password")
@click.argument("username")
@click.password_option()
def users_set_password(username: str, password: str) -> None:
    """Set a user's password."""
    from app.auth.service import get_user

    try:
        user = get_user(username)
    except DomainError as exc:
        _fail(exc)
    user.set_password(password)
    db.session.commit()
    click.echo(f"Password of {username} changed.")


@demo_cli.command("credentials")
@click.option("--meeting", default="demo")
def demo_credentials(meeting: str) -> None:
    """Give the demo's admin, chair and secretary passwords (made once, kept in the data dir) and print how to sign in.
    An account that has a password of its own (set with `flask users set-password`, or an admin's made by hand)
    keeps it: the demo only gives passwords to accounts without one, and to those it made."""
    from app.auth.models import User
    from app.auth.service import create_user, ensure_badge
    from app.meetings import service

    data_dir = Path(current_app.config["DATA_DIR"])
    cred_file = data_dir / "demo-credentials.txt"
    stored: dict[str, str] = {}
    if cred_file.exists():
        for line in cred_file.read_text().splitlines():
            name, _, pw = line.partition(" ")
            stored[name] = pw
    m = service.get_meeting(meeting)
    wanted = ["admin"] + [ms.user.username for ms in service.roster(m) if ms.role in ("chair", "secretary")]
    own: set[str] = set()   # accounts with a password of their own, which the demo never replaces
    for username in wanted:
        user = db.session.query(User).filter_by(username=username).one_or_none()
        made = user is None
        if made:
            user = create_user(username, "Administrator", is_admin=True)
        if username in stored and user.check_password(stored[username]):
            continue
        if made or not user.password_hash:
            stored[username] = secrets.token_urlsafe(9)
            user.set_password(stored[username])
        else:   # set by someone (`flask users set-password`, an admin made by hand): theirs, kept
            stored.pop(username, None)
            own.add(username)
    db.session.commit()
    cred_file.write_text("".join(f"{k} {v}\n" for k, v in stored.items()))
    cred_file.chmod(0o600)
    base = _badge_base_url()
    click.echo(f"\n  Dais is serving “{m.title}” at {base}/")
    click.echo("  Staff sign in with a password at " + base + "/login:")
    for username in wanted:
        click.echo(f"    {username:<12} " + ("(its own password, not the demo's: kept)" if username in own
                                              else stored[username]))
    delegate = next((ms for ms in service.roster(m) if ms.role == "delegate"), None)
    if m.is_closed:
        click.echo("  The meeting is closed: badges and sign-in links no longer sign anyone in; staff sign in with "
                   "their passwords.")
    elif delegate is not None:
        raw = ensure_badge(current_app.config["SECRET_KEY"], delegate)
        db.session.commit()
        click.echo(f"  A delegate ({delegate.user.name}) signs in with the badge link: {base}/t/{raw}")
    click.echo(f"  All badges (print, or open the QR codes on a tablet): {data_dir / ('badges-' + meeting + '.pdf')}")
    click.echo(f"  (passwords are kept in {cred_file})\n")
