"""Time helpers: the database stores naive UTC datetimes."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    """Now, in UTC, without tzinfo (as stored)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
