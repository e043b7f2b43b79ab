// Self check-in: one button while the person is not checked in.
//
//   mountSelfCheckIn(container, live, strings, { prompt })
//
// On a delegate's tablet (when the chair allows it) the button stays until they are in, then says so.
// With `prompt` (the chair's console, the secretary's check-in desk) it is a notice that the minutes would list
// them absent, with the button; once they are in, it goes away (their screens are busy enough). `short` says it
// in a few words (the console's bar, where a second row would push the pager off a tablet's first screen).
import { h } from "./i18n.js";
import { announce, keepFocus } from "./a11y.js";
import { installAttendanceReducers } from "./attendance-gauge.js";

export function mountSelfCheckIn(container, live, strings = {}, { prompt = false, short = false } = {}) {
  installAttendanceReducers(live);
  const s = { check_in: "I am here: check in", checked_in: "You are checked in.", check_me_in: "Check me in",
              not_checked_in: "You are not checked in: the minutes would list you as absent.",
              not_checked_in_short: "You are not checked in.", ...strings };
  const msg = h("span", { class: "spk-msg", role: "status" });
  const draw = () => keepFocus(container, drawNow);
  const checkIn = async () => {
    const me = live.state.attendance.me;
    const ack = await live.send("attendance.self_check_in", {});
    msg.textContent = ack.ok ? "" : ack.message;
    if (ack.ok) {
      const focused = container.contains(document.activeElement);
      live.state.attendance.me = { ...me, status: "present" };
      draw();
      if (!focused || prompt) announce(s.checked_in);
    }
  };
  const drawNow = () => {
    const me = live.state?.attendance?.me;
    // A closed meeting is read-only: nobody checks in any more (the server refuses it).
    if (!me || live.state.meeting?.read_only) { container.replaceChildren(); return; }
    // The chair and the secretary always may; a delegate when the chair allows it (the quorum says, live).
    const selfAllowed = me.staff || (live.state.attendance.quorum?.self_checkin ?? me.self_checkin);
    if (me.status === "present") {
      // the line that replaces the button takes its focus (data-focus-fallback): read out, and the place is kept
      container.replaceChildren(prompt ? "" : h("span", { class: "att-pill att-pill-present", tabindex: "-1", "data-focus-fallback": "" }, s.checked_in));
    } else if (selfAllowed && prompt) {
      container.replaceChildren(h("div", { class: "self-prompt", "data-testid": "self-checkin-prompt" },
        h("p", {}, short ? s.not_checked_in_short : s.not_checked_in),
        h("button", { class: "btn btn-primary", type: "button", onclick: checkIn }, s.check_me_in), msg));
    } else if (selfAllowed) {
      container.replaceChildren(h("button", { class: "btn btn-primary", type: "button", onclick: checkIn }, s.check_in), msg);
    } else {
      container.replaceChildren();
    }
  };
  live.on("snapshot", draw);
  live.on("attendance.me", draw);
  live.on("attendance.quorum", draw);
  live.on("status", draw);
  if (live.state) draw();
  return { redraw: draw };
}
