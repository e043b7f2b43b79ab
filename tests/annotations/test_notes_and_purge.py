"""My notes page (escaped text, links to pages) and the retention command."""
from datetime import datetime

import sqlalchemy as sa

from app.annotations.models import Annotation
from app.extensions import db
from tests.annotations.conftest import highlight, note


def test_my_notes_lists_each_annotation_with_a_link_to_its_page_and_escapes_text(room, login):
    ana = login("author")
    ana.post(f"/api/meetings/{room.slug}/annotations", json=note(room, text="<script>alert(1)</script> & co"))
    ana.post(f"/api/meetings/{room.slug}/annotations", json=highlight(room, visibility="meeting"))
    resp = ana.get(f"/meetings/{room.slug}/notes")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert f'href="/meetings/{room.slug}/documents/{room.doc_id}?page=3"' in html
    assert f'href="/meetings/{room.slug}/documents/{room.doc_id}?page=1"' in html
    assert "Shared with the meeting" in html and "Budget" in html
    assert f"/meetings/{room.slug}/documents/{room.doc_id}/annotated.pdf" in html
    empty = login("delegate").get(f"/meetings/{room.slug}/notes").get_data(as_text=True)
    assert 'data-testid="notes-empty"' in empty and "alert(1)" not in empty


def test_purge_removes_annotations_older_than_the_date_and_keeps_the_rest(app, room, login, runner):
    ana = login("author")
    for page in (1, 2):
        ana.post(f"/api/meetings/{room.slug}/annotations", json=highlight(room, page=page))
    with app.app_context():
        first = db.session.scalars(sa.select(Annotation).order_by(Annotation.id)).first()
        first.updated_at = datetime(2020, 5, 1)
        db.session.commit()
    result = runner.invoke(args=["annotations", "purge", "--before", "2021-01-01"])
    assert result.exit_code == 0 and "Deleted 1 annotation(s)" in result.output
    pages = [a["page"] for a in ana.get(f"/api/meetings/{room.slug}/annotations/mine").get_json()["annotations"]]
    assert pages == [2]
    bad = runner.invoke(args=["annotations", "purge", "--before", "last year"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output


def test_annotations_survive_a_restart(app, room, login):
    """A new app on the same database (a restarted server) serves the same annotations."""
    from app import create_app

    made = login("author").post(f"/api/meetings/{room.slug}/annotations", json=note(room)).get_json()["annotation"]
    again = create_app({**{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "DATA_DIR", "SECRET_KEY", "SERVER_NAME")},
                        "TESTING": True})
    client = again.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(room.users["author"])
    got = client.get(f"/api/annotations/{made['id']}").get_json()
    assert got["annotation"]["text"] == "Ask about line 4"
    with again.app_context():
        db.engine.dispose()


def test_annotator_strings_partial_is_valid_json_with_placeholders_kept(app):
    import json

    from flask import render_template

    with app.test_request_context("/"):
        html = render_template("annotations/_assets.html")
    blob = html.split('id="annotator-strings">', 1)[1].split("</script>", 1)[0]
    strings = json.loads(blob)
    assert strings["by"] == "by %(name)s" and strings["failed"] == "Could not save: %(message)s"
    assert "css/annotations.css" in html
