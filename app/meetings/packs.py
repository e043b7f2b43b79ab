"""Agenda packs: agendas/<slug>/meeting.toml plus its PDFs, imported idempotently in one transaction."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import sqlalchemy as sa

from app.audit.service import record
from app.documents.ingest import inspect_pdf
from app.documents.models import Document
from app.documents.service import attach_pdf
from app.errors import BadInput, Listing, Phrase
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting
from app.meetings.service import SLUG_RE, RosterRow, apply_roster, check_roster, make_roster_row

PACK_FILE = "meeting.toml"


@dataclass
class PackItem:
    """An agenda item as the pack describes it."""

    title: str
    description: str
    documents: list[tuple[Path, str]]
    children: list["PackItem"] = field(default_factory=list)


@dataclass
class Pack:
    """A parsed and checked agenda pack."""

    slug: str
    title: str
    starts_at: datetime | None
    place: str
    status: str
    members: list[RosterRow]
    items: list[PackItem]


class _Locator:
    """Finds the line of a field in meeting.toml, so errors can name it."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def table_line(self, name: str, index: int) -> int:
        """Line of the index-th [[name]] header (1-based), or 0."""
        seen = -1
        pattern = re.compile(r"^\s*\[\[\s*" + re.escape(name) + r"\s*\]\]")
        for n, line in enumerate(self.lines, start=1):
            if pattern.match(line):
                seen += 1
                if seen == index:
                    return n
        return 0

    def key_line(self, key: str, after: int = 0) -> int:
        """Line of the first `key =` at or after a line, or the line itself."""
        pattern = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        for n in range(max(after, 1), len(self.lines) + 1):
            if pattern.match(self.lines[n - 1]):
                return n
            if n > after and self.lines[n - 1].lstrip().startswith("[") and after:
                break
        return after


