// The attendance board: every member with present / left / excused / absent, and the secretary's buttons.
//
//   const board = mountAttendanceBoard(tableBody, live, { slug, strings, onChange });   // live may be null
//   board.set(rows); board.update(row); board.rows(); board.redraw();
//
// Changes go over HTTP (POST /api/meetings/<slug>/attendance/<membership id>). The reply and the
// `attendance.row` deltas (one member's line, from any device) replace that member's line only; the
// `attendance.board` delta (the roster changed) and `set(board)` draw the board whole.
import { clock as meetingClock, h } from "./i18n.js";
import { installAttendanceReducers } from "./attendance-gauge.js";

export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

// Send JSON to the API; resolves with the JSON reply ({ok: true, ...} or {ok: false, message}), a sentence for
// the person also when the network or the server failed.
export async function requestJSON(method, url, body, networkMessage = "The server did not answer.") {
  try {
    const res = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: method === "GET" ? undefined : JSON.stringify(body ?? {}),
      credentials: "same-origin",
    });
    const data = await res.json().catch(() => null);
    return data ?? { ok: false, error: "http_" + res.status, message: networkMessage };
  } catch {
    return { ok: false, error: "offline", message: networkMessage };
  }
}

// POST JSON to the attendance API (see requestJSON).
export function postJSON(url, body, networkMessage) {
  return requestJSON("POST", url, body, networkMessage);
}

// "14:05" in the meeting's time zone from an ISO time of the server ("…Z").
export function clock(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : meetingClock(d);
}

// A member's status: the pill says it in a word (with the excuse), the time stands under it (present since, left at).
export function statusLabel(row, s) {
  return row.status === "excused" ? `${s.excused}: ${row.excuse}` : s[row.status];
}

export function statusWhen(row, s) {
  if (row.status === "present") return `${s.since} ${clock(row.arrived_at)}`;
  if (row.status === "left") return clock(row.left_at);
  return "";
}

export function mountAttendanceBoard(tbody, live, { slug, strings: s, onChange, onError, visible = () => true,
  note = () => "", readOnly = false }) {
  const api = `/api/meetings/${encodeURIComponent(slug)}/attendance`;
  let rows = [];
  const lines = new Map();   // membership id -> its <tr> on the page (rows that the filter hides have none)
  let excusing = null;       // the member whose reason is being typed in their own line (a browser prompt() was
                             // a grey box over the page, which tablets show badly or not at all)
  const act = async (row, action, excuse) => {
    const body = { action };
    if (action === "excused") body.excuse = excuse;
    const reply = await postJSON(`${api}/${row.membership_id}`, body, s.network);
    if (!reply.ok) { onError?.(reply.message); return false; }
    if (excusing === row.membership_id) excusing = null;
    update(reply.member);
    onChange?.(reply);
    return true;
  };
  const ask = (row, on) => {
    excusing = on ? row.membership_id : null;
    update(row);
    if (on) lines.get(row.membership_id)?.querySelector("input")?.focus();
  };
  const excuseForm = (row) => {
    const input = h("input", { type: "text", name: "excuse", maxlength: "300", required: true, autocomplete: "off",
      "aria-label": `${s.excuse_prompt} ${row.name}`, placeholder: s.excuse_placeholder });
    return h("form", { class: "att-excuse", "data-testid": "excuse-form", onsubmit: async (event) => {
      event.preventDefault();
      if (input.value.trim()) await act(row, "excused", input.value.trim());
    } }, h("label", { class: "att-excuse-label" }, s.excuse_prompt, input),
    h("span", { class: "att-excuse-buttons" },
      h("button", { class: "btn btn-primary", type: "submit" }, s.mark_excused),
      h("button", { class: "btn btn-quiet", type: "button", onclick: () => ask(row, false) }, s.cancel)));
  };
  const actions = (row) => {
    if (readOnly) return null;   // a closed meeting's attendance is the record: no buttons that could only be refused
    if (excusing === row.membership_id) return excuseForm(row);
    return h("div", { class: "att-actions" },
      row.status !== "present" ? h("button", { class: "btn", type: "button", onclick: () => act(row, "present") }, s.mark_present) : null,
      row.status === "present" ? h("button", { class: "btn", type: "button", onclick: () => act(row, "left") }, s.mark_left) : null,
      row.status !== "present" && row.status !== "excused"
        ? h("button", { class: "btn btn-quiet", type: "button", onclick: () => ask(row, true) }, s.mark_excused) : null,
      row.can_undo ? h("button", { class: "btn btn-quiet", type: "button", onclick: () => act(row, "undo") }, s.undo) : null);
  };
  const line = (row) => h("tr", { class: `att-row att-${row.status}`, dataset: { member: row.membership_id } },
    h("td", { class: "att-seat" }, row.seat ?? "—"),
    h("td", { class: "att-name" }, row.name,
      note(row) ? h("span", { class: "att-note", "data-testid": "att-note" }, note(row)) : null),
    h("td", { class: "att-status" }, h("span", { class: `att-pill att-pill-${row.status}` }, statusLabel(row, s)),
      statusWhen(row, s) ? h("span", { class: "att-when" }, statusWhen(row, s)) : null),
    // The buttons sit in a box of their own: a table cell laid out as flex is no longer a cell (the row's lines broke).
    h("td", { class: "att-actions-cell" }, actions(row)));
  const draw = () => {
    lines.clear();
    const shown = rows.filter(visible);
    if (rows.length && !shown.length) {
      tbody.replaceChildren(h("tr", {}, h("td", { colspan: 4, class: "muted", "data-testid": "board-empty" }, s.nobody_matches)));
      return;
    }
    tbody.replaceChildren(...shown.map((row) => {
      const tr = line(row);
      lines.set(row.membership_id, tr);
      return tr;
    }));
  };
  // One member changed: their line is replaced in the list and on the page, and nothing else is drawn again (a
  // congress board has hundreds of lines, and check-ins come every few seconds).
  const update = (row) => {
    if (!row) return;
    const at = rows.findIndex((r) => r.membership_id === row.membership_id);
    if (at < 0) {
      if (rows.length) { rows.push(row); draw(); }   // not on this board yet (the roster's board delta follows)
      return;
    }
    rows[at] = row;
    if (!lines.size) { draw(); return; }   // "nobody matches" may give way to this line
    const old = lines.get(row.membership_id);
    const fresh = visible(row) ? line(row) : null;
    if (old && fresh) old.replaceWith(fresh);
    else if (old) old.remove();
    else if (fresh) {
      // Shown now (the status filter): before the next line that is on the page, in the board's order.
      const next = rows.slice(at + 1).map((r) => lines.get(r.membership_id)).find(Boolean);
      tbody.insertBefore(fresh, next ?? null);
    }
    if (fresh) lines.set(row.membership_id, fresh); else lines.delete(row.membership_id);
    if (!lines.size) draw();
  };
  const take = (board) => { if (board) { rows = board; draw(); } };
  if (live) {
    installAttendanceReducers(live);
    live.on("snapshot", (state) => take(state.attendance?.board));
    live.on("attendance.board", (d) => take(d.board));
    live.on("attendance.row", (d) => update(d.row));
  }
  return { set: take, update, rows: () => rows, redraw: draw };
}
