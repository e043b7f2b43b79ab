"""Two real server processes behind Redis behave as one room (python wsgi.py, gevent, same database)."""
from __future__ import annotations

import os
import queue
import time
import uuid

import pytest
import requests
import socketio as sio_client

from app import create_app
from app.auth.service import ensure_badge
from app.extensions import db
from app.meetings.models import Membership
from tests.live.conftest import add_document
from tests.factories import add_member, make_meeting
from tests.support.server import two_servers

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except Exception:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}; set TEST_REDIS_URL")


def _device(base: str, badge: str):
    """A tablet: sign in with the badge over HTTP, then a websocket Socket.IO client with that cookie."""
    http = requests.Session()
    r = http.get(f"{base}/t/{badge}", allow_redirects=False, timeout=5)
    assert r.status_code == 302, r.text
    inbox: queue.Queue = queue.Queue()
    client = sio_client.Client(http_session=http, reconnection=False)
    client.on("live.delta", inbox.put)
    client.connect(base, transports=["websocket"], wait_timeout=10)
    return client, inbox


def _wait_for(inbox: queue.Queue, pred, timeout: float = 5.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = inbox.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            break
        if pred(msg):
            return msg
    raise AssertionError("the expected delta did not arrive")


@pytest.mark.slow
def test_a_page_turn_on_one_process_reaches_a_tablet_on_the_other(tmp_path):
    _redis_or_skip()
    data_dir = tmp_path / "data"
    env = {"MESSAGE_QUEUE_URL": REDIS_URL, "MESSAGE_QUEUE_CHANNEL": f"dais-test-{uuid.uuid4().hex[:8]}",
           "DAIS_RENDER_WORKERS": "0"}  # no page rendering needed here
    app = create_app({"DATA_DIR": data_dir, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{data_dir / 'dais.sqlite3'}"})
    with app.app_context():
        db.create_all()  # the same schema as the migrations (tests/test_migrations.py), seconds faster
        meeting = make_meeting("council", items=2)
        chair = add_member(meeting, "chair1", Membership.CHAIR, seat="C")
        delegate = add_member(meeting, "del1", seat="1")
        doc = add_document(meeting, meeting.items[0], "Budget", 5)
        db.session.commit()
        ids = {"meeting": meeting.id, "doc": doc.id}
        badges = {"chair": ensure_badge(app.config["SECRET_KEY"], chair),
                  "delegate": ensure_badge(app.config["SECRET_KEY"], delegate)}
        db.session.commit()
        db.engine.dispose()
    with two_servers(data_dir, env) as (a, b):
        chair_sock, chair_inbox = _device(a, badges["chair"])
        tablet, tablet_inbox = _device(b, badges["delegate"])
        try:
            assert tablet.call("meeting.join", {"meeting": ids["meeting"]}, timeout=5)["ok"]
            joined = chair_sock.call("meeting.join", {"meeting": ids["meeting"]}, timeout=5)
            assert joined["ok"]
            # The chair on process A sees the delegate connected on process B (presence is shared through Redis).
            assert len(joined["snapshot"]["presence"]["connected"]) == 2
            reply = chair_sock.call("chair.present", {"meeting": ids["meeting"], "document": ids["doc"], "page": 3},
                                    timeout=5)
            assert reply == {"ok": True, "seq": 1}
            got = _wait_for(tablet_inbox, lambda m: m["kind"] == "present")
            assert got["seq"] == 1 and got["data"]["presented"]["page"] == 3
            # And back: the tablet leaving process B reaches the chair's presence list on process A.
            tablet.disconnect()
            gone = _wait_for(chair_inbox, lambda m: m["kind"] == "presence" and len(m["data"]["connected"]) == 1)
            assert gone["seq"] is None
        finally:
            for c in (chair_sock, tablet):
                if c.connected:
                    c.disconnect()
