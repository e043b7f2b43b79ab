// The secretary's check-in page: scan badges with the camera (or type a seat, a name or the badge link), see each
// result at once, the last check-ins, and the quorum gauge. Scans go to POST /api/meetings/<slug>/attendance/scan:
// the scanned URL is never opened, so this device stays signed in as the secretary. What is typed goes to
// POST .../attendance/typed, which checks in the one member it stands for, or names those a name may mean: they
// are offered as buttons, and the one chosen is marked present by their membership id (the board's API). The
// server decides each time; this page only shows what it said.
import { LiveClient } from "../lib/live-client.js";
import { clock, postJSON } from "../lib/attendance-board.js";
import { installAttendanceReducers, renderQuorumGauge } from "../lib/attendance-gauge.js";
import { mountSelfCheckIn } from "../lib/attendance-self.js";
import { decodeDrawable, startScanner } from "../lib/attendance-scan.js";
import { h, makeT } from "../lib/i18n.js";

const config = JSON.parse(document.getElementById("attendance-config").textContent);
const s = config.strings;
const t = makeT(s);
const api = `/api/meetings/${encodeURIComponent(config.slug)}/attendance`;

const el = (id) => document.getElementById(id);
const result = el("scan-result");
const recent = el("recent");
const gauge = el("quorum");
const camStatus = el("camera-status");
const choices = el("choices");
let quorum = config.state.quorum;
const history = [];

renderQuorumGauge(gauge, quorum, s);

function showResult(kind, title, detail) {
  result.className = `scan-result scan-${kind}`;
  result.replaceChildren(h("div", { class: "scan-title" }, title), detail ? h("div", { class: "scan-detail" }, detail) : "");
  result.hidden = false;
}

// Show what the server said of a check-in (a scan, a typed text, a choice): who came in, or why not.
function answer(reply, { fromField = false } = {}) {
  if (reply.ok) {
    const m = reply.member;
    showResult("ok", `${s.checked_in}: ${m.name}`, [m.seat, clock(m.arrived_at)].filter(Boolean).join(" · "));
    history.unshift(m);
    history.splice(8);
    el("recent-empty").hidden = true;
    recent.replaceChildren(...history.map((r) => h("li", {}, h("span", { class: "att-seat" }, r.seat ?? "—"), " ", r.name,
      h("span", { class: "muted" }, ` ${clock(r.arrived_at)}`))));
    quorum = reply.quorum;
    renderQuorumGauge(gauge, quorum, s);
  } else {
    const kind = reply.error === "conflict" ? "warn" : "bad";
    const title = kind === "warn" ? s.already : (fromField && reply.error === "not_found" ? s.typed_none : s.refused);
    showResult(kind, title, reply.message);
  }
  document.dispatchEvent(new CustomEvent("dais:checkin", { detail: reply }));
  return reply;
}

async function submit(code) {
  choices.hidden = true;
  return answer(await postJSON(`${api}/scan`, { code }, s.network));
}

// A part of a name, or a name that fits several members: a big button each (seat, name, and their status when not absent).
function offer(text, candidates, more) {
  result.hidden = true;
  const label = (m) => [h("span", { class: "att-seat" }, m.seat ?? "—"), " ", h("span", { class: "choice-name" }, m.name),
    m.status !== "absent" ? h("span", { class: "muted" }, ` (${s[m.status] ?? m.status})`) : null];
  choices.replaceChildren(
    h("p", { class: "choices-title", role: "status" }, t(candidates.length === 1 ? "typed_one" : "typed_choose", { text })),
    h("div", { class: "choices-list" }, ...candidates.map((m) => h("button", {
      class: "btn choice", type: "button", "data-testid": "checkin-choice", dataset: { member: m.membership_id },
      onclick: () => choose(m),
    }, label(m)))),
    ...(more ? [h("p", { class: "muted" }, s.typed_more)] : []));
  choices.hidden = false;
}

async function choose(member) {
  choices.querySelectorAll("button").forEach((b) => { b.disabled = true; });
  const reply = answer(await postJSON(`${api}/${member.membership_id}`, { action: "present" }, s.network));
  choices.hidden = true;
  if (reply.ok) el("manual-code").value = "";
  el("manual-code").focus();
  return reply;
}

// What the steward typed: a badge's link or code, a seat, or a name.
async function typed(text) {
  choices.hidden = true;
  const reply = await postJSON(`${api}/typed`, { text }, s.network);
  if (reply.ok && reply.candidates) {
    offer(text, reply.candidates, reply.more);
    document.dispatchEvent(new CustomEvent("dais:checkin", { detail: reply }));
    return reply;
  }
  return answer(reply, { fromField: true });
}
// Tests and the manual form use the same paths as the camera and the field.
window.daisCheckIn = { submit, typed, decodeDrawable };

// A closed meeting's page has no scanner and no field (its attendance no longer changes).
if (!config.read_only) el("manual-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = el("manual-code");
  const text = input.value.trim();
  if (!text) { input.focus(); return; }
  const reply = await typed(text);
  if (reply.ok && !reply.candidates) input.value = "";
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
if (!config.read_only) {
  el("camera-start").addEventListener("click", startCamera);
  if (navigator.mediaDevices?.getUserMedia) startCamera();
  else camStatus.textContent = s.camera_off;
}

// Other doors and the board move the quorum too.
if (globalThis.io) {
  const live = new LiveClient({ meeting: config.meeting, strings: s });
  installAttendanceReducers(live);
  const draw = (state) => { if (state?.attendance?.quorum) { quorum = state.attendance.quorum; renderQuorumGauge(gauge, quorum, s); } };
  live.on("snapshot", draw);
  live.on("attendance.quorum", (_d, state) => draw(state));
  // The secretary at the door is a member too: a notice while they have not checked themselves in.
  mountSelfCheckIn(el("self-checkin"), live, JSON.parse(el("attendance-strings").textContent), { prompt: true });
  live.start();
}
