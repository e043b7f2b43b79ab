// The chair's console: the agenda with the current item, open an item, present a page, next item,
// start/close the meeting, who is connected, the wall-screen link.
import { LiveClient } from "../lib/live-client.js";
import { fitsFind, h, makeT, pageConfig } from "../lib/i18n.js";
import { DocView, documentMeta } from "../lib/doc-view.js";
import { documentById, itemById, itemTitle, jsonStrings, mountPanel, pageLabel, renderAgenda, statusBadge, wireConnection } from "../lib/live-ui.js";
import { fitHeight } from "../lib/fit-height.js";
import { keepFocus } from "../lib/a11y.js";

const cfg = pageConfig();
const t = makeT(cfg.strings);
const $ = (id) => document.getElementById(id);
const live = new LiveClient({ meeting: cfg.meeting, strings: cfg.strings });
const view = new DocView($("viewer"), { strings: cfg.strings, onPageChange: (page) => turnTo(page) });
const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

function showError(ack) {
  const el = $("error");
  if (ack.ok) { el.hidden = true; return ack; }
  el.textContent = ack.message;
  el.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => { el.hidden = true; }, 6000);
  return ack;
}

async function send(event, payload) { return showError(await live.send(event, payload)); }

// The chair's own viewer changed page (swipe or buttons): present that page to the room.
function turnTo(page) {
  const p = live.state?.presented;
  if (p && page !== p.page) send("chair.present", { document: p.document_id, page });
}

// Closing is for good: the question says what is still going on (a vote open, someone speaking, people waiting
// for the floor), which the chair could close over without noticing.
function closeQuestion() {
  const state = live.state;
  const waiting = Object.values(state?.speakers?.queues ?? {}).reduce((n, q) => n + (q?.length ?? 0), 0);
  const pending = [
    state?.vote?.open ? t("close_vote_open", { question: state.vote.open.question }) : "",
    state?.speakers?.speaking ? t("close_speaking", { name: state.speakers.speaking.name }) : "",
    waiting ? t("close_waiting", { count: waiting }) : "",
  ].filter(Boolean);
  return [t("confirm_close"), ...pending].join("\n\n");
}

function readOnly() { return !!live.state?.meeting.read_only; }

let staging = 0;   // the latest renderStage(): an older one that resumes late gives way (never re-presents its page)

async function renderStage() {
  const token = ++staging;
  const state = live.state;
  const p = state.presented;
  $("current-item").textContent = itemTitle(state, t);
  const doc = p ? documentById(state, p.document_id) ?? p.document : null;
  $("page-label").textContent = doc ? pageLabel(t, p.page, doc.pages) : "";
  $("page-label").disabled = !doc || doc.pages < 2 || readOnly();
  $("prev").disabled = !doc || p.page <= 1 || readOnly();
  $("next").disabled = !doc || p.page >= doc.pages || readOnly();
  $("stop").disabled = !doc || readOnly();
  // on the last item there is no next one: the button says so by being off (a tap gave an error banner)
  const agenda = state.agenda ?? [];
  $("next-item").disabled = readOnly() || !agenda.length || agenda[agenda.length - 1].id === state.current_item;
  if (!p) { view.clear(t("nothing_presented")); return; }
  if (view.docId === p.document_id && view.current) { if (view.page !== p.page) view.goTo(p.page); return; }
  if (!view.current) view.clear(t("loading"));   // not "not showing a document" while its details arrive
  const meta = await documentMeta(p.document_id, doc);
  if (token === staging) await view.open(meta, p.page);
}

// Below 1280 px the agenda is under the page (live.css): the current item's documents sit above the page too,
// so the chair presents one without scrolling down to the agenda.
function renderStageDocs() {
  const state = live.state;
  const item = itemById(state, state.current_item);
  const active = state.presented?.document_id ?? null;
  keepFocus($("stage-docs"), () => $("stage-docs").replaceChildren(...(item?.documents ?? []).map((doc) => h("button", {
    class: `btn stage-doc${doc.id === active ? " active" : ""}`, type: "button", "aria-pressed": String(doc.id === active),
    disabled: readOnly(), title: doc.title, onclick: () => send("chair.present", { document: doc.id, page: 1 }),
  }, h("span", { class: "doc-icon", "aria-hidden": "true" }, "PDF"), h("span", { class: "stage-doc-title" }, doc.title)))));
}

