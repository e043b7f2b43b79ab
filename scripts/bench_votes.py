#!/usr/bin/env python
"""Benchmark: 500 delegates cast ballots within one second against a real server (wsgi.py, gevent).

For each database (SQLite, and PostgreSQL when reachable) it seeds a live meeting with N delegates (badges)
and one secret vote per round, starts `python wsgi.py`, signs every delegate in with their badge, and runs
rounds. In each round N Socket.IO clients (spread over a few client processes) connect, the chair opens the
round's vote, every client casts one ballot at a uniformly spread instant within one second, and the ack
round-trip is timed; then the vote is closed and the seconds until the result reached every tablet are
measured. After the rounds it checks that every ballot was acknowledged and is in the database
(participations = acks = the counters' sum = the closed tally, per vote).
The floor, measured in the same round just before: the same clients against a bare Flask-SocketIO gevent
server whose `vote.cast` writes nothing; and a second floor, the same bare server committing each ballot as
one row with the driver itself (sqlite3, psycopg).

    .venv/bin/python scripts/bench_votes.py [--delegates 500] [--spread 1.0] [--procs 4] [--rounds 3]
        [--no-postgres] [--no-sqlite]
        [--profile "py-spy record -f raw -o prof.txt --"]   # run the server under a profiler
        [--dump acks.jsonl]   # every ack with the instant it was sent, per run

The last line of stdout is one JSON object: {"results": [{database, rounds, ballots, acked, lost,
tally_matches_db, ack_p50_ms, ack_p99_ms, bare_ack_p99_ms, results_on_all_tablets_s, server_cpu_ms_per_ballot,
bare_cpu_ms_per_ballot, bare_ack_p50_ms, bare_commit_ack_p50_ms, bare_commit_ack_p99_ms, p99_ratio_to_bare,
p99_ratio_to_bare_commit, round_ratios}, ...]}: ballots, acked and lost over all rounds; the times are the
medians of the rounds' figures (a round's p99 is that of its N acks); the ratios are those of the medians, and
round_ratios each round's own. Server CPU is counted from the vote's opening to the last ack, per ballot. Each
round's figures go to stderr as they come.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import shutil
import signal
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
PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SECRET = "bench-" + uuid.uuid4().hex

BARE_SERVER = textwrap.dedent("""
    from gevent import monkey; monkey.patch_all()
    import sys
    from flask import Flask
    from flask_socketio import SocketIO
    app = Flask(__name__)
    sio = SocketIO(app, async_mode="gevent")

    @sio.on("meeting.join")
    def join(data):
        return {"ok": True}

    @sio.on("vote.cast")
    def cast(data):
        return {"ok": True, "ballot": {"vote_id": data.get("vote")}}

    sio.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_output=False)
