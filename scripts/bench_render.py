#!/usr/bin/env python
"""Benchmark: a secretary uploads a 300-page PDF during a live meeting; how fast do its pages appear?

1. Builds a 300-page PDF from the pages of agendas/demo/*.pdf (text, tables, images), repeated.
2. Seeds a live meeting (SQLite by default; --postgres for the local PostgreSQL), starts `python wsgi.py`
   (gevent, 2 render workers), signs in the secretary and a delegate.
3. A Socket.IO client in its own process joins the meeting and sends `live.snapshot` 8 times a second,
   measuring the ack round trip for the whole render (the server that holds the sockets must keep answering).
4. Uploads the PDF; measures seconds until the delegate gets page 1 at tablet width, and until every page is
   ready at tablet width (progress endpoint), thumbnails included.
5. The floor: `pdftoppm -png` rendering the same pages at the same width, in the same run, after the server stopped.
6. Also: encode size and time of PNG, JPEG and WebP on the demo pages at tablet width (the format choice).

    .venv/bin/python scripts/bench_render.py [--pages 300] [--postgres] [--skip-formats]

The last line of stdout is one JSON object: pages, width_px, pages_per_s, pdftoppm_pages_per_s, ratio,
first_page_s, all_pages_s, heartbeat_p50_ms, heartbeat_p99_ms, ...
"""
from __future__ import annotations

import argparse
import io
import json
import multiprocessing as mp
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECRET = "bench-" + uuid.uuid4().hex
WIDTH = 1280
PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def build_pdf(path: Path, pages: int) -> Path:
    """A long agenda pack: the demo pages again and again (each repetition is a new page to draw)."""
    import pymupdf

    sources = [pymupdf.open(p) for p in sorted((ROOT / "agendas" / "demo").glob("*.pdf"))]
    out = pymupdf.open()
    while out.page_count < pages:
        for src in sources:
            for n in range(src.page_count):
                if out.page_count >= pages:
                    break
                out.insert_pdf(src, from_page=n, to_page=n)
                out[-1].insert_text((36, 24), f"Pack page {out.page_count}", fontsize=8)
    out.save(path, garbage=3, deflate=True)
    return path


def compare_formats() -> dict:
    """Median encoded size (KB) and encode time (ms) per format on the demo pages at tablet width."""
    import pymupdf
    from PIL import Image

    def pil(fmt, **kw):
        def enc(pix):
            im = Image.frombuffer("RGB", (pix.width, pix.height), pix.samples_mv, "raw", "RGB", 0, 1)
            buf = io.BytesIO()
            im.save(buf, fmt, **kw)
            return buf.getvalue()
        return enc

    from app.documents.render import encode_png

    encoders = {
        "png (Dais)": encode_png,
        "png (MuPDF)": lambda pix: pix.tobytes("png"),
        "jpeg q85 4:2:0": pil("JPEG", quality=85),
        "jpeg q90 4:4:4": pil("JPEG", quality=90, subsampling=0),
        "webp q80": pil("WEBP", quality=80, method=0),
        "webp q90": pil("WEBP", quality=90, method=0),
        "webp lossless": pil("WEBP", lossless=True, quality=0, method=0),
    }
    sizes = {k: [] for k in encoders}
    times = {k: [] for k in encoders}
    render_ms = []
    for path in sorted((ROOT / "agendas" / "demo").glob("*.pdf")):
        doc = pymupdf.open(path)
        for page in doc:
            zoom = WIDTH / page.rect.width
            t = time.perf_counter()
            pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
            render_ms.append((time.perf_counter() - t) * 1000)
            for name, enc in encoders.items():
                t = time.perf_counter()
                data = enc(pix)
                times[name].append((time.perf_counter() - t) * 1000)
                sizes[name].append(len(data) / 1024)
    table = {name: {"kb": round(statistics.median(sizes[name])), "ms": round(statistics.median(times[name]), 1)}
             for name in encoders}
    return {"pages": len(render_ms), "render_ms": round(statistics.median(render_ms), 1), "formats": table}


