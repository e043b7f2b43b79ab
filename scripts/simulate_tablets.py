#!/usr/bin/env python
"""Simulated delegate tablets: sign in with badge links and follow a meeting, using only the documented API.

Setup (once, against the server's database: the same DATABASE_URL / DAIS_DATA_DIR / SECRET_KEY as the server):

    .venv/bin/python scripts/simulate_tablets.py setup --meeting demo --tablets 200 --out tablets.json

adds delegates sim-001 ... sim-200 to the meeting (if missing) and writes {"meeting": <id>, "badges": [raw
tokens]} (the raw badge token comes from app.auth.service.ensure_badge, exactly what the badge QR holds).

Run (any machine that reaches the server):

    .venv/bin/python scripts/simulate_tablets.py run --url http://127.0.0.1:5000 --from tablets.json --seconds 60

Each tablet: GET /t/<badge> (session cookie), Socket.IO over websocket with that cookie, `meeting.join`,
then applies `live.delta` in seq order and asks `live.snapshot` on a gap, as the real tablet page does.
It prints a summary per 5 s and a last JSON line {"tablets", "connected", "deltas", "gaps", "errors"}.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(meeting_slug: str, count: int, prefix: str = "sim") -> dict[str, Any]:
    """Add `count` delegates to the meeting (kept if they exist) and return their raw badge tokens."""
    import sqlalchemy as sa

    from app import create_app
    from app.auth.models import User
    from app.auth.service import ensure_badge
    from app.extensions import db
    from app.meetings.models import Membership
    from app.meetings.service import get_meeting

    app = create_app({"RENDER_WORKERS": 0})
    with app.app_context():
        meeting = get_meeting(meeting_slug)
        badges = []
        for n in range(1, count + 1):
            username = f"{prefix}-{n:04d}"
            user = db.session.scalar(sa.select(User).where(User.username == username))
            if user is None:
                user = User(username=username, name=f"Simulated tablet {n}")
                db.session.add(user)
                db.session.flush()
            member = db.session.scalar(sa.select(Membership).where(Membership.meeting_id == meeting.id,
                                                                   Membership.user_id == user.id))
            if member is None:
                member = Membership(meeting=meeting, user=user, role=Membership.DELEGATE)
                db.session.add(member)
                db.session.flush()
            badges.append(ensure_badge(app.config["SECRET_KEY"], member))
        db.session.commit()
        return {"meeting": meeting.id, "badges": badges}


class Tablet:
    """One simulated tablet: holds the snapshot's seq and the presented page like tablet.js does."""

    def __init__(self, url: str, badge: str | None, meeting: int | None,
                 on_delta: Callable[["Tablet", dict], None] | None = None, event: str = "live.delta"):
        self.url, self.badge, self.meeting = url, badge, meeting
        self.on_delta = on_delta
        self.event = event
        self.seq = 0
        self.presented: dict | None = None
        self.deltas = self.gaps = self.errors = 0
        self.client = None
        self.http = None

    async def sign_in(self) -> None:
        """GET /t/<badge>: the session cookie lands in this tablet's HTTP session."""
        import aiohttp

        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        if self.badge:
            async with self.http.get(f"{self.url}/t/{self.badge}", allow_redirects=False) as r:
                if r.status != 302:
                    raise RuntimeError(f"badge sign-in refused: HTTP {r.status}")

    async def start(self) -> None:
        """Sign in with the badge, connect over websocket, join the meeting."""
        import socketio

        await self.sign_in()
        self.client = socketio.AsyncClient(http_session=self.http, reconnection=True, handle_sigint=False)
        self.client.on(self.event, self._delta)
        self.client.on("connect", self._joined_later)
        await self.client.connect(self.url, transports=["websocket"], wait_timeout=30)
        await self.join()

    async def _joined_later(self) -> None:
        # On a reconnect (not the first connect) join again: the snapshot replaces whatever we had.
        if self.seq or self.presented:
            asyncio.get_running_loop().create_task(self.join())

    async def join(self, event: str = "meeting.join") -> None:
        """Join (or ask a fresh snapshot) and take its seq and presented page."""
        if self.meeting is None:
            return
        ack = await self.client.call(event, {"meeting": self.meeting}, timeout=30)
        if not ack.get("ok"):
            self.errors += 1
            raise RuntimeError(f"{event} refused: {ack}")
        snap = ack["snapshot"]
        self.seq, self.presented = snap["seq"], snap["presented"]

    async def _delta(self, msg: dict) -> None:
        self.deltas += 1
        if self.on_delta is not None:
            self.on_delta(self, msg)
        seq = msg.get("seq") if isinstance(msg, dict) else None
        if seq is None or self.meeting is None:
            return
        if seq <= self.seq:
            return
        if seq != self.seq + 1:
            self.gaps += 1
            await self.join("live.snapshot")
            return
        self.seq = seq
        if msg["kind"] in ("present", "item"):
            self.presented = msg["data"].get("presented")

    async def stop(self) -> None:
        """Disconnect and close the HTTP session."""
        if self.client is not None and self.client.connected:
            await self.client.disconnect()
        if self.http is not None:
            await self.http.close()


