"""The check-in page in Chromium against the real server (wsgi.py), with a fake camera that shows a badge QR."""
from __future__ import annotations

import json
import re
from contextlib import contextmanager

import qrcode
import sqlalchemy as sa
from flask import current_app
from PIL import Image

from app import create_app
from app.attendance import service
from app.auth.service import ensure_badge
from app.extensions import db
from app.meetings.models import Meeting
from tests.factories import add_member, make_meeting
from tests.e2e.screens import big_enough, no_horizontal_scroll, shot
from tests.support.browser import CHROMIUM_ARGS, chromium_path, finds_one
from tests.support.server import running_server

ARGS = CHROMIUM_ARGS + ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


def badge_video(path, text: str) -> None:
    """A short Y4M video (what Chromium's fake camera plays) of a badge QR held in front of the camera."""
    w, h = 640, 480
    frame = Image.new("L", (w, h), 200)
    frame.paste(qrcode.make(text, box_size=8, border=4).convert("L").resize((300, 300)), (170, 90))
    chroma = bytes([128]) * ((w // 2) * (h // 2))
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            f.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)


@contextmanager
def served(tmp_path, build):
    """A real server on a fresh SQLite database whose meeting “council” `build(meeting)` fills; yields (app, base)."""
    data = tmp_path / "data"
    url = f"sqlite:///{tmp_path / 'dais.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": data})
    with app.app_context():
        db.create_all()
        meeting = make_meeting("council", status=Meeting.LIVE)
        add_member(meeting, "chair", "chair", "C1")
        add_member(meeting, "secretary", "secretary", "S1")
        build(meeting)
        db.session.commit()
    try:
        with running_server(data, env={"DATABASE_URL": url}) as base:
            yield app, base
    finally:
        with app.app_context():
            db.engine.dispose()


def seat(meeting, seat_: str, name: str, status: str | None = None):
    """A delegate in this seat with this name (present, or left after being present, when asked)."""
    member = add_member(meeting, f"d-{seat_.lower()}", "delegate", seat_, password=None)
    member.user.name = name
    if status:
        service.check_in(meeting, member, None)
    if status == "left":
        service.mark_left(meeting, member, None)
    return member


def staff_page(browser, base, width: int, height: int, username: str = "secretary"):
    page = browser.new_context(viewport={"width": width, "height": height}, has_touch=True).new_page()
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", "pw-secret-1")
    page.click("main button[type=submit]")
    page.wait_for_url(lambda address: not address.endswith("/login"))
    return page


