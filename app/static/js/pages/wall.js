// The wall screen: the presented page large, the current item, a clock. Signed in by its link only.
import { LiveClient } from "../lib/live-client.js";
import { clock, makeT, pageConfig } from "../lib/i18n.js";
import { DocView, documentMeta } from "../lib/doc-view.js";
import { documentById, itemById, itemTitle, jsonStrings, mountPanel, pageLabel, statusBadge, wireConnection } from "../lib/live-ui.js";

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
  if (!p) {
    view.clear(state.meeting.read_only ? t("status_closed") : itemTitle(state, t));
    $("page-label").textContent = "";
    return;
  }
  const doc = documentById(state, p.document_id) ?? p.document;
  $("page-label").textContent = `${doc.title} · ${pageLabel(t, p.page, doc.pages)}`;
  if (view.docId === p.document_id && view.current) { view.goTo(p.page); return; }
  const meta = await documentMeta(p.document_id, doc, `/display/${cfg.display}/documents`);
  if (token === rendering) await view.open(meta, p.page);
}

function revoked(message) {
  $("revoked").textContent = message || t("revoked");
  $("revoked").hidden = false;
  view.clear("");
}

function tick() {
  $("clock").textContent = clock(new Date());
}

for (const kind of ["snapshot", "present", "item", "status", "agenda"]) live.on(kind, render);
live.on("revoked", (msg) => revoked(msg.message));
live.on("error", (err) => { if (!["timeout", "offline", "rate_limited"].includes(err.error)) revoked(err.message); });
wireConnection(live, $("live-conn"), t);
// Other domains' panels: vote results, speakers, quorum.
// The live client starts once every panel has installed its reducers: a delta that came before would
// reach no reducer and be lost to the panel (a vote opened while the ballot's module was loading).
const panels = Promise.all([
  // named: false: nobody can open “who voted what” on a wall; the tablets and the console list it
  mountPanel("./vote-results.js", "mountVoteResults", $("vote"), live, jsonStrings("vote-strings"), { named: false }),
  mountPanel("./speakers-panel.js", "mountSpeakers", $("speakers"), live, { role: "wall", strings: jsonStrings("speakers-strings") }),
  mountPanel("./attendance-gauge.js", "mountQuorumGauge", $("quorum"), live, jsonStrings("attendance-strings")),
]);

// The side column never scrolls and never cuts a panel off at the bottom of the screen: when its panels do
// not fit (a vote's result beside the speaker and the quorum on a 1280x800 projector), the parts the room
// needs least right now give way, in this order, and come back when there is room again.
const FIT_STEPS = ["fit-queue", "fit-quorum", "fit-speakers"];
function fitPanels() {
  const box = $("panels");
  box.classList.remove(...FIT_STEPS);
  for (const step of FIT_STEPS) {
    if (box.scrollHeight <= box.clientHeight + 1) break;
    box.classList.add(step);
  }
}
let fitting = false;
const refit = () => {
  if (fitting) return;
  fitting = true;
  requestAnimationFrame(() => { fitting = false; fitPanels(); });
};
new MutationObserver(refit).observe($("panels"), { childList: true, subtree: true, characterData: true });
window.addEventListener("resize", refit);
tick();
setInterval(tick, 5000);
panels.then(() => live.start());
window.daisLive = live;