function renderAgendaPanel() {
  const state = live.state;
  const ro = readOnly();
  renderStageDocs();
  renderAgenda($("agenda"), state, {
    activeDoc: state.presented?.document_id ?? null,
    onDoc: ro ? null : (doc) => send("chair.present", { document: doc.id, page: 1 }),
    itemActions: (item) => [
      h("button", { class: "btn btn-small", type: "button", disabled: ro || item.id === state.current_item,
        onclick: () => send("chair.open_item", { item: item.id }) },
        item.id === state.current_item ? t("current") : t("open_item")),
    ],
  });
}

function renderStatus() {
  const state = live.state;
  statusBadge($("status-badge"), state, t);
  $("read-only").hidden = !state.meeting.read_only;
  const actions = [];
  if (state.meeting.status === "draft") {   // a draft goes live through “scheduled” (the meeting's state machine)
    actions.push(h("span", { class: "muted" }, t("draft_note")),
      h("button", { class: "btn btn-primary", type: "button", onclick: () => send("chair.status", { status: "scheduled" }) }, t("schedule")));
  } else if (state.meeting.status === "scheduled") {
    actions.push(h("button", { class: "btn btn-primary", type: "button", onclick: () => send("chair.status", { status: "live" }) }, t("go_live")));
  } else if (state.meeting.status === "live") {
    actions.push(h("button", { class: "btn btn-danger", type: "button",
      onclick: () => { if (confirm(closeQuestion())) send("chair.status", { status: "closed" }); } }, t("close_meeting")));
  }
  keepFocus($("status-actions"), () => $("status-actions").replaceChildren(...actions));
}

function renderPresence() {
  const state = live.state;
  const presence = state.presence ?? { connected: [], displays: 0 };
  const here = new Set(presence.connected);
  const roster = state.roster ?? [];
  $("presence-summary").textContent = t("connected_count", { count: roster.filter((m) => here.has(m.user_id)).length, total: roster.length });
  $("display-count").textContent = t("displays", { count: presence.displays });
  // A congress's roster is hundreds long: the chair finds someone by name or seat (accents and case aside).
  const wanted = $("presence-find").value;
  const shown = roster.filter((m) => fitsFind(m.seat, m.name, wanted));
  $("presence").replaceChildren(...shown.map((m) => h("li", { class: here.has(m.user_id) ? "here" : "away" },
    h("span", { class: "dot", "aria-hidden": "true" }),
    h("span", { class: "presence-name" }, m.name),
    h("span", { class: "presence-meta" }, [m.seat, m.role && t(`role_${m.role}`)].filter(Boolean).join(" · ")),
    h("span", { class: "visually-hidden" }, here.has(m.user_id) ? t("here") : t("away")))));
}

$("presence-find").addEventListener("input", () => { if (live.state) renderPresence(); });

function renderAll() {
  if (!live.state) return;
  renderStatus();
  renderAgendaPanel();
  renderPresence();
  renderStage();
}

async function post(url) {
  const res = await fetch(url, { method: "POST", credentials: "same-origin",
    headers: { "X-CSRFToken": csrf, Accept: "application/json" } });
  const body = await res.json().catch(() => ({ ok: false, message: res.statusText }));
  return showError(body);
}

