"""Agenda packs: import, idempotence, and every error case (file, line, field; nothing imported)."""
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.config import PROJECT_ROOT
from app.documents.models import Document, PdfFile
from app.errors import BadInput
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, Membership
from app.meetings.packs import import_pack
from tests.factories import make_pdf

GOOD = """\
[meeting]
title = "Committee on Urban Development"
starts_at = 2026-12-03T14:00:00
place = "Council Chamber"
status = "scheduled"

[[members]]
username = "chair"
name = "Nguyễn Thị Mai"
role = "chair"
seat = "C1"
weight = 1

[[members]]
name = "Trần Văn Hùng"
role = "delegate"
seat = "D01"
weight = 2

[[items]]
title = "Opening"

[[items]]
title = "Budget 2027"
description = "First reading."
documents = [ { file = "budget.pdf", title = "Draft budget" } ]

  [[items.items]]
  title = "Capital investments"
  documents = ["annex.pdf"]
"""


def write_pack(root: Path, toml: str = GOOD, name: str = "council-12") -> Path:
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "meeting.toml").write_text(toml, encoding="utf-8")
    make_pdf(folder / "budget.pdf", pages=4, text="Budget")
    make_pdf(folder / "annex.pdf", pages=2, text="Annex")
    return folder


def do_import(app, folder):
    cfg = app.config
    return import_pack(folder, data_dir=cfg["DATA_DIR"], max_pages=cfg["MAX_PDF_PAGES"],
                       max_bytes=cfg["MAX_UPLOAD_MB"] * 1024 * 1024)


def counts():
    return {name: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for name, model in (("meetings", Meeting), ("members", Membership), ("items", AgendaItem),
                                ("documents", Document), ("pdfs", PdfFile))}


def test_import_creates_the_meeting(ctx, tmp_path):
    meeting, _ = do_import(ctx, write_pack(tmp_path))
    assert meeting.slug == "council-12" and meeting.status == "scheduled"
    assert counts() == {"meetings": 1, "members": 2, "items": 3, "documents": 2, "pdfs": 2}
    hung = next(m for m in meeting.memberships if m.seat == "D01")
    assert hung.user.name == "Trần Văn Hùng" and hung.user.username == "tran-van-hung" and hung.vote_weight == 2
    from app.meetings.service import numbered_agenda

    assert [(n.number, n.item.title) for n in numbered_agenda(meeting)] == [
        ("1", "Opening"), ("2", "Budget 2027"), ("2.1", "Capital investments")]
    assert [d.title for d in numbered_agenda(meeting)[1].item.documents] == ["Draft budget"]


def test_importing_twice_changes_nothing(ctx, tmp_path):
    folder = write_pack(tmp_path)
    do_import(ctx, folder)
    before = counts()
    _, result = do_import(ctx, folder)
    assert counts() == before
    assert not any(result.values())


def test_reimport_applies_changes(ctx, tmp_path):
    folder = write_pack(tmp_path)
    do_import(ctx, folder)
    changed = GOOD.replace('title = "Opening"', 'title = "Opening and agenda"').replace('weight = 2', 'weight = 3')
    (folder / "meeting.toml").write_text(changed.split("  [[items.items]]")[0], encoding="utf-8")
    meeting, result = do_import(ctx, folder)
    assert result["items_changed"] == 1 and result["items_removed"] == 1 and result["members_updated"] == 1
    assert counts()["items"] == 2


BAD_CASES = [
    ("title = \"Committee on Urban Development\"", "title = 12", "line 2, field “meeting.title”"),
    ('role = "delegate"', 'role = "king"', "line 16, field “members[2].role”: unknown role “king”"),
    ('seat = "D01"', 'seat = "C1"', "seat “C1” is already taken"),
    ("weight = 2", "weight = -1", "field “members[2].weight”"),
    ('documents = ["annex.pdf"]', 'documents = ["missing.pdf"]', "the file “missing.pdf” is missing"),
    ('starts_at = 2026-12-03T14:00:00', 'starts_at = "tomorrow"', "field “meeting.starts_at”"),
    ('place = "Council Chamber"', 'place = "Council Chamber', "not valid TOML"),
    ('documents = ["annex.pdf"]', 'documents = ["../outside.pdf"]', "outside the pack folder"),
]


@pytest.mark.parametrize("old,new,message", BAD_CASES)
def test_bad_packs_name_file_line_and_field_and_import_nothing(ctx, tmp_path, old, new, message):
    assert old in GOOD
    folder = write_pack(tmp_path, GOOD.replace(old, new))
    with pytest.raises(BadInput) as exc:
        do_import(ctx, folder)
    assert message in exc.value.message
    assert "meeting.toml" in exc.value.message
    assert counts() == {"meetings": 0, "members": 0, "items": 0, "documents": 0, "pdfs": 0}
    assert not (Path(ctx.config["DATA_DIR"]) / "originals").exists()