""")


# A second floor: the same bare server, but each ballot is INSERTed and COMMITted (one row, one commit, the
# driver called directly, the same durability settings as Dais) before the ack: what storing a ballot costs at
# the least, without authorisation, validation, counters or secrecy.
BARE_COMMIT_SERVER = textwrap.dedent("""
    from gevent import monkey; monkey.patch_all()
    import sys
    from gevent.lock import Semaphore
    from flask import Flask
    from flask_socketio import SocketIO
    port, url = int(sys.argv[1]), sys.argv[2]
    if url.startswith("sqlite:"):
        import sqlite3
        conn = sqlite3.connect(url.split("///", 1)[1], isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL"); conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("CREATE TABLE IF NOT EXISTS ballots (id INTEGER PRIMARY KEY, voter TEXT, vote INTEGER, option INTEGER)")
        def store(voter, vote, option):
            conn.execute("BEGIN")
            conn.execute("INSERT INTO ballots (voter, vote, option) VALUES (?, ?, ?)", (voter, vote, option))
            conn.execute("COMMIT")
    else:
        import psycopg
        conn = psycopg.connect(url)
        conn.execute("CREATE TABLE IF NOT EXISTS ballots (id serial PRIMARY KEY, voter text, vote int, option int)"); conn.commit()
        def store(voter, vote, option):
            conn.execute("INSERT INTO ballots (voter, vote, option) VALUES (%s, %s, %s)", (voter, vote, option))
            conn.commit()
    lock = Semaphore()
    app = Flask(__name__)
    sio = SocketIO(app, async_mode="gevent")

    @sio.on("vote.cast")
    def cast(data):
        from flask import request
        with lock:
            store(request.sid, data.get("vote"), (data.get("options") or [0])[0])
        return {"ok": True, "ballot": {"vote_id": data.get("vote")}}

    sio.run(app, host="127.0.0.1", port=port, log_output=False)
""")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


# ----- client worker processes -----

def worker(conn, base: str, cookies: list[str | None], lean: bool = True) -> None:
    """One client process: connect its share of tablets, cast on command, report latencies and arrivals."""
    asyncio.run(_worker(conn, base, cookies, lean))


async def _worker(conn, base: str, cookies: list[str | None], lean: bool) -> None:
    import aiohttp
    import socketio

    sys.path.insert(0, str(ROOT / "scripts"))
    from simulate_tablets import WireSocket

    loop = asyncio.get_running_loop()
    clients = []
    closed_at: dict[int, float] = {}
    # one HTTP session for this process's sockets, without aiohttp's default cap of 100 connections
    http = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar(), connector=aiohttp.TCPConnector(limit=0)) if lean else None

    async def connect(i: int, cookie: str | None):
        def delta(msg):
            if msg.get("kind") == "vote.closed":
                closed_at.setdefault(i, time.time())

        headers = {"Cookie": cookie} if cookie else {}
        if lean:  # the wire-protocol client of simulate_tablets.py (see there why)
            sio = WireSocket()
            sio.on("live.delta", delta)
            await sio.connect(base, http, headers=headers)
        else:
            sio = socketio.AsyncClient(reconnection=False, http_session=None)
            sio.on("live.delta", delta)
            await sio.connect(base, headers=headers, transports=["websocket"], wait_timeout=30)
        clients.append((i, sio))

    # Connect in small batches: a real room's tablets do not all connect in the same millisecond.
    for start in range(0, len(cookies), 25):
        await asyncio.gather(*(connect(start + n, c) for n, c in enumerate(cookies[start:start + 25])))
    clients.sort()
    msg = await loop.run_in_executor(None, conn.recv)  # {"join": meeting_id or None}
    if msg.get("join"):
        acks = []
        for start in range(0, len(clients), 25):  # tablets join as they connect, not all in one instant
            acks += await asyncio.gather(*(sio.call("meeting.join", {"meeting": msg["join"]}, timeout=120)
                                           for _, sio in clients[start:start + 25]), return_exceptions=True)
        acks = [a if isinstance(a, dict) else {"ok": False, "error": repr(a)} for a in acks]
        bad = [a for a in acks if not a.get("ok")]
        conn.send({"joined": len(acks) - len(bad), "errors": bad[:3]})
    else:
        conn.send({"joined": len(clients), "errors": []})
    go = await loop.run_in_executor(None, conn.recv)  # {"vote", "meeting", "options", "at", "offsets"}
    latencies: list[float] = []
    sent: list[float] = []
    results: list[dict] = []

    async def cast(idx: int, sio, offset: float):
        await asyncio.sleep(max(0.0, go["at"] + offset - time.time()))
        option = go["options"][idx % len(go["options"])]
        t0 = time.perf_counter()
        try:
            ack = await sio.call("vote.cast", {"meeting": go["meeting"], "vote": go["vote"], "options": [option]},
                                 timeout=60)
        except Exception as exc:  # noqa: BLE001 - counted as not acknowledged
            ack = {"ok": False, "error": "client", "message": repr(exc)}
        latencies.append((time.perf_counter() - t0) * 1000)
        sent.append(time.time() - (time.perf_counter() - t0))
        results.append(ack)

    await asyncio.gather(*(cast(i, sio, go["offsets"][n]) for n, (i, sio) in enumerate(clients)))
    conn.send({"sent": sent, "latencies": latencies, "ok": sum(1 for r in results if r.get("ok")),
               "errors": [r for r in results if not r.get("ok")][:3]})
    msg = await loop.run_in_executor(None, conn.recv)  # {"await_close": timeout} or {"stop": True}
    if msg.get("await_close"):
        deadline = time.time() + msg["await_close"]
        while len(closed_at) < len(clients) and time.time() < deadline:
            await asyncio.sleep(0.01)
        conn.send({"closed": list(closed_at.values()), "missing": len(clients) - len(closed_at)})
    await asyncio.gather(*(sio.disconnect() for _, sio in clients), return_exceptions=True)
    if http is not None:
        await http.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process and its child processes (the server's ballot writer and render
    worker) have used so far (Linux)."""
    total = 0.0
    for one in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # ended meanwhile
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _children(pid: int) -> list[int]:
    try:
        return [int(k) for k in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def run_clients(base: str, cookies: list[str | None], procs: int, join: int | None, go_builder, spread: float,
                close_fn=None, server_pid: int | None = None, lean: bool = True) -> dict:
    """Spread the tablets over `procs` processes, make them cast, optionally close and time the results."""
    shares = [cookies[n::procs] for n in range(procs)]
    pipes, workers = [], []
    for share in shares:
        parent, child = mp.Pipe()
        p = mp.Process(target=worker, args=(child, base, share, lean), daemon=True)
        p.start()
        pipes.append(parent)
        workers.append(p)
    for pipe in pipes:
        pipe.send({"join": join})
    joined = [pipe.recv() for pipe in pipes]
    go = go_builder()
    start = time.time() + 0.5
    total = len(cookies)
    for n, pipe in enumerate(pipes):
        count = len(shares[n])
        # Client k of process n is tablet number n + k*procs of N: spread evenly over `spread` seconds.
        offsets = [((n + k * procs) / total) * spread for k in range(count)]
        pipe.send({**go, "at": start, "offsets": offsets})
    cpu0 = cpu_seconds(server_pid) if server_pid else 0.0
    cast = [pipe.recv() for pipe in pipes]
    cpu = cpu_seconds(server_pid) - cpu0 if server_pid else None
    if os.environ.get("BENCH_DUMP"):  # --dump: one line per run, [[sent at (epoch s), ack ms], ...]
        with open(os.environ["BENCH_DUMP"], "a") as f:
            f.write(json.dumps([[s, l] for c in cast for s, l in zip(c["sent"], c["latencies"])]) + "\n")
    out = {"server_cpu_s": cpu, "joined": sum(j["joined"] for j in joined), "join_errors": [e for j in joined for e in j["errors"]],
           "latencies": [x for c in cast for x in c["latencies"]], "acked": sum(c["ok"] for c in cast),
           "errors": [e for c in cast for e in c["errors"]][:5]}
    if close_fn is not None:
        time.sleep(0.6)  # let the throttled ballot counter settle, as a chair would glance at it
        for pipe in pipes:
            pipe.send({"await_close": 20})
        t_close = close_fn()
        arrivals = [pipe.recv() for pipe in pipes]
        times = [t for a in arrivals for t in a["closed"]]
        out["missing_results"] = sum(a["missing"] for a in arrivals)
        out["results_on_all_tablets_s"] = round(max(times) - t_close, 3) if times and not out["missing_results"] else None
    else:
        for pipe in pipes:
            pipe.send({"stop": True})
    for p in workers:
        p.join(30)
    return out


# ----- the real server -----

def seed(url: str, data_dir: Path, delegates: int, votes: int = 1) -> dict:
    """Migrate and create the meeting, the chair, N delegates with badges and `votes` secret draft votes (one
    per round)."""
    env = {**os.environ, "DAIS_DATA_DIR": str(data_dir), "SECRET_KEY": SECRET, "DATABASE_URL": url, "FLASK_APP": "app"}
    subprocess.run([sys.executable, "-m", "flask", "db", "upgrade", "heads"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    os.environ.update({"DAIS_DATA_DIR": str(data_dir), "SECRET_KEY": SECRET})
    from app import create_app
    from app.auth.models import User
    from app.auth.service import ensure_badge
    from app.extensions import db
    from app.meetings.models import AgendaItem, Meeting, Membership
    from app.voting import service
    from app.voting.schemas import VoteSpec

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": data_dir})
    with app.app_context():
        meeting = Meeting(slug="bench", title="Benchmark congress", status=Meeting.LIVE, place="Hall")
        db.session.add(meeting)
        db.session.flush()
        db.session.add(AgendaItem(meeting=meeting, position=0, title="Budget"))
        chair = User(username="bench-chair", name="Chair")
        chair.set_password("bench-chair-pw")
        db.session.add(chair)
        db.session.flush()
        db.session.add(Membership(meeting=meeting, user=chair, role=Membership.CHAIR, seat="C"))
        users = [User(username=f"bench-d{n}", name=f"Delegate {n}") for n in range(delegates)]
        db.session.add_all(users)
        db.session.flush()
        members = [Membership(meeting=meeting, user=u, role=Membership.DELEGATE, seat=f"D{n}", vote_weight=1 + n % 3)
                   for n, u in enumerate(users)]
        db.session.add_all(members)
        db.session.flush()
        tokens = [ensure_badge(SECRET, m) for m in members]
        made = [service.create_vote(meeting, chair, VoteSpec(question=f"Adopt the budget, part {n + 1}?", secret=True))
                for n in range(votes)]
        db.session.commit()
        out = {"meeting": meeting.id, "votes": [{"vote": v.id, "options": [o.id for o in v.options]} for v in made],
               "tokens": tokens}
        db.session.remove()
        db.engine.dispose()
    return out


def sign_in(base: str, tokens: list[str]) -> list[str]:
    """Each delegate scans their badge: the session cookie of each."""
    import requests
    from concurrent.futures import ThreadPoolExecutor

    def one(token: str) -> str:
        r = requests.get(f"{base}/t/{token}", allow_redirects=False, timeout=30)
        if r.status_code not in (200, 302, 303):
            raise RuntimeError(f"badge sign-in failed: {r.status_code}")
        return "; ".join(f"{k}={v}" for k, v in r.cookies.items())

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, tokens))


def db_check(url: str, data_dir: Path, vote_id: int) -> dict:
    """What the database holds after close: participations, the counters, the stored tally."""
    from app import create_app
    from app.extensions import db
    import sqlalchemy as sa

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": data_dir})
    with app.app_context():
        parts = db.session.scalar(sa.text("SELECT count(*) FROM vote_participations WHERE vote_id = :v"), {"v": vote_id})
        counted = db.session.scalar(sa.text("SELECT coalesce(sum(ballots), 0) FROM vote_options WHERE vote_id = :v"), {"v": vote_id})
        weight = db.session.scalar(sa.text("SELECT coalesce(sum(weight), 0) FROM vote_participations WHERE vote_id = :v"), {"v": vote_id})
        wcount = db.session.scalar(sa.text("SELECT coalesce(sum(weight), 0) FROM vote_options WHERE vote_id = :v"), {"v": vote_id})
        from app.voting.models import Vote

        vote = db.session.get(Vote, vote_id)
        out = {"participations": int(parts), "counted": int(counted), "state": vote.state,
               "result_ballots": (vote.result or {}).get("ballots"), "weights_match": int(weight) == int(wcount)}
        db.session.remove()
        db.engine.dispose()
    return out


class DaisServer:
    """The real server on one database, seeded with one vote per round, its delegates signed in."""

    def __init__(self, name: str, url: str | None, args) -> None:
        self.name, self.args = name, args
        self.data_dir = Path(tempfile.mkdtemp(prefix=f"bench-votes-{name}-"))
        self.url = url or f"sqlite:///{self.data_dir / 'dais.sqlite3'}"
        self.proc: subprocess.Popen | None = None
        self.log = None

    def start(self) -> None:
        import requests

        args = self.args
        self.seeded = seed(self.url, self.data_dir, args.delegates, args.rounds)
        port = free_port()
        env = {**os.environ, "DAIS_DATA_DIR": str(self.data_dir), "SECRET_KEY": SECRET, "DATABASE_URL": self.url,
               "PORT": str(port), "HOST": "127.0.0.1", "DAIS_LOGIN_RATE_LIMIT": "100000 per minute",
               "DAIS_ASYNC_MODE": "gevent"}
        self.log = open(self.data_dir / "server.log", "wb")
        cmd = [sys.executable, "wsgi.py"]
        if args.profile:  # py-spy's flame graph of the server, e.g. --profile "py-spy record -o out.svg --"
            cmd = args.profile.split() + cmd
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{port}"
        wait_http(self.base + "/login", self.proc)
        self.cookies = sign_in(self.base, self.seeded["tokens"])
        self.chair = requests.Session()
        page = self.chair.get(self.base + "/login", timeout=10).text
        csrf = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        self.chair.post(self.base + "/login", data={"username": "bench-chair", "password": "bench-chair-pw",
                                                    "csrf_token": csrf}, timeout=10)
        home = self.chair.get(self.base + "/", timeout=10).text  # sign-in starts a new session: a new CSRF token
        csrf = home.split('name="csrf-token" content="')[1].split('"')[0]
        self.headers = {"X-CSRFToken": csrf, "Accept": "application/json"}

    def round(self, n: int) -> dict:
        """Round n: open vote n, every delegate casts once, close it and time the results on every tablet."""
        vote = self.seeded["votes"][n]

        def go():
            r = self.chair.post(f"{self.base}/api/votes/{vote['vote']}/open", headers=self.headers, timeout=30)
            if r.status_code != 200:
                raise RuntimeError(f"open failed: {r.status_code} {r.text[:300]}")
            return {"vote": vote["vote"], "meeting": self.seeded["meeting"], "options": vote["options"]}

        def close():
            t = time.time()
            r = self.chair.post(f"{self.base}/api/votes/{vote['vote']}/close", headers=self.headers, timeout=30)
            if r.status_code != 200:
                raise RuntimeError(f"close failed: {r.status_code} {r.text[:300]}")
            return t

        run = run_clients(self.base, self.cookies, self.args.procs, self.seeded["meeting"], go, self.args.spread,
                          close, self.proc.pid, lean=self.args.client == "lean")
        if run["errors"] or run["join_errors"]:
            print(f"{self.name}: errors {run['join_errors'][:2]} {run['errors'][:3]}", file=sys.stderr)
            errors = [line for line in (self.data_dir / "server.log").read_text(errors="replace").splitlines()
                      if "ERROR" in line or "Error" in line]
            print("\n".join(errors[-20:]), file=sys.stderr)
        return run

    def pause(self, stop: bool) -> None:
        """Stop (SIGSTOP) or continue the server and its child processes: while the floors run, nothing of
        Dais's (its timers, the render workers' polls) takes the machine from them."""
        if self.proc is None:
            return
        pids = [self.proc.pid]
        for pid in pids:  # the children, and theirs
            pids.extend(_children(pid))
        for pid in pids:
            try:
                os.kill(pid, signal.SIGSTOP if stop else signal.SIGCONT)
            except ProcessLookupError:
                pass

    def stop(self) -> None:
        if self.proc is not None:
            self.pause(False)
            self.proc.send_signal(signal.SIGINT if self.args.profile else signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.log is not None:
            self.log.close()

    def check(self, n: int) -> dict:
        return db_check(self.url, self.data_dir, self.seeded["votes"][n]["vote"])

    def clean(self) -> None:
        if os.environ.get("BENCH_KEEP_LOG"):  # keep the server's log to read after the run
            shutil.copy(self.data_dir / "server.log", os.environ["BENCH_KEEP_LOG"])
        shutil.rmtree(self.data_dir, ignore_errors=True)


def bench_database(name: str, url: str | None, commit_url: str, args) -> dict:
    """`args.rounds` rounds, each: the write-nothing floor, the committing floor, then Dais (a fresh vote),
    one after the other, so that all three meet the machine in the same minute. Figures per round, and their
    medians."""
    server = DaisServer(name, url, args)
    rounds = []
    try:
        server.start()
        for n in range(args.rounds):
            server.pause(True)
            try:
                bare = bench_bare(args)
                committed = bench_bare(args, commit_url)
            finally:
                server.pause(False)
            time.sleep(0.5)  # the server catches up on what its timers missed
            run = server.round(n)
            lat = run["latencies"]
            rounds.append({"acked": run["acked"], "ack_p50_ms": round(pct(lat, 50), 1), "ack_p99_ms": round(pct(lat, 99), 1),
                           "bare_ack_p50_ms": bare["p50"], "bare_ack_p99_ms": bare["p99"],
                           "bare_commit_ack_p50_ms": committed["p50"], "bare_commit_ack_p99_ms": committed["p99"],
                           "results_on_all_tablets_s": run.get("results_on_all_tablets_s"),
                           "server_cpu_ms_per_ballot": round(run["server_cpu_s"] * 1000 / args.delegates, 3),
                           "bare_cpu_ms_per_ballot": bare["cpu_ms"]})
            print(json.dumps({"database": name, "round": n + 1, **rounds[-1]}), file=sys.stderr)
    finally:
        server.stop()
    try:
        checks = [server.check(n) for n in range(len(rounds))]
    finally:
        server.clean()

    def median(key: str) -> float:
        values = [r[key] for r in rounds if r[key] is not None]
        return round(statistics.median(values), 3) if values else None

    acked = sum(r["acked"] for r in rounds)
    stored = sum(c["participations"] for c in checks)
    row = {
        "database": name, "rounds": len(rounds), "ballots": args.delegates * len(rounds), "acked": acked,
        "lost": args.delegates * len(rounds) - stored,
        "tally_matches_db": all(c["participations"] == r["acked"] == c["counted"] == c["result_ballots"] and c["weights_match"]
                                for c, r in zip(checks, rounds)),
        # medians over the rounds (each round's p99 is that of its 500 acks)
        **{key: median(key) for key in ("ack_p50_ms", "ack_p99_ms", "bare_ack_p50_ms", "bare_ack_p99_ms",
                                         "bare_commit_ack_p50_ms", "bare_commit_ack_p99_ms", "results_on_all_tablets_s",
                                         "server_cpu_ms_per_ballot", "bare_cpu_ms_per_ballot")},
    }
    row["p99_ratio_to_bare"] = round(row["ack_p99_ms"] / row["bare_ack_p99_ms"], 2) if row["bare_ack_p99_ms"] else None
    row["p99_ratio_to_bare_commit"] = round(row["ack_p99_ms"] / row["bare_commit_ack_p99_ms"], 2) \
        if row["bare_commit_ack_p99_ms"] else None
    row["round_ratios"] = [round(r["ack_p99_ms"] / r["bare_ack_p99_ms"], 2) if r["bare_ack_p99_ms"] else None for r in rounds]
    return row


def bench_bare(args, commit_url: str | None = None) -> dict:
    """The floor: the bare server (writes nothing), or with commit_url the bare server that commits each ballot."""
    port = free_port()
    cmd = [sys.executable, "-c", BARE_SERVER, str(port)] if commit_url is None else \
        [sys.executable, "-c", BARE_COMMIT_SERVER, str(port), commit_url]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/socket.io/?EIO=4&transport=polling", proc)
        run = run_clients(base, [None] * args.delegates, args.procs, None,
                          lambda: {"vote": 1, "meeting": 1, "options": [1, 2, 3]}, args.spread, server_pid=proc.pid,
                          lean=args.client == "lean")
    finally:
        proc.terminate()
        proc.wait(10)
    lat = run["latencies"]
    return {"acked": run["acked"], "p50": round(pct(lat, 50), 1), "p99": round(pct(lat, 99), 1),
            "cpu_ms": round(run["server_cpu_s"] * 1000 / args.delegates, 3)}


def postgres_url() -> tuple[str, str] | None:
    """A fresh PostgreSQL database for the run (name, url), or None when no server answers."""
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except Exception:
        return None
    name = f"dais_bench_votes_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    from app.config import normalise_db_url

    return name, normalise_db_url(PG_ADMIN.rsplit("/", 1)[0] + "/" + name)


def drop_pg(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegates", type=int, default=500)
    parser.add_argument("--spread", type=float, default=1.0, help="seconds over which the ballots arrive")
    parser.add_argument("--procs", type=int, default=4, help="client processes")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of floor, committing floor and Dais (medians "
                        "are reported: one round's p99 is its five slowest acks, which one hiccup of a shared "
                        "machine decides)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--dump", default="", help="append each run's [[sent at, ack ms], ...] to this file "
                        "(per database: the bare floor, the committing floor, then Dais), to see when slow acks happen")
    parser.add_argument("--profile", default="", help="a command to run the server under (a profiler)")
    parser.add_argument("--client", choices=("lean", "socketio"), default="lean",
                        help="the tablets' client: simulate_tablets.WireSocket (default) or python-socketio's")
    args = parser.parse_args()
    if args.dump:  # read by the client-running code of every run (run_clients)
        os.environ["BENCH_DUMP"] = args.dump
    mp.set_start_method("spawn")
    results = []
    targets = [] if args.no_sqlite else [("sqlite", None)]
    pg = None if args.no_postgres else postgres_url()
    pg_floor = None if args.no_postgres or not pg else postgres_url()
    if pg:
        targets.append(("postgresql", pg[1]))
    floor_dir = Path(tempfile.mkdtemp(prefix="bench-votes-floor-"))
    try:
        for name, url in targets:
            commit_url = f"sqlite:///{floor_dir / 'floor.sqlite3'}" if name == "sqlite" else \
                pg_floor[1].replace("postgresql+psycopg://", "postgresql://")
            row = bench_database(name, url, commit_url, args)
            print(json.dumps(row), file=sys.stderr)
            results.append(row)
    finally:
        shutil.rmtree(floor_dir, ignore_errors=True)
        for made in (pg, pg_floor):
            if made:
                drop_pg(made[0])
    print(json.dumps({"results": results}))


if __name__ == "__main__":
    main()