$("display-new").addEventListener("click", async () => {
  const r = await post(cfg.display_create);
  if (!r.ok) return;
  $("display-link").hidden = false;
  $("display-url").href = r.url;
  $("display-url").textContent = r.url;
  $("display-qr").src = r.qr;
  // a link only this computer opens (the server's only_this_machine, as the roster says of sign-in links)
  $("display-only-here").hidden = !r.only_here;
});
$("display-revoke").addEventListener("click", async () => {
  if (!confirm(t("confirm_revoke"))) return;
  const r = await post(cfg.display_revoke);
  if (r.ok) $("display-link").hidden = true;
});
// The page last asked for and not yet seen presented: two quick taps on Next (or two key presses) go two pages on,
// not twice to the page after the one on screen.
let aim = null;
function step(delta) {
  const p = live.state?.presented;
  if (!p) return;
  const doc = documentById(live.state, p.document_id) ?? p.document;
  const from = aim && aim.document === p.document_id ? aim.page : p.page;
  const page = Math.min(Math.max(from + delta, 1), doc?.pages ?? from + delta);
  if (page === from) return;
  const asked = aim = { document: p.document_id, page };
  send("chair.present", { document: p.document_id, page }).then((ack) => { if (!ack.ok && aim === asked) aim = null; });
}
function settleAim() {   // the room shows the page asked for, or another document: steps count from the room again
  const p = live.state?.presented;
  if (aim && (!p || p.document_id !== aim.document || p.page === aim.page)) aim = null;
}
$("prev").addEventListener("click", () => step(-1));
$("next").addEventListener("click", () => step(1));
$("stop").addEventListener("click", () => send("chair.present", { document: null }));
// Go to a page: the number takes the label's place; Enter presents that page, Escape or leaving the field puts
// the label back.
function showGoto(on) {
  const p = live.state?.presented;
  const doc = p ? documentById(live.state, p.document_id) ?? p.document : null;
  $("page-goto").hidden = !on || !doc;
  $("page-label").hidden = on && !!doc;
  if (on && doc) {
    const input = $("page-goto-input");
    input.max = String(doc.pages);
    input.value = String(p.page);
    input.focus();
    input.select();
  }
}
$("page-label").addEventListener("click", () => showGoto(true));
$("page-goto").addEventListener("submit", (e) => {
  e.preventDefault();
  const input = $("page-goto-input");
  if (!input.reportValidity()) return;
  showGoto(false);
  turnTo(Number(input.value));
  $("page-label").focus();
});
$("page-goto-input").addEventListener("keydown", (e) => { if (e.key === "Escape") { showGoto(false); $("page-label").focus(); } });
$("page-goto-input").addEventListener("blur", () => setTimeout(() => { if (!$("page-goto").contains(document.activeElement)) showGoto(false); }, 0));
$("next-item").addEventListener("click", () => send("chair.next_item", {}));
document.addEventListener("keydown", (e) => {
  if (e.target.closest("input, textarea, select")) return;
  if (e.key === "ArrowRight" || e.key === "PageDown") $("next").click();
  if (e.key === "ArrowLeft" || e.key === "PageUp") $("prev").click();
});

live.on("snapshot", () => { aim = null; renderAll(); });
live.on("present", () => { settleAim(); renderAgendaPanel(); renderStage(); });
live.on("item", () => { renderAgendaPanel(); renderStage(); });
live.on("status", renderAll);
live.on("agenda", () => { renderAgendaPanel(); renderStage(); });
live.on("presence", renderPresence);
live.on("error", showError);
wireConnection(live, $("live-conn"), t);
// The presented page gets the screen's height down to the pager and "Stop presenting" (the top bar takes two rows on
// a tablet, the pager may wrap): a fixed guess either wasted the room or pushed "Stop presenting" below the fold.
fitHeight($("viewer"), {
  above: [document.querySelector(".topbar"), document.querySelector(".live-bar"), $("read-only"), $("error"),
    document.querySelector(".stage-head"), $("stage-docs")],
  below: [document.querySelector(".live-stage .pager")],
});
// Other domains' panels: quorum, speakers list, votes.
// The live client starts once every panel has installed its reducers: a delta that came before would
// reach no reducer and be lost to the panel (a vote opened while the ballot's module was loading).
const panels = Promise.all([
  mountPanel("./attendance-self.js", "mountSelfCheckIn", $("self-checkin"), live, jsonStrings("attendance-strings"), { prompt: true, short: true }),
  mountPanel("./attendance-gauge.js", "mountQuorumGauge", $("quorum"), live, jsonStrings("attendance-strings")),
  mountPanel("./speakers-panel.js", "mountSpeakers", $("speakers"), live, { role: "chair", strings: jsonStrings("speakers-strings"), onError: showError }),
  mountPanel("./vote-admin.js", "mountVoteAdmin", $("votes"), live, { slug: cfg.slug, strings: jsonStrings("vote-strings") }),
]);
// A vote just opened heads the side column (live.css): scroll the column to it, wherever the chair had left it.
// Listeners run in the order they were added, so this one, added after the votes panel's, runs once the panel
// has drawn the vote (a button that had the focus there may have scrolled the column meanwhile).
panels.then(() => {
  live.on("vote.open", () => document.querySelector(".live-side")?.scrollTo({ top: 0 }));
  live.start();
});
window.daisLive = live;