def pdftoppm(pdf: Path, out: Path, fmt: str) -> float:
    """Seconds for pdftoppm to render every page at WIDTH px wide (fmt: png or ppm)."""
    if not shutil.which("pdftoppm"):
        raise SystemExit("pdftoppm is missing: apt-get install poppler-utils")
    out.mkdir(parents=True, exist_ok=True)
    args = ["pdftoppm", "-scale-to-x", str(WIDTH), "-scale-to-y", "-1"] + (["-png"] if fmt == "png" else [])
    t = time.perf_counter()
    subprocess.run(args + [str(pdf), str(out / "p")], check=True, capture_output=True)
    return time.perf_counter() - t


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(url: str, data_dir: Path) -> dict:
    """Migrate; a live meeting with one item, a secretary (password) and a delegate (password)."""
    env = {**os.environ, "DAIS_DATA_DIR": str(data_dir), "SECRET_KEY": SECRET, "DATABASE_URL": url, "FLASK_APP": "app"}
    subprocess.run([sys.executable, "-m", "flask", "db", "upgrade", "heads"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    os.environ.update({"DAIS_DATA_DIR": str(data_dir), "SECRET_KEY": SECRET})
    from app import create_app
    from app.auth.models import User
    from app.extensions import db
    from app.meetings.models import AgendaItem, Meeting, Membership

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": data_dir, "RENDER_WORKERS": 0})
    with app.app_context():
        meeting = Meeting(slug="bench", title="Render benchmark", status=Meeting.LIVE, place="Hall")
        db.session.add(meeting)
        db.session.flush()
        item = AgendaItem(meeting=meeting, position=0, title="Budget")
        db.session.add(item)
        for name, role in (("bench-sec", Membership.SECRETARY), ("bench-del", Membership.DELEGATE)):
            user = User(username=name, name=name)
            user.set_password(name + "-pw")
            db.session.add(user)
            db.session.flush()
            db.session.add(Membership(meeting=meeting, user=user, role=role, seat=name[-3:]))
        db.session.commit()
        out = {"meeting": meeting.id, "item": item.id}
        db.session.remove()
        db.engine.dispose()
    return out


def sign_in(base: str, username: str):
    """A requests session signed in with a password; returns (session, csrf token)."""
    import requests

    s = requests.Session()
    page = s.get(base + "/login", timeout=30).text
    csrf = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    r = s.post(base + "/login", data={"username": username, "password": username + "-pw", "csrf_token": csrf}, timeout=30)
    if r.status_code >= 400:
        raise RuntimeError(f"sign-in of {username} failed: {r.status_code}")
    home = s.get(base + "/", timeout=30).text
    return s, home.split('name="csrf-token" content="')[1].split('"')[0]


def heartbeat(conn, base: str, cookie: str, meeting: int) -> None:
    """Client process: join the meeting, then `live.snapshot` 8 times a second (under the live layer's
    rate limit of 10 per second); send back (t, ms) per ack."""
    import socketio

    sio = socketio.Client(reconnection=False)
    sio.connect(base, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=30)
    reply = sio.call("meeting.join", {"meeting": meeting}, timeout=30)
    if not reply or not reply.get("ok", True) is True:
        conn.send(("error", reply))
        return
    conn.send(("ready", None))
    samples, failures = [], 0
    while not conn.poll():
        t = time.perf_counter()
        try:
            ack = sio.call("live.snapshot", {"meeting": meeting}, timeout=10)
            ok = isinstance(ack, dict) and ack.get("ok", True)
        except Exception:
            ok = False
        ms = (time.perf_counter() - t) * 1000
        if ok:
            samples.append((time.time(), ms))
        else:
            failures += 1
        time.sleep(max(0.0, 0.125 - ms / 1000))
    sio.disconnect()
    conn.send(("done", {"samples": samples, "failures": failures}))


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run_server_bench(url: str | None, pdf: Path, pages: int) -> dict:
    """Upload during a live meeting against `python wsgi.py`; first page, all pages, heartbeat latency."""
    import requests

    data_dir = Path(tempfile.mkdtemp(prefix="bench-render-"))
    url = url or f"sqlite:///{data_dir / 'dais.sqlite3'}"
    seeded = seed(url, data_dir)
    port = free_port()
    env = {**os.environ, "DAIS_DATA_DIR": str(data_dir), "SECRET_KEY": SECRET, "DATABASE_URL": url,
           "PORT": str(port), "HOST": "127.0.0.1", "DAIS_ASYNC_MODE": "gevent", "DAIS_RENDER_WORKERS": "2",
           "DAIS_LOGIN_RATE_LIMIT": "1000 per minute"}
    log = open(data_dir / "server.log", "wb")
    proc = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    hb = None
    try:
        deadline = time.time() + 60
        while True:
            try:
                if requests.get(base + "/login", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("server did not start; see " + str(data_dir / "server.log"))
            time.sleep(0.2)
        sec, csrf = sign_in(base, "bench-sec")
        delegate, _ = sign_in(base, "bench-del")
        upload_url = f"{base}/meetings/bench/items/{seeded['item']}/documents"
        headers = {"X-CSRFToken": csrf, "Accept": "application/json"}

        def upload(path: Path, name: str) -> dict:
            with open(path, "rb") as fh:
                r = sec.post(upload_url, files={"pdf": (name, fh, "application/pdf")}, data={"csrf_token": csrf},
                             headers=headers, timeout=120)
            if r.status_code != 200:
                raise RuntimeError(f"upload failed: {r.status_code} {r.text[:300]}")
            return r.json()["document"]

        def wait_done(doc_id: int, timeout: float = 600) -> float:
            t0 = time.perf_counter()
            while time.perf_counter() - t0 < timeout:
                p = delegate.get(f"{base}/api/documents/{doc_id}/progress", timeout=30).json()
                if p["done"]:
                    return time.perf_counter() - t0
                time.sleep(0.05)
            raise RuntimeError("render did not finish")

        # Warm-up: the pool starts with the first request; one small upload proves the workers run.
        import pymupdf

        warm = data_dir / "warm.pdf"
        d = pymupdf.open()
        d.new_page().insert_text((72, 72), "warm-up")
        d.save(warm)
        wait_done(upload(warm, "warm.pdf")["id"], 60)

        parent, child = mp.Pipe()
        cookie = "; ".join(f"{k}={v}" for k, v in delegate.cookies.items())
        hb = mp.get_context("spawn").Process(target=heartbeat, args=(child, base, cookie, seeded["meeting"]))
        hb.start()
        kind, info = parent.recv()
        if kind != "ready":
            raise RuntimeError(f"heartbeat client could not join: {info}")
        t_idle = time.time()
        time.sleep(3.0)  # the floor: heartbeats while nothing renders

        t_start = time.time()
        t0 = time.perf_counter()
        doc = upload(pdf, "pack-300.pdf")
        upload_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        meta = delegate.get(f"{base}/api/documents/{doc['id']}", timeout=30).json()
        first_url = base + meta["page_url"].replace("{page}", "1").replace("{width}", str(WIDTH))
        while True:
            r = delegate.get(first_url, timeout=30)
            if r.status_code == 200:
                break
            time.sleep(0.02)
        first_page_s = time.perf_counter() - t1
        all_pages_s = wait_done(doc["id"]) + first_page_s
        t_end = time.time()
        # A page deep in the document, not yet asked for by anyone, at the zoom width: made on demand.
        t2 = time.perf_counter()
        zoom_url = base + meta["page_url"].replace("{page}", str(pages - 7)).replace("{width}", "2560")
        while delegate.get(zoom_url, timeout=30).status_code != 200:
            time.sleep(0.02)
        zoom_page_s = time.perf_counter() - t2
        parent.send("stop")
        kind, hbdata = parent.recv()
        hb.join(10)
        during = [ms for t, ms in hbdata["samples"] if t_start <= t <= t_end]
        idle = [ms for t, ms in hbdata["samples"] if t_idle <= t < t_start]
        return {
            "database": url.split(":")[0].split("+")[0], "upload_request_s": round(upload_s, 3),
            "first_page_s": round(first_page_s, 3), "all_pages_s": round(all_pages_s, 2),
            "pages_per_s": round(pages / all_pages_s, 1), "zoom_page_on_demand_s": round(zoom_page_s, 3),
            "heartbeat_samples": len(during), "heartbeat_failures": hbdata["failures"],
            "heartbeat_p50_ms": round(pct(during, 50), 1), "heartbeat_p99_ms": round(pct(during, 99), 1),
            "heartbeat_max_ms": round(max(during), 1) if during else None,
            "heartbeat_idle_p50_ms": round(pct(idle, 50), 1), "heartbeat_idle_p99_ms": round(pct(idle, 99), 1),
        }
    finally:
        if hb is not None and hb.is_alive():
            hb.terminate()
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--postgres", action="store_true", help="use a fresh PostgreSQL database instead of SQLite")
    parser.add_argument("--skip-formats", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-render-pdf-"))
    try:
        pdf = build_pdf(work / "pack.pdf", args.pages)
        print(f"built {args.pages}-page PDF ({pdf.stat().st_size / 1e6:.1f} MB)", flush=True)
        formats = None if args.skip_formats else compare_formats()
        if formats:
            print("formats at %d px (median of %d demo pages; render %.1f ms):" % (WIDTH, formats["pages"], formats["render_ms"]))
            for name, row in formats["formats"].items():
                print(f"  {name:16s} {row['kb']:5d} KB  {row['ms']:6.1f} ms")
        url, admin, dbname = None, None, None
        if args.postgres:
            import psycopg

            admin = psycopg.connect(PG_ADMIN, autocommit=True)
            dbname = f"bench_render_{uuid.uuid4().hex[:8]}"
            admin.execute(f'CREATE DATABASE "{dbname}"')
            url = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + "/" + dbname
        try:
            server = run_server_bench(url, pdf, args.pages)
        finally:
            if admin is not None:
                admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
                admin.close()
        print("server:", json.dumps(server), flush=True)
        png_s = pdftoppm(pdf, work / "ppm-png", "png")
        ppm_s = pdftoppm(pdf, work / "ppm-raw", "ppm")
        result = {
            "pages": args.pages, "width_px": WIDTH, "format": "png", "workers": 2, "cpus": os.cpu_count(),
            "pages_per_s": server["pages_per_s"],
            "pdftoppm_pages_per_s": round(args.pages / png_s, 1),
            "ratio": round(server["pages_per_s"] / (args.pages / png_s), 1),
            "pdftoppm_ppm_pages_per_s": round(args.pages / ppm_s, 1),
            **{k: v for k, v in server.items() if k != "pages_per_s"},
            "formats": formats["formats"] if formats else None,
        }
        print(json.dumps(result))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
