// The wall screen: the presented page large, the current item, a clock. Signed in by its link only.
import { LiveClient } from "../lib/live-client.js";
import { clock, makeT, pageConfig } from "../lib/i18n.js";
import { DocView, documentMeta } from "../lib/doc-view.js";
import { documentById, itemById, itemTitle, jsonStrings, mountPanel, pageLabel, statusBadge, wireConnection } from "../lib/live-ui.js";
import { fitResult } from "../lib/vote-results.js";
import { DEFAULT_STRINGS, gaugeFigures } from "../lib/attendance-gauge.js";

const cfg = pageConfig();
const t = makeT(cfg.strings);
const $ = (id) => document.getElementById(id);
const live = new LiveClient({ meeting: cfg.meeting, display: cfg.display, strings: cfg.strings });
const view = new DocView($("viewer"), { strings: cfg.strings });

let rendering = 0;   // the latest render(): an older one that resumes late gives way

async function render() {
  const token = ++rendering;
  const state = live.state;
  if (!state) return;
  statusBadge($("status-badge"), state, t);
  // Before the first item (and between items) the meeting's own title is the heading; its line above gives way.
  const item = itemById(state, state.current_item);
  $("current-item").textContent = item ? itemTitle(state, t) : state.meeting.title;
  $("meeting-title").hidden = !item;
  const p = state.presented;
  // No page presented: the item's title is the screen, once, in the middle (the heading above gives way to it,
  // the meeting's name stays); shrunk until it fits whole.
  const slide = !p && !!item && !state.meeting.read_only;
  document.body.classList.toggle("wall-title-slide", slide);
  document.body.classList.toggle("wall-presenting", !!p);
  // closed: the wall says so in a sentence, and the quorum (no longer of use) leaves the column
  document.body.classList.toggle("wall-closed", !!state.meeting.read_only);
  if (!p) {
    view.clear(state.meeting.read_only ? t("meeting_closed") : itemTitle(state, t));
    $("page-label").textContent = "";
    fitTitles();
    return;
  }
  fitTitles();
  const doc = documentById(state, p.document_id) ?? p.document;
  $("page-label").textContent = `${doc.title} · ${pageLabel(t, p.page, doc.pages)}`;
  if (view.docId === p.document_id && view.current) { view.goTo(p.page); return; }
  const meta = await documentMeta(p.document_id, doc, `/display/${cfg.display}/documents`);
  if (token === rendering) await view.open(meta, p.page);
}

// Shrink an element's text until it fits `room` px of height (and its box's width), down to `min` px; what still
// does not fit is cut after its last whole line with an ellipsis (.wall-clamp), never in the middle of a line.
function shrinkToFit(el, room, min) {
  el.classList.remove("wall-clamp");
  el.style.removeProperty("font-size");
  el.style.removeProperty("-webkit-line-clamp");
  let size = parseFloat(getComputedStyle(el).fontSize);
  const fits = () => el.scrollHeight <= room + 1 && el.scrollWidth <= el.clientWidth + 1;
  while (!fits() && size > min) {
    size = Math.max(min, size * 0.92);
    el.style.fontSize = `${size}px`;
  }
  if (fits()) return;
  const style = getComputedStyle(el);
  const line = parseFloat(style.lineHeight) || size * 1.2;
  const padding = (parseFloat(style.paddingTop) || 0) + (parseFloat(style.paddingBottom) || 0);
  el.classList.add("wall-clamp");
  el.style.setProperty("-webkit-line-clamp", String(Math.max(1, Math.floor((room - padding) / line))));
}

// The heading keeps to two lines of its size (smaller for a long title, then an ellipsis), so a presented page
// keeps the screen's height; the title in the middle takes the middle's whole room.
function fitTitles() {
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
  const head = $("current-item");
  if (head.offsetParent) {
    head.style.removeProperty("font-size");
    shrinkToFit(head, 2 * parseFloat(getComputedStyle(head).lineHeight), 1.5 * rem);
  }
  const middle = $("viewer").querySelector(".page-empty");
  if (middle) shrinkToFit(middle, $("viewer").clientHeight, 1.6 * rem);
}

function revoked(message) {
  $("revoked").textContent = message || t("revoked");
  $("revoked").hidden = false;
  view.clear("");
}

