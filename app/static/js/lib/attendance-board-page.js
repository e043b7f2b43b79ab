// The attendance board page (chair and secretary): the board, the counts, the quorum gauge and the rule.
import { LiveClient } from "./live-client.js";
import { mountAttendanceBoard, postJSON } from "./attendance-board.js";
import { installAttendanceReducers, renderQuorumGauge } from "./attendance-gauge.js";
import { mountProxies } from "./proxies-panel.js";
import { fold, h } from "./i18n.js";

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
  && (!find.value.trim() || fold(`${row.seat ?? ""} ${row.name}`).includes(fold(find.value.trim())));

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
const board = mountAttendanceBoard(document.getElementById("board-rows"), null, {
  slug: config.slug, strings: s, onError: showError, visible, note: (row) => proxies?.noteFor(row.membership_id) ?? "",
  onChange: (reply) => {
    showError(""); renderQuorumGauge(gauge, reply.quorum, s); drawCounts(board.rows()); proxies?.members(board.rows());
  },
});
board.set(config.state.board);
drawCounts(config.state.board);
const live = globalThis.io ? new LiveClient({ meeting: config.meeting, strings: s }) : null;
// Proxies: whose vote an absent member's holder also casts; both lists show who is here.
proxies = mountProxies(document.getElementById("proxies"), live, { slug: config.slug, strings: s, onError: showError,
  onChange: () => board.redraw() });
proxies.members(config.state.board);
find.addEventListener("input", () => board.redraw());
renderQuorumGauge(gauge, config.state.quorum, s);

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
  const take = (state) => {
    const a = state?.attendance;
    if (!a) return;
    if (a.board) { board.set(a.board); drawCounts(a.board); proxies.members(a.board); }
    if (a.quorum) renderQuorumGauge(gauge, a.quorum, s);
  };
  live.on("snapshot", take);
  live.on("attendance.board", (_d, state) => take(state));
  live.on("attendance.quorum", (_d, state) => take(state));
  live.start();
}
