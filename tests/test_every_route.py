"""Every HTTP route of the app, as an admin, a delegate and a stranger, with ids that exist, ids that do not and
ids too large for the database, and with malformed bodies: never a server error, and every refusal of the JSON
API says why in a sentence. The list of routes comes from the app, so a new route is covered by being added."""
from __future__ import annotations

import json
import logging
import re

import pytest

from app.extensions import db
from app.meetings.models import Meeting, Membership
from app.voting import service as voting
from app.voting.schemas import VoteSpec
from tests.factories import add_member, make_meeting, make_user
from tests.support.payloads import TOO_BIG, oversized_numbers

SKIP = {"static", "auth.logout"}   # static files; signing out would end the session the test runs in

WRONG_TYPES = ("json", json.dumps({"question": 5, "options": "all", "secret": "maybe", "membership_id": "x", "order": {},
                                   "status": [], "title": None, "text": 7, "holder": -1, "giver": 2**40}))
BODIES = [
    None,
    ("json", None),
    ("json", "[]"),
    ("json", '"text"'),
    ("json", "{"),
    WRONG_TYPES,
    ("json", json.dumps({"blob": "x" * 300_000})),
    ("json", '{"a": ' + "[" * 5000 + "]" * 5000 + "}"),   # too deep for Python's parser
    *[("json", json.dumps(one)) for one in oversized_numbers()],
    ("form", {"title": "x" * 5000, "status": "nonsense", "role": "emperor", "username": "", "position": "-5",
              "vote_weight": "many", "text": "<script>alert(1)</script>"}),
]

# Query strings of GET requests: the parameters pages read (page, width, before, kind, q), wrong and too large.
QUERIES = ["", "?page=-1&width=abc&kind=gossip&q=" + "%FF" * 10,
           f"?page={TOO_BIG}&width={TOO_BIG}&before={TOO_BIG}&kind=votes&q=" + "x" * 500]


def urls(rule, ids: dict[str, int], slug: str) -> list[str]:
    """The rule's URL with every argument filled: real ids and slug, unknown and too large ids, junk strings."""
    variants = [{}, {}, {}]
    for arg, conv in rule._converters.items():
        kind = type(conv).__name__
        if kind == "IntegerConverter":
            values = [ids.get(arg, 1), 999_999, TOO_BIG]
        elif kind == "AnyConverter":   # each of its words (votes/attendance, open/close/...), one per variant
            values = (sorted(conv.items) * 3)[:3]
        elif arg == "slug":
            values = [slug, "no-such-meeting", "x" * 300]
        else:
            values = ["x" * 40, "'; DROP TABLE users; --", "%00"]
        for variant, value in zip(variants, values):
            variant[arg] = value
    out = []
    for variant in variants:
        url = rule.rule
        for arg, value in variant.items():
            url = re.sub(r"<[^>]*\b" + arg + ">", str(value), url)
        out.append(url)
    return list(dict.fromkeys(out))


@pytest.fixture
def world(app):
    with app.app_context():
        make_user("root", admin=True)
        meeting = make_meeting("council", status=Meeting.LIVE, items=2)
        chair = add_member(meeting, "chair1", Membership.CHAIR, seat="C")
        delegate = add_member(meeting, "del1", seat="1")
        add_member(meeting, "del2", seat="2")
        vote = voting.create_vote(meeting, chair.user, VoteSpec(question="Adopt it?", secret=True))
        db.session.commit()
        return {"slug": meeting.slug, "ids": {"vote_id": vote.id, "membership_id": delegate.id,
                                              "item_id": meeting.items[0].id}}


@pytest.mark.parametrize("who", ["root", "del1", None])
def test_no_route_answers_junk_with_a_server_error(app, client, auth, world, caplog, who):
    if who:
        assert auth.login(who).status_code in (302, 303)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in SKIP]
    assert len(rules) > 60
    seen = 0
    with caplog.at_level(logging.WARNING):
        for rule in rules:
            methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
            for n, url in enumerate(urls(rule, world["ids"], world["slug"])):
                # Every junk body goes to the URL of things that exist, where the handler reads it; to the unknown
                # and too large ids, no body and one of junk (a handler that reads the body first meets it there).
                bodies = BODIES if n == 0 else [None, WRONG_TYPES]
                for method in methods:
                    for body, query in ([(b, "") for b in bodies] if method != "GET" else [(None, q) for q in QUERIES]):
                        kwargs = {}
                        if body and body[0] == "json":
                            kwargs = {"data": body[1], "content_type": "application/json"}
                        elif body:
                            kwargs = {"data": body[1]}
                        response = client.open(url + query, method=method, headers={"Accept": "application/json"},
                                               **kwargs)
                        seen += 1
                        where = f"{who}: {method} {url}{query} {str(body)[:60]}"
                        assert response.status_code < 500, f"{where}: {response.status_code} {response.data[:300]!r}"
                        if url.startswith("/api/") and response.status_code >= 400 and response.is_json:
                            message = response.get_json().get("message")
                            assert isinstance(message, str) and len(message) > 10, f"{where}: {response.get_json()}"
            if who and client.get("/account").status_code != 200:   # a junk request signed us out: sign in again
                auth.login(who)
    failures = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not failures, failures[:5]
    assert seen > 500
