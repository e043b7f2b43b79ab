"""Start real Dais server processes (wsgi.py) for tests that need the real async server."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import requests

from app.config import PROJECT_ROOT


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(data_dir: Path, env: dict[str, str] | None = None, port: int | None = None, timeout: float = 20.0):
    """A `python wsgi.py` process on a free port; yields its base URL; stops it afterwards."""
    port = port or free_port()
    full_env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "DAIS_DATA_DIR": str(data_dir), **(env or {})}
    log_path = Path(data_dir) / f"server-{port}.log"
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "wsgi.py"], cwd=PROJECT_ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"server exited with {proc.returncode}: {log_path.read_text()[-2000:]}")
                try:
                    if requests.get(base + "/login", timeout=1).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {log_path.read_text()[-2000:]}")
                time.sleep(0.2)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def two_servers(data_dir, env):
    """Two wsgi.py processes on the same data dir, started in parallel (each takes seconds to import)."""
    managers = [running_server(data_dir, env, port=free_port()) for _ in range(2)]
    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(m.__enter__) for m in managers]
    try:
        yield [f.result() for f in futures]
    finally:
        for m, f in zip(managers, futures):
            if f.exception() is None:
                m.__exit__(None, None, None)


def migrate(data_dir: Path, env: dict[str, str] | None = None) -> None:
    """`flask db upgrade heads` for a server's data dir (unpatched CLI, as scripts/run does)."""
    full_env = {**os.environ, "DAIS_DATA_DIR": str(data_dir), "FLASK_APP": "app", **(env or {})}
    subprocess.run([sys.executable, "-m", "flask", "db", "upgrade", "heads"], cwd=PROJECT_ROOT, env=full_env,
                   check=True, capture_output=True)


def flask_cli(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run a `flask` command for a data dir; returns its output."""
    full_env = {**os.environ, "DAIS_DATA_DIR": str(data_dir), "FLASK_APP": "app", **(env or {})}
    done = subprocess.run([sys.executable, "-m", "flask", *args], cwd=PROJECT_ROOT, env=full_env,
                          check=True, capture_output=True, text=True)
    return done.stdout