def test_unreadable_pdf_in_a_pack_is_reported(ctx, tmp_path):
    folder = write_pack(tmp_path)
    (folder / "budget.pdf").write_bytes(b"%PDF-1.7\nthis is not really a pdf")
    with pytest.raises(BadInput) as exc:
        do_import(ctx, folder)
    assert "“budget.pdf”: this file is damaged" in exc.value.message
    assert counts()["meetings"] == 0


def test_a_failure_midway_rolls_everything_back(ctx, tmp_path, monkeypatch):
    import app.meetings.packs as packs

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(packs, "attach_pdf", boom)
    with pytest.raises(RuntimeError):
        do_import(ctx, write_pack(tmp_path))
    assert counts() == {"meetings": 0, "members": 0, "items": 0, "documents": 0, "pdfs": 0}


def test_the_demo_pack_imports(ctx):
    demo = PROJECT_ROOT / "agendas" / "demo"
    meeting, _ = do_import(ctx, demo)
    roles = [m.role for m in meeting.memberships]
    assert roles.count("chair") == 1 and roles.count("secretary") == 1 and roles.count("delegate") >= 12
    docs = db.session.scalars(sa.select(Document)).all()
    assert len(docs) >= 4 and all(d.page_count >= 2 for d in docs)
    assert 6 <= len(meeting.top_items()) <= 8


def test_cli_import_is_idempotent(runner, tmp_path):
    folder = write_pack(tmp_path)
    first = runner.invoke(args=["agenda", "import", str(folder)])
    assert first.exit_code == 0 and "Imported “council-12”" in first.output
    second = runner.invoke(args=["agenda", "import", str(folder)])
    assert second.exit_code == 0 and "already up to date" in second.output


def test_cli_import_reports_errors(runner, tmp_path):
    folder = write_pack(tmp_path, GOOD.replace('role = "delegate"', 'role = "king"'))
    result = runner.invoke(args=["agenda", "import", str(folder)])
    assert result.exit_code != 0 and "unknown role “king”" in result.output


def test_cli_import_if_new_keeps_a_meeting_changed_on_the_server_and_a_closed_one(app, runner, tmp_path):
    """scripts/run imports the demo with --if-new: run again, it keeps what the secretary changed (it used to put
    the pack's agenda back, deleting added items and their minutes notes), and a closed meeting does not stop it."""
    folder = write_pack(tmp_path)
    assert "Imported “council-12”" in runner.invoke(args=["agenda", "import", "--if-new", str(folder)]).output
    with app.app_context():
        item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.title == "Opening"))
        item.title, item_id = "Opening and welcome", item.id
        db.session.commit()
    again = runner.invoke(args=["agenda", "import", "--if-new", str(folder)])
    assert again.exit_code == 0 and "“council-12” exists already (scheduled): kept as it is now" in again.output
    with app.app_context():
        assert db.session.get(AgendaItem, item_id).title == "Opening and welcome"
        db.session.scalar(sa.select(Meeting)).status = Meeting.CLOSED
        db.session.commit()
    closed = runner.invoke(args=["agenda", "import", "--if-new", str(folder)])
    assert closed.exit_code == 0 and "exists already (closed)" in closed.output
    told = runner.invoke(args=["demo", "credentials", "--meeting", "council-12"]).output
    assert "The meeting is closed: badges and sign-in links no longer sign anyone in" in told
    assert "/t/" not in told   # no badge link that would only be refused
    refused = runner.invoke(args=["agenda", "import", str(folder)])   # without it, a closed meeting is the record
    assert refused.exit_code != 0 and "is closed" in refused.output


def test_demo_credentials_never_replace_a_password_someone_set(app, runner, tmp_path):
    """`flask demo credentials` (run by scripts/run at every start) gives passwords to the accounts it makes and to
    those without one; a password set with `flask users set-password` is kept, and the output says so."""
    from app.auth.models import User

    runner.invoke(args=["agenda", "import", str(write_pack(tmp_path))])
    first = runner.invoke(args=["demo", "credentials", "--meeting", "council-12"])
    assert first.exit_code == 0, first.output
    given = dict(line.split() for line in (app.config["DATA_DIR"] / "demo-credentials.txt").read_text().splitlines())
    assert set(given) == {"admin", "chair"}
    assert runner.invoke(args=["users", "set-password", "chair"], input="My-own-chair-pass-1\nMy-own-chair-pass-1\n") \
        .exit_code == 0
    second = runner.invoke(args=["demo", "credentials", "--meeting", "council-12"])
    assert "chair        (its own password, not the demo's: kept)" in second.output
    assert f"admin        {given['admin']}" in second.output            # the demo's own, unchanged
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(sa.select(User))}
        assert users["chair"].check_password("My-own-chair-pass-1")
        assert users["admin"].check_password(given["admin"])
