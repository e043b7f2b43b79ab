"""A whole meeting of the demo committee in Chromium against the real server: a chair, a secretary, three
delegates and the wall screen, each in its own browser at a tablet size, from the badge sheet to the signed minutes."""
from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor

import pymupdf

import pytest
from playwright.sync_api import expect
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from tests.e2e.screens import (PAGE_IMAGE_READY, badge_links, big_enough, no_horizontal_scroll, nothing_cut_off,
                               on_first_screen, shot, sign_in, switch_language, wait_until)

pytestmark = pytest.mark.slow

PORTRAIT, LANDSCAPE, WIDE = (768, 1024), (1024, 768), (1280, 800)
DOC = "Cycling Network Plan 2027–2030, phase 1"   # 5 pages, agenda item 4


def validate_signature(pdf: bytes, cert):
    """pyHanko's verdict on the one signature of a PDF, trusting the demo certificate."""
    reader = PdfFileReader(io.BytesIO(pdf))
    assert len(reader.embedded_signatures) == 1
    trust = ValidationContext(trust_roots=[load_cert_from_pemder(str(cert))])
    return validate_pdf_signature(reader.embedded_signatures[0], trust)


def page_shown(page) -> str:
    """What the tablet's page viewer says it shows (its accessible label), once the page image is really there."""
    wait_until(page, PAGE_IMAGE_READY)
    return page.get_attribute("#viewer .pv", "aria-label")


