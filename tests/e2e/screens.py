"""What the end-to-end tests do as people: read badges, sign in, look at screens, check the screen rules."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pymupdf
import zxingcpp
from PIL import Image

from app.config import PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "test-artifacts"   # screenshots to look at (gitignored)

MIN_TAP = 44  # px: the smallest touch target a finger hits reliably


def badge_links(pdf: Path) -> dict[str, str]:
    """{seat: URL} read from the printed badge sheet: each QR decoded from the page image, matched to the
    “Seat …” line printed beside it on the same card."""
    links: dict[str, str] = {}
    dpi = 150
    scale = 72 / dpi
    with pymupdf.open(pdf) as doc:
        for page in doc:
            pix = page.get_pixmap(dpi=dpi)
            image = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
            codes = [(c.text, c.position) for c in zxingcpp.read_barcodes(image) if c.format == zxingcpp.BarcodeFormat.QRCode]
            seats = [(w[4], w) for w in page.get_text("words") if re.fullmatch(r"[A-Z]+\d+", w[4])]
            for text, pos in codes:
                left, top, bottom = pos.top_left.x * scale, pos.top_left.y * scale, pos.bottom_left.y * scale
                # The seat line sits left of its QR code, within the code's height (the card's lower half).
                beside = [(left - w[2], seat) for seat, w in seats
                          if w[2] <= left and top - 20 <= (w[1] + w[3]) / 2 <= bottom + 20]
                assert beside, f"no seat printed beside the QR code {text}"
                links[min(beside)[1]] = text
    return links


def sign_in(page, username: str, password: str) -> None:
    """The password form at /login, as staff do."""
    page.goto("/login")
    no_horizontal_scroll(page)
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def chair_opens_a_motion(chair, question: str):
    """In the console's votes panel, as a chair does: a new motion (For / Against / Abstain) with this question,
    prepared and opened; the panel."""
    votes = chair.locator("#votes")
    votes.locator("summary", has_text="New vote").click()
    votes.locator("input[name=question]").fill(question)
    votes.get_by_role("button", name="Prepare").click()
    votes.get_by_test_id("vote-open").click()
    return votes


def chair_opens_an_election(chair, question: str, candidates: list[str], seats: int, rule: str | None = None):
    """In the console's votes panel: a new election of `seats` of these candidates (by `rule`, else the form's
    majority), prepared and opened (the draft found by its question); the panel, once the open vote shows."""
    from playwright.sync_api import expect

    votes = chair.locator("#votes")
    votes.locator("summary", has_text="New vote").click()
    form = votes.get_by_test_id("vote-form")
    form.locator("input[name=question]").fill(question)
    form.locator("select[name=method]").select_option("election")
    form.locator("textarea[name=options]").fill("\n".join(candidates))
    form.locator("input[name=max_choices]").fill(str(seats))
    if rule:
        form.locator("select[name=rule]").select_option(rule)
    votes.get_by_role("button", name="Prepare").click()
    votes.locator(".vote-drafts li", has_text=question).get_by_test_id("vote-open").click()
    expect(votes.get_by_test_id("vote-live")).to_be_visible()
    return votes


def switch_language(page, to: str) -> None:
    """Choose the other language ("English", "Tiếng Việt") in the top bar's account menu, as a person does."""
    page.get_by_test_id("account-menu").locator("summary").click()
    page.get_by_test_id("account-menu").get_by_role("button", name=to).click()


def chair_starts_the_meeting(chair, password: str) -> None:
    """The chair signs in, opens the console and starts the demo meeting."""
    from playwright.sync_api import expect

    sign_in(chair, "chair", password)
    chair.goto("/meetings/demo/console")
    chair.locator("#status-actions button", has_text="Start the meeting").click()
    expect(chair.get_by_test_id("meeting-status")).to_have_text("Live")


def shot(page, name: str) -> Path:
    """A screenshot of what this screen shows now, into test-artifacts/ (named with the viewport size)."""
    ARTIFACTS.mkdir(exist_ok=True)
    size = page.viewport_size
    path = ARTIFACTS / f"{name}-{size['width']}x{size['height']}.png"
    page.screenshot(path=str(path))
    return path


def no_horizontal_scroll(page) -> None:
    """The page never scrolls sideways (a tablet at 768 px shows everything by scrolling down only)."""
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} scrolls sideways at {inner} px: content is {width} px wide"


def big_enough(locator, minimum: int = MIN_TAP) -> None:
    """Every visible element of the locator is at least `minimum` px in both directions (a finger's size)."""
    count = locator.count()
    assert count, f"nothing matches {locator}"
    for i in range(count):
        box = locator.nth(i).bounding_box()
        assert box, f"{locator} #{i} is not visible"
        assert box["width"] >= minimum and box["height"] >= minimum, \
            f"{locator} #{i} is {box['width']:.0f}x{box['height']:.0f} px; a touch target needs {minimum} px"


def nothing_cut_off(page, selector: str) -> None:
    """Everything shown inside the (non-scrolling) element lies within it: no panel half hidden at the
    bottom of a wall screen."""
    clipped = page.evaluate("""(selector) => {
        const box = document.querySelector(selector).getBoundingClientRect();
        return [...document.querySelectorAll(`${selector} *`)]
            .filter((el) => el.getClientRects().length && el.getBoundingClientRect().bottom > box.bottom + 1)
            .map((el) => (el.textContent || el.tagName).trim().slice(0, 40));
    }""", selector)
    assert not clipped, f"cut off at the bottom of {selector}: {clipped}"


def on_first_screen(page, locator) -> None:
    """The element is seen without scrolling the page (a chair's controls beside the presented page)."""
    page.evaluate("window.scrollTo(0, 0)")
    box = locator.bounding_box()
    assert box, f"{locator} is not visible"
    height = page.viewport_size["height"]
    assert box["y"] + box["height"] <= height, \
        f"{locator} ends at {box['y'] + box['height']:.0f} px, below the {height} px screen: one must scroll to it"


def wait_until(page, predicate: str, timeout: float = 15.0) -> None:
    """Wait until the JavaScript function `predicate` returns true in the page. Polled from here, not with
    Playwright's wait_for_function, which evaluates its predicate with eval: the pages' Content Security
    Policy (rightly) refuses that."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate):
        assert time.monotonic() < deadline, f"{page.url}: still not true after {timeout:.0f} s: {predicate}"
        page.wait_for_timeout(50)


PAGE_IMAGE_READY = """() => { const img = document.querySelector('#viewer .pv-img');
    return !!(img && img.complete && img.naturalWidth > 0 && !document.querySelector('#viewer .pv-provisional')); }"""


def agenda_item(page, title: str):
    """An item of the preparation page's agenda, by its own title (each item's edit form lists every other item
    as a heading to move under, so a plain has_text would match them all)."""
    return page.locator(".agenda-item").filter(has=page.locator(".agenda-title", has_text=title))


def contrast(page, selector: str, fg: str = "color", bg: str = "background-color") -> float:
    """The WCAG contrast ratio of two computed colours of an element."""
    return page.evaluate("""([sel, fg, bg]) => {
        const el = document.querySelector(sel), cs = getComputedStyle(el);
        const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
        const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const [a, b] = [lum(cs[fg]), lum(cs[bg])].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05); }""", [selector, fg, bg])
