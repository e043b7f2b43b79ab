"""Per-process state of the live room: open connections, presence, rate limits (one per app)."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from flask import Flask, current_app

from app.extensions import socketio
from app.live.presence import MemoryPresence, RedisPresence, TokenBucket, summarise

log = logging.getLogger("dais.live")


@dataclass
class Conn:
    """One socket of this process: who it is and which meeting it follows."""

    user_id: int | None
    display_link_id: int | None = None
    display_meeting_id: int | None = None
    meeting_id: int | None = None
    is_staff: bool = False
    signin_id: int | None = None   # the sign-in that opened it (app.auth.models.SignIn): ending it closes the socket


class Runtime:
    """What the live room keeps in memory per process."""

    def __init__(self, app: Flask) -> None:
        cfg = app.config
        self.app = app
        self.conns: dict[str, Conn] = {}
        self.bucket = TokenBucket(float(cfg.get("LIVE_RATE_PER_SEC", 10)), int(cfg.get("LIVE_RATE_BURST", 30)))
        self.max_event_bytes = int(cfg.get("LIVE_MAX_EVENT_BYTES", 4096))
        self.presence_delay = float(cfg.get("LIVE_PRESENCE_DELAY", 1.0))
        url = cfg.get("MESSAGE_QUEUE_URL")
        if url and url.startswith("redis"):
            self.presence = RedisPresence(url, "dais:" + (cfg.get("MESSAGE_QUEUE_CHANNEL") or "flask-socketio"))
        else:
            self.presence = MemoryPresence()
        self._pending: set[int] = set()
        self._lock = threading.Lock()
        self._heartbeat_started = False

    def start_heartbeat(self) -> None:
        """Refresh this process's presence heartbeat in the background (Redis only; started on first connect)."""
        if self._heartbeat_started or not isinstance(self.presence, RedisPresence):
            return
        self._heartbeat_started = True
        self.presence.heartbeat()   # now: the other processes see this one's connections from its first

        def beat() -> None:
            while True:
                socketio.sleep(RedisPresence.HEARTBEAT_TTL / 3)
                try:
                    self.presence.heartbeat()
                except Exception:
                    log.exception("presence heartbeat failed")

        socketio.start_background_task(beat)

    def presence_of(self, meeting_id: int) -> dict:
        """Who follows the meeting now (each person once) and how many wall screens."""
        return summarise(self.presence.entries(meeting_id))

    def schedule_presence(self, meeting_id: int) -> None:
        """Tell the meeting's staff who is connected, at most once per LIVE_PRESENCE_DELAY seconds."""
        if self.presence_delay <= 0:
            self._send_presence(meeting_id)
            return
        with self._lock:
            if meeting_id in self._pending:
                return
            self._pending.add(meeting_id)

        def later() -> None:
            socketio.sleep(self.presence_delay)
            with self._lock:
                self._pending.discard(meeting_id)
            with self.app.app_context():
                try:
                    self._send_presence(meeting_id)
                except Exception:
                    log.exception("presence broadcast failed for meeting %s", meeting_id)

        socketio.start_background_task(later)

    def _send_presence(self, meeting_id: int) -> None:
        from app.live.broadcast import publish

        publish(meeting_id, "presence", self.presence_of(meeting_id), to="staff")


def runtime() -> Runtime:
    """The live runtime of the current app."""
    return current_app.extensions["dais_live"]
