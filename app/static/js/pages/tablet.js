// The delegate tablet: follows the chair's presented page by default; browse freely; "Back to the chair".
// While the delegate writes a note (or draws), the chair's page turn does not take the page away: the tablet
// stops following and says where the chair went; "Back to the chair" catches up once the note is done.
import { LiveClient } from "../lib/live-client.js";
import { h, makeT, pageConfig } from "../lib/i18n.js";
import { DocView, documentMeta } from "../lib/doc-view.js";
import { documentById, itemTitle, jsonStrings, mountPanel, pageLabel, renderAgenda, statusBadge, wireConnection } from "../lib/live-ui.js";
import { Annotator } from "../lib/annotator.js";
import { fitHeight } from "../lib/fit-height.js";
import { announce, focusOn } from "../lib/a11y.js";
import { PageText } from "../lib/page-text.js";
import { hideResult } from "../lib/vote-common.js";

const cfg = pageConfig();
const t = makeT(cfg.strings);
const $ = (id) => document.getElementById(id);
const live = new LiveClient({ meeting: cfg.meeting, strings: cfg.strings });

let following = true;
let held = false;                        // stopped following because the chair moved while a note was being written
let shown = { doc: null, page: null };   // what this tablet shows now
const tt = makeT(jsonStrings("tablet-strings"));   // the tablet's own strings (tablet.html)

const view = new DocView($("viewer"), { strings: cfg.strings, onPageChange: (page) => userPage(page) });

// The delegate's own highlights, ink and notes over the page shown (and what others share), as on the reader.
const ann = new Annotator({ meetingSlug: cfg.slug, meetingId: cfg.meeting, me: null, strings: jsonStrings("annotator-strings") });
ann.toolbar($("annotator-toolbar"));

// Lay the overlay over the page now shown (a rendered page in the PageViewer), or put it away.
// The tool bar shows while “Annotate” is pressed; put away, the page is for reading (swipes turn pages).
function annotating(on) {
  $("annotate-toggle").setAttribute("aria-expanded", String(on));
  $("annotator-toolbar").hidden = !on;
  if (!on) ann.setTool("read");
}

function annotate() {
  const viewer = view.current;
  // A closed meeting is read-only: the server refuses new annotations, so the tablet offers none.
  if (!viewer?.stage || !viewer.img || shown.doc === null || live.state?.meeting.read_only) {
    annotating(false);
    ann.detach();
    $("annotate-toggle").hidden = true;
    return;
  }
  $("annotate-toggle").hidden = false;
  if (ann.svg && ann.container === viewer.stage) {
    if (ann.documentId !== shown.doc || ann.page !== viewer.page) ann.setPage(viewer.page, { documentId: shown.doc });
  } else {
    ann.attach(viewer.stage, { documentId: shown.doc, page: viewer.page, image: viewer.img });
  }
}

// The page shown as text, over the page (the reader has it beside the page): it follows the pages turned.
const pageText = new PageText($("page-text"), { toggle: $("text-toggle") });
function textOpen(on) {
  if (on) annotating(false);
  pageText.setOpen(on, shown.doc, shown.page);
  $("viewer").inert = on;   // the page under the text is not read out a second time
}

function userPage(page) {
  // A page other than the one asked for by show() is the delegate's own turn (swipe, tap, buttons).
  if (following && page !== shown.page && !isPresented(shown.doc, page)) following = false;
  shown.page = page;
  if (ann.svg && ann.documentId === shown.doc && ann.page !== page) ann.setPage(page);
  renderBar();
}

function isPresented(docId, page) {
  const p = live.state?.presented;
  return p ? p.document_id === docId && p.page === page : docId === null;
}

let showing = 0;                           // the latest show(): an older one that resumes late gives way

async function show(docId, page) {
  const token = ++showing;
  const state = live.state;
  if (docId === null) {
    shown = { doc: null, page: null };
    view.clear(t("nothing_presented"));
    annotate();
    return;
  }
  if (view.docId === docId && view.current) {   // the document is open: turn the page
    shown = { doc: docId, page };
    view.goTo(page);
    annotate();
    return;
  }
  shown = { doc: docId, page };
  if (!view.current) view.clear(t("loading"));   // not "the chair is not showing a document" while it comes
  const meta = await documentMeta(docId, documentById(state, docId) ?? state.presented?.document);
  if (token !== showing) return;
  await view.open(meta, page);
  if (token === showing) annotate();
}

async function followChair() {
  following = true;
  held = false;
  const p = live.state?.presented;
  await show(p ? p.document_id : null, p ? p.page : null);
  render();
}

// The chair presents something else than this tablet shows: follow, unless that would close a note being
// written (or cut a stroke short); then hold the page and say where the chair went.
function chairMoved() {
  const elsewhere = !isPresented(shown.doc, shown.page);
  if (following && elsewhere && ann.busy) { following = false; held = true; }
  else if (held && !elsewhere) { following = true; held = false; }   // the chair came back to this page
  return following ? followChair() : render();
}

