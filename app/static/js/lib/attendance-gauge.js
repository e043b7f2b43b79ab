// The quorum gauge: an inline SVG half-dial of present members (or weight) against what the rule needs.
//
//   import { mountQuorumGauge } from "/static/js/lib/attendance-gauge.js";
//   mountQuorumGauge(document.getElementById("quorum"), live, strings);   // live: a LiveClient
//
// It follows the `attendance` part of the snapshot and the `attendance.quorum` deltas (every change of attendance
// sends one, so the gauge draws once per change).
import { h } from "./i18n.js";

export const DEFAULT_STRINGS = {
  quorum: "Quorum", quorum_met: "Quorum reached", quorum_not_met: "No quorum", members: "members",
  weight: "vote weight", needed: "needed", of: "of", excused: "Excused",
};

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

// A point on the half circle: fraction 0 is the left end, 1 the right end.
function point(fraction, r, cx = 100, cy = 100) {
  const angle = Math.PI * (1 - Math.min(Math.max(fraction, 0), 1));
  return [cx + r * Math.cos(angle), cy - r * Math.sin(angle)];
}

function arc(from, to, r) {
  const [x1, y1] = point(from, r);
  const [x2, y2] = point(to, r);
  return `M ${x1.toFixed(2)} ${y1.toFixed(2)} A ${r} ${r} 0 0 1 ${x2.toFixed(2)} ${y2.toFixed(2)}`;
}

// What the dial shows: the members count, or the weight when the rule counts weight only.
export function gaugeFigures(q) {
  const byWeight = q.basis === "weight";
  const present = byWeight ? q.present_weight : q.present_members;
  const total = byWeight ? q.total_weight : q.total_members;
  const needed = byWeight ? q.needed_weight : q.needed_members;
  return { byWeight, present, total, needed };
}

// Render the gauge into `el` (replacing its content) from a quorum dict of the API.
export function renderQuorumGauge(el, q, strings = {}) {
  const s = { ...DEFAULT_STRINGS, ...strings };
  if (!q) { el.replaceChildren(); return; }
  const { byWeight, present, total, needed } = gaugeFigures(q);
  const frac = total ? present / total : 0;
  const mark = total ? needed / total : 0;
  const dial = svg("svg", { viewBox: "-14 -16 228 136", class: "quorum-dial", role: "img",
    "aria-label": `${s.quorum}: ${present} ${s.of} ${total}, ${s.needed} ${needed}` });
  dial.append(svg("path", { d: arc(0, 1, 80), class: "quorum-track", fill: "none", "stroke-width": 22 }));
  if (frac > 0) dial.append(svg("path", { d: arc(0, frac, 80), class: "quorum-fill", fill: "none", "stroke-width": 22 }));
  const [mx1, my1] = point(mark, 64);
  const [mx2, my2] = point(mark, 98);
  dial.append(svg("line", { x1: mx1, y1: my1, x2: mx2, y2: my2, class: "quorum-mark", "stroke-width": 4 }));
  // The mark says what it stands for: the number needed, just outside the dial's edge.
  const [lx, ly] = point(mark, 104);
  const label = svg("text", { x: lx.toFixed(1), y: (ly - 2).toFixed(1), class: "quorum-mark-label",
    "text-anchor": mark < 0.35 ? "end" : mark > 0.65 ? "start" : "middle" });
  label.textContent = String(needed);
  dial.append(label);
  const big = svg("text", { x: 100, y: 92, "text-anchor": "middle", class: "quorum-number" });
  big.textContent = `${present}/${total}`;
  dial.append(big);
  const small = svg("text", { x: 100, y: 114, "text-anchor": "middle", class: "quorum-caption" });
  small.textContent = `${s.needed} ${needed}`;
  dial.append(small);

  const lines = [h("div", { class: "quorum-status" }, q.met ? s.quorum_met : s.quorum_not_met)];
  lines.push(h("div", { class: "quorum-detail" },
    `${q.present_members} ${s.of} ${q.total_members} ${s.members} · ${q.present_weight} ${s.of} ${q.total_weight} ${s.weight}`));
  if (q.excused) lines.push(h("div", { class: "quorum-detail" }, `${s.excused}: ${q.excused}`));
  el.classList.add("quorum-gauge");
  el.classList.toggle("met", !!q.met);
  el.classList.toggle("not-met", !q.met);
  el.dataset.met = q.met ? "1" : "0";
  el.dataset.present = String(present);
  el.dataset.byWeight = byWeight ? "1" : "0";
  el.replaceChildren(dial, h("div", { class: "quorum-text" }, ...lines));
}

// Keep the attendance part of a LiveClient's state up to date from the deltas.
export function installAttendanceReducers(live) {
  live.reducer("attendance.quorum", (state, d) => {
    state.attendance = state.attendance ?? {};
    state.attendance.quorum = d.quorum;
  });
  // The quorum is taken from `attendance.quorum` only, which carries the meeting's seq: the staff deltas below carry
  // it too, but with seq null, and one replayed after a fresh snapshot would put an older quorum back.
  live.reducer("attendance.board", (state, d) => {
    state.attendance = state.attendance ?? {};
    state.attendance.board = d.board;
  });
  // One member changed: their line replaces the old one in the board, if this screen holds the board (the
  // snapshot does not carry it; the board page reads it over HTTP and keeps it in the state).
  live.reducer("attendance.row", (state, d) => {
    const board = state.attendance?.board;
    const at = board && d.row ? board.findIndex((r) => r.membership_id === d.row.membership_id) : -1;
    if (at >= 0) board[at] = d.row;
  });
  live.reducer("attendance.me", (state, d) => {
    state.attendance = state.attendance ?? {};
    state.attendance.me = { ...(state.attendance.me ?? {}), status: d.status };
  });
}

// Mount a live quorum gauge in `container` (chair console, wall screen, check-in page).
export function mountQuorumGauge(container, live, strings = {}) {
  installAttendanceReducers(live);
  const draw = (state) => renderQuorumGauge(container, state?.attendance?.quorum, strings);
  live.on("snapshot", draw);
  live.on("attendance.quorum", (_d, state) => draw(state));
  if (live.state) draw(live.state);
  return { redraw: () => draw(live.state) };
}