def test_secretary_scans_a_badge_with_the_camera_and_types_another(tmp_path):
    chromium = chromium_path()
    from playwright.sync_api import expect, sync_playwright

    found = {}

    def build(meeting):
        anna = add_member(meeting, "anna", "delegate", "D1", weight=2, password=None)
        binh = add_member(meeting, "binh", "delegate", "D2", password=None)
        binh.user.name = "Trần Thị Bình"
        found["anna"], found["binh"] = (ensure_badge(current_app.config["SECRET_KEY"], m) for m in (anna, binh))

    with served(tmp_path, build) as (app, base), sync_playwright() as p:
        anna_badge, binh_badge = found["anna"], found["binh"]
        badge_video(tmp_path / "badge.y4m", f"{base}/t/{anna_badge}")
        browser = p.chromium.launch(executable_path=chromium,
                                    args=ARGS + [f"--use-file-for-fake-video-capture={tmp_path / 'badge.y4m'}"])
        try:
            context = browser.new_context(viewport={"width": 768, "height": 1024})
            context.grant_permissions(["camera"], origin=base)
            page = context.new_page()
            page.goto(base + "/login")
            page.fill("#username", "secretary")
            page.fill("#password", "pw-secret-1")
            page.click("main button[type=submit]")
            page.goto(base + "/meetings/council/checkin")
            page.wait_for_selector("#scan-result.scan-ok", timeout=20000)
            assert "Checked in: Anna" in page.inner_text("#scan-result")
            assert page.get_attribute("#quorum", "data-present") == "1"
            # the camera still sees the same badge: after the quiet time it says so and changes nothing
            page.wait_for_selector("#scan-result.scan-warn", timeout=20000)
            assert "already checked in" in page.inner_text("#scan-result")
            page.fill("#manual-code", binh_badge)
            page.click("#manual-form button")
            expect(page.locator("#scan-result")).to_contain_text("Trần Thị Bình")
            page.fill("#manual-code", f"{base}/meetings/council")   # a link, but no badge's
            page.click("#manual-form button")
            page.wait_for_selector("#scan-result.scan-bad")
            assert "not a Dais badge" in page.inner_text("#scan-result")
            assert page.inner_text(".who") == "Secretary"  # the scanning device stayed signed in as itself
            assert page.evaluate("document.documentElement.scrollWidth") <= 768
            # the board beside it: each row of the table one row, its lines unbroken (every cell a table cell)
            page.set_viewport_size({"width": 1024, "height": 768})
            page.goto(base + "/meetings/council/attendance")
            expect(page.locator(".att-table tbody tr")).to_have_count(4)
            # found and measured in one task of the page (the live board may redraw its rows in between two)
            displays = page.evaluate("() => [...document.querySelectorAll('.att-table tbody td')]"
                                     ".map((td) => getComputedStyle(td).display)")
            assert set(displays) == {"table-cell"}, displays
            tops = page.evaluate("() => [...document.querySelectorAll('.att-table tbody tr:first-child td')]"
                                 ".map((td) => Math.round(td.getBoundingClientRect().height))")
            assert len(set(tops)) == 1, f"the cells of one row have heights {tops}"
            assert tops[0] <= 80, f"a row is {tops[0]} px high: its buttons do not fit beside the name at 1024 px"
            anna_row = page.locator(".att-table tbody tr", has_text="Anna")
            expect(anna_row.locator(".att-pill")).to_have_text("Present")   # the status in a word, its time under it
            expect(anna_row.locator(".att-when")).to_have_text(re.compile(r"^since \d\d:\d\d"))
            # narrowing a long board: a name typed without its accents, a seat, a status, nobody
            rows = page.locator(".att-table tbody tr")
            finds_one(page, "[data-testid=board-find]", rows, "tran thi binh", "Trần Thị Bình")
            finds_one(page, "[data-testid=board-find]", rows, "d1", "Anna")
            page.fill("[data-testid=board-find]", "")
            page.click(".board-chip[data-status=absent]")
            expect(page.locator(".board-chip[data-status=absent]")).to_have_attribute("aria-pressed", "true")
            expect(page.locator(".board-chip[data-status=absent]")).to_have_text("Absent: 2")
            expect(rows).to_have_count(2)
            assert [r.split()[0] for r in rows.all_inner_texts()] == ["C1", "S1"]
            page.fill("[data-testid=board-find]", "anna")
            expect(page.get_by_test_id("board-empty")).to_have_text("Nobody on the roster matches.")
            page.fill("[data-testid=board-find]", "")
            page.click(".board-chip[data-status=all]")
            expect(rows).to_have_count(4)
        finally:
            browser.close()
        with app.app_context():
            meeting_id = service_meeting_id(app)
            record = {r["seat"]: r["status"] for r in service.attendance_record(meeting_id)}
            assert record == {"C1": "absent", "S1": "absent", "D1": "present", "D2": "present"}
            assert service.present_weight(meeting_id) == (2, 3)


def _delta_kind(message) -> str | None:
    """The kind of a `live.delta` Socket.IO packet (`42["live.delta", {...}]`), else None."""
    if not isinstance(message, str) or not message.startswith("42["):
        return None
    name, *args = json.loads(message[2:])
    return args[0].get("kind") if name == "live.delta" and args and isinstance(args[0], dict) else None


