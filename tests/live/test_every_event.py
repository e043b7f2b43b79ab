"""Every Socket.IO event the server knows, from the chair and from a delegate, with malformed payloads: each gets
an answer a person can read (never "server_error", never silence), nothing is logged as a failure, the connection
stays up and the meeting is as it was. New events are covered by being registered: the list comes from the server."""
from __future__ import annotations

import logging

import pytest

from app.extensions import socketio
from app.live.presence import TokenBucket
from tests.support.payloads import number_fields, oversized_numbers

NOT_EVENTS = {"connect", "disconnect", "*"}   # "*": the answer to events the server does not know


def registered_events() -> list[str]:
    """The events the running server has handlers for (python-socketio's own table, after the app is made)."""
    return sorted(set(socketio.server.handlers["/"]) - NOT_EVENTS)


def junk(meeting: int) -> list:
    """Payloads no screen sends: wrong types, missing and unknown fields, huge and deep values."""
    deep: dict = {}
    node = deep
    for _ in range(200):
        node["x"] = {}
        node = node["x"]
    return [
        None, "council", 42, 1.5, True, [], [meeting], {},
        {"meeting": str(meeting)}, {"meeting": -1}, {"meeting": 2**40}, {"meeting": None},
        {"meeting": meeting, "unknown": 1},
        {"meeting": meeting, "vote": "1", "options": "all", "item": [], "document": {}, "page": "1",
         "status": 7, "request": None, "order": "1,2", "text": 5},
        {"meeting": meeting, "blob": "x" * 200_000},
        {"meeting": meeting, "deep": deep},
        {"meeting": "1; DROP TABLE votes; --"},
        # text no database keeps: half of a surrogate pair (UTF-8 cannot encode it), NUL (PostgreSQL refuses it)
        {"meeting": meeting, "text": "\ud800", "question": "\udfff", "code": "\ud83d"},
        {"meeting": meeting, "text": "a\x00b", "excuse": "\x00", "label": "x\x00"},
        {"meeting": meeting, "\ud800": 1},
    ] + [  # one id at a time too large for the database's integer columns (the rest of the payload may be right)
        {"meeting": meeting, **one} for one in oversized_numbers() if "meeting" not in one
    ]


def test_the_server_registers_the_events_the_api_documents(app):
    events = registered_events()
    assert {"meeting.join", "vote.cast", "chair.present", "speakers.request"} <= set(events), events
    assert {"vote", "document", "page", "item", "options", "option_ids"} <= set(number_fields())


@pytest.mark.parametrize("who", ["chair1", "del1"])
def test_every_event_answers_malformed_payloads_with_a_sentence(app, room, sock, caplog, who):
    app.extensions["dais_live"].bucket = TokenBucket(10_000, 100_000)   # every payload is read, none rate-limited
    device = sock(who)
    before = device.join(room.meeting)
    events = registered_events()
    with caplog.at_level(logging.WARNING):
        for event in events:
            for payload in junk(room.meeting):
                reply = device.ack(event, payload)
                where = f"{who}: {event} with {str(payload)[:80]}"
                assert isinstance(reply, dict) and isinstance(reply.get("ok"), bool), where
                if not reply["ok"]:
                    assert reply.get("error") not in (None, "server_error", "rate_limited"), f"{where}: {reply}"
                    assert isinstance(reply.get("message"), str) and len(reply["message"]) > 10, f"{where}: {reply}"
            # a second, extra argument is no excuse to fail either
            reply = device.ack(event, {"meeting": room.meeting}, "extra")
            assert isinstance(reply, dict) and reply.get("error") != "server_error", f"{who}: {event} + extra: {reply}"
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not failures, [r.getMessage() for r in failures]
    assert device.sio.is_connected()
    after = device.join(room.meeting)   # the room still answers, and junk changed nothing in the meeting
    assert after["meeting"]["status"] == before["meeting"]["status"]
    assert after["presented"] == before["presented"] and after["current_item"] == before["current_item"]


@pytest.mark.parametrize("event", ["chair.nonexistent", "vote.cats", "x" * 300])
def test_an_unknown_event_is_answered_not_left_waiting(app, room, sock, caplog, event):
    device = sock("del1")
    with caplog.at_level(logging.WARNING):
        reply = device.ack(event, {"meeting": room.meeting})
    assert reply["ok"] is False and reply["error"] == "not_found"
    assert reply["message"] == ("This server has no event “%s”: the page and the server are of different versions. "
                                "Reload the page; if this comes again, the server needs a restart (tell the admin)."
                                % event[:80])
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert device.sio.is_connected()


@pytest.mark.parametrize("payload", ["[" * 5000 + "]" * 5000, "{not json", '{"meeting": 1'])
def test_a_payload_that_is_not_json_or_nested_too_deeply_is_answered(app, room, sock, caplog, payload):
    """A raw packet as a hostile client could write it (the test client encodes only what JSON can say)."""
    device = sock("del1")
    client = device.sio
    client.callback_counter += 1
    with caplog.at_level(logging.WARNING):
        client.socketio.server._handle_eio_message(client.eio_sid, f'2{client.callback_counter}["vote.cast",{payload}]')
    ack, client.acks = client.acks, None
    assert ack and ack["args"][0] == {"ok": False, "error": "bad_input", "message": (
        "The message was not understood: it is not an event this server can read. Nothing was done.")}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert device.sio.is_connected() and device.join(room.meeting)["meeting"]["id"] == room.meeting
