#!/usr/bin/env python
"""Benchmark: how fast a chair's page turn reaches every following tablet.

For each size N (default 100, 500, 1000) it seeds a live meeting with N delegates (badges) in a fresh SQLite
database, starts `python wsgi.py` (gevent), signs in N simulated tablets (scripts/simulate_tablets.py: badge
link, websocket, meeting.join) spread over client processes, and has the chair turn pages (`chair.present`):
each turn is authorised, validated, stored with its seq and then broadcast. Per turn it measures the latency
until each tablet received it (p50, p99 over every tablet and turn) and until the last tablet had it
(all-delivered; the median over turns). The floor, measured in the same run with the same clients: a bare
Flask-SocketIO gevent server whose handler only relays the event to everyone. Then, with
MESSAGE_QUEUE_URL (Redis) and two server processes sharing the database, 2,000 tablets.

    .venv/bin/python scripts/bench_fanout.py [--sizes 100,500,1000] [--two-process 2000] [--turns 12]

The last line of stdout is one JSON object: {"results": [{tablets, processes, p50_ms, p99_ms,
all_delivered_p50_ms, bare_all_delivered_p50_ms, rss_kb_per_tablet, ...}, ...]}.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
SECRET = "bench-" + uuid.uuid4().hex
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")

BARE_SERVER = textwrap.dedent("""
    from gevent import monkey; monkey.patch_all()
    import sys
    from flask import Flask
    from flask_socketio import SocketIO, join_room
    app = Flask(__name__)
    sio = SocketIO(app, async_mode="gevent")

    @sio.on("connect")
    def connect(auth=None):
        join_room("all")

    @sio.on("turn")
    def turn(data):
        sio.emit("live.delta", data, to="all")
        return {"ok": True, "seq": data["seq"]}

    sio.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_output=False)
