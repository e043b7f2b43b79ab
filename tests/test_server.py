"""The real server: wsgi.py on gevent (default) and eventlet, serving pages and refusing anonymous sockets."""
import pytest
import requests
import socketio

from tests.support.server import flask_cli, free_port, migrate, running_server

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("mode", ["gevent", "eventlet"])
def test_server_serves_the_demo_and_refuses_anonymous_sockets(tmp_path, mode):
    env = {"DAIS_ASYNC_MODE": mode}
    migrate(tmp_path, env)
    assert "Imported “demo”" in flask_cli(tmp_path, "agenda", "import", "agendas/demo", env=env)
    with running_server(tmp_path, env) as base:
        page = requests.get(base + "/login", timeout=5)
        assert page.status_code == 200 and "Sign in" in page.text
        assert requests.get(base + "/meetings/demo", timeout=5, allow_redirects=False).status_code == 302
        client = socketio.Client(reconnection=False)
        reasons = []
        client.on("connect_error", lambda data: reasons.append(data))
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(base, transports=["websocket"], wait_timeout=5)
        assert "Sign in first" in str(reasons)
    # SQLite's log is copied back by a native thread under gevent; eventlet leaves it to SQLite
    logged = "".join(p.read_text() for p in tmp_path.glob("server-*.log"))
    assert ("SQLite checkpoints of" in logged) == (mode == "gevent"), logged[-2000:]


def _websocket_handshake(base: str, extensions: str) -> str:
    """The server's reply to a websocket upgrade of the live socket that offers these extensions, as a browser sends it."""
    import base64
    import os
    import socket
    from urllib.parse import urlparse

    url = urlparse(base)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {url.netloc}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
               f"Sec-WebSocket-Extensions: {extensions}\r\n\r\n")
    with socket.create_connection((url.hostname, url.port), timeout=5) as sock:
        sock.sendall(request.encode())
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = sock.recv(4096)
            if not chunk:
                break
            reply += chunk
    return reply.decode("latin-1").split("\r\n\r\n", 1)[0]


def test_live_sockets_decline_per_message_compression(tmp_path):
    # Chromium offers permessage-deflate on every websocket; compressing each delta once per tablet costs
    # memory and time for a few hundred bytes, so the server answers the upgrade without it.
    migrate(tmp_path)
    with running_server(tmp_path) as base:
        head = _websocket_handshake(base, "permessage-deflate; client_max_window_bits")
    assert head.startswith("HTTP/1.1 101"), head
    assert "sec-websocket-extensions" not in head.lower(), head


def test_scripts_run_output_signs_a_delegate_in(tmp_path):
    migrate(tmp_path)
    flask_cli(tmp_path, "agenda", "import", "agendas/demo")
    port = free_port()
    out = flask_cli(tmp_path, "demo", "credentials", env={"PORT": str(port)})
    badge = next(line.split(": ", 1)[1] for line in out.splitlines() if "badge link" in line)
    chair_pw = next(line.split()[1] for line in out.splitlines() if line.strip().startswith("chair "))
    with running_server(tmp_path, port=port) as base:
        tablet = requests.Session()
        assert badge.startswith(base + "/t/b")
        response = tablet.get(badge, timeout=5)
        assert response.status_code == 200 and "Committee on Urban Development" in response.text
        staff = requests.Session()
        login = staff.get(base + "/login", timeout=5).text
        token = login.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        signed = staff.post(base + "/login", data={"username": "chair", "password": chair_pw, "csrf_token": token}, timeout=5)
        assert signed.status_code == 200 and "Nguyễn Thị Mai" in signed.text


def test_sockets_are_same_origin_only(tmp_path):
    migrate(tmp_path)
    flask_cli(tmp_path, "agenda", "import", "agendas/demo")
    port = free_port()
    out = flask_cli(tmp_path, "demo", "credentials", env={"PORT": str(port)})
    badge = next(line.split(": ", 1)[1] for line in out.splitlines() if "badge link" in line)
    with running_server(tmp_path, port=port) as base:
        tablet = requests.Session()
        tablet.get(badge, timeout=5)
        handshake = base + "/socket.io/?EIO=4&transport=polling"
        same = tablet.get(handshake, headers={"Origin": base}, timeout=5)
        assert same.status_code == 200 and '"sid"' in same.text
        foreign = tablet.get(handshake, headers={"Origin": "http://evil.example"}, timeout=5)
        assert foreign.status_code == 400
        assert '"sid"' not in foreign.text


def _start_refused(tmp_path, env: dict[str, str]) -> str:
    """Start `python wsgi.py` and return what it printed when it stopped (it must stop, and say why)."""
    import os
    import subprocess
    import sys

    from tests.support.server import PROJECT_ROOT

    done = subprocess.run([sys.executable, "wsgi.py"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "DAIS_DATA_DIR": str(tmp_path), "PORT": str(free_port()), **env})
    assert done.returncode != 0
    return done.stdout + done.stderr


def test_a_server_on_a_database_not_migrated_stops_and_says_what_to_run(tmp_path):
    """It served a 500 on every page and logged a traceback a second (the vote timer) before."""
    out = _start_refused(tmp_path, {})
    assert "Dais cannot start: The database is not up to date with this version of Dais: run `flask db upgrade " \
           "heads`" in out
    assert "Traceback" not in out


@pytest.mark.parametrize("name,value,says", [
    ("DAIS_MAX_UPLOAD_MB", "abc", "DAIS_MAX_UPLOAD_MB='abc' is not a whole number of 1 or more"),
    ("DAIS_RENDER_WORKERS", "two", "DAIS_RENDER_WORKERS='two' is not a whole number of 0 or more"),
    ("DAIS_LOGIN_RATE_LIMIT", "lots", "DAIS_LOGIN_RATE_LIMIT='lots' is not a rate"),
    ("DAIS_TIMEZONE", "Mars/Olympus", "DAIS_TIMEZONE='Mars/Olympus' is not a time zone"),
])
def test_a_wrong_setting_stops_the_server_with_one_sentence(tmp_path, name, value, says):
    migrate(tmp_path)
    out = _start_refused(tmp_path, {name: value})
    assert f"Dais cannot start: {says}" in out, out[-2000:]
    assert "Traceback" not in out, out[-2000:]


def test_with_the_message_queue_down_the_cli_works_and_the_server_says_what_is_wrong(tmp_path):
    """deploy.md exports MESSAGE_QUEUE_URL for every command: `flask db upgrade` must not need Redis (it died with
    a 60-line traceback), and the server stops with a sentence instead of a traceback."""
    down = {"MESSAGE_QUEUE_URL": f"redis://127.0.0.1:{free_port()}/0"}   # a port nothing listens on
    migrate(tmp_path, down)
    assert "Imported “demo”" in flask_cli(tmp_path, "agenda", "import", "agendas/demo", env=down)
    out = _start_refused(tmp_path, down)
    assert "Dais cannot start: the message queue at MESSAGE_QUEUE_URL=redis://127.0.0.1:" in out, out[-2000:]
    assert "Start Redis, or unset MESSAGE_QUEUE_URL" in out and "Traceback" not in out, out[-2000:]


def test_a_port_in_use_stops_the_server_with_a_sentence(tmp_path):
    import socket

    migrate(tmp_path)
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        out = _start_refused(tmp_path, {"PORT": str(port), "HOST": "127.0.0.1"})
    finally:
        taken.close()
    assert f"port {port} on 127.0.0.1" in out, out[-2000:]
    assert "Dais cannot start: port " in out and "is in use by another program" in out, out[-2000:]
    assert "Traceback" not in out, out[-2000:]
