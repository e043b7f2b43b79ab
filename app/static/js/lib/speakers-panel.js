// The list of speakers for the chair console, a delegate's tablet and the wall screen.
//
//   import { mountSpeakers } from "/static/js/lib/speakers-panel.js";
//   mountSpeakers(container, live, { role: "chair" | "delegate" | "wall", strings });
//
// It follows the `speakers` part of the snapshot and the `speakers` deltas, shows the list of the current
// agenda item (state.current_item), and sends speakers.* events through live.send (see docs/api.md).
import { fitsFind, h } from "./i18n.js";
import { announce, keepFocus } from "./a11y.js";
import { clockOffset, formatSeconds, timerState } from "./speakers-timer.js";

export const DEFAULT_STRINGS = {
  back_online: "The connection is back, but your last tap did not reach the chair: tap again.",
  speakers: "List of speakers", now_speaking: "Speaking", next: "Next", nobody: "Nobody has the floor.",
  empty: "Nobody has asked to speak on this item.", no_item: "No agenda item is open.",
  request: "Request to speak", point_of_order: "Point of order", withdraw: "Withdraw my request",
  on_list: "You are number %(n)s on the list.", you_speak: "You have the floor.",
  give_floor: "Give the floor", next_speaker: "Next speaker", end: "End speech", remove: "Remove",
  remove_who: "Remove %(name)s from the list",
  up: "Move up", down: "Move down", time_up: "Time is up", time_warn: "Time is running out",
  limit: "Speaking time (minutes)", limit_now: "Speaking time: %(time)s", save: "Save", poo_short: "Point of order",
  paused: "The clock is stopped", pause: "Pause", resume: "Resume", pause_label: "Stop the speech's clock",
  resume_label: "Let the speech's clock run on", more_time: "+1 min", more_time_label: "One more minute for this speech", add: "Add a speaker",
  waiting_elsewhere: "Still waiting on other items: %(items)s.", item_count: "item %(number)s (%(n)s)",
  mine_elsewhere: "You are number %(n)s on the list of item %(number)s.",
  observer_note: "As an observer you speak when the chair puts you on the list.", add_find: "Name or seat", add_none: "Nobody on the roster fits this, or they are on the list already.",
};

function t(s, key, params = {}) {
  return (s[key] ?? DEFAULT_STRINGS[key] ?? key).replace(/%\((\w+)\)s/g, (_, k) => String(params[k] ?? ""));
}

export function installSpeakersReducer(live) {
  live.reducer("speakers", (state, d) => {
    const mine = state.speakers?.my_membership_id;
    state.speakers = { ...d, my_membership_id: mine };
  });
}

