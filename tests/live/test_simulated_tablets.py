"""The load generator's tablets (scripts/simulate_tablets.py) follow a real server through the documented API."""
from __future__ import annotations

import asyncio
import sys
import time

import pytest

from app import create_app
from app.auth.service import ensure_badge
from app.config import PROJECT_ROOT
from app.extensions import db
from app.meetings.models import Membership
from tests.factories import add_member, make_meeting
from tests.live.conftest import add_document
from tests.live.test_multiprocess import _device
from tests.support.server import running_server

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
from simulate_tablets import LeanTablet, Tablet, start_tablets  # noqa: E402


@pytest.mark.slow
def test_both_kinds_of_simulated_tablet_follow_the_chair_and_recover_from_a_gap(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app({"DATA_DIR": data_dir, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{data_dir / 'dais.sqlite3'}"})
    with app.app_context():
        db.create_all()
        meeting = make_meeting("council", items=2)
        chair = add_member(meeting, "chair1", Membership.CHAIR, seat="C")
        delegates = [add_member(meeting, f"del{n}", seat=str(n)) for n in range(4)]
        doc = add_document(meeting, meeting.items[0], "Budget", 5)
        db.session.commit()
        meeting_id, doc_id = meeting.id, doc.id
        chair_badge = ensure_badge(app.config["SECRET_KEY"], chair)
        badges = [ensure_badge(app.config["SECRET_KEY"], d) for d in delegates]
        db.session.commit()
        db.engine.dispose()

    with running_server(data_dir, {"DAIS_RENDER_WORKERS": "0"}) as base:
        chair_sock, _ = _device(base, chair_badge)
        assert chair_sock.call("meeting.join", {"meeting": meeting_id}, timeout=5)["ok"]

        def present(page: int) -> int:
            reply = chair_sock.call("chair.present", {"meeting": meeting_id, "document": doc_id, "page": page}, timeout=5)
            assert reply["ok"], reply
            return reply["seq"]

        async def scenario():
            lean = await start_tablets(base, badges[:2], meeting_id, lean=True)
            full = await start_tablets(base, badges[2:], meeting_id)
            tablets = lean + full
            assert [type(t) for t in tablets] == [LeanTablet, LeanTablet, Tablet, Tablet]
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, present, 2)
            await loop.run_in_executor(None, present, 4)
            await _until(lambda: all(t.seq == 2 for t in tablets))
            assert {t.presented["page"] for t in tablets} == {4}
            assert {t.presented["document_id"] for t in tablets} == {doc_id}
            # A tablet that missed a delta sees the gap and asks for a fresh snapshot.
            lean[0].seq = 0
            full[0].seq = 0
            last = await loop.run_in_executor(None, present, 5)
            await _until(lambda: all(t.seq == last for t in tablets))
            assert [t.gaps for t in tablets] == [1, 0, 1, 0]
            assert {t.presented["page"] for t in tablets} == {5} and sum(t.errors for t in tablets) == 0
            await asyncio.gather(*(t.stop() for t in tablets))

        try:
            asyncio.run(scenario())
        finally:
            chair_sock.disconnect()


async def _until(predicate, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("the simulated tablets did not catch up")
        await asyncio.sleep(0.02)
