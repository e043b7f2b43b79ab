"""Full-text search over page texts: SQLite FTS5 (made at first use) or PostgreSQL full-text search.

Snippets mark each hit between MARK_START and MARK_END (Unicode private-use U+E000 and U+E001);
clients escape the snippet text and then turn the markers into highlighting.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from app.documents.models import PdfPage
from app.documents.render import MARK_END, MARK_START

pages = PdfPage.__table__
FTS_TABLE = "pdf_pages_fts"
WORD_RE = re.compile(r"\w+", re.UNICODE)
MAX_RESULTS = 50


@dataclass
class Hit:
    """One page that matches: which PDF, which page, and a snippet with markers."""

    sha256: str
    page: int
    snippet: str


def ensure_fts(conn: sa.Connection) -> None:
    """SQLite: the FTS5 index over pdf_pages, created (and filled) the first time it is needed.

    It is not in the migrations because Alembic would see its shadow tables as unknown tables.
    """
    if conn.dialect.name != "sqlite":
        return
    exists = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (FTS_TABLE,)).first()
    if exists:
        return
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
        "text, sha256 UNINDEXED, page UNINDEXED, tokenize='unicode61 remove_diacritics 2')")
    conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}(text, sha256, page) SELECT text, sha256, page FROM pdf_pages")


def index_page_texts(conn: sa.Connection, texts: dict[tuple[str, int], str]) -> None:
    """Store page texts (replacing older ones) and index them."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    rows = [{"sha256": sha, "page": page, "text": text} for (sha, page), text in texts.items()]
    stmt = insert(pages).values(rows)
    conn.execute(stmt.on_conflict_do_update(index_elements=["sha256", "page"], set_={"text": stmt.excluded.text}))
    if conn.dialect.name == "sqlite":
        ensure_fts(conn)
        for (sha, page), text in texts.items():
            conn.exec_driver_sql(f"DELETE FROM {FTS_TABLE} WHERE sha256=? AND page=?", (sha, page))
            conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}(text, sha256, page) VALUES (?, ?, ?)", (text, sha, page))


def words(query: str) -> list[str]:
    """The words of a query (punctuation and operators dropped), at most 12."""
    return WORD_RE.findall(query or "")[:12]


def search_pages(conn: sa.Connection, sha256s: list[str], query: str, limit: int = MAX_RESULTS) -> list[Hit]:
    """Pages of these PDFs containing every word of the query (the last word as a prefix), best first."""
    terms = words(query)
    if not terms or not sha256s:
        return []
    if conn.dialect.name == "postgresql":
        tsquery = " & ".join(f"{t.lower()}" for t in terms[:-1])
        last = f"{terms[-1].lower()}:*"
        tsquery = f"{tsquery} & {last}" if tsquery else last
        sql = sa.text(
            "SELECT sha256, page, ts_headline('simple', text, q, :opts) AS snippet "
            "FROM pdf_pages, to_tsquery('simple', :tsq) AS q "
            "WHERE sha256 = ANY(:shas) AND to_tsvector('simple', text) @@ q "
            "ORDER BY ts_rank(to_tsvector('simple', text), q) DESC, sha256, page LIMIT :limit")
        opts = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=24, MinWords=10, MaxFragments=1"
        rows = conn.execute(sql, {"tsq": tsquery, "shas": list(sha256s), "opts": opts, "limit": limit})
        return [Hit(r.sha256, r.page, r.snippet) for r in rows]
    ensure_fts(conn)
    match = " ".join('"%s"' % t.replace('"', "") for t in terms[:-1])
    match = (match + " " if match else "") + '"%s"*' % terms[-1].replace('"', "")
    marks = ",".join("?" for _ in sha256s)
    rows = conn.exec_driver_sql(
        f"SELECT sha256, page, snippet({FTS_TABLE}, 0, ?, ?, '…', 16) FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH ? AND sha256 IN ({marks}) ORDER BY rank LIMIT ?",
        (MARK_START, MARK_END, match, *sha256s, limit))
    return [Hit(sha, int(page), snip) for sha, page, snip in rows]
