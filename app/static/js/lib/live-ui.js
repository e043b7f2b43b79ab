// Pieces the tablet, the console and the wall share: agenda list, titles, status badge, connection pill.
import { h } from "./i18n.js";
import { keepFocus } from "./a11y.js";

export function itemById(state, id) {
  return state.agenda.find((i) => i.id === id) ?? null;
}

export function documentById(state, id) {
  for (const item of state.agenda) {
    const doc = item.documents.find((d) => d.id === id);
    if (doc) return doc;
  }
  return null;
}

export function itemTitle(state, t) {
  const item = itemById(state, state.current_item);
  return item ? `${item.number}. ${item.title}` : t("no_item");
}

export function statusBadge(el, state, t) {
  const status = state.meeting.status;
  el.className = `badge status-${status}`;
  el.textContent = t(`status_${status}`);
}

// The agenda: items with their documents. actions(item) and docActions(doc, item) return extra buttons.
export function renderAgenda(el, state, { onDoc, itemActions, docActions, activeDoc } = {}) {
  const rows = state.agenda.map((item) => {
    const current = item.id === state.current_item;
    const docs = item.documents.map((doc) => {
      const active = activeDoc === doc.id;
      const presented = state.presented?.document_id === doc.id;
      return h("li", { class: `live-doc${active ? " active" : ""}${presented ? " presented" : ""}` },
        h("button", { class: "live-doc-open", type: "button", onclick: onDoc ? () => onDoc(doc, item) : null, disabled: !onDoc },
          h("span", { class: "doc-icon", "aria-hidden": "true" }, "PDF"),
          h("span", { class: "live-doc-title" }, doc.title),
          h("span", { class: "doc-meta" }, String(doc.pages))),
        ...(docActions ? docActions(doc, item) : []));
    });
    return h("li", { class: `live-item depth-${item.depth}${current ? " current" : ""}`, dataset: { item: item.id } },
      h("div", { class: "live-item-row" },
        h("span", { class: "agenda-number" }, item.number),
        h("span", { class: "live-item-title" }, item.title),
        ...(itemActions ? itemActions(item) : [])),
      docs.length ? h("ul", { class: "live-docs" }, docs) : null);
  });
  keepFocus(el, () => el.replaceChildren(...rows));   // a page turn redraws it: the focused document stays focused
  // Keep the current item in view inside the list only (never scroll the page under the reader).
  const current = el.querySelector(".live-item.current");
  const box = el.scrollHeight > el.clientHeight ? el : el.closest(".live-agenda");
  if (current && box && box.scrollHeight > box.clientHeight) {
    const top = current.offsetTop - box.offsetTop;
    // The tablet's floor and check-in panels stick to the column's top: the item must come out from under them.
    const panels = box === el ? null : box.querySelector(":scope > .live-panels");
    const covered = panels && getComputedStyle(panels).position === "sticky" ? panels.offsetHeight : 0;
    if (top - covered < box.scrollTop || top + current.offsetHeight > box.scrollTop + box.clientHeight) {
      box.scrollTop = Math.max(0, top - covered - 8);
    }
  }
}

// "Reconnecting…" while the socket is down; hidden when connected.
export function wireConnection(live, el, t) {
  el.textContent = t("reconnecting");
  let timer = setTimeout(() => { if (!live.online) el.hidden = false; }, 1500);
  // Signed out by the server (a badge reported lost, or signing out elsewhere): say so over the whole page, with
  // the way back, instead of a “Reconnecting…” that never ends.
  let ended = false;
  live.on("signed_out", (msg) => {
    ended = true;
    clearTimeout(timer);
    el.hidden = true;
    const note = h("div", { class: "signed-out", role: "alertdialog", "aria-modal": "true", "aria-labelledby": "signed-out-text",
      "data-testid": "signed-out" },
      h("div", { class: "signed-out-card" },
        h("p", { id: "signed-out-text" }, msg.message),
        h("a", { class: "btn btn-primary", href: msg.href || "/login" }, msg.action)));
    document.body.append(note);
    note.querySelector("a").focus();
  });
  live.on("connection", (online) => {
    clearTimeout(timer);
    if (ended) return;
    if (online) el.hidden = true;
    else timer = setTimeout(() => { if (!live.online) el.hidden = false; }, 700);
  });
  // Back on the network (Wi-Fi again): reconnect now rather than at the end of the retry back-off (up to 5 s).
  window.addEventListener("online", () => {
    const socket = live.socket;
    if (socket && socket.active && !socket.connected) { socket.disconnect(); socket.connect(); }
  });
}

export function pageLabel(t, page, pages) {
  return page ? t("page_of", { page, pages }) : "";
}

// Translated strings another domain put in the page (<script type="application/json" id="...">), or {}.
export function jsonStrings(id) {
  const el = document.getElementById(id);
  try { return el ? JSON.parse(el.textContent) : {}; } catch { return {}; }
}

// Mount another domain's panel (voting, attendance, speakers) into the page; a failing panel leaves the
// live room working and says so in the console.
export async function mountPanel(module, fn, container, ...args) {
  if (!container) return;
  try {
    const mod = await import(module);
    mod[fn](container, ...args);
  } catch (err) {
    console.error(`could not mount ${fn} from ${module}`, err);
  }
}
