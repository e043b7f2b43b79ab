"""Socket.IO packets no Socket.IO client writes, sent as raw text over a real websocket of a real server (wsgi.py,
gevent): an event with no name, an object instead of an array, a name that is not text, a huge ack id, a binary
event with a bogus attachment count, an event for a namespace nobody joined, packet types a client never sends.
Each one that carries an ack id is answered through that ack with the refusal of `dais.malformed`; none is logged
with a traceback; and the same connection still answers a good event afterwards (docs/api.md)."""
from __future__ import annotations

import json
import logging
import time

import pytest
import requests
import sqlalchemy as sa
import websocket

from app import create_app
from app.auth.service import ensure_badge
from app.auth.models import User
from app.extensions import db
from tests.factories import add_member, make_meeting
from tests.support.server import free_port, running_server

REFUSAL = {"ok": False, "error": "bad_input", "message": (
    "The message was not understood: it is not an event this server can read. Nothing was done.")}
HUGE = "9" * 40            # beyond any integer type, within the 100 digits python-socketio reads
HUGER = "8" * 150          # beyond what python-socketio reads: it raised "id field is too long"

# (packet as sent, the ack it must get: (namespace, id) or None when it carries no ack id to answer)
ANSWERED = [
    ('427[]', ("/", "7")),                                         # no event name: IndexError in python-socketio
    ('428{"a":1}', ("/", "8")),                                    # an object, not an array: KeyError: 0
    ('429[5]', ("/", "9")),                                        # a name that is not text
    ('4210[null,{}]', ("/", "10")),
    ('4211[["x"]]', ("/", "11")),                                  # unhashable: TypeError in python-socketio
    ('4212[{"meeting":1}]', ("/", "12")),
    ('4213"meeting.join"', ("/", "13")),
    ('4214', ("/", "14")),                                         # an ack id and no data at all
    ('4215["disconnect"]', ("/", "15")),                           # reserved names are not client events
    ('4216["connect",{"display":"x"}]', ("/", "16")),
    (f'42{HUGE}[]', ("/", HUGE)),
    (f'42{HUGER}["meeting.join",{{"meeting":1}}]', ("/", HUGER)),
    ('451-17["vote.cast",{"_placeholder":true,"num":0}]', ("/", "17")),   # binary events: Dais has none
    ('450-18["vote.cast",{"meeting":1}]', ("/", "18")),            # zero attachments announced: wedged the socket
    ('45123456789012-19["vote.cast"]', ("/", "19")),               # "too many attachments"
    ('42/nope,20["meeting.join",{"meeting":1}]', ("/nope", "20")),  # a namespace this connection never joined
    ('451-/nope,21["x",{"_placeholder":true,"num":0}]', ("/nope", "21")),
]
UNANSWERED = [
    '42[]', '42{}', '42', '4', '44{"message":"x"}', '47', '49["x"]', '4x', '43[]', '437{"a":1}',
    '461-22[{"_placeholder":true,"num":0}]', '42/nope,["x"]', '41/nope,', b"\x00\x01 stray attachment",
    f'43{HUGER}[]',
]


def _attachment(packet: str) -> bool:
    """Whether the packet announces a binary attachment (the test sends one after it)."""
    return packet.startswith("45") and '"_placeholder"' in packet


@pytest.mark.parametrize("packet,answer", [a for a in ANSWERED if HUGER not in a[0]],
                         ids=[p[:40] for p, _ in ANSWERED if HUGER not in p])
def test_a_malformed_packet_is_answered_in_process(app, room, sock, caplog, packet, answer):
    """The same packets through python-socketio in this process (the test client hides ack ids, and its own
    decoder refuses an id as long as HUGER): any exception would reach the test."""
    device = sock("del1")
    client = device.sio
    server = client.socketio.server
    with caplog.at_level(logging.WARNING):
        client.acks = None
        server._handle_eio_message(client.eio_sid, packet[1:])     # without Engine.IO's "4"
        if _attachment(packet):
            server._handle_eio_message(client.eio_sid, b"\x01\x02")
        ack, client.acks = client.acks, None
        assert ack == {"args": [REFUSAL], "namespace": answer[0]}
        for junk in UNANSWERED:
            server._handle_eio_message(client.eio_sid, junk if isinstance(junk, bytes) else junk[1:])
            assert client.acks is None, junk
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert device.sio.is_connected() and device.join(room.meeting)["meeting"]["id"] == room.meeting