def load_pack(folder: Path, max_pages: int, max_bytes: int) -> Pack:
    """Parse and check a pack folder; BadInput names the file, line and field of every problem."""
    folder = Path(folder)
    path = folder / PACK_FILE
    if not path.is_file():
        raise BadInput("%(folder)s: no %(file)s here; an agenda pack is a folder with a %(file)s and its PDFs.",
                       folder=str(folder), file=PACK_FILE)
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInput("%(path)s: not valid TOML: %(problem)s.", path=str(path), problem=str(exc))
    where = _Locator(text)
    problems: list[Phrase] = []

    def fail(line: int, field_name: str, problem: Phrase | BadInput) -> None:
        problems.append(Phrase("%(path)s, line %(line)s, field “%(field)s”: %(problem)s", path=str(path), line=line,
                               field=field_name, problem=problem))

    slug = folder.resolve().name.lower()
    if not SLUG_RE.match(slug):
        problems.append(Phrase("%(folder)s: the folder name “%(slug)s” is the meeting's short name; use lowercase "
                               "letters, digits and dashes.", folder=str(folder), slug=slug))
    meeting = data.get("meeting")
    if not isinstance(meeting, dict):
        raise BadInput("%(path)s: there is no [meeting] table with the title, start and place.", path=str(path))
    mline = where.key_line("title", 1)
    title = meeting.get("title")
    if not isinstance(title, str) or not title.strip():
        fail(mline, "meeting.title", Phrase("give the meeting a title (text)"))
        title = ""
    starts = meeting.get("starts_at")
    starts_at: datetime | None = None
    if isinstance(starts, datetime):
        starts_at = starts.replace(tzinfo=None)
    elif isinstance(starts, date):
        starts_at = datetime.combine(starts, time(0, 0))
    elif starts is not None:
        fail(where.key_line("starts_at", 1), "meeting.starts_at",
             Phrase("write a date and time like 2026-12-03T14:00:00"))
    place = meeting.get("place", "")
    if not isinstance(place, str):
        fail(where.key_line("place", 1), "meeting.place", Phrase("the place must be text"))
        place = ""
    status = meeting.get("status", Meeting.SCHEDULED)
    if status not in Meeting.STATUSES:
        fail(where.key_line("status", 1), "meeting.status",
             Phrase("“%(status)s” is not one of %(statuses)s", status=status, statuses=Listing(Meeting.STATUSES, sep=", ")))

    members: list[RosterRow] = []
    raw_members = data.get("members", [])
    if not isinstance(raw_members, list):
        fail(where.key_line("members", 1), "members", Phrase("write each member as a [[members]] table"))
        raw_members = []
    for i, raw in enumerate(raw_members):
        header = where.table_line("members", i)
        if not isinstance(raw, dict):
            fail(header, f"members[{i + 1}]", Phrase("each member is a table with name, role, seat and weight"))
            continue
        try:
            members.append(make_roster_row(raw, header))
        except BadInput as exc:
            bad = next((k for k in ("name", "role", "seat", "weight", "username", "votes") if k in exc.message), "name")
            fail(where.key_line(bad, header), f"members[{i + 1}].{bad}", exc)
    problems += [Phrase("%(path)s, line %(line)s: %(problem)s", path=str(path), line=line, problem=p)
                 for line, p in check_roster(members)]

    item_counter = {"n": -1}

    def parse_items(raw_items: object, label: str) -> list[PackItem]:
        out: list[PackItem] = []
        if not isinstance(raw_items, list):
            fail(where.key_line("items", 1), label, Phrase("write agenda items as [[items]] tables"))
            return out
        for i, raw in enumerate(raw_items):
            item_counter["n"] += 1
            name = f"{label}[{i + 1}]"
            header = _item_header(where, item_counter["n"])
            if not isinstance(raw, dict):
                fail(header, name, Phrase("each agenda item is a table with a title"))
                continue
            item_title = raw.get("title")
            if not isinstance(item_title, str) or not item_title.strip():
                fail(header, f"{name}.title", Phrase("every agenda item needs a title"))
                item_title = ""
            description = raw.get("description", "")
            if not isinstance(description, str):
                fail(where.key_line("description", header), f"{name}.description",
                     Phrase("the description must be text"))
                description = ""
            docs: list[tuple[Path, str]] = []
            raw_docs = raw.get("documents", [])
            if not isinstance(raw_docs, list):
                raw_docs = [raw_docs]
            for d in raw_docs:
                file_name, doc_title = (d, "") if isinstance(d, str) else (
                    (d.get("file"), d.get("title", "")) if isinstance(d, dict) else (None, ""))
                dline = where.key_line("documents", header)
                if not isinstance(file_name, str) or not file_name:
                    fail(dline, f"{name}.documents",
                         Phrase("each document is a file name or {file = \"...\", title = \"...\"}"))
                    continue
                doc_path = (folder / file_name).resolve()
                if folder.resolve() not in doc_path.parents:
                    fail(dline, f"{name}.documents", Phrase("“%(file)s” is outside the pack folder", file=file_name))
                    continue
                if not doc_path.is_file():
                    fail(dline, f"{name}.documents", Phrase("the file “%(file)s” is missing from %(folder)s",
                                                            file=file_name, folder=str(folder)))
                    continue
                try:
                    inspect_pdf(doc_path, max_pages=max_pages, max_bytes=max_bytes, name=file_name)
                except BadInput as exc:
                    fail(dline, f"{name}.documents", exc)
                    continue
                docs.append((doc_path, str(doc_title or "")))
            children = parse_items(raw.get("items", []), f"{name}.items")
            out.append(PackItem(item_title.strip(), description.strip(), docs, children))
        return out

    items = parse_items(data.get("items", []), "items")
    if problems:
        raise BadInput("Nothing was imported. %(problems)s", problems=Listing(problems, sep=" ", end="."))
    return Pack(slug, title.strip(), starts_at, place.strip(), status, members, items)


def _item_header(where: _Locator, index: int) -> int:
    """Line of the index-th item header, nested or not."""
    seen = -1
    for n, line in enumerate(where.lines, start=1):
        if re.match(r"^\s*\[\[\s*(items\.)*items\s*\]\]", line):
            seen += 1
            if seen == index:
                return n
    return 0


