// Self check-in on a delegate's tablet: one button while they are not checked in (when the chair allows it).
//
//   mountSelfCheckIn(container, live, strings)
import { h } from "./i18n.js";
import { announce, keepFocus } from "./a11y.js";
import { installAttendanceReducers } from "./attendance-gauge.js";

export function mountSelfCheckIn(container, live, strings = {}) {
  installAttendanceReducers(live);
  const s = { check_in: "I am here: check in", checked_in: "You are checked in.", ...strings };
  const msg = h("span", { class: "spk-msg", role: "status" });
  const draw = () => keepFocus(container, drawNow);
  const drawNow = () => {
    const me = live.state?.attendance?.me;
    // A closed meeting is read-only: nobody checks in any more (the server refuses it).
    if (!me || live.state.meeting?.read_only) { container.replaceChildren(); return; }
    const selfAllowed = live.state.attendance.quorum?.self_checkin ?? me.self_checkin;
    if (me.status === "present") {
      // the line that replaces the button takes its focus (data-focus-fallback): read out, and the place is kept
      container.replaceChildren(h("span", { class: "att-pill att-pill-present", tabindex: "-1", "data-focus-fallback": "" }, s.checked_in));
    } else if (selfAllowed) {
      container.replaceChildren(h("button", { class: "btn btn-primary", type: "button", onclick: async () => {
        const ack = await live.send("attendance.self_check_in", {});
        msg.textContent = ack.ok ? "" : ack.message;
        if (ack.ok) {
          const focused = container.contains(document.activeElement);
          live.state.attendance.me = { ...me, status: "present" };
          draw();
          if (!focused) announce(s.checked_in);
        }
      } }, s.check_in), msg);
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