def test_the_board_changes_the_line_of_someone_checked_in_elsewhere_and_recovers_a_missed_one(tmp_path):
    """The chair's board page follows the secretary's check-ins line by line (the other lines stay the same
    elements; no board comes over the socket); a check-in whose deltas never arrive is caught up at the next one
    (the gap in seq brings a snapshot, and the page reads the board again); a member added to the roster appears."""
    chromium = chromium_path()
    from playwright.sync_api import expect, sync_playwright

    badges, ids = [], []

    def build(meeting):
        delegates = [add_member(meeting, f"delegate-{n}", "delegate", f"D{n:02d}", password=None) for n in range(1, 41)]
        badges.extend(ensure_badge(current_app.config["SECRET_KEY"], m) for m in delegates[:3])
        ids.extend(m.id for m in delegates[:3])

    with served(tmp_path, build) as (app, base), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            # What reaches the board page's socket, and the deltas it is made to miss.
            kinds, drop, dropped = [], set(), []

            def route(ws):
                server = ws.connect_to_server()

                def from_server(message):
                    kind = _delta_kind(message)
                    if kind in drop:
                        dropped.append(kind)
                        return
                    kinds.append(kind)
                    ws.send(message)
                server.on_message(from_server)

            board = staff_page(browser, base, 1280, 900, "chair")
            board.route_web_socket(re.compile(r"/socket\.io/"), route)
            board.goto(base + "/meetings/council/attendance")
            rows = board.locator("#board-rows tr")
            expect(board.locator("#board-rows .att-pill")).to_have_count(42)   # drawn by the page's script
            line = lambda membership: board.locator(f'#board-rows tr[data-member="{membership}"]')  # noqa: E731
            present = board.locator(".board-chip[data-status=present]")
            # a mark on another member's line: gone if the board were drawn again
            board.evaluate("(id) => document.querySelector(`#board-rows tr[data-member='${id}']`).dataset.kept = '1'",
                           ids[2])

            door = staff_page(browser, base, 1280, 900)
            door.goto(base + "/meetings/council/checkin")
            token = door.get_attribute('meta[name="csrf-token"]', "content")

            def scan(badge):
                reply = door.request.post(base + "/api/meetings/council/attendance/scan", data={"code": badge},
                                          headers={"X-CSRFToken": token})
                assert reply.ok, reply.text()

            scan(badges[0])
            expect(line(ids[0]).locator(".att-pill")).to_have_text("Present")
            expect(present).to_have_text("Present: 1")
            expect(board.locator("#quorum")).to_have_attribute("data-present", "1")
            expect(board.locator("#board-rows tr[data-kept]")).to_have_count(1)   # the other lines stayed
            assert "attendance.row" in kinds and "attendance.board" not in kinds, kinds

            # The deltas of the next check-in are lost on the way (as over a Wi-Fi that drops packets).
            drop.update({"attendance.row", "attendance.quorum"})
            scan(badges[1])
            for _ in range(200):
                if len(dropped) >= 2:
                    break
                board.wait_for_timeout(25)
            assert sorted(dropped) == ["attendance.quorum", "attendance.row"], dropped
            drop.clear()
            expect(line(ids[1]).locator(".att-pill")).to_have_text("Absent")
            scan(badges[2])   # its quorum's seq shows the gap: a snapshot, and the board read again
            expect(line(ids[1]).locator(".att-pill")).to_have_text("Present")
            expect(line(ids[2]).locator(".att-pill")).to_have_text("Present")
            expect(present).to_have_text("Present: 3")
            expect(board.locator("#quorum")).to_have_attribute("data-present", "3")
            assert "attendance.board" not in kinds, kinds

            # A member added to the roster: the whole board comes, with the newcomer.
            added = door.request.post(base + "/meetings/council/members", max_redirects=0, headers={"X-CSRFToken": token},
                                      form={"csrf_token": token, "name": "Late Arrival", "role": "delegate",
                                            "seat": "D99", "weight": "1"})
            assert added.status == 302, added.text()[:500]
            expect(rows).to_have_count(43)
            expect(board.locator("#board-rows tr", has_text="Late Arrival").locator(".att-pill")).to_have_text("Absent")
            expect(present).to_have_text("Present: 3")
            assert "attendance.board" in kinds, kinds
        finally:
            browser.close()