class WireSocket:
    """A Socket.IO client that speaks the Engine.IO 4 / Socket.IO 5 wire protocol itself over one aiohttp
    websocket: connect, answer pings, emit with an ack (`call`), hand events to handlers (`on`).

    python-socketio's client costs about 0.1 ms of CPU per received event; 1,000 of them in one process take
    100 ms to take in one page turn, which a benchmark on one machine then counts as the server's latency.
    This one does only what the protocol needs, so the benchmarks measure the servers.
    """

    def __init__(self) -> None:
        self.connected = False
        self.handlers: dict[str, Callable[[Any], Any]] = {}
        self._acks: dict[int, asyncio.Future] = {}
        self._next_id = 0
        self.ws = None

    def on(self, event: str, handler: Callable[[Any], Any]) -> None:
        """handler(payload) for every `event` the server sends (a coroutine function or a plain one)."""
        self.handlers[event] = handler

    async def connect(self, url: str, http, headers: dict[str, str] | None = None) -> None:
        """Open the websocket on `http` (an aiohttp ClientSession) and connect to the default namespace."""
        ws_url = url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.ws = await http.ws_connect(ws_url, autoping=False, max_msg_size=0, headers=headers or {})
        opened = await self.ws.receive_str(timeout=30)
        if not opened.startswith("0"):
            raise RuntimeError(f"not an Engine.IO open packet: {opened[:80]}")
        await self.ws.send_str("40")
        connected = await self.ws.receive_str(timeout=30)
        if not connected.startswith("40"):
            raise RuntimeError(f"Socket.IO connect refused: {connected[:200]}")
        self.connected = True
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def call(self, event: str, data: Any, timeout: float = 30) -> Any:
        """Emit an event with an ack id and wait for its ack (what AsyncClient.call does)."""
        self._next_id += 1
        ack_id = self._next_id
        future = asyncio.get_running_loop().create_future()
        self._acks[ack_id] = future
        await self.ws.send_str(f"42{ack_id}" + json.dumps([event, data], separators=(",", ":")))
        return await asyncio.wait_for(future, timeout)

    async def _read(self) -> None:
        import aiohttp

        try:
            async for msg in self.ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    break
                text = msg.data
                if text == "2":                      # Engine.IO ping: answer at once
                    await self.ws.send_str("3")
                elif text.startswith("42"):          # Socket.IO event: 42["name",{...}]
                    name, payload = json.loads(text[text.index("["):])[:2]
                    handler = self.handlers.get(name)
                    if handler is not None:
                        result = handler(payload)
                        if asyncio.iscoroutine(result):
                            await result
                elif text.startswith("43"):          # ack: 43<id>[...]
                    bracket = text.index("[")
                    future = self._acks.pop(int(text[2:bracket]), None)
                    if future is not None and not future.done():
                        args = json.loads(text[bracket:])
                        future.set_result(args[0] if args else None)
                elif text.startswith("1") or text.startswith("41"):
                    break
        finally:
            self.connected = False

    async def disconnect(self) -> None:
        if self.ws is not None and not self.ws.closed:
            await self.ws.close()