@pytest.mark.parametrize("packet", ['425[]', '42/nope,5["meeting.join",{"meeting":1}]'])
def test_the_refusal_is_in_the_users_language(app, room, sock, packet):
    with app.app_context():
        db.session.execute(sa.update(User).where(User.username == "del1").values(language="vi"))
        db.session.commit()
    device = sock("del1")
    client = device.sio
    client.socketio.server._handle_eio_message(client.eio_sid, packet[1:])
    ack, client.acks = client.acks, None
    assert ack["args"][0]["error"] == "bad_input"
    assert ack["args"][0]["message"].startswith("Không hiểu được tin nhắn"), ack


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real server with one meeting and a delegate's badge; yields (base URL, log file, meeting id, badge)."""
    data_dir = tmp_path_factory.mktemp("malformed") / "data"
    app = create_app({"DATA_DIR": data_dir, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{data_dir / 'dais.sqlite3'}"})
    with app.app_context():
        db.create_all()
        meeting = make_meeting("council", items=1)
        delegate = add_member(meeting, "del1", seat="1")
        db.session.commit()
        meeting_id, badge = meeting.id, ensure_badge(app.config["SECRET_KEY"], delegate)
        db.session.commit()
        db.engine.dispose()
    port = free_port()
    with running_server(data_dir, env={"DAIS_RENDER_WORKERS": "0"}, port=port) as base:
        yield base, data_dir / f"server-{port}.log", meeting_id, badge


class RawSocket:
    """A signed-in tablet speaking Engine.IO v4 / Socket.IO v5 by hand over a websocket."""

    def __init__(self, base: str, badge: str, join: bool = True):
        http = requests.Session()
        assert http.get(f"{base}/t/{badge}", allow_redirects=False, timeout=5).status_code == 302
        cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
        self.ws = websocket.create_connection(base.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
                                              cookie=cookie, origin=base, timeout=5)
        assert self.ws.recv().startswith("0{")      # Engine.IO open
        if join:
            self.send("40")
            assert self.recv().startswith("40{")    # Socket.IO connect to "/"

    def send(self, packet: str | bytes) -> None:
        if isinstance(packet, bytes):
            self.ws.send_binary(packet)
        else:
            self.ws.send(packet)

    def recv(self, timeout: float = 5.0) -> str:
        """The next Engine.IO message, answering pings on the way."""
        self.ws.settimeout(timeout)
        while True:
            frame = self.ws.recv()
            if frame == "2":
                self.ws.send("3")
                continue
            return frame

    def ack(self, namespace: str, ack_id: str, timeout: float = 3.0):
        """The arguments of the ack of this id (anything else received first is skipped)."""
        prefix = "43" + ("" if namespace == "/" else namespace + ",") + ack_id
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            frame = self.recv(deadline - time.monotonic())
            if frame.startswith(prefix) and frame[len(prefix):len(prefix) + 1] == "[":
                return json.loads(frame[len(prefix):])
        raise AssertionError(f"no ack {ack_id} on {namespace}")

    def still_works(self, meeting: int, ack_id: int = 99) -> None:
        """The same connection still answers a good event."""
        self.ws.send(f'42{ack_id}["meeting.join",{{"meeting":{meeting}}}]')
        reply = self.ack("/", str(ack_id))
        assert reply[0]["ok"] is True and reply[0]["snapshot"]["meeting"]["id"] == meeting, reply

    def refused(self, packet: str, answer) -> list:
        """Send a malformed packet (and the attachment a binary one announces); the ack's arguments."""
        self.send(packet)
        if _attachment(packet):
            self.send(b"\x01\x02")
        return self.ack(*answer)

    def close(self) -> None:
        self.ws.close()


def _new_output(log, start: int) -> str:
    time.sleep(0.3)   # let the server write what it logs
    return log.read_bytes()[start:].decode("utf-8", "replace")


@pytest.mark.slow
@pytest.mark.parametrize("packet,answer", ANSWERED, ids=[p[:40] for p, _ in ANSWERED])
def test_a_malformed_packet_with_an_ack_id_is_answered(server, packet, answer):
    base, log, meeting, badge = server
    start = log.stat().st_size
    tablet = RawSocket(base, badge)
    try:
        assert tablet.refused(packet, answer) == [REFUSAL]
        tablet.still_works(meeting)
    finally:
        tablet.close()
    output = _new_output(log, start)
    assert "Traceback" not in output and "handler error" not in output, output


@pytest.mark.slow
def test_packets_without_an_ack_id_are_dropped_quietly(server):
    base, log, meeting, badge = server
    start = log.stat().st_size
    tablet = RawSocket(base, badge)
    try:
        for n, packet in enumerate(UNANSWERED):
            tablet.send(packet)
            tablet.still_works(meeting, ack_id=100 + n)
        # every packet that is answered, back to back on one connection, then a good event
        for packet, answer in ANSWERED:
            assert tablet.refused(packet, answer) == [REFUSAL], packet
        tablet.still_works(meeting)
    finally:
        tablet.close()
    output = _new_output(log, start)
    assert "Traceback" not in output and "handler error" not in output, output


@pytest.mark.slow
def test_an_event_on_a_namespace_of_a_connection_that_joined_none_is_answered(server):
    base, log, meeting, badge = server
    start = log.stat().st_size
    tablet = RawSocket(base, badge, join=False)
    try:
        tablet.send('42/nope,5["meeting.join",{"meeting":1}]')
        assert tablet.ack("/nope", "5") == [REFUSAL]
        tablet.send("40")
        assert tablet.recv().startswith("40{")
        tablet.still_works(meeting)
    finally:
        tablet.close()
    output = _new_output(log, start)
    assert "Traceback" not in output and "handler error" not in output, output