def test_without_a_camera_the_door_checks_people_in_by_seat_or_name_and_offers_namesakes_to_choose(tmp_path):
    """The camera blocked, the badges print no code: the steward types a seat or a name (without its accents);
    a part of a name, or a name several members fit, shows them as big buttons, by seat; the one chosen is
    checked in."""
    chromium = chromium_path()
    from playwright.sync_api import expect, sync_playwright

    def build(meeting):
        seat(meeting, "D2", "Thomas Becker")
        seat(meeting, "D3", "Nguyễn Văn Anh")
        seat(meeting, "D4", "Trần Thị Bình")
        seat(meeting, "D10", "Nguyễn Văn An")
        seat(meeting, "D11", "Nguyễn Văn An")

    with served(tmp_path, build) as (app, base), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)   # no camera here
        try:
            page = staff_page(browser, base, 800, 1280)
            page.goto(base + "/meetings/council/checkin")
            expect(page.locator("#camera-status")).to_contain_text("type the person's seat or name below")
            expect(page.locator("label[for=manual-code]")).to_have_text(
                "Or type their seat or name (or paste the badge link):")
            result = page.locator("#scan-result")
            # before the first check-in, the list says why it is empty
            expect(page.get_by_test_id("recent-empty")).to_have_text("Nobody has been checked in on this screen yet.")

            def typed(text):
                page.fill("#manual-code", text)
                page.click("#manual-form button")

            # a part of a name: the one member it fits is offered, checked in only with a tap
            typed("becker")
            expect(page.get_by_test_id("checkin-choices")).to_contain_text(
                "One person matches “becker”: check them in if it is them.")
            expect(page.get_by_test_id("checkin-choice")).to_have_count(1)
            expect(result).to_be_hidden()
            page.get_by_test_id("checkin-choice").click()
            expect(result).to_have_class(re.compile("scan-ok"))
            expect(result).to_contain_text("Checked in: Thomas Becker")
            expect(page.locator("#manual-code")).to_have_value("")
            typed("d4")
            expect(result).to_contain_text("Checked in: Trần Thị Bình")
            typed("nguyen van an")
            choices = page.get_by_test_id("checkin-choice")
            expect(page.get_by_test_id("checkin-choices")).to_contain_text(
                "Several people match “nguyen van an”: choose the one at the door.")
            expect(choices).to_have_count(3)
            assert [c.split()[0] for c in choices.all_inner_texts()] == ["D3", "D10", "D11"]
            big_enough(choices)
            shot(page, "checkin-namesakes")
            choices.filter(has_text="D11").click()
            expect(result).to_contain_text("Checked in: Nguyễn Văn An")
            expect(result).to_contain_text("D11")
            expect(page.get_by_test_id("checkin-choices")).to_be_hidden()
            expect(page.locator("#recent li")).to_have_count(3)
            expect(page.get_by_test_id("recent-empty")).to_be_hidden()
            typed("Nobody Here")
            expect(result).to_have_class(re.compile("scan-bad"))
            expect(result).to_contain_text("Not found")
            expect(result).to_contain_text("Nobody on this meeting's roster has the seat or name “Nobody Here”")
            typed("D2")
            expect(result).to_have_class(re.compile("scan-warn"))
            expect(result).to_contain_text("Thomas Becker is already checked in")
            assert page.inner_text(".who") == "Secretary"
            no_horizontal_scroll(page)
        finally:
            browser.close()
        with app.app_context():
            record = {r["seat"]: r["status"] for r in service.attendance_record(service_meeting_id(app))}
            assert record == {"C1": "absent", "S1": "absent", "D2": "present", "D3": "absent", "D4": "present",
                              "D10": "absent", "D11": "present"}