def import_pack(folder: Path, *, data_dir: Path, max_pages: int, max_bytes: int, actor_id: int | None = None
                ) -> tuple[Meeting, dict[str, int]]:
    """Create or update the meeting from the pack in one transaction; importing twice changes nothing."""
    pack = load_pack(folder, max_pages, max_bytes)
    counts = {"items_added": 0, "items_changed": 0, "items_removed": 0, "documents_added": 0, "documents_removed": 0}
    try:
        meeting = db.session.scalar(sa.select(Meeting).where(Meeting.slug == pack.slug))
        if meeting is None:
            meeting = Meeting(slug=pack.slug, title=pack.title, starts_at=pack.starts_at, place=pack.place,
                              status=pack.status)
            db.session.add(meeting)
            db.session.flush()
            counts["created"] = 1
        else:
            if meeting.is_closed:
                raise BadInput("Meeting “%(slug)s” is closed; a closed meeting is the record and cannot be re-imported.",
                               slug=pack.slug)
            if (meeting.title, meeting.starts_at, meeting.place) != (pack.title, pack.starts_at, pack.place):
                meeting.title, meeting.starts_at, meeting.place = pack.title, pack.starts_at, pack.place
                counts["meeting_changed"] = 1
        roster_counts = apply_roster(meeting, pack.members, actor_id, by_admin=True)  # the server's operator
        counts["members_added"] = roster_counts["added"]
        counts["members_updated"] = roster_counts["updated"]
        _sync_items(meeting, None, pack.items, counts, data_dir, max_pages, max_bytes, actor_id)
        changed = any(v for k, v in counts.items())
        if changed:
            record("agenda.pack_imported", actor_id, meeting.id, **counts)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return meeting, counts


def _sync_items(meeting: Meeting, parent: AgendaItem | None, wanted: list[PackItem], counts: dict[str, int],
                data_dir: Path, max_pages: int, max_bytes: int, actor_id: int | None) -> None:
    """Make the children of `parent` match the pack, by position."""
    parent_id = parent.id if parent else None
    existing = sorted(
        db.session.scalars(sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id,
                                                       AgendaItem.parent_id.is_(parent_id) if parent_id is None
                                                       else AgendaItem.parent_id == parent_id)),
        key=lambda i: (i.position, i.id),
    )
    for position, spec in enumerate(wanted):
        if position < len(existing):
            item = existing[position]
            if (item.title, item.description, item.position) != (spec.title, spec.description, position):
                item.title, item.description, item.position = spec.title, spec.description, position
                counts["items_changed"] += 1
        else:
            item = AgendaItem(meeting_id=meeting.id, parent_id=parent_id, position=position,
                              title=spec.title, description=spec.description)
            db.session.add(item)
            db.session.flush()
            counts["items_added"] += 1
        keep: set[str] = set()
        for doc_position, (doc_path, doc_title) in enumerate(spec.documents):
            before = db.session.scalar(sa.select(sa.func.count(Document.id)).where(Document.item_id == item.id))
            doc = attach_pdf(item, doc_path, filename=doc_path.name, title=doc_title or None, data_dir=data_dir,
                             max_pages=max_pages, max_bytes=max_bytes, actor_id=actor_id)
            if doc.position != doc_position:
                doc.position = doc_position
            after = db.session.scalar(sa.select(sa.func.count(Document.id)).where(Document.item_id == item.id))
            counts["documents_added"] += after - before
            keep.add(doc.sha256)
        for doc in db.session.scalars(sa.select(Document).where(Document.item_id == item.id)):
            if doc.sha256 not in keep:
                db.session.delete(doc)
                counts["documents_removed"] += 1
        _sync_items(meeting, item, spec.children, counts, data_dir, max_pages, max_bytes, actor_id)
    for extra in existing[len(wanted):]:
        db.session.delete(extra)
        counts["items_removed"] += 1
    db.session.flush()
