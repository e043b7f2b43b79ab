"""A congress-sized election's result, read where the room reads it: the chair's console (its narrow side column),
a delegate's tablet and the wall screen, each at 800x1280, 1280x800 and 1920x1080. Every candidate's name, count
and bar lies inside its column; the candidates are ranked by votes with the elected marked; every count has the
same form; the wall, which never scrolls, shows the rows that fit and says how many more there are."""
from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.screens import chair_opens_an_election, chair_starts_the_meeting, nothing_cut_off, on_first_screen, shot

pytestmark = pytest.mark.slow

SIZES = ((800, 1280), (1280, 800), (1920, 1080))
CANDIDATES = [
    "Maria Dolores Fernández-Castañeda de la Cruz y Montenegro", "Anne-Sophie Wiśniewska-Brzęczyszczykiewicz",
    "Karl-Theodor Maria Nikolaus Johann Jacob Philipp Franz Joseph Sylvester Freiherr von und zu Guttenberg",
    "Tôn Nữ Thị Hoàng Phương Thảo Nguyễn Ngọc Bích", "Đỗ Xuân Nhung", "Íñigo Rossi", "François Papadopoulou",
    "Björn Østergaard", "Nguyễn Minh Khánh", "Vũ Đức Phương", "Võ Đức Hải", "Ólafur Kovačević",
]
# Each delegate's candidates (D03 and D08 weigh 2; D09 abstains): 5 and 2 get 9 votes, 9 gets 8 of a base of 13.
PICKS = {"D01": [5, 9, 2], "D02": [5, 9, 0], "D03": [5, 9, 2], "D04": [5, 2, 7], "D05": [5, 9, 11], "D06": [9, 2, 10],
         "D07": [5, 2, 3], "D08": [9, 2, 6], "D09": None, "D10": [5, 1, 4], "D11": [6, 8, 10], "D12": [5, 0, 2]}
ELECTED = {CANDIDATES[i] for i in (2, 5, 9)}

# Per row of the result shown in `where`: its name, count, whether it is shown and marked elected, and every part
# of it (name, count, bar) that lies outside its column or is wider than its box (text cut off at the side).
ROWS = """([where, column]) => {
    const panel = document.querySelector(column).getBoundingClientRect();
    const chart = document.querySelector(`${where} [data-testid=vote-result] .vote-chart`);
    const labels = [...chart.querySelectorAll('.vote-chart-label')];
    return labels.map((label) => {
        const row = label.closest('.vote-chart-row');   // (a row of its own, or three cells of one grid)
        const bar = row ? row.querySelector('.vote-chart-track') : label.nextElementSibling;
        const value = row ? row.querySelector('.vote-chart-value') : bar.nextElementSibling;
        const outside = [label, value, bar].filter((el) => el.getClientRects().length).filter((el) => {
            const box = el.getBoundingClientRect();
            return box.left < panel.left - 1 || box.right > panel.right + 1 || el.scrollWidth > el.clientWidth + 1;
        }).map((el) => el.className);
        const mark = label.querySelector('.vote-chart-mark');
        return { name: label.textContent.replace(mark?.textContent ?? '', '').trim(), count: value.textContent.trim(),
                 shown: label.getClientRects().length > 0, elected: !!bar.querySelector('.vote-bar-won'), outside };
    });
}"""


def cast_ballots(demo, vote_id: int, options: dict[str, int], abstain: int) -> None:
    """Each delegate signs in with their badge and casts their ballot (through the API the tablet uses)."""
    for seat, picks in PICKS.items():
        s = requests.Session()
        page = s.get(demo.badge(seat), timeout=10).text
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        chosen = [abstain] if picks is None else [options[CANDIDATES[i]] for i in picks]
        r = s.post(f"{demo.base}/api/votes/{vote_id}/ballot", json={"option_ids": chosen},
                   headers={"X-CSRFToken": csrf, "Accept": "application/json"}, timeout=10)
        assert r.ok, (seat, r.text)


