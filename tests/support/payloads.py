"""What the catch-all input tests (tests/test_every_route.py, tests/live/test_every_event.py) send: the number
fields of the app's own payload models, each of them set to a value no integer column holds."""
from __future__ import annotations

import re

from pydantic import BaseModel

TOO_BIG = 2**40   # beyond PostgreSQL's integer columns


def number_fields() -> list[str]:
    """Every field of an app payload model (HTTP bodies and socket events) that holds numbers."""
    found, todo = set(), [BaseModel]
    while todo:
        model = todo.pop()
        todo.extend(model.__subclasses__())
        if not model.__module__.startswith("app."):
            continue
        for name, field in model.model_fields.items():
            if re.search(r"\bint\b", str(field.annotation)):
                found.add(name)
    return sorted(found)


def oversized_numbers() -> list[dict]:
    """One payload per number field and shape: the field alone, too large, too small, or a list of a too large one."""
    return [{field: value} for field in number_fields() for value in (TOO_BIG, -TOO_BIG, [TOO_BIG])]
