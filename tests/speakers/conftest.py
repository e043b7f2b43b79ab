"""Speakers tests use the same live meeting as the attendance tests."""
from tests.attendance.conftest import Room, room  # noqa: F401