export function mountSpeakers(container, live, { role = "delegate", strings = {}, onError } = {}) {
  const s = { ...DEFAULT_STRINGS, ...strings };
  installSpeakersReducer(live);
  let offset = 0;
  let offsetFrom = null;   // the server_now the offset was measured from
  let timerEl = null;
  let nowBox = null;
  let warnEl = null;
  const msg = h("div", { class: "spk-msg", role: "status", "aria-live": "polite" });
  container.classList.add("spk", `spk-${role}`);

  let lostOnTheWay = false;   // the last tap failed for want of a connection
  const send = async (event, payload) => {
    msg.textContent = "";
    const ack = await live.send(event, payload);
    lostOnTheWay = !ack.ok && (ack.error === "offline" || ack.error === "timeout");
    if (!ack.ok) { msg.textContent = ack.message; onError?.(ack); }
    return ack;
  };
  // Back online: "Connection lost" would stay under the buttons; it says the tap did not reach the chair instead.
  live.on("connection", (online) => {
    if (online && lostOnTheWay) { msg.textContent = s.back_online; lostOnTheWay = false; }
  });

  const tick = () => {
    const sp = live.state?.speakers;
    if (!timerEl || !sp?.speaking) return;
    const st = timerState(sp.speaking, sp.warn_seconds, offset);
    if (!st) return;
    timerEl.textContent = formatSeconds(st.remaining);
    nowBox.classList.toggle("spk-warn", st.warn && !st.paused);
    nowBox.classList.toggle("spk-over", st.over && !st.paused);
    nowBox.classList.toggle("spk-paused", st.paused);
    if (warnEl) warnEl.textContent = st.paused ? s.paused : st.over ? s.time_up : st.warn ? s.time_warn : "";
  };

  let drawnFor;   // the item whose list is drawn
  let said;       // the delegate's place last drawn (undefined: not drawn yet, nothing to announce)
  const draw = () => {
    const state = live.state;
    const sp = state?.speakers;
    // A closed meeting is read-only: a delegate can no longer ask for the floor, and the last queue is history.
    if (!sp || (role === "delegate" && state.meeting?.read_only)) { keepFocus(container, () => container.replaceChildren()); return; }
    // Measure the clock offset only on a fresh payload: a redraw for another reason (an item delta) still holds
    // the old server_now, which would set the timer back to when that payload arrived.
    if (sp.server_now !== offsetFrom) { offset = clockOffset(sp.server_now); offsetFrom = sp.server_now; }
    const item = state.current_item;
    drawnFor = item;
    const waiting = item ? (sp.queues?.[String(item)] ?? []) : [];
    const speaking = sp.speaking;
    const parts = [];

    // Who speaks now, with the timer.
    timerEl = null; warnEl = null;
    nowBox = h("div", { class: "spk-now" });
    if (speaking) {
      timerEl = h("div", { class: "spk-timer", "aria-live": "off" });
      warnEl = h("div", { class: "spk-warning", role: "alert" });
      // the chair stretches a speech a minute at a time, under its clock (every screen's timer moves with it)
      // and holds the clock (a disturbance, a question to the chair), every screen's with it
      const more = role === "chair" ? h("span", { class: "spk-clock-actions" },
        h("button", { class: "btn spk-more", type: "button", title: s.more_time_label,
          "aria-label": s.more_time_label, "data-testid": "more-time", onclick: () => send("speakers.time", { seconds: 60 }) }, s.more_time),
        speaking.paused
          ? h("button", { class: "btn btn-primary spk-hold", type: "button", "data-testid": "resume-clock", title: s.resume_label,
            "aria-label": s.resume_label, onclick: () => send("speakers.resume", {}) }, `▶ ${s.resume}`)
          : h("button", { class: "btn spk-hold", type: "button", "data-testid": "pause-clock", title: s.pause_label,
            "aria-label": s.pause_label, onclick: () => send("speakers.pause", {}) }, `❚❚ ${s.pause}`)) : null;
      nowBox.append(h("div", { class: "muted" }, s.now_speaking),
        h("div", { class: "spk-now-name" }, [speaking.seat, speaking.name].filter(Boolean).join(" · "),
          speaking.kind === "point_of_order" ? h("span", { class: "spk-poo" }, ` ${s.poo_short}`) : null),
        timerEl, warnEl);
      if (more) nowBox.append(more);   // (append, unlike h(), writes a null as the word "null")
    } else {
      nowBox.append(h("div", { class: "spk-empty" }, s.nobody));
    }
    // The chair's two taps of every speech side by side, under who speaks: End speech, Next speaker (the next one
    // sat under the whole queue, a long reach by finger on a congress's list).
    if (role === "chair" && (speaking || item)) {
      nowBox.append(h("div", { class: "spk-actions spk-chair-actions" },
        speaking ? h("button", { class: "btn", type: "button", onclick: () => send("speakers.end", {}) }, s.end) : null,
        item ? h("button", { class: "btn btn-primary", type: "button", disabled: !waiting.length, "data-testid": "next-speaker",
          onclick: () => send("speakers.floor", { item }) }, s.next_speaker) : null));
    }
    parts.push(nowBox);

    if (!item) {
      // the wall says so once, in its middle; tablets and the console say it here
      if (role !== "wall") parts.push(h("div", { class: "spk-empty" }, s.no_item));
    } else {
      const shown = role === "wall" ? waiting.slice(0, 5) : waiting;
      // The queue's place first, then the name; the seat after it, quiet (a bold seat "3" before the name read as
      // the third place in the queue)
      // A point of order stands out (it interrupts the list): the chair sees it at a glance.
      const rows = shown.map((r, i) => h("li", { dataset: { request: r.id }, class: r.kind === "point_of_order" && role !== "wall" ? "spk-row-poo" : null },
        h("span", { class: "spk-place" }, `${i + 1}.`),
        h("span", { class: "spk-name" }, r.name, r.seat ? h("span", { class: "spk-seat" }, ` · ${r.seat}`) : null,
          r.kind === "point_of_order" ? h("span", { class: "spk-poo" }, s.poo_short) : null),
        // The chair's row is two lines in the side column: who, with Remove (✕) at its end; under it the order and
        // Give the floor (four buttons wrapped onto four lines, a row a speaker, and the column scrolled).
        role === "chair" ? h("span", { class: "spk-actions" },
          h("button", { class: "btn btn-icon", type: "button", title: s.up, "aria-label": s.up, disabled: i === 0,
            onclick: () => move(waiting, i, -1) }, "↑"),
          h("button", { class: "btn btn-icon", type: "button", title: s.down, "aria-label": s.down, disabled: i === waiting.length - 1,
            onclick: () => move(waiting, i, 1) }, "↓"),
          h("button", { class: "btn btn-primary", type: "button", onclick: () => send("speakers.floor", { item, request: r.id }) }, s.give_floor)) : null,
        role === "chair" ? h("button", { class: "btn btn-icon btn-quiet spk-remove", type: "button", title: s.remove,
          "aria-label": t(s, "remove_who", { name: r.name }), onclick: () => send("speakers.remove", { request: r.id }) }, "✕") : null));
      // the chair's speaking time sits on the "Next" line, at its right: no row of its own in a full side column
      // the wall says nothing of an empty list ("Next" over "Nobody has asked to speak" said it twice from afar)
      if (role !== "wall" || rows.length) {
        parts.push(role === "chair"
          ? h("div", { class: "spk-next-row" }, h("div", { class: "muted spk-next" }, s.next), limitControl(sp))
          : h("div", { class: "muted spk-next" }, s.next));
        parts.push(rows.length ? h("ol", { class: "spk-queue" }, rows) : h("div", { class: "spk-empty" }, s.empty));
      }
      if (role === "chair" && !state.meeting?.read_only) parts.push(addControl(item, waiting, speaking));
      if (role === "delegate") parts.push(delegateControls(item, waiting, speaking, sp.my_membership_id));
    }
    if (role === "chair" && !item) parts.push(limitControl(sp));
    if (role !== "wall") parts.push(...elsewhere(state, sp, item));
    if (role !== "wall") parts.push(msg);
    keepFocus(container, () => container.replaceChildren(...parts));
    tick();
  };

  // Requests waiting on other items stay on those items' lists (the chair moved on): the chair sees how many wait
  // where, a member where their own request waits, and may withdraw it. They had vanished from every screen.
  const elsewhere = (state, sp, item) => {
    const numbers = new Map((state.agenda ?? []).map((a) => [String(a.id), a.number]));
    const others = Object.entries(sp.queues ?? {}).filter(([id, q]) => id !== String(item) && q.length);
    if (!others.length) return [];
    if (role === "chair") {
      return [h("p", { class: "muted spk-elsewhere", "data-testid": "speakers-elsewhere" },
        t(s, "waiting_elsewhere", { items: others.map(([id, q]) => t(s, "item_count", { number: numbers.get(id) ?? "?", n: q.length })).join(", ") }))];
    }
    const me = sp.my_membership_id;
    const mine = others.flatMap(([id, q]) => q.map((r, i) => ({ r, i, number: numbers.get(id) ?? "?" })))
      .filter(({ r }) => r.membership_id === me);
    return mine.map(({ r, i, number }) => h("p", { class: "spk-elsewhere", "data-testid": "speakers-elsewhere" },
      t(s, "mine_elsewhere", { number, n: i + 1 }), " ",
      state.me?.role === "observer" ? null : h("button", { class: "btn btn-quiet", type: "button",
        onclick: () => send("speakers.withdraw", { request: r.id }) }, s.withdraw)));
  };

  // The chair sets the speaking time for the next speeches (it was only in the API): minutes, in halves.
  let limitOpen = false;
  let limitTyped = null;   // what is typed, kept through the redraws a speech's deltas make
  const limitControl = (sp) => {
    const minutes = Math.round((sp.limit_seconds ?? 180) / 30) / 2;
    const input = h("input", { type: "number", name: "limit_minutes", min: "0.5", max: "60", step: "0.5", required: true,
      inputmode: "decimal", value: limitTyped ?? String(minutes), "data-testid": "speaking-time",
      oninput: (e) => { limitTyped = e.target.value; } });
    const form = h("form", { class: "spk-limit-form", onsubmit: async (e) => {
      e.preventDefault();
      if (!input.reportValidity()) return;
      const limit = Math.round(Number(input.value) * 60);
      const ack = await send("speakers.settings", { limit_seconds: limit, warn_seconds: Math.min(sp.warn_seconds ?? 30, limit) });
      if (ack.ok) { limitTyped = null; limitOpen = false; draw(); }
    } }, h("label", {}, t(s, "limit"), input), h("button", { class: "btn btn-primary", type: "submit" }, t(s, "save")));
    const details = h("details", { class: "spk-limit", open: limitOpen, ontoggle: (e) => { limitOpen = e.target.open; } },
      // the tap's new state at once: a delta drawn before the toggle event came closed the fold again, with the
      // field the chair was about to type in (the summary's click runs before the fold opens)
      h("summary", { onclick: () => { limitOpen = !details.open; } }, t(s, "limit_now", { time: formatSeconds(sp.limit_seconds ?? 180) })), form);
    return details;
  };

  // The chair puts someone on the list who has no tablet at hand (a raised hand), or an observer given the floor
  // (a guest, an expert): found by name or seat on the roster, as in every find box.
  let addOpen = false;
  let addTyped = "";   // kept through the redraws the list's deltas make
  const addControl = (item, waiting, speaking) => {
    const roster = live.state?.roster ?? [];
    const taken = new Set(waiting.map((r) => r.membership_id));
    if (speaking) taken.add(speaking.membership_id);
    const list = h("ul", { class: "spk-add-list", "data-testid": "add-speaker-matches" });
    const fill = () => {
      const typed = addTyped.trim();
      const found = typed ? roster.filter((m) => m.membership_id && !taken.has(m.membership_id) && fitsFind(m.seat, m.name, typed)) : [];
      list.replaceChildren(...found.slice(0, 6).map((m) => h("li", {}, h("button", { class: "btn", type: "button",
        onclick: async () => {
          const ack = await send("speakers.add", { item, member: m.membership_id });
          if (ack.ok) { addTyped = ""; draw(); }
        } }, h("span", { class: "spk-add-name" }, m.name), m.seat ? h("span", { class: "spk-seat" }, ` · ${m.seat}`) : null))));
      if (typed && !found.length) list.replaceChildren(h("li", { class: "muted" }, s.add_none));
    };
    const input = h("input", { type: "search", class: "spk-add-find", name: "add_speaker", autocomplete: "off",
      placeholder: s.add_find, "aria-label": s.add_find, value: addTyped, "data-testid": "add-speaker-find",
      oninput: (e) => { addTyped = e.target.value; fill(); } });
    fill();
    return h("details", { class: "spk-add", open: addOpen, ontoggle: (e) => { addOpen = e.target.open; if (addOpen) input.focus(); } },
      h("summary", { onclick: (e) => { addOpen = !e.currentTarget.parentElement.open; } }, s.add), h("div", { class: "spk-add-body" }, input, list));
  };

  const move = (waiting, i, dir) => {
    const order = waiting.map((r) => r.id);
    const j = i + dir;
    if (j < 0 || j >= order.length) return;
    [order[i], order[j]] = [order[j], order[i]];
    send("speakers.reorder", { item: live.state.current_item, order });
  };

  const delegateControls = (item, waiting, speaking, me) => {
    const mine = waiting.findIndex((r) => r.membership_id === me);
    const box = h("div", { class: "spk-actions" });
    // The delegate's place, said once when it changes (a screen reader hears "You have the floor." when it comes).
    const place = speaking && speaking.membership_id === me ? s.you_speak : mine >= 0 ? t(s, "on_list", { n: mine + 1 }) : "";
    if (place && place !== said && said !== undefined) announce(place);
    said = place;
    // An observer asks for nothing (the server would refuse it): the chair puts them on the list.
    const observer = live.state?.me?.role === "observer";
    if (speaking && speaking.membership_id === me) {
      box.append(h("strong", {}, s.you_speak));
    } else if (observer) {
      box.append(h("span", { class: "muted" }, mine >= 0 ? t(s, "on_list", { n: mine + 1 }) : s.observer_note));
    } else if (mine >= 0) {
      box.append(h("span", {}, t(s, "on_list", { n: mine + 1 })),
        h("button", { class: "btn", type: "button", onclick: () => send("speakers.withdraw", { request: waiting[mine].id }) }, s.withdraw));
    } else {
      box.append(
        h("button", { class: "btn btn-primary", type: "button", onclick: () => send("speakers.request", { item }) }, s.request),
        h("button", { class: "btn", type: "button", onclick: () => send("speakers.request", { item, kind: "point_of_order" }) }, s.point_of_order));
    }
    return box;
  };

  live.on("snapshot", draw);
  live.on("speakers", draw);
  live.on("item", draw);
  live.on("status", draw);
  // Presenting a document of another item, or an agenda change, makes that item current as well: the list is its.
  const itemChanged = () => { if (live.state && live.state.current_item !== drawnFor) draw(); };
  live.on("present", itemChanged);
  live.on("agenda", itemChanged);
  if (live.state) draw();
  const timer = setInterval(tick, 250);
  return { redraw: draw, stop: () => clearInterval(timer) };
}
