"""Audit log: every change of consequence is recorded with its actor."""
from app.audit import models  # noqa: F401