""")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(data_dir: Path, tablets: int) -> dict:
    """A live meeting with one 500-page document, a chair and N delegates; their raw badge tokens."""
    os.environ["SECRET_KEY"] = SECRET
    os.environ["DAIS_DATA_DIR"] = str(data_dir)
    from app import create_app
    from app.auth.models import User
    from app.auth.service import ensure_badge
    from app.documents.models import Document, PdfFile
    from app.extensions import db
    from app.meetings.models import AgendaItem, Meeting, Membership

    app = create_app({"DATA_DIR": data_dir, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{data_dir / 'dais.sqlite3'}",
                      "RENDER_WORKERS": 0})
    with app.app_context():
        db.create_all()
        meeting = Meeting(slug="bench", title="Bench", status=Meeting.LIVE, place="")
        db.session.add(meeting)
        db.session.flush()
        item = AgendaItem(meeting=meeting, title="Budget", position=0)
        db.session.add(item)
        db.session.add(PdfFile(sha256="0" * 64, size_bytes=1, page_count=500))
        db.session.flush()
        doc = Document(meeting_id=meeting.id, item_id=item.id, sha256="0" * 64, title="Budget", filename="b.pdf")
        db.session.add(doc)
        members = []
        for n in range(tablets + 1):
            user = User(username=f"t{n:05d}", name=f"Tablet {n}")
            db.session.add(user)
            members.append(Membership(meeting=meeting, user=user, role=Membership.CHAIR if n == 0 else Membership.DELEGATE))
        db.session.add_all(members)
        db.session.flush()
        badges = [ensure_badge(SECRET, m) for m in members]
        db.session.commit()
        out = {"meeting": meeting.id, "doc": doc.id, "chair": badges[0], "badges": badges[1:]}
        db.engine.dispose()
    return out


def start(cmd: list[str], env: dict, port: int, log: Path) -> subprocess.Popen:
    """Start a server process and wait until it answers."""
    import requests

    fh = open(log, "wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env, "PORT": str(port), "HOST": "127.0.0.1"},
                            stdout=fh, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
        try:
            requests.get(f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling", timeout=1)
            return proc
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def client_proc(urls: list[str], badges: list, meeting: int | None, pipe, lean: bool = True) -> None:
    """A client process: start its tablets, report ready, record receive times until told to stop."""
    from simulate_tablets import start_tablets

    received: dict[int, list[float]] = {}

    def on_delta(_tablet, msg) -> None:
        if isinstance(msg, dict) and msg.get("seq") is not None and msg.get("kind", "present") == "present":
            received.setdefault(msg["seq"], []).append(time.time())

    async def main() -> None:
        groups = [badges[i::len(urls)] for i in range(len(urls))]
        tablets = []
        for url, group in zip(urls, groups):
            tablets += await start_tablets(url, group, meeting, on_delta, concurrency=25, lean=lean)
        pipe.send("ready")
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, pipe.recv)
        pipe.send({"received": received, "connected": sum(t.client.connected for t in tablets)})
        await asyncio.gather(*(t.stop() for t in tablets), return_exceptions=True)

    asyncio.run(main())


async def chair_turns(url: str, badge: str | None, meeting: int | None, doc: int | None, turns: int,
                      interval: float) -> dict[int, float]:
    """The chair turns `turns` pages; returns seq -> send time."""
    from simulate_tablets import Tablet

    chair = Tablet(url, badge, meeting)
    await chair.start()
    sent: dict[int, float] = {}
    for n in range(turns):
        t0 = time.time()
        if meeting is None:
            ack = await chair.client.call("turn", {"seq": n + 1, "kind": "present", "data": {"page": n + 1}}, timeout=30)
        else:
            ack = await chair.client.call("chair.present", {"meeting": meeting, "document": doc, "page": n + 2}, timeout=30)
        if not ack.get("ok"):
            raise RuntimeError(f"page turn refused: {ack}")
        sent[ack["seq"]] = t0
        await asyncio.sleep(interval)
    await asyncio.sleep(3.0)  # late deliveries count as late, not as missing
    await chair.stop()
    return sent


def measure(urls: list[str], pids: list[int], badges: list, meeting, doc, chair_badge, turns: int, interval: float,
            client_procs: int, lean: bool = True) -> dict:
    """Connect the tablets, turn pages, collect the latencies."""
    ctx = mp.get_context("spawn")
    before = sum(rss_kb(p) for p in pids)
    pipes, procs = [], []
    for k in range(client_procs):
        parent, child = ctx.Pipe()
        p = ctx.Process(target=client_proc, args=(urls, badges[k::client_procs], meeting, child, lean), daemon=True)
        p.start()
        pipes.append(parent)
        procs.append(p)
    for pipe in pipes:
        if not pipe.poll(600) or pipe.recv() != "ready":
            raise RuntimeError("tablets did not connect")
    after = sum(rss_kb(p) for p in pids)
    sent = asyncio.run(chair_turns(urls[0], chair_badge, meeting, doc, turns, interval))
    received: dict[int, list[float]] = {}
    connected = 0
    for pipe in pipes:
        pipe.send("stop")
        part = pipe.recv()
        connected += part["connected"]
        for seq, times in part["received"].items():
            received.setdefault(int(seq), []).extend(times)
    for p in procs:
        p.join(30)
    n = len(badges)
    latencies, last = [], []
    missing = 0
    for seq, t0 in sent.items():
        times = received.get(seq, [])
        missing += n - len(times)
        latencies += [(t - t0) * 1000 for t in times]
        if len(times) == n:
            last.append((max(times) - t0) * 1000)
    latencies.sort()
    q = lambda p: round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1) if latencies else None  # noqa: E731
    print("all delivered per turn (ms):", [round(x) for x in last], flush=True)
    return {"p50_ms": q(0.5), "p99_ms": q(0.99), "all_delivered_p50_ms": round(statistics.median(last), 1) if last else None,
            "missing": missing, "connected": connected, "rss_kb_per_tablet": round((after - before) / max(1, n), 1)}


def run_size(tablets: int, processes: int, turns: int, interval: float, client_procs: int, lean: bool = True) -> dict:
    """Dais and the bare floor for one size."""
    logs = Path(tempfile.mkdtemp(prefix="dais-bench-fanout-"))
    data_dir = logs / "data"
    data_dir.mkdir()
    seeded = seed(data_dir, tablets)
    env = {"DAIS_DATA_DIR": str(data_dir), "SECRET_KEY": SECRET, "DAIS_RENDER_WORKERS": "0", "DATABASE_URL": "",
           "PYTHONUNBUFFERED": "1"}
    if processes > 1:
        env |= {"MESSAGE_QUEUE_URL": REDIS_URL, "MESSAGE_QUEUE_CHANNEL": f"dais-bench-{uuid.uuid4().hex[:8]}"}
    ports = [free_port() for _ in range(processes)]
    servers = [start([sys.executable, "wsgi.py"], env, port, logs / f"dais-{port}.log") for port in ports]
    try:
        dais = measure([f"http://127.0.0.1:{p}" for p in ports], [s.pid for s in servers], seeded["badges"],
                       seeded["meeting"], seeded["doc"], seeded["chair"], turns, interval, client_procs, lean)
    finally:
        for s in servers:
            s.terminate()
        for s in servers:
            try:
                s.wait(15)
            except subprocess.TimeoutExpired:
                s.kill()
    bare_port = free_port()
    bare = start([sys.executable, "-c", BARE_SERVER, str(bare_port)], {}, bare_port, logs / "bare.log")
    try:
        floor = measure([f"http://127.0.0.1:{bare_port}"], [bare.pid], [None] * tablets, None, None, None,
                        turns, interval, client_procs, lean)
    finally:
        bare.terminate()
        bare.wait(15)
    result = {"tablets": tablets, "processes": processes, "client": "lean" if lean else "socketio", **{k: dais[k] for k in
              ("p50_ms", "p99_ms", "all_delivered_p50_ms", "rss_kb_per_tablet", "missing", "connected")},
              "bare_p50_ms": floor["p50_ms"], "bare_p99_ms": floor["p99_ms"],
              "bare_all_delivered_p50_ms": floor["all_delivered_p50_ms"]}
    if dais["all_delivered_p50_ms"] and floor["all_delivered_p50_ms"]:
        result["ratio_all_delivered"] = round(dais["all_delivered_p50_ms"] / floor["all_delivered_p50_ms"], 2)
    print(json.dumps(result), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,500,1000")
    parser.add_argument("--two-process", type=int, default=2000, help="tablets for the 2-process Redis run (0: skip)")
    parser.add_argument("--turns", type=int, default=12)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between page turns")
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--client", choices=("lean", "socketio"), default="lean",
                        help="the tablets' client: the wire-protocol LeanTablet (default) or python-socketio's")
    args = parser.parse_args()
    lean = args.client == "lean"
    results = [run_size(int(n), 1, args.turns, args.interval, args.client_procs, lean) for n in args.sizes.split(",") if n]
    if args.two_process:
        results.append(run_size(args.two_process, 2, args.turns, args.interval, args.client_procs, lean))
    print(json.dumps({"results": results}))


if __name__ == "__main__":
    main()