def test_a_whole_meeting_from_badges_to_signed_minutes(demo, actors):
    pw = demo.passwords
    links = badge_links(demo.print_badges())
    assert len(links) == 15 and all(url.startswith(demo.base + "/t/") for url in links.values())

    # --- staff sign in; the chair makes a wall-screen link
    chair = actors(*WIDE)
    sign_in(chair, "chair", pw["chair"])
    chair.goto("/meetings/demo/console")
    expect(chair.get_by_test_id("meeting-status")).to_have_text("Scheduled")
    chair.click("#display-new")
    expect(chair.locator("#display-url")).to_have_text(re.compile(r"/display/"))
    wall = actors(*WIDE)
    wall.goto(chair.get_attribute("#display-url", "href"))
    expect(wall.get_by_test_id("meeting-status")).to_have_text("Scheduled")
    # before the first item the room sees the meeting's title as the heading, and "no item yet" once, in the middle;
    # the quorum dial labels its threshold mark with the number needed: 7 of the 13 voting members (the committee's
    # clerk, seated as secretary, does not vote)
    title = "Committee on Urban Development and Transport – regular session 12/2026"
    expect(wall.get_by_test_id("current-item")).to_have_text(title)
    expect(wall.locator("#meeting-title")).to_be_hidden()
    expect(wall.locator("body")).not_to_contain_text("No agenda item is open.")
    expect(wall.get_by_text("No agenda item is open yet.")).to_have_count(1)
    expect(wall.locator("#quorum .quorum-mark-label")).to_have_text("7")

    secretary = actors(*PORTRAIT)
    sign_in(secretary, "secretary", pw["secretary"])
    secretary.goto("/meetings/demo/checkin")
    no_horizontal_scroll(secretary)

    # --- three delegates scan their badges (the QR codes printed on the sheet) and land on the live tablet
    delegates = []
    for seat, size in (("D01", PORTRAIT), ("D02", LANDSCAPE), ("D03", PORTRAIT)):
        tablet = actors(*size)
        tablet.goto(links[seat])
        expect(tablet).to_have_url(re.compile(r"/meetings/demo/live$"))
        expect(tablet.get_by_test_id("follow-state")).to_have_text("You are following the chair")
        no_horizontal_scroll(tablet)
        delegates.append(tablet)
    d1, d2, d3 = delegates
    expect(d1.locator(".who")).to_have_text("Trần Văn Hùng")
    expect(d3.locator(".who")).to_have_text("Lê Minh Châu")

    # --- the secretary checks them in at the door by the badge code; the quorum indicator moves
    expect(chair.locator("#quorum")).to_have_attribute("data-present", "0")
    for n, seat in enumerate(("D01", "D02", "D03"), start=1):
        secretary.fill("#manual-code", links[seat])
        secretary.click("#manual-form button")
        expect(secretary.locator("#scan-result")).to_contain_text("Checked in")
        expect(secretary.locator("#quorum")).to_have_attribute("data-present", str(n))
        expect(chair.locator("#quorum")).to_have_attribute("data-present", str(n))
    expect(wall.locator("#quorum")).to_have_attribute("data-present", "3")
    expect(chair.locator("#quorum .quorum-status")).to_have_text("No quorum")
    shot(secretary, "secretary-checkin")

    # --- the chair starts the meeting, opens item 4 and presents its document; the tablets follow
    chair.locator("#status-actions button").click()
    for screen in (chair, wall, *delegates):
        expect(screen.get_by_test_id("meeting-status")).to_have_text("Live")
    item = chair.locator(".live-item", has_text="Cycling Network Plan 2027–2030, phase 1 (inner ring")
    item.get_by_role("button", name="Open").click()
    expect(chair.get_by_test_id("current-item")).to_have_text(re.compile(r"^4\. Cycling Network Plan"))
    expect(wall.get_by_test_id("current-item")).to_have_text(re.compile(r"^4\. Cycling Network Plan"))
    expect(wall.locator("#meeting-title")).to_have_text(title)
    chair.locator(".live-doc-open", has_text=DOC).click()
    expect(chair.get_by_test_id("page-label")).to_have_text("Page 1 of 5")
    chair.click("#next")
    expect(chair.get_by_test_id("page-label")).to_have_text("Page 2 of 5")
    for tablet in delegates:
        expect(tablet.get_by_test_id("page-label")).to_have_text("Page 2 of 5")
        assert page_shown(tablet) == "Page 2 of 5"
        expect(tablet.get_by_test_id("current-item")).to_have_text(re.compile(r"^4\. Cycling Network Plan"))
    expect(wall.get_by_test_id("page-label")).to_have_text(f"{DOC} · Page 2 of 5")
    for control in ("#prev", "#next", "#stop", "#next-item"):
        on_first_screen(chair, chair.locator(control))
    shot(chair, "chair-presenting")
    shot(wall, "wall-presenting")
    for i, tablet in enumerate(delegates, start=1):
        shot(tablet, f"delegate{i}-following")

    # --- a delegate browses away, the chair turns on, “Back to the chair” brings the presented page back
    d1.click("#next")
    # browsing, they still read where the room is
    expect(d1.get_by_test_id("follow-state")).to_have_text("You are browsing on your own; the chair is on page 2")
    expect(d1.get_by_test_id("page-label")).to_have_text("Page 3 of 5")
    back = d1.get_by_test_id("back-to-chair")
    expect(back).to_be_visible()
    big_enough(back)
    shot(d1, "delegate1-browsing")
    chair.click("#next")
    expect(chair.get_by_test_id("page-label")).to_have_text("Page 3 of 5")
    chair.click("#next")
    expect(d2.get_by_test_id("page-label")).to_have_text("Page 4 of 5")
    expect(d1.get_by_test_id("page-label")).to_have_text("Page 3 of 5")   # still where the delegate went
    back.click()
    expect(d1.get_by_test_id("follow-state")).to_have_text("You are following the chair")
    expect(d1.get_by_test_id("page-label")).to_have_text("Page 4 of 5")
    assert page_shown(d1) == "Page 4 of 5"
    expect(back).to_be_hidden()

    # --- a delegate annotates the page: a shared ink stroke and a private highlight; the API keeps both,
    # another delegate sees the shared one at once and never the private one
    doc_id = d2.evaluate("window.daisLive.state.presented.document_id")
    toolbar = d2.get_by_test_id("annotator-toolbar")
    expect(toolbar).to_be_hidden()   # reading first: the tools come out with “Annotate”
    big_enough(d2.get_by_test_id("annotate"))
    d2.get_by_test_id("annotate").click()
    expect(toolbar).to_be_visible()
    toolbar.locator("select.ann-share").select_option("meeting")
    toolbar.locator("[data-tool=ink]").click()
    layer = d2.get_by_test_id("annotation-layer")
    box = layer.bounding_box()
    d2.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)
    d2.mouse.down()
    for step in range(1, 11):
        d2.mouse.move(box["x"] + box["width"] * (0.3 + step * 0.03), box["y"] + box["height"] * (0.3 + step * 0.02))
    d2.mouse.up()
    expect(layer.locator(".ann-item[data-kind=ink]")).to_have_count(1)
    toolbar.locator("select.ann-share").select_option("private")
    toolbar.locator("[data-tool=highlight]").click()
    d2.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.6)
    d2.mouse.down()
    d2.mouse.move(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.64, steps=5)
    d2.mouse.up()
    expect(layer.locator(".ann-item[data-kind=highlight]")).to_have_count(1)
    shot(d2, "delegate2-annotating")
    d2.get_by_test_id("annotate").click()
    expect(toolbar).to_be_hidden()
    shot(d2, "delegate2-annotated")
    stored = d2.request.get(f"/api/meetings/demo/documents/{doc_id}/annotations?page=4").json()
    kinds = {a["kind"]: a for a in stored["annotations"]}
    assert set(kinds) == {"ink", "highlight"}
    assert kinds["ink"]["visibility"] == "meeting" and kinds["highlight"]["visibility"] == "private"
    assert len(kinds["ink"]["geometry"]["strokes"][0]) >= 5
    x0, y0, x1, y1 = kinds["highlight"]["geometry"]["rects"][0]
    assert 0 <= x0 < x1 <= stored["page_width"] and 0 <= y0 < y1 <= stored["page_height"]
    other = d3.get_by_test_id("annotation-layer")
    expect(other.locator(".ann-item[data-kind=ink] .ann-author")).to_have_text("Anna Kowalska")
    expect(other.locator(".ann-item")).to_have_count(1)
    d2.reload()   # the delegate's own annotations come back with the page
    expect(d2.get_by_test_id("annotation-layer").locator(".ann-item")).to_have_count(2)

    # --- a delegate asks for the floor; the chair gives it; the wall shows the speaker
    # (on a landscape tablet the request is on the first screen, above the agenda, not below its nine items)
    ask = d2.locator("#speakers").get_by_role("button", name="Request to speak")
    on_first_screen(d2, ask)
    # and not scrolled away inside the side column, which keeps the current item (4 of 9) in view under it
    assert ask.evaluate("""(b) => { const r = b.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return hit === b || b.contains(hit); }"""), "the request button is hidden inside the scrolled side column"
    current = d2.locator("#agenda .live-item.current .live-item-title")
    assert current.evaluate("""(t) => { const r = t.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + 10, r.top + r.height / 2);
        return hit === t || t.contains(hit); }"""), "the current item is hidden under the floor panel"
    shot(d2, "delegate2-floor-panel")
    request = d3.locator("#speakers").get_by_role("button", name="Request to speak")
    big_enough(request)
    request.click()
    expect(d3.locator("#speakers")).to_contain_text("You are number 1 on the list.")
    queued = chair.locator("#speakers .spk-queue li", has_text="Lê Minh Châu")
    queued.get_by_role("button", name="Give the floor").click()
    expect(wall.locator("#speakers .spk-now-name")).to_have_text("D03 · Lê Minh Châu")
    expect(d3.locator("#speakers")).to_contain_text("You have the floor.")
    expect(d1.locator("#speakers .spk-now-name")).to_have_text("D03 · Lê Minh Châu")
    nothing_cut_off(wall, "#panels")
    shot(wall, "wall-speaker")

    # --- a secret vote: the chair prepares and opens it, three delegates vote, the chair closes it
    votes = chair.locator("#votes")
    votes.locator("summary", has_text="New vote").click()
    votes.locator("input[name=question]").fill("Adopt phase 1 of the cycling network plan?")
    votes.locator("input[name=secret]").check()
    votes.get_by_role("button", name="Prepare").click()
    votes.get_by_test_id("vote-open").click()
    expect(votes.get_by_test_id("vote-live")).to_be_visible()
    # Lê Minh Châu (D03) holds vote weight 2: For 3 votes (2 ballots), Against 1, Abstain 0.
    for tablet, choice in ((d1, "For"), (d2, "Against"), (d3, "For")):
        ballot = tablet.get_by_test_id("ballot")
        options = ballot.get_by_test_id("vote-option")
        expect(options).to_have_count(3)
        big_enough(options)
        no_horizontal_scroll(tablet)
        if tablet is d1:
            shot(d1, "delegate1-ballot")
        options.filter(has_text=re.compile(f"^{choice}$")).click()
        confirm = ballot.get_by_test_id("vote-confirm")
        big_enough(confirm)
        confirm.click()
        expect(ballot.get_by_test_id("vote-recorded")).to_be_visible()
    expect(votes.get_by_test_id("vote-progress")).to_contain_text("3 of")
    # the open vote heads the console's side column: its counter and Close are seen without scrolling, here and on
    # a landscape tablet
    for width, height in ((1280, 800), (1024, 768)):
        chair.set_viewport_size({"width": width, "height": height})
        on_first_screen(chair, votes.get_by_test_id("vote-close"))
        assert votes.bounding_box()["y"] < chair.locator("#quorum").bounding_box()["y"], "the open vote is not first"
        close, side = votes.get_by_test_id("vote-close").bounding_box(), chair.locator(".live-side").bounding_box()
        assert side["y"] <= close["y"] and close["y"] + close["height"] <= side["y"] + side["height"], \
            f"{width}×{height}: Close the vote is scrolled out of the side column"
    expect(chair.locator("#presence li")).not_to_have_count(0)   # the rest of the column keeps its height
    chair.set_viewport_size({"width": 1280, "height": 800})
    shot(chair, "chair-vote-open")
    votes.get_by_test_id("vote-close").click()
    for screen, where in ((d1, "#ballot"), (d2, "#ballot"), (d3, "#ballot"), (wall, "#vote"), (chair, "#votes")):
        result = screen.locator(where).get_by_test_id("vote-result")
        expect(result).to_be_visible()
        expect(result.get_by_test_id("vote-verdict")).to_have_text("Adopted")
        values = result.locator(".vote-chart-value").all_text_contents()
        # every row of a weighted vote in one form: the weight, and the ballots behind it
        # and its share of the votes cast (abstentions, here none, do not count under this rule)
        assert [v.rstrip(" ✓") for v in values] == ["3 votes 75% (2 ballots)", "1 vote 25% (1 ballot)",
                                                    "0 votes (0 ballots)"], values
        expect(result.locator(".vote-figures")).to_contain_text("3 of")
    # the wall's side column has the result, the speaker and no half-hidden panel (the queue gave way)
    nothing_cut_off(wall, "#panels")
    expect(wall.locator("#speakers .spk-now-name")).to_have_text("D03 · Lê Minh Châu")
    shot(wall, "wall-result")
    shot(d3, "delegate3-result")
    shot(d2, "delegate2-result")
    hide = d3.get_by_test_id("vote-dismiss")   # the result put away gives the page its room back
    big_enough(hide)
    hide.click()
    expect(d3.locator("#ballot")).to_be_hidden()
    d3.reload()   # put away stays away (it came back over the page after a reload or the chair's page turn)
    expect(d3.get_by_test_id("follow-state")).to_be_visible()
    d3.wait_for_timeout(500)
    expect(d3.locator("#ballot")).to_be_hidden()
    chair.locator("#votes").get_by_test_id("vote-publish").click()   # changed, it comes back once: now published
    expect(d3.locator("#ballot").get_by_test_id("vote-result")).to_have_attribute("data-state", "published")
    expect(d3.locator("#ballot")).to_be_visible()

    # --- the reader (/meetings/demo/documents/<id>) has the same annotations: the shared ink shows, and a
    # highlight made there is stored
    d1.goto(f"/meetings/demo/documents/{doc_id}?page=4")
    no_horizontal_scroll(d1)
    layer = d1.get_by_test_id("annotation-layer")
    expect(layer.locator(".ann-item[data-kind=ink] .ann-author")).to_have_text("Anna Kowalska")
    expect(d1.get_by_test_id("annotator-toolbar")).to_be_hidden()
    big_enough(d1.get_by_test_id("annotate"))
    d1.get_by_test_id("annotate").click()
    d1.get_by_test_id("annotator-toolbar").locator("[data-tool=highlight]").click()
    box = layer.bounding_box()
    d1.mouse.move(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.2)
    d1.mouse.down()
    d1.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.24, steps=4)
    d1.mouse.up()
    expect(layer.locator(".ann-item[data-kind=highlight]")).to_have_count(1)
    shot(d1, "delegate1-reader-annotating")
    mine = d1.request.get("/api/meetings/demo/annotations/mine").json()["annotations"]
    assert [(a["kind"], a["page"], a["document_id"]) for a in mine] == [("highlight", 4, doc_id)]
    d1.go_back()
    expect(d1.get_by_test_id("page-label")).to_have_text("Page 4 of 5")

    # --- the chair ends the speech and closes the meeting: every screen turns read-only
    chair.locator("#speakers").get_by_role("button", name="End speech").click()
    expect(wall.locator("#speakers .spk-now-name")).to_have_count(0)
    chair.once("dialog", lambda dialog: dialog.accept())
    chair.locator("#status-actions button", has_text="Close the meeting").click()
    for screen in (chair, wall, *delegates):
        expect(screen.get_by_test_id("meeting-status")).to_have_text("Closed")
    expect(d1.locator("#read-only")).to_be_visible()
    expect(wall.locator("#quorum")).to_be_hidden()   # of no more use: the room reads "Closed", not "No quorum"
    expect(wall.get_by_test_id("quorum-alert")).to_be_hidden()

    # --- minutes: the chair approves; the signed PDF downloads and its signature validates
    chair.goto("/meetings/demo/minutes")
    no_horizontal_scroll(chair)
    asked = []
    chair.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    chair.get_by_test_id("approve").click()
    expect(chair.get_by_test_id("approval-state")).to_contain_text("Approved and signed")
    assert asked and "sign" in asked[0].lower()
    shot(chair, "chair-minutes-approved")
    pdf_link = chair.get_by_role("link", name="PDF (opens in a new tab)", exact=True).get_attribute("href")
    with chair.expect_download() as dl:   # the link as a download (headless Chromium has no PDF viewer)
        chair.evaluate("""(href) => { const a = document.createElement('a'); a.href = href; a.download = 'minutes.pdf';
            document.body.append(a); a.click(); }""", pdf_link)
    pdf = dl.value.path().read_bytes()
    cert = demo.data / "signing" / "demo-cert.pem"
    with ThreadPoolExecutor(1) as pool:   # pyHanko runs its own asyncio loop; Playwright holds this thread's
        status = pool.submit(validate_signature, pdf, cert).result()
    assert status.bottom_line and status.intact and status.valid, status.pretty_print_details()
    with pymupdf.open(stream=pdf, filetype="pdf") as signed:
        text = "".join(p.get_text() for p in signed)
    assert "Adopt phase 1 of the cycling network plan?" in text
    # a delegate reads the approved minutes
    d1.goto("/meetings/demo/minutes")
    expect(d1.get_by_test_id("approval-state")).to_contain_text("digitally signed")
    no_horizontal_scroll(d1)
    shot(d1, "delegate1-minutes")

    # the chair reads the audit log on a tablet: who opened and closed the vote, long hashes wrapped in place
    chair.set_viewport_size({"width": 1024, "height": 768})
    chair.goto("/meetings/demo/audit")
    audit = chair.get_by_test_id("audit")
    for action in ("vote.opened", "vote.closed", "minutes.approved"):
        expect(audit.locator("tr", has_text=action).first).to_contain_text("Nguyễn Thị Mai")
    no_horizontal_scroll(chair)
    shot(chair, "chair-audit")
    # and on a portrait tablet, in Vietnamese too: the table fits, and no detail is a raw key or “None”
    chair.set_viewport_size({"width": 768, "height": 1024})
    for language, switch in (("en", "Tiếng Việt"), ("vi", "English")):
        expect(chair.locator("html")).to_have_attribute("lang", language)
        no_horizontal_scroll(chair)
        assert audit.evaluate("(t) => t.getBoundingClientRect().right <= innerWidth"), f"the audit table is cut ({language})"
        details = " ".join(audit.locator(".audit-detail").all_text_contents())
        assert "present_weight" not in details and "None" not in details, details
        if language == "vi":
            shot(chair, "chair-audit-vi")
        switch_language(chair, switch)

    # a delegate takes home “my annotated copy”: the notes page fetches it behind a progress bar, then downloads it
    d1.goto("/meetings/demo/notes")
    expect(d1.get_by_test_id("note-entry")).to_have_count(1)   # the highlight made in the reader
    with d1.expect_download() as dl:
        d1.get_by_test_id("annotated-copy").click()
    expect(d1.get_by_test_id("announcer")).to_have_text("Your annotated copy is downloading.")
    with pymupdf.open(stream=dl.value.path().read_bytes(), filetype="pdf") as copy:
        assert copy.page_count == 5
        assert [a.type[1] for a in copy[3].annots()] == ["Highlight"], "page 4 carries the delegate's highlight"