def test_a_long_election_is_readable_on_every_screen(demo, actors):
    chair = actors(1280, 800)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    votes = chair_opens_an_election(chair, "Election of the presidium of the congress (3 seats)", CANDIDATES, 3)
    vote = chair.evaluate("window.daisLive.state.vote.open")
    options = {o["label"]: o["id"] for o in vote["options"]}
    abstain = next(o["id"] for o in vote["options"] if o["kind"] == "abstain")
    cast_ballots(demo, vote["id"], options, abstain)
    expect(votes.get_by_test_id("vote-progress")).to_contain_text("12 of")
    votes.get_by_test_id("vote-close").click()
    votes.get_by_test_id("vote-publish").click()

    chair.click("#display-new")
    expect(chair.locator("#display-url")).to_have_text(re.compile(r"/display/"))
    wall = actors(1280, 800)
    wall.goto(chair.get_attribute("#display-url", "href"))
    tablet = actors(800, 1280)
    tablet.goto(demo.badge("D01"))

    for page, where, column, name in ((chair, "#votes", "#votes", "console"), (tablet, "#ballot", "#ballot", "tablet"),
                                      (wall, "#vote", "#panels", "wall")):
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            result = page.locator(where).get_by_test_id("vote-result")
            expect(result).to_have_attribute("data-state", "published")
            page.wait_for_timeout(300)   # the wall fits its column a frame after a resize
            size = f"{name} {width}x{height}"
            rows = page.evaluate(ROWS, [where, column])
            assert len(rows) == len(CANDIDATES) + 1, size
            # name, count and bar inside the column, none cut at the side; the column never scrolls sideways
            assert not [(r["name"][:20], r["outside"]) for r in rows if r["shown"] and r["outside"]], size
            assert page.evaluate("(c) => { const el = document.querySelector(c); return el.scrollWidth <= el.clientWidth; }",
                                 column), f"{size}: the column scrolls sideways"
            # one form for every count (the weighted members make votes and ballots differ), each candidate's share
            # of the base (13: abstentions do not count) beside it, none for Abstain
            bad = [r["count"] for r in rows[:-1] if not re.fullmatch(r"\d+ votes? \d+(\.\d)?% \(\d+ ballots?\)", r["count"])]
            bad += [r["count"] for r in rows[-1:] if not re.fullmatch(r"\d+ votes? \(\d+ ballots?\)", r["count"])]
            assert not bad, f"{size}: counts in another form: {bad}"
            assert rows[0]["count"].startswith("9 votes 69.2% ") and rows[2]["count"].startswith("8 votes 61.5% "), size
            # ranked by votes, abstentions last; the three elected marked, and only they
            weights = [int(r["count"].split()[0]) for r in rows]
            assert rows[-1]["name"] == "Abstain", size
            assert weights[:-1] == sorted(weights[:-1], reverse=True), f"{size}: not ranked by votes: {weights}"
            assert {r["name"] for r in rows if r["elected"]} == ELECTED, size
            assert {r["name"] for r in rows[:3]} == ELECTED, size
            if name != "wall":   # the verdict names the elected in the chart's order (the wall's leaves them to it)
                expect(result.locator(".vote-verdict-names")).to_have_text(", ".join(r["name"] for r in rows[:3]))
            if name == "wall":
                # what the wall shows ends inside its column: every row, or the top rows and “+ N more”
                nothing_cut_off(page, "#panels")
                hidden = sum(not r["shown"] for r in rows)
                assert all(r["shown"] for r in rows[:len(rows) - hidden]), f"{size}: a row is missing from the top"
                more = page.locator("#vote [data-testid=vote-chart-more]")
                if hidden:
                    expect(more).to_have_text(f"+ {hidden} more")
                    expect(more).to_be_visible()
                else:
                    expect(more).to_have_count(0)
            else:
                assert all(r["shown"] for r in rows), size
            result.locator(".vote-chart").scroll_into_view_if_needed()
            shot(page, f"results-{name}")


def test_a_short_election_on_the_wall_is_read_from_the_back_of_the_room(demo, actors):
    """Four candidates, one with a long name, on a 1920x1080 wall: the chart keeps a size read across the room
    (it dropped to the congress-sized small rows, 20 px names over 8 px bars, for one name on two lines), the
    elected mark and the name are apart, and nothing is cut off."""
    chair = actors(1280, 800)
    chair_starts_the_meeting(chair, demo.passwords["chair"])
    chair.click("#display-new")
    expect(chair.locator("#display-url")).to_have_text(re.compile(r"/display/"))
    wall = actors(1920, 1080)
    wall.goto(chair.get_attribute("#display-url", "href"))
    short = ["Jonas Weber", CANDIDATES[0], "Fatima El-Amrani", "Phạm Quốc Bảo"]
    votes = chair_opens_an_election(chair, "Elect two vice-chairs of the committee", short, 2)
    vote = chair.evaluate("window.daisLive.state.vote.open")
    ids = {o["label"]: o["id"] for o in vote["options"]}
    for seat, picks in (("D01", [3, 1]), ("D02", [3, 1]), ("D03", [3, 0]), ("D04", [1])):   # D03 weighs 2
        s = requests.Session()
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', s.get(demo.badge(seat), timeout=10).text).group(1)
        r = s.post(f"{demo.base}/api/votes/{vote['id']}/ballot", json={"option_ids": [ids[short[i]] for i in picks]},
                   headers={"X-CSRFToken": csrf, "Accept": "application/json"}, timeout=10)
        assert r.ok, (seat, r.text)
    # a delegate's landscape tablet: the ballot's last option and its Next are on the first screen (four narrow
    # columns broke the long name mid-word into a tall tile and pushed both below it)
    tablet = actors(1280, 800)
    tablet.goto(demo.badge("D05"))
    options = tablet.locator("#ballot").get_by_test_id("vote-option")
    expect(options).to_have_count(5)
    on_first_screen(tablet, options.last)
    on_first_screen(tablet, tablet.locator("#ballot").get_by_test_id("vote-next"))
    shot(tablet, "ballot-long-candidate")
    votes.get_by_test_id("vote-close").click()
    votes.get_by_test_id("vote-publish").click()
    result = wall.locator("#vote").get_by_test_id("vote-result")
    expect(result).to_have_attribute("data-state", "published")
    # the console's verdict names the elected as the chart ranks them, most votes first (it listed them in the
    # ballot's order)
    expect(votes.get_by_test_id("vote-result").locator(".vote-verdict-names")).to_have_text(f"{short[3]}, {short[1]}")
    wall.wait_for_timeout(300)
    sizes = wall.evaluate("""() => {
        const label = document.querySelector('#vote .vote-chart-label');
        const track = document.querySelector('#vote .vote-chart-track');
        const mark = label.querySelector('.vote-chart-mark');
        const range = document.createRange();
        range.setStartAfter(mark); range.setEnd(label, label.childNodes.length);
        return { font: parseFloat(getComputedStyle(label).fontSize), bar: track.getBoundingClientRect().height,
                 gap: range.getClientRects()[0].left - mark.getBoundingClientRect().right };
    }""")
    assert sizes["font"] >= 24 and sizes["bar"] >= 14, f"the wall's chart is too small to read from afar: {sizes}"
    assert sizes["gap"] >= 6, f"the elected mark touches the name: {sizes}"
    expect(wall.locator("#vote [data-testid=vote-chart-more]")).to_have_count(0)
    nothing_cut_off(wall, "#panels")
    shot(wall, "wall-short-election")