function heldNotice() {
  const p = live.state?.presented;
  return p && p.document_id === shown.doc ? tt("chair_moved_page", { page: p.page }) : tt("chair_moved");
}

// Browsing, the delegate still knows where the room is: the chair's page of this document, or another one.
function browsingNotice() {
  const p = live.state?.presented;
  if (!p) return t("browsing");
  return p.document_id === shown.doc ? tt("browsing_page", { page: p.page }) : tt("browsing_other");
}

function renderBar() {
  $("follow-state").textContent = following ? t("following") : held ? heldNotice() : browsingNotice();
  $("follow-state").classList.toggle("browsing", !following);
  $("back-to-chair").hidden = following;
  const doc = shown.doc !== null ? documentById(live.state, shown.doc) : null;
  $("page-label").textContent = doc ? pageLabel(t, shown.page, doc.pages) : "";
  $("prev").disabled = !doc || shown.page <= 1;
  $("next").disabled = !doc || shown.page >= doc.pages;
  $("text-toggle").hidden = !doc;
  $("fit-toggle").hidden = !doc;
  if (!doc && pageText.open) textOpen(false);
  else if (doc) pageText.show(shown.doc, shown.page);
}

function render() {
  const state = live.state;
  if (!state) return;
  statusBadge($("status-badge"), state, t);
  $("read-only").hidden = !state.meeting.read_only;
  // Closed: checking in, asking for the floor and annotating are over (the panels draw nothing then).
  document.body.classList.toggle("live-closed", !!state.meeting.read_only);
  if (state.meeting.read_only && !$("annotate-toggle").hidden) annotate();
  const title = itemTitle(state, t);
  if ($("current-item").title !== title) $("current-item").classList.remove("stage-title-whole");   // a new item: two lines again
  $("current-item").textContent = $("current-item").title = title;
  renderAgenda($("agenda"), state, {
    activeDoc: shown.doc,
    onDoc: (doc) => { following = false; show(doc.id, 1).then(render); },
  });
  renderBar();
}

// What the chair did, said to a screen reader once (the page itself changes silently): the page turned to, the
// document presented, the item opened. Not while the delegate browses or writes a note (the bar says so then).
let announced = null;   // the document last presented
function sayPresented() {
  const p = live.state?.presented;
  if (!p) { announced = null; return; }
  const doc = documentById(live.state, p.document_id);
  if (following) {
    announce(announced === p.document_id ? tt("chair_moved_page", { page: p.page })
      : `${doc?.title ?? ""}: ${pageLabel(t, p.page, doc?.pages ?? p.page)}`);
  }
  announced = p.document_id;
}

live.on("snapshot", (...args) => { announced = live.state?.presented?.document_id ?? null; return chairMoved(...args); });
live.on("present", (...args) => { const done = chairMoved(...args); sayPresented(); return done; });
live.on("item", (...args) => { const done = chairMoved(...args); if (live.state) announce(itemTitle(live.state, t)); return done; });
live.on("status", () => { render(); annotate(); });
live.on("agenda", chairMoved);
live.on("error", (err) => { $("follow-state").textContent = err.message; });

// A closed vote's result stays above the page until the delegate puts it away (the next vote brings it back).
// A vote that opens while the delegate reads further down (a phone scrolls) is brought into view: its buttons
// must be found without hunting for them.
const ballotSlot = $("ballot");
const ballotsSeen = new Set();   // "7", then "7:buttons": each brought into view once
new MutationObserver(() => {
  const open = ballotSlot.querySelector(".vote-open");
  // the vote, and whether its buttons are in yet: they come a moment later (the voter's own ballots are asked
  // for), and what they add above the page carried the page away from the ballot once more on a slow phone
  const id = open ? `${open.dataset.voteId}${open.querySelector(".vote-option") ? ":buttons" : ""}` : null;
  if (id && !ballotsSeen.has(id)) {
    ballotsSeen.add(id).add(id.split(":")[0]);   // (a receipt after the buttons is not brought again)
    // Checked again for a few frames: the browser keeps what the reader looked at still while the ballot is laid
    // out above it (scroll anchoring), which can carry the page away from the ballot once more.
    let frames = 12;
    const bring = () => {
      const box = ballotSlot.getBoundingClientRect();
      if (box.top < 0 || box.top > window.innerHeight * 0.4) window.scrollTo({ top: Math.max(0, box.top + window.scrollY - 8) });
      if (--frames > 0) requestAnimationFrame(bring);
    };
    requestAnimationFrame(bring);
  }
  const result = ballotSlot.querySelector(".vote-result");
  if (!result || ballotSlot.querySelector(".vote-open, .vote-dismiss")) return;
  result.prepend(h("button", { class: "btn btn-quiet vote-dismiss", type: "button", "data-testid": "vote-dismiss",
    onclick: () => { hideResult(result.dataset.voteId, result.dataset.state); ballotSlot.hidden = true; } },
  ballotSlot.dataset.hideLabel));
}).observe(ballotSlot, { childList: true, subtree: true });

