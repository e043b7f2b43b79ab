// The attendance board page (chair and secretary): the board, the counts, the quorum gauge and the rule.
// A check-in elsewhere reaches it as `attendance.row` (that member's line) and changes that line and the counts only.
import { LiveClient } from "./live-client.js";
import { mountAttendanceBoard, postJSON, requestJSON } from "./attendance-board.js";
import { installAttendanceReducers, renderQuorumGauge } from "./attendance-gauge.js";
import { mountProxies } from "./proxies-panel.js";
import { fitsFind, h } from "./i18n.js";

const config = JSON.parse(document.getElementById("attendance-config").textContent);
const s = config.strings;
const gauge = document.getElementById("quorum");
const counts = document.getElementById("board-counts");
const errorBox = document.getElementById("board-error");

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = !message;
}

// At a congress the board has hundreds of rows: the secretary narrows it by a name or seat (accents need not be
// typed) and by status (the counts are the buttons that do it).
const find = document.getElementById("board-find");
let onlyStatus = null;
const visible = (row) => (!onlyStatus || row.status === onlyStatus)
  && fitsFind(row.seat, row.name, find.value);

function drawCounts(rows) {
  const n = (status) => rows.filter((r) => r.status === status).length;
  const chip = (status, label, count) => h("button", {
    class: `btn btn-small board-chip${onlyStatus === status ? " btn-primary" : ""}`, type: "button",
    "aria-pressed": String(onlyStatus === status), dataset: { status: status ?? "all" },
    onclick: () => { onlyStatus = status; drawCounts(board.rows()); board.redraw(); },
  }, count === null ? label : `${label}: ${count}`);
  counts.replaceChildren(chip(null, s.everyone, rows.length), chip("present", s.present, n("present")),
    chip("excused", s.excused, n("excused")), chip("left", s.left, n("left")), chip("absent", s.absent, n("absent")));
}

let proxies = null;   // mounted below; the board notes beside a member whose vote they carry or who carries theirs
// The proxies' lists say each voter's attendance: told of a whole board at once, and of single changes at most once
// a second (each telling rebuilds two lists of every voter).
let votersLater = null;
const tellProxies = (soon = false) => {
  if (!soon) { clearTimeout(votersLater); votersLater = null; proxies?.members(board.rows()); return; }
  votersLater = votersLater ?? setTimeout(() => tellProxies(), 1000);
};
const board = mountAttendanceBoard(document.getElementById("board-rows"), null, {
  slug: config.slug, strings: s, onError: showError, visible, note: (row) => proxies?.noteFor(row.membership_id) ?? "",
  readOnly: !!config.read_only,
  onChange: (reply) => { showError(""); renderQuorumGauge(gauge, reply.quorum, s); drawCounts(board.rows()); tellProxies(true); },
});
const live = globalThis.io ? new LiveClient({ meeting: config.meeting, strings: s }) : null;
// Proxies: whose vote an absent member's holder also casts; both lists show who is here.
proxies = mountProxies(document.getElementById("proxies"), live, { slug: config.slug, strings: s, onError: showError,
  onChange: () => board.redraw(), readOnly: !!config.read_only });
find.addEventListener("input", () => board.redraw());
renderQuorumGauge(gauge, config.state.quorum, s);

// The board is not in the live snapshot (no other screen shows it): it is read from the API once the page has its
// snapshot, at every join, reconnect and gap. Lines that change while it is on its way are laid on it again.
const api = `/api/meetings/${encodeURIComponent(config.slug)}/attendance`;
let changedMeanwhile = null;
let asked = 0;
async function loadBoard() {
  const mine = ++asked;
  changedMeanwhile = changedMeanwhile ?? [];
  const reply = await requestJSON("GET", api, undefined, s.network);
  if (mine !== asked) return;   // a newer reading is on its way
  const changed = changedMeanwhile;
  changedMeanwhile = null;
  if (!reply.ok) { showError(reply.message); return; }
  if (live?.state) {
    live.state.attendance = live.state.attendance ?? {};
    live.state.attendance.board = reply.board;   // the state holds the board; `attendance.row` replaces its lines
  }
  board.set(reply.board);
  changed.forEach((row) => board.update(row));
  drawCounts(board.rows());
  tellProxies();
  renderQuorumGauge(gauge, live?.state?.attendance?.quorum ?? reply.quorum, s);
}

document.getElementById("settings-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const f = event.target.elements;
  const reply = await postJSON(`/api/meetings/${encodeURIComponent(config.slug)}/attendance/settings`, {
    quorum_basis: f.quorum_basis.value, quorum_num: Number(f.quorum_num.value), quorum_den: Number(f.quorum_den.value),
    quorum_strict: f.quorum_strict.checked, exclude_excused: f.exclude_excused.checked, self_checkin: f.self_checkin.checked,
  }, s.network);
  if (!reply.ok) { showError(reply.message); return; }
  showError("");
  renderQuorumGauge(gauge, reply.quorum, s);
});

if (live) {
  installAttendanceReducers(live);
  live.on("snapshot", (state) => {
    if (state?.attendance?.quorum) renderQuorumGauge(gauge, state.attendance.quorum, s);
    loadBoard();
  });
  live.on("attendance.quorum", (d) => renderQuorumGauge(gauge, d.quorum, s));
  live.on("attendance.row", (d) => {
    changedMeanwhile?.push(d.row);
    board.update(d.row);
    drawCounts(board.rows());
    tellProxies(true);
  });
  live.on("attendance.board", (d) => {
    board.set(d.board);
    drawCounts(board.rows());
    tellProxies();
    if (changedMeanwhile) loadBoard();   // the roster changed: a board on its way may have been read before
  });
  live.start();
} else {
  loadBoard();
}
