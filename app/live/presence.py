"""Who is connected to each meeting now, across every server process.

One process: kept in memory. With MESSAGE_QUEUE_URL=redis://... the connections live in Redis, so every
process sees the whole room: one hash per meeting, field "<server id>|<sid>" -> "u:<user id>" or
"d:<display link id>". Each process refreshes a heartbeat key every few seconds; fields of a process whose
heartbeat expired (it crashed or was killed) are ignored and cleaned up.
"""
from __future__ import annotations

import threading
import time
import uuid
from typing import Any


class MemoryPresence:
    """Connections of this process only (the single-process server and the tests)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_meeting: dict[int, dict[str, str]] = {}
        self._signins: dict[int, set[str]] = {}

    def add(self, meeting_id: int, sid: str, who: str) -> None:
        """Record that sid follows the meeting as who ("u:<id>" or "d:<link id>")."""
        with self._lock:
            self._by_meeting.setdefault(meeting_id, {})[sid] = who

    def remove(self, meeting_id: int, sid: str) -> None:
        """Forget sid in the meeting."""
        with self._lock:
            self._by_meeting.get(meeting_id, {}).pop(sid, None)

    def entries(self, meeting_id: int) -> dict[str, str]:
        """sid -> who for the meeting."""
        with self._lock:
            return dict(self._by_meeting.get(meeting_id, {}))

    def heartbeat(self) -> None:
        """Nothing to refresh in memory."""

    def add_signin(self, signin_id: int, sid: str) -> None:
        """Record that sid was opened by this sign-in (app.auth.models.SignIn)."""
        with self._lock:
            self._signins.setdefault(signin_id, set()).add(sid)

    def remove_signin(self, signin_id: int, sid: str) -> None:
        with self._lock:
            sids = self._signins.get(signin_id)
            if sids is not None:
                sids.discard(sid)
                if not sids:
                    del self._signins[signin_id]

    def signin_sids(self, signin_id: int) -> list[str]:
        """The sids this sign-in opened."""
        with self._lock:
            return sorted(self._signins.get(signin_id, ()))


class RedisPresence:
    """Connections of every process, shared through Redis."""

    HEARTBEAT_TTL = 30

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url, socket_timeout=5, decode_responses=True)
        self.prefix = prefix
        self.server_id = uuid.uuid4().hex[:12]
        # No connection yet: a `flask` command never needs one; the server's first socket starts the heartbeat.

    def _key(self, meeting_id: int) -> str:
        return f"{self.prefix}:presence:{meeting_id}"

    def heartbeat(self) -> None:
        """Tell the other processes this one is alive."""
        self.redis.set(f"{self.prefix}:server:{self.server_id}", "1", ex=self.HEARTBEAT_TTL)

    def add(self, meeting_id: int, sid: str, who: str) -> None:
        """Record that sid (on this process) follows the meeting."""
        self.redis.hset(self._key(meeting_id), f"{self.server_id}|{sid}", who)

    def remove(self, meeting_id: int, sid: str) -> None:
        """Forget sid (on this process) in the meeting."""
        self.redis.hdel(self._key(meeting_id), f"{self.server_id}|{sid}")

    SIGNIN_TTL = 24 * 3600   # a socket lives no longer than its sign-in's cookie (16 h)

    def _signin_key(self, signin_id: int) -> str:
        return f"{self.prefix}:signin:{signin_id}"

    def add_signin(self, signin_id: int, sid: str) -> None:
        """Record that sid (on this process) was opened by this sign-in."""
        key = self._signin_key(signin_id)
        self.redis.sadd(key, sid)
        self.redis.expire(key, self.SIGNIN_TTL)

    def remove_signin(self, signin_id: int, sid: str) -> None:
        self.redis.srem(self._signin_key(signin_id), sid)

    def signin_sids(self, signin_id: int) -> list[str]:
        """The sids this sign-in opened, on every process (Socket.IO's sids are unique across them)."""
        return sorted(self.redis.smembers(self._signin_key(signin_id)))

    def entries(self, meeting_id: int) -> dict[str, str]:
        """sid -> who for the meeting, over the live processes (dead processes' entries are dropped)."""
        raw: dict[str, str] = self.redis.hgetall(self._key(meeting_id))
        servers = {field.split("|", 1)[0] for field in raw}
        alive = {s for s in servers if s == self.server_id or self.redis.exists(f"{self.prefix}:server:{s}")}
        dead = [f for f in raw if f.split("|", 1)[0] not in alive]
        if dead:
            self.redis.hdel(self._key(meeting_id), *dead)
        return {f.split("|", 1)[1]: who for f, who in raw.items() if f.split("|", 1)[0] in alive}


def summarise(entries: dict[str, str]) -> dict[str, Any]:
    """The presence the chair sees: each person once however many devices, and the wall-screen count."""
    users = sorted({int(w[2:]) for w in entries.values() if w.startswith("u:")})
    displays = sum(1 for w in entries.values() if w.startswith("d:"))
    return {"connected": users, "count": len(users), "displays": displays}


def display_sids(entries: dict[str, str], link_ids: list[int]) -> list[str]:
    """The sids of the wall screens opened with these links."""
    wanted = {f"d:{i}" for i in link_ids}
    return [sid for sid, who in entries.items() if who in wanted]


class TokenBucket:
    """Per-connection rate limit: `burst` events at once, refilled at `rate` per second."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, sid: str) -> bool:
        """Take one token for sid; False when the bucket is empty."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(sid, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[sid] = (tokens, now)
                return False
            self._buckets[sid] = (tokens - 1.0, now)
            return True

    def forget(self, sid: str) -> None:
        """Drop a disconnected sid's bucket."""
        with self._lock:
            self._buckets.pop(sid, None)