// The button goes away once the tablet follows again: the focus goes to the page shown, not to the page's top.
$("back-to-chair").addEventListener("click", async () => {
  await followChair();
  if (!document.activeElement || document.activeElement === document.body) focusOn($("viewer").querySelector(".pv") ?? $("follow-state"));
});
// On a phone the tools wrap to a few rows above the page: opened, they and the page are scrolled to the top of
// the screen, so the page is not pushed off it.
const phone = window.matchMedia("(max-width: 600px)");
$("annotate-toggle").addEventListener("click", () => {
  const on = $("annotate-toggle").getAttribute("aria-expanded") !== "true";
  if (on && pageText.open) textOpen(false);   // the tools draw on the page, which the text covers
  annotating(on);
  if (on && phone.matches) {
    requestAnimationFrame(() => window.scrollTo({ top: $("annotator-toolbar").getBoundingClientRect().top + window.scrollY - 8 }));
  }
});
// On a phone the page takes the screen's width and its own shape (fit-height.js's height is for tablets).
$("viewer").addEventListener("load", (e) => {
  const img = e.target;
  if (img.classList?.contains("pv-img") && img.naturalWidth && img.naturalHeight) {
    $("viewer").style.setProperty("--page-ratio", String(img.naturalWidth / img.naturalHeight));
  }
}, true);
$("text-toggle").addEventListener("click", () => textOpen(!pageText.open));
// The page as wide as the screen (a landscape tablet showed an A4 page 285 px wide): the choice stays on this
// tablet, for every page and document the chair shows.
const FIT_KEY = "dais.fitWidth";
function fitWidth(on) {
  try { localStorage.setItem(FIT_KEY, on ? "1" : "0"); } catch { /* private mode: for this page only */ }
  $("fit-toggle").setAttribute("aria-pressed", String(on));
  view.setFitWidth(on);
}
let fitStored = null;
try { fitStored = localStorage.getItem(FIT_KEY); } catch { /* none */ }
fitWidth(fitStored === "1");
$("fit-toggle").addEventListener("click", () => fitWidth($("fit-toggle").getAttribute("aria-pressed") !== "true"));
$("prev").addEventListener("click", () => view.goTo((shown.page ?? 1) - 1));
$("next").addEventListener("click", () => view.goTo((shown.page ?? 1) + 1));
// Portrait: the agenda under the page starts folded. Turned to landscape, it stands beside the page: open it.
// Checking in and asking for the floor stay on the first screen either way: beside the page in landscape (the
// side column's top), a compact bar between the item's title and the page in portrait.
const portrait = window.matchMedia("(max-width: 999px)");
const panels = document.querySelector(".live-panels");
const placePanels = () => {
  if (portrait.matches) $("ballot").before(panels);
  else $("agenda-panel").before(panels);
};
placePanels();
if (portrait.matches) $("agenda-panel").open = false;
portrait.addEventListener("change", () => {
  placePanels();
  if (!portrait.matches) $("agenda-panel").open = true;
});
// The page gets the height the screen has left between what is above it and the pager under it.
fitHeight($("viewer"), {
  above: [document.querySelector(".topbar"), $("read-only"), document.querySelector(".stage-head"), panels, $("ballot"),
    $("annotator-toolbar")],
  below: [document.querySelector(".live-foot")],
});
wireConnection(live, $("live-conn"), t);
// Other domains' panels: the ballot, self check-in, the speakers list (each follows `live`).
// The live client starts once every panel has installed its reducers: a delta that came before would
// reach no reducer and be lost to the panel (a vote opened while the ballot's module was loading).
const mounted = Promise.all([
  mountPanel("./vote-ballot.js", "mountBallot", $("ballot"), live, jsonStrings("vote-strings")),
  mountPanel("./attendance-self.js", "mountSelfCheckIn", $("self-checkin"), live, jsonStrings("attendance-strings")),
  mountPanel("./speakers-panel.js", "mountSpeakers", $("speakers"), live, { role: "delegate", strings: jsonStrings("speakers-strings") }),
]);
ann.listen(live);
mounted.then(() => live.start());
window.daisLive = live;  // for the browser checks
window.daisAnnotator = ann;

// A title cut to two lines beside a landscape tablet's tools is read whole with a tap (a tooltip needs a mouse).
$("current-item").addEventListener("click", () => $("current-item").classList.toggle("stage-title-whole"));
