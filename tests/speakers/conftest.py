"""Speakers tests use the attendance tests' live meeting and signed-in socket devices."""
from tests.attendance.conftest import Device, Room, device, live_room, room  # noqa: F401
