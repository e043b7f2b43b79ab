// The delegate tablet: follows the chair's presented page by default; browse freely; "Back to the chair".
import { LiveClient } from "../lib/live-client.js";
import { makeT, pageConfig } from "../lib/i18n.js";
import { DocView, documentMeta } from "../lib/doc-view.js";
import { documentById, itemTitle, jsonStrings, mountPanel, pageLabel, renderAgenda, statusBadge, wireConnection } from "../lib/live-ui.js";

const cfg = pageConfig();
const t = makeT(cfg.strings);
const $ = (id) => document.getElementById(id);
const live = new LiveClient({ meeting: cfg.meeting, strings: cfg.strings });

let following = true;
let shown = { doc: null, page: null };   // what this tablet shows now
let applying = false;                     // the view changes because of the chair, not the user

const view = new DocView($("viewer"), { strings: cfg.strings, onPageChange: (page) => userPage(page) });

function userPage(page) {
  shown.page = page;
  if (!applying && following && !isPresented(shown.doc, page)) following = false;
  renderBar();
}

function isPresented(docId, page) {
  const p = live.state?.presented;
  return p ? p.document_id === docId && p.page === page : docId === null;
}

async function show(docId, page) {
  const state = live.state;
  if (docId === null) {
    shown = { doc: null, page: null };
    view.clear(t("nothing_presented"));
    return;
  }
  const fallback = documentById(state, docId) ?? state.presented?.document;
  if (shown.doc === docId && view.current) {
    shown.page = page;
    view.goTo(page);
    return;
  }
  shown = { doc: docId, page };
  const meta = await documentMeta(docId, fallback);
  if (shown.doc === docId) await view.open(meta, page);
}

async function followChair() {
  following = true;
  const p = live.state?.presented;
  applying = true;
  try { await show(p ? p.document_id : null, p ? p.page : null); } finally { applying = false; }
  render();
}

function renderBar() {
  $("follow-state").textContent = following ? t("following") : t("browsing");
  $("follow-state").classList.toggle("browsing", !following);
  $("back-to-chair").hidden = following;
  const doc = shown.doc !== null ? documentById(live.state, shown.doc) : null;
  $("page-label").textContent = doc ? pageLabel(t, shown.page, doc.pages) : "";
  $("prev").disabled = !doc || shown.page <= 1;
  $("next").disabled = !doc || shown.page >= doc.pages;
}

function render() {
  const state = live.state;
  if (!state) return;
  statusBadge($("status-badge"), state, t);
  $("read-only").hidden = !state.meeting.read_only;
  $("current-item").textContent = itemTitle(state, t);
  renderAgenda($("agenda"), state, {
    activeDoc: shown.doc,
    onDoc: (doc) => { following = false; show(doc.id, 1).then(render); },
  });
  renderBar();
}

live.on("snapshot", () => (following ? followChair() : render()));
live.on("present", () => (following ? followChair() : render()));
live.on("item", () => (following ? followChair() : render()));
live.on("status", render);
live.on("error", (err) => { $("follow-state").textContent = err.message; });

$("back-to-chair").addEventListener("click", followChair);
$("prev").addEventListener("click", () => view.goTo((shown.page ?? 1) - 1));
$("next").addEventListener("click", () => view.goTo((shown.page ?? 1) + 1));
if (window.matchMedia("(max-width: 999px)").matches) $("agenda-panel").open = false;
wireConnection(live, $("live-conn"), t);
// Other domains' panels: the ballot, self check-in, the speakers list (each follows `live`).
mountPanel("./vote-ballot.js", "mountBallot", $("ballot"), live, jsonStrings("vote-strings"));
mountPanel("./attendance-self.js", "mountSelfCheckIn", $("self-checkin"), live, jsonStrings("attendance-strings"));
mountPanel("./speakers-panel.js", "mountSpeakers", $("speakers"), live, { role: "delegate", strings: jsonStrings("speakers-strings") });
live.start();
window.daisLive = live;  // for the browser checks
