// The minutes editor: autosave per agenda item (debounced fetch + JSON, X-CSRFToken), a visible save state,
// unsaved text kept in localStorage until the server confirms, and a clear choice on a version conflict.
import { clock } from "../lib/i18n.js";
import { announce } from "../lib/a11y.js";

const data = JSON.parse(document.getElementById("minutes-data").textContent);
const S = data.strings;
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const stateEl = document.getElementById("save-state");
const DEBOUNCE_MS = 800;
const items = new Map();

const storageKey = (id) => `dais:minutes:${data.slug}:${id}`;
const saveUrl = (id) => data.saveUrl.replace(/\/0$/, `/${id}`);

function readLocal(id) {
  try { return JSON.parse(localStorage.getItem(storageKey(id)) || "null"); } catch { return null; }
}
function writeLocal(item) {
  try {
    localStorage.setItem(storageKey(item.id), JSON.stringify({
      notes: item.notes.value, decision: item.decision.value, base: item.version, at: Date.now(),
    }));
  } catch { /* storage full or disabled: the server copy is all we have */ }
}
function clearLocal(id) { try { localStorage.removeItem(storageKey(id)); } catch { /* ignore */ } }

const TROUBLE = ["conflict", "refused", "offline", "retrying"];
let troubled = false; // a save failed since the page last said all was saved

// What a screen reader hears: a save that failed (once, not at each retry) and, after one, that all is saved
// again; not the "Not saved yet / Saving… / Saved" that every pause in typing shows.
function setItemState(item, state, text) {
  item.state = state;
  item.stateEl.textContent = text || "";
  item.stateEl.dataset.state = state;
  const refused = state === "refused" || state === "conflict";
  for (const field of [item.notes, item.decision]) {
    if (refused) field.setAttribute("aria-invalid", "true"); else field.removeAttribute("aria-invalid");
  }
  // said once per kind of trouble (a retry goes "saving" and back to "retrying" every few seconds)
  const trouble = { offline: "connection", retrying: "connection" }[state] ?? (TROUBLE.includes(state) ? state : null);
  if (trouble && item.said !== trouble) {
    item.said = trouble;
    troubled = true;
    announce(state === "conflict" ? S.conflictIn.replace("{item}", item.title)
      : S.troubleIn.replace("{item}", item.title).replace("{state}", text || S[state]));
  }
  if (state === "saved") item.said = null;
  renderOverall();
}

function renderOverall() {
  const states = [...items.values()].map((i) => i.state);
  let state = "saved";
  for (const s of ["conflict", "refused", "offline", "retrying", "saving", "unsaved"]) {
    if (states.includes(s)) { state = s; break; }
  }
  stateEl.dataset.state = state;
  stateEl.textContent = S[state] || S.saved;
  if (state === "saved" && troubled) { troubled = false; announce(S.savedAgain); }
}

function schedule(item, delay = DEBOUNCE_MS) {
  clearTimeout(item.timer);
  item.timer = setTimeout(() => send(item), delay);
}

function onInput(item) {
  writeLocal(item);
  if (item.state === "conflict") return; // wait for the person's choice
  setItemState(item, "unsaved", S.unsaved);
  schedule(item);
}

