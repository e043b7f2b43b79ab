// The secretary's check-in page: scan badges with the camera (or type the code), see each result at once,
// the last check-ins, and the quorum gauge. Check-ins go to POST /api/meetings/<slug>/attendance/scan: the
// scanned URL is never opened, so this device stays signed in as the secretary.
import { LiveClient } from "../lib/live-client.js";
import { clock, postJSON } from "../lib/attendance-board.js";
import { installAttendanceReducers, renderQuorumGauge } from "../lib/attendance-gauge.js";
import { decodeDrawable, startScanner } from "../lib/attendance-scan.js";
import { h } from "../lib/i18n.js";

const config = JSON.parse(document.getElementById("attendance-config").textContent);
const s = config.strings;
const api = `/api/meetings/${encodeURIComponent(config.slug)}/attendance`;

const el = (id) => document.getElementById(id);
const result = el("scan-result");
const recent = el("recent");
const gauge = el("quorum");
const camStatus = el("camera-status");
let quorum = config.state.quorum;
const history = [];

renderQuorumGauge(gauge, quorum, s);

function showResult(kind, title, detail) {
  result.className = `scan-result scan-${kind}`;
  result.replaceChildren(h("div", { class: "scan-title" }, title), detail ? h("div", { class: "scan-detail" }, detail) : "");
  result.hidden = false;
}

async function submit(code) {
  const reply = await postJSON(`${api}/scan`, { code }, s.network);
  if (reply.ok) {
    const m = reply.member;
    showResult("ok", `${s.checked_in}: ${m.name}`, [m.seat, clock(m.arrived_at)].filter(Boolean).join(" · "));
    history.unshift(m);
    history.splice(8);
    recent.replaceChildren(...history.map((r) => h("li", {}, h("span", { class: "att-seat" }, r.seat ?? "—"), " ", r.name,
      h("span", { class: "muted" }, ` ${clock(r.arrived_at)}`))));
    quorum = reply.quorum;
    renderQuorumGauge(gauge, quorum, s);
  } else {
    const kind = reply.error === "conflict" ? "warn" : "bad";
    showResult(kind, kind === "warn" ? s.already : s.refused, reply.message);
  }
  document.dispatchEvent(new CustomEvent("dais:checkin", { detail: reply }));
  return reply;
}
// Tests and the manual form use the same path as the camera.
window.daisCheckIn = { submit, decodeDrawable };

el("manual-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = el("manual-code");
  const code = input.value.trim();
  if (!code) { input.focus(); return; }
  const reply = await submit(code);
  if (reply.ok) input.value = "";
  input.focus();
});

async function startCamera() {
  camStatus.textContent = s.camera_starting;
  try {
    const stop = await startScanner(el("camera"), el("frame"), (text) => submit(text));
    camStatus.textContent = s.camera_on;
    el("camera-wrap").hidden = false;
    window.addEventListener("pagehide", stop);
  } catch {
    camStatus.textContent = navigator.mediaDevices?.getUserMedia ? s.camera_denied : s.camera_off;
    el("camera-wrap").hidden = true;
  }
}
el("camera-start").addEventListener("click", startCamera);
if (navigator.mediaDevices?.getUserMedia) startCamera();
else camStatus.textContent = s.camera_off;

// Other doors and the board move the quorum too.
if (globalThis.io) {
  const live = new LiveClient({ meeting: config.meeting, strings: s });
  installAttendanceReducers(live);
  const draw = (state) => { if (state?.attendance?.quorum) { quorum = state.attendance.quorum; renderQuorumGauge(gauge, quorum, s); } };
  live.on("snapshot", draw);
  live.on("attendance.quorum", (_d, state) => draw(state));
  live.start();
}