// A live meeting without its quorum can decide nothing: the heading says so, in red, with the figures, whatever
// the side column shows (a vote's result and a speaker can take all of it).
const quorumStrings = { ...DEFAULT_STRINGS, ...jsonStrings("attendance-strings") };
function quorumAlert() {
  const q = live.state?.attendance?.quorum;
  const lost = live.state?.meeting?.status === "live" && !!q && !q.met;
  const changed = $("quorum-alert").hidden === lost;
  $("quorum-alert").hidden = !lost;
  if (changed) requestAnimationFrame(fitTitles);   // the heading's height changed: the title in the middle too
  if (lost) {
    const { present, total, needed } = gaugeFigures(q);
    $("quorum-alert").textContent = `${quorumStrings.quorum_not_met} · ${present}/${total} (${quorumStrings.needed} ${needed})`;
  }
}

function tick() {
  $("clock").textContent = clock(new Date());
}

for (const kind of ["snapshot", "present", "item", "status", "agenda"]) live.on(kind, render);
for (const kind of ["snapshot", "status", "attendance.quorum"]) live.on(kind, quorumAlert);
live.on("revoked", (msg) => revoked(msg.message));
live.on("error", (err) => { if (!["timeout", "offline", "rate_limited"].includes(err.error)) revoked(err.message); });
wireConnection(live, $("live-conn"), t);
// Other domains' panels: vote results, speakers, quorum.
// The live client starts once every panel has installed its reducers: a delta that came before would
// reach no reducer and be lost to the panel (a vote opened while the ballot's module was loading).
const voteStrings = jsonStrings("vote-strings");   // the vote panel's, and fitResult's in fitPanels below
const panels = Promise.all([
  // named: false: nobody can open “who voted what” on a wall; the tablets and the console list it
  mountPanel("./vote-results.js", "mountVoteResults", $("vote"), live, voteStrings, { named: false }),
  mountPanel("./speakers-panel.js", "mountSpeakers", $("speakers"), live, { role: "wall", strings: jsonStrings("speakers-strings") }),
  mountPanel("./attendance-gauge.js", "mountQuorumGauge", $("quorum"), live, jsonStrings("attendance-strings")),
]);

// The side column never scrolls and never cuts a panel off at the bottom of the screen: when its panels do
// not fit (a vote's result beside the speaker and the quorum on a 1280x800 projector), the parts the room
// needs least right now give way, in this order, and come back when there is room again.
// Someone speaking comes first, above a vote's result: the room watches them and their time, and the result
// (which fits itself to the room left under them) had pushed them out of the column.
// The quorum first gives up its dial and keeps its words and figures. (A quorum lost during the meeting is also
// in the heading, beside the clock: it never leaves the wall, whatever the column has room for.)
// The waiting list first shortens to its next two, and goes only after the dial.
const FIT_STEPS = ["fit-queue-short", "fit-dial", "fit-queue", "fit-quorum", "fit-speakers"];
// Someone speaking above a result never gives way to it (on a 1280x720 projector the result took the speaker's
// place): the result fits itself into what is left, and leaves the wall (for the tablets) if even that is too
// little.
const SPEAKER_STEPS = ["fit-queue-short", "fit-dial", "fit-queue", "fit-quorum"];
const ALL_STEPS = [...FIT_STEPS, "fit-result"];
function fitPanels() {
  const box = $("panels");
  observer.disconnect();   // what is done here changes the panels: it must not call itself again
  box.classList.remove(...ALL_STEPS);
  const first = Boolean(box.querySelector("#speakers .spk-now-name")) && !$("vote").hidden;
  const moved = first !== box.classList.contains("speaker-first");
  box.classList.toggle("speaker-first", first);
  if (moved) fitResult($("vote"), voteStrings);   // under the speaker now (or back at the top)
  const overflows = () => box.scrollHeight > box.clientHeight + 1;
  for (const step of first ? SPEAKER_STEPS : FIT_STEPS) {
    if (!overflows()) break;
    box.classList.add(step);
  }
  if (first) {
    fitResult($("vote"), voteStrings);   // again, into the room the steps left (the queue gone)
    if (overflows()) box.classList.add("fit-result");
  }
  observer.takeRecords();
  observer.observe(box, OBSERVED);
}
let fitting = false;
const refit = () => {
  if (fitting) return;
  fitting = true;
  requestAnimationFrame(() => { fitting = false; fitPanels(); });
};
const OBSERVED = { childList: true, subtree: true, characterData: true };
const observer = new MutationObserver(refit);
observer.observe($("panels"), OBSERVED);
window.addEventListener("resize", refit);
window.addEventListener("resize", () => requestAnimationFrame(fitTitles));
document.fonts?.ready.then(() => fitTitles());
tick();
setInterval(tick, 5000);
panels.then(() => live.start());
window.daisLive = live;