async function send(item) {
  if (item.inflight) { item.pending = true; return; }
  const body = { notes: item.notes.value, decision: item.decision.value, version: item.version };
  item.inflight = true;
  setItemState(item, "saving", S.saving);
  let response = null;
  let reply = null;
  try {
    response = await fetch(saveUrl(item.id), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    reply = await response.json().catch(() => null);
  } catch {
    response = null; // network down or the server restarting
  }
  item.inflight = false;
  if (response && response.ok && reply && reply.ok) {
    item.version = reply.version;
    item.retryDelay = 0;
    const unchanged = item.notes.value === body.notes && item.decision.value === body.decision;
    if (unchanged) {
      clearLocal(item.id);
      const time = clock(new Date());
      setItemState(item, "saved", S.itemSaved.replace("{time}", time));
    } else {
      writeLocal(item); // typed while saving: keep it, now based on the new version
      schedule(item, 0);
    }
    if (reply.approval === "changed") showChangedSinceApproval();
    if (item.pending) { item.pending = false; schedule(item, 0); }
    return;
  }
  if (response && response.status === 409 && reply && reply.error === "minutes_conflict") {
    showConflict(item, reply.message, reply.current);
    return;
  }
  if (response && reply && response.status >= 400 && response.status < 500 && response.status !== 429) {
    // Refused for a reason a person must act on (too long, signed out, form expired): say it, keep the text.
    setItemState(item, "refused", `${S.refused}: ${reply.message || response.status}`);
    return;
  }
  // Network or server trouble: keep retrying with a growing pause; the text is safe in localStorage.
  item.retryDelay = Math.min((item.retryDelay || 1000) * 2, 30000);
  setItemState(item, navigator.onLine === false ? "offline" : "retrying", navigator.onLine === false ? S.offline : S.retrying);
  schedule(item, item.retryDelay);
}

function showConflict(item, message, current) {
  item.theirs = current;
  item.conflictEl.hidden = false;
  item.conflictEl.querySelector('[data-role="conflict-message"]').textContent = message;
  item.conflictEl.querySelector('[data-role="their-notes"]').textContent = current.notes || S.empty;
  item.conflictEl.querySelector('[data-role="their-decision"]').textContent = current.decision || S.empty;
  setItemState(item, "conflict", S.conflict);
}

function resolve(item, keepMine) {
  const theirs = item.theirs;
  item.notes.focus(); // the buttons pressed are about to hide: the focus goes back to the text it was about
  item.conflictEl.hidden = true;
  item.version = theirs.version;
  if (!keepMine) {
    item.notes.value = theirs.notes;
    item.decision.value = theirs.decision;
    clearLocal(item.id);
    setItemState(item, "saved", S.saved);
    return;
  }
  writeLocal(item);
  send(item);
}

function showChangedSinceApproval() {
  const card = document.querySelector(".approval-card");
  if (!card || card.classList.contains("approval-changed") || card.classList.contains("approval-not_approved")) return;
  card.classList.remove("approval-approved");
  card.classList.add("approval-changed");
  const h = card.querySelector("h2");
  if (h) h.textContent = S.changedSinceApproval;
}

for (const section of document.querySelectorAll(".minutes-item")) {
  const id = section.dataset.item;
  const server = data.items[id];
  const item = {
    id, version: server.version, state: "saved", timer: null, inflight: false, pending: false, retryDelay: 0,
    notes: section.querySelector('[data-field="notes"]'),
    decision: section.querySelector('[data-field="decision"]'),
    stateEl: section.querySelector('[data-role="item-state"]'),
    conflictEl: section.querySelector('[data-role="conflict"]'),
    title: section.querySelector("h2").textContent.trim().replace(/\s+/g, " "),
    theirs: null,
  };
  items.set(id, item);
  item.notes.addEventListener("input", () => onInput(item));
  item.decision.addEventListener("input", () => onInput(item));
  section.querySelector('[data-action="keep-theirs"]').addEventListener("click", () => resolve(item, false));
  section.querySelector('[data-action="keep-mine"]').addEventListener("click", () => resolve(item, true));

  // Text typed on this device that never reached the server (a dropped connection, a closed tab).
  const local = readLocal(id);
  if (local && (local.notes !== server.notes || local.decision !== server.decision)) {
    item.notes.value = local.notes;
    item.decision.value = local.decision;
    if (local.base === server.version) {
      setItemState(item, "unsaved", S.restored);
      schedule(item, 0);
    } else {
      showConflict(item, S.conflict, server); // the server moved on meanwhile: let the person choose
    }
  } else if (local) {
    clearLocal(id);
  }
}
renderOverall();

window.addEventListener("online", () => {
  for (const item of items.values()) if (["retrying", "offline"].includes(item.state)) schedule(item, 0);
});
window.addEventListener("beforeunload", (event) => {
  if ([...items.values()].some((i) => i.state !== "saved")) { event.preventDefault(); event.returnValue = S.leave; }
});
const approveForm = document.getElementById("approve-form");
if (approveForm) approveForm.addEventListener("submit", (event) => { if (!window.confirm(S.confirmApprove)) event.preventDefault(); });