def service_meeting_id(app) -> int:
    """The id of the meeting “council”."""
    return db.session.scalar(sa.select(Meeting.id).where(Meeting.slug == "council"))


LONG_NAME = "Bartholomew Featherstonehaugh-Wolfeschlegelsteinhausen"


def test_the_board_fits_its_card_on_a_tablet_by_seat_order_and_each_proxy_list_has_a_find_box(tmp_path):
    """At 800x1280, 1280x800 and 1024x768 nothing of the board spills past its card (a long name, a member who
    left has three buttons); the seats go D2 before D10, on the board and in both proxy lists; each list narrows to
    a name typed without accents or to a seat, and chooses the one left."""
    chromium = chromium_path()
    from playwright.sync_api import expect, sync_playwright

    def build(meeting):
        for n in range(1, 13):
            seat(meeting, f"D{n}", {1: LONG_NAME, 2: "Trần Thị Bình", 3: "Nguyễn Văn An"}.get(n, f"Delegate {n}"),
                 status={1: "left", 4: "present", 5: "left"}.get(n))

    with served(tmp_path, build) as (app, base), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for width, height in [(800, 1280), (1280, 800), (1024, 768)]:
                page = staff_page(browser, base, width, height)
                page.goto(base + "/meetings/council/attendance")
                expect(page.locator("#board-rows .att-pill")).to_have_count(14)
                seats = page.locator("#board-rows td.att-seat").all_inner_texts()
                assert seats == ["C1", "S1"] + [f"D{n}" for n in range(1, 13)], seats
                spilled = page.evaluate("""() => {
                    const card = document.querySelector('.board-grid > .card').getBoundingClientRect();
                    return [...document.querySelectorAll('.board-grid > .card *')]
                        .filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > card.right + 0.5)
                        .map((el) => `${el.tagName}.${el.className} ${(el.textContent || '').trim().slice(0, 30)}`);
                }""")
                assert not spilled, f"past the board's card at {width}x{height}: {spilled[:5]}"
                scroll = page.locator(".att-table-scroll")
                assert scroll.evaluate("(el) => el.scrollWidth <= el.clientWidth"), \
                    f"the table scrolls sideways in its card at {width}x{height}"
                displays = page.evaluate("() => [...document.querySelectorAll('.att-table tbody td')]"
                                         ".map((td) => getComputedStyle(td).display)")
                assert set(displays) == {"table-cell"}, displays
                no_horizontal_scroll(page)
                big_enough(page.locator("#board-rows button"))
                shot(page, "attendance-board")
                page.context.close()

            page = staff_page(browser, base, 1024, 768)
            page.goto(base + "/meetings/council/attendance")
            proxies = page.get_by_test_id("proxies")
            giver, holder = proxies.get_by_test_id("proxy-giver"), proxies.get_by_test_id("proxy-holder")
            expect(giver.locator("option")).to_have_count(14)   # Choose… and 13 voters (the secretary, a clerk, does not vote)
            labels = giver.locator("option").all_text_contents()[1:]
            assert [label.split(" · ")[0] for label in labels] == ["C1"] + [f"D{n}" for n in range(1, 13)], labels   # S1, the clerk, does not vote
            finds = proxies.locator("input[type=search]")
            expect(finds).to_have_count(2)
            big_enough(finds)
            big_enough(proxies.locator("select"))
            proxies.get_by_test_id("proxy-giver-find").fill("tran thi")
            expect(giver.locator("option")).to_have_count(2)
            expect(giver).to_have_value(re.compile(r"\d+"))
            expect(giver.locator("option:checked")).to_have_text("D2 · Trần Thị Bình (Absent)")
            proxies.get_by_test_id("proxy-holder-find").fill("d1")   # D1, not D10 to D12
            expect(holder.locator("option:checked")).to_have_text(f"D1 · {LONG_NAME} (Left)")
            proxies.get_by_test_id("proxy-holder-find").fill("nguyen")
            expect(holder.locator("option")).to_have_count(2)
            expect(holder.locator("option:checked")).to_have_text("D3 · Nguyễn Văn An (Absent)")
            proxies.get_by_test_id("proxy-holder-find").fill("nobody at all")
            expect(holder.locator("option")).to_have_text(["Nobody on the roster matches."])
            proxies.get_by_test_id("proxy-holder-find").fill("delegate")
            expect(holder.locator("option")).to_have_count(10)
            holder.select_option(label="D4 · Delegate 4")
            proxies.get_by_role("button", name="Give the proxy").click()
            expect(proxies.locator(".proxy-row .proxy-who")).to_have_text("D2 · Trần Thị Bình carried by D4 · Delegate 4")
            expect(proxies.get_by_test_id("proxy-giver-find")).to_have_value("")
            expect(giver.locator("option")).to_have_count(12)   # neither D2 nor D4 gives a vote now
            shot(page, "attendance-proxies")
        finally:
            browser.close()