class LeanTablet(Tablet):
    """The same tablet on a WireSocket (see there): badge sign-in, websocket, `meeting.join`, deltas in seq
    order, `live.snapshot` on a gap."""

    async def start(self) -> None:
        await self.sign_in()
        self.client = WireSocket()
        self.client.on(self.event, self._delta)
        await self.client.connect(self.url, self.http)
        await self.join()

    async def _delta(self, msg: dict) -> None:
        seq = msg.get("seq") if isinstance(msg, dict) else None
        if seq is not None and self.meeting is not None and seq > self.seq + 1:
            # A gap: ask for a snapshot in a task of its own (the reader must stay free to read its ack).
            self.deltas += 1
            self.gaps += 1
            if self.on_delta is not None:
                self.on_delta(self, msg)
            asyncio.get_running_loop().create_task(self.join("live.snapshot"))
            return
        await super()._delta(msg)

    async def stop(self) -> None:
        if self.client is not None:
            await self.client.disconnect()
        if self.http is not None:
            await self.http.close()


async def start_tablets(url: str, badges: list[str | None], meeting: int | None, on_delta=None,
                        event: str = "live.delta", concurrency: int = 50, lean: bool = False) -> list[Tablet]:
    """Start one tablet per badge, `concurrency` sign-ins at a time (lean: LeanTablet, the wire client)."""
    kind = LeanTablet if lean else Tablet
    tablets = [kind(url, b, meeting, on_delta, event) for b in badges]
    gate = asyncio.Semaphore(concurrency)

    async def one(t: Tablet) -> None:
        async with gate:
            await t.start()

    await asyncio.gather(*(one(t) for t in tablets))
    return tablets


async def run(url: str, data: dict, seconds: float) -> dict:
    """Follow the meeting for `seconds` and summarise."""
    tablets = await start_tablets(url, data["badges"], data["meeting"])
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        await asyncio.sleep(min(5, max(0.1, end - time.monotonic())))
        pages = {json.dumps(t.presented, sort_keys=True) for t in tablets}
        print(f"{sum(t.client.connected for t in tablets)} connected, {sum(t.deltas for t in tablets)} deltas, "
              f"{len(pages)} distinct presented pages", flush=True)
    summary = {"tablets": len(tablets), "connected": sum(t.client.connected for t in tablets),
               "deltas": sum(t.deltas for t in tablets), "gaps": sum(t.gaps for t in tablets),
               "errors": sum(t.errors for t in tablets)}
    await asyncio.gather(*(t.stop() for t in tablets))
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("setup", help="add simulated delegates and write their badge tokens")
    s.add_argument("--meeting", required=True, help="meeting slug")
    s.add_argument("--tablets", type=int, default=100)
    s.add_argument("--out", type=Path, default=Path("tablets.json"))
    r = sub.add_parser("run", help="connect the tablets and follow the meeting")
    r.add_argument("--url", default="http://127.0.0.1:5000")
    r.add_argument("--from", dest="src", type=Path, default=Path("tablets.json"))
    r.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    if args.cmd == "setup":
        data = setup(args.meeting, args.tablets)
        args.out.write_text(json.dumps(data))
        print(json.dumps({"meeting": data["meeting"], "tablets": len(data["badges"]), "out": str(args.out)}))
    else:
        print(json.dumps(asyncio.run(run(args.url, json.loads(args.src.read_text()), args.seconds))))


if __name__ == "__main__":
    main()
