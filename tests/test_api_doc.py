"""docs/api.md lists every HTTP route of the app with its method: a route added without its line fails here."""
from __future__ import annotations

import re
from pathlib import Path

API_DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def pattern(rule) -> str:
    """A regex for the rule as the doc writes it: `<id>` for any argument, or an argument's literal value."""
    out, pos = [], 0
    for match in re.finditer(r"<(?:([a-zA-Z_]+)(?:\(([^)]*)\))?:)?([a-zA-Z_]+)>", rule.rule):
        out.append(re.escape(rule.rule[pos:match.start()]))
        converter, args = match.group(1), match.group(2)
        choices = [re.escape(a.strip().strip("'\"")) for a in args.split(",")] if converter == "any" else [r"[\w.-]+"]
        out.append("(?:<[^>]+>|" + "|".join(choices) + ")")
        pos = match.end()
    out.append(re.escape(rule.rule[pos:]))
    return "".join(out) + r"(?![\w/])"


def test_every_route_and_method_is_in_the_api_doc(app):
    lines = [line for line in API_DOC.read_text().splitlines() if line.startswith("| `")]
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            path = re.compile(pattern(rule))
            if not any(re.search(rf"\b{method}\b", line) and path.search(line) for line in lines):
                missing.append(f"{method} {rule.rule}")
    assert not missing, missing


def test_every_socket_event_is_in_the_api_doc(app):
    from app.extensions import socketio

    doc = API_DOC.read_text()
    events = set(socketio.server.handlers["/"]) - {"connect", "disconnect"}
    missing = sorted(event for event in events if f"`{event}`" not in doc)
    assert not missing, missing