def test_an_excuse_is_typed_in_the_members_line_and_a_closed_meeting_offers_no_buttons(tmp_path):
    """The reason of an excuse was asked in a browser prompt() (a grey box over the page that tablets show badly);
    it is typed in the member's own line now. Once the meeting is closed the board and the door showed every button
    until a tap was refused: they show the record, and say why nothing can change."""
    chromium = chromium_path()
    from playwright.sync_api import expect, sync_playwright

    def build(meeting):
        seat(meeting, "D1", "Trần Thị Bình")
        seat(meeting, "D2", "Nguyễn Văn An", status="present")

    with served(tmp_path, build) as (app, base), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = staff_page(browser, base, 1024, 768)
            dialogs = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(base + "/meetings/council/attendance")
            page.get_by_test_id("board-find").fill("d01")   # the seat as said, with a zero the roster does not print
            expect(page.locator("#board-rows .att-seat")).to_have_text(["D1"])
            page.get_by_test_id("board-find").fill("")
            line = page.locator("#board-rows tr", has_text="Trần Thị Bình")
            line.get_by_role("button", name="Excused").click()
            form = line.get_by_test_id("excuse-form")
            expect(form.locator("input[name=excuse]")).to_be_focused()
            form.get_by_role("button", name="Cancel").click()
            expect(form).to_be_hidden()
            line.get_by_role("button", name="Excused").click()
            line.locator("input[name=excuse]").fill("Official travel to Hà Nội")
            line.locator("input[name=excuse]").press("Enter")
            expect(line.locator(".att-pill")).to_have_text("Excused: Official travel to Hà Nội")
            with app.app_context():
                member = db.session.scalar(sa.select(service.Attendance).where(service.Attendance.status == "excused"))
                assert member.excuse == "Official travel to Hà Nội"
            assert dialogs == []
            shot(page, "attendance-excuse")

            with app.app_context():
                db.session.get(Meeting, 1).status = Meeting.CLOSED
                db.session.commit()
            page.goto(base + "/meetings/council/attendance")
            expect(page.get_by_test_id("attendance-closed")).to_contain_text("This meeting is closed")
            expect(page.locator("#board-rows .att-pill")).to_have_count(4)
            expect(page.locator("#board-rows button")).to_have_count(0)
            expect(page.get_by_test_id("proxy-form")).to_have_count(0)
            expect(page.locator("#settings-form button[type=submit]")).to_have_count(0)
            page.goto(base + "/meetings/council/checkin")
            expect(page.get_by_test_id("checkin-closed")).to_be_visible()
            expect(page.locator("#manual-code")).to_have_count(0)
            expect(page.get_by_test_id("self-checkin-prompt")).to_have_count(0)
            page.context.close()
        finally:
            browser.close()
