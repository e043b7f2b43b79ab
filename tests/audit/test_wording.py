"""The audit log in words: every action and every detail that code records has a label a reader understands
(the page showed raw keys such as present_weight and values such as None)."""
from __future__ import annotations

import ast
from pathlib import Path

from app.audit.wording import ACTIONS, DETAILS, detail_items

APP = Path(__file__).resolve().parents[2] / "app"


def recorded() -> tuple[set[str], set[str]]:
    """The actions (first argument) and detail keys (keyword arguments) of every record(...) call in app/."""
    actions, keys = set(), set()
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "record" and node.args:
                if isinstance(node.args[0], ast.Constant):
                    actions.add(node.args[0].value)
                keys |= {k.arg for k in node.keywords if k.arg}
    return actions, keys


def test_every_recorded_action_and_detail_has_a_label():
    actions, keys = recorded()
    assert len(actions) > 30 and "vote.opened" in actions   # the scan finds the calls
    assert sorted(actions - ACTIONS.keys()) == []
    assert sorted(keys - DETAILS.keys()) == []


def test_a_missing_value_reads_as_a_dash_not_none():
    items = detail_items({"deadline": None, "present_weight": 12}, {})
    assert items == [("closes at", "—", False), ("weight present", 12, False)]
