// The ballot on a delegate's tablet: large buttons, a confirmation step, "recorded" after the server's ack.
//
//   import { mountBallot } from "/static/js/lib/vote-ballot.js";
//   mountBallot(document.getElementById("ballot"), live, strings);   // live: a LiveClient (before live.start())
//
// Shows nothing while no vote is open; shows the result of the last vote once it closes.
import { clock, h } from "./i18n.js";
import { VOTE_KINDS, installVoteReducers, optionLabel, renderResult, resultHidden, resultOfCurrentItem, secondsLeft, t, verdict } from "./vote-common.js";
import { announce, focusOn, keepFocus } from "./a11y.js";

export function mountBallot(container, live, strings = {}) {
  installVoteReducers(live);
  container.classList.add("vote-ballot");
  // Per ballot (own or proxy): the options picked, whether the confirmation step is shown, the last error.
  const local = new Map();
  let timer = null;
  let fetchedFor = null;
  // Where the focus goes once the panel is drawn again after a step of the ballot ({membership, focus}): a keyboard
  // or switch user who picked "For" lands on "Confirm my ballot", not at the top of the page.
  let focusNext = null;

  async function loadMine(vote) {
    fetchedFor = vote.id;
    try {
      const r = await fetch(`/api/votes/${vote.id}`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      const body = await r.json();
      if (body.ok && live.state?.vote?.open?.id === vote.id) { live.state.vote.open.me = body.vote.me; render(live.state); }
    } catch { fetchedFor = null; }
  }

  function entry(id) {
    if (!local.has(id)) local.set(id, { picked: [], confirming: false, error: "", sending: false, changing: false, full: false });
    return local.get(id);
  }

  async function send(vote, ballot) {
    const e = entry(ballot.membership_id);
    // The receipt is said once: read where the focus was (the Confirm button, by keyboard or switch), else announced.
    // (Asked now: while it is sent the disabled button cannot hold the focus.)
    const focused = container.contains(document.activeElement);
    e.sending = true; e.error = ""; render(live.state);
    const payload = { vote: vote.id, options: e.picked };
    if (ballot.proxy) payload.on_behalf_of = ballot.membership_id;
    const ack = await live.send("vote.cast", payload);
    e.sending = false;
    if (ack.ok) {
      ballot.voted = true; ballot.recorded_at = ack.ballot.recorded_at; ballot.choice = e.picked.slice();
      e.confirming = false; e.changing = false;
      if (focused) focusNext = { membership: ballot.membership_id, focus: "recorded" };
    } else {
      e.error = ack.message ?? String(ack.error);
      e.errorKind = ack.error === "offline" || ack.error === "timeout" ? "connection" : "refused";
      if (focused) focusNext = { membership: ballot.membership_id, focus: "confirm" };   // to try again, or go back
    }
    render(live.state);
    if (ack.ok && !focused) announce(container.querySelector(`[data-membership="${ballot.membership_id}"] .vote-recorded`)?.textContent);
  }

  function ballotBlock(vote, ballot) {
    const e = entry(ballot.membership_id);
    const heading = ballot.proxy ? t(strings, "proxy_ballot", { name: ballot.name }) : t(strings, "your_ballot");
    const m = ballot.membership_id;
    const step = (focus) => { focusNext = { membership: m, focus }; };
    const labels = (ids) => vote.options.filter((o) => ids.includes(o.id)).map((o) => optionLabel(o, strings)).join(", ");
    // A ballot that weighs more than one says so: the delegate knows it counts as that many.
    const body = [h("h3", {}, heading, ballot.weight > 1
      ? h("span", { class: "vote-weight", "data-testid": "vote-weight" }, " · ", t(strings, "ballot_weight", { weight: ballot.weight }))
      : null)];
    if (ballot.voted && !e.changing) {
      const time = ballot.recorded_at ? clock(new Date(ballot.recorded_at), { hour: "2-digit", minute: "2-digit", second: "2-digit" }) : "";
      // a proxy's ballot names whose it was: the holder casts two, and each receipt must say which one it is
      body.push(h("p", { class: "vote-recorded", "data-testid": "vote-recorded", "data-focus": "recorded" }, "✓ ",
        ballot.proxy ? t(strings, "recorded_proxy", { name: ballot.name, time }) : t(strings, "recorded", { time })));
      if (!vote.secret && ballot.choice) body.push(h("p", {}, t(strings, "you_chose", { choice: labels(ballot.choice) })));
      if (vote.allow_change && !vote.secret) {
        // the recorded picks stay picked: the voter changes one of them, or keeps the ballot as it is
        body.push(h("button", { class: "btn vote-change", type: "button", "data-testid": "vote-change", "data-focus": "change",
          onclick: () => { e.changing = true; e.picked = (ballot.choice ?? []).slice(); e.confirming = false; step("options"); render(live.state); } },
          t(strings, "change")));
      }
    } else if (e.confirming) {
      // Not a receipt: a picked ballot is cast only by the confirmation, and the screen says so first.
      // the Confirm button is described by them: reached by keyboard or switch, it says what it casts, and that it is not cast yet
      body.push(h("p", { class: "vote-pending", role: "status", "data-testid": "vote-pending", id: `vote-pending-${m}` }, t(strings, "not_cast_yet")));
      body.push(h("p", { class: "vote-confirm-text", id: `vote-choice-${m}` }, t(strings, "your_choice", { choice: labels(e.picked) })));
      body.push(h("p", { class: "vote-note" }, vote.secret ? t(strings, "final_note") : (vote.allow_change ? t(strings, "change_note") : t(strings, "final_note"))));
      body.push(h("div", { class: "vote-actions" },
        h("button", { class: "btn vote-back", type: "button", "data-focus": "back", disabled: e.sending,
          onclick: () => { e.confirming = false; step("options"); render(live.state); } }, t(strings, "back")),
        // offline, nothing can be sent: the button waits for the connection (and says why, below)
        h("button", { class: "btn btn-primary vote-confirm", type: "button", "data-testid": "vote-confirm", "data-focus": "confirm",
          disabled: e.sending || !live.online,
          "aria-describedby": `vote-choice-${m} vote-pending-${m}`,
          onclick: () => send(vote, ballot) }, e.sending ? t(strings, "sending") : t(strings, "confirm"))));
    } else {
      if (e.changing) {
        // the ballot being changed still counts until a new one is confirmed; “Keep my ballot” goes back to it
        body.push(h("p", { class: "vote-note vote-still-counts", "data-testid": "vote-still-counts" },
          t(strings, "still_counts", { choice: labels(ballot.choice ?? []) })));
        body.push(h("button", { class: "btn vote-keep", type: "button", "data-testid": "vote-keep",
          onclick: () => { e.changing = false; e.picked = []; e.full = false; step("change"); render(live.state); } }, t(strings, "keep")));
      }
      const k = vote.method === "election" ? vote.max_choices : 1;
      const kindOf = (id) => vote.options.find((y) => y.id === id)?.kind;
      // Full: every seat has a pick. A further candidate is refused with a note, never swapped for an earlier pick
      // behind the voter's back; the voter takes one back first (Abstain still replaces the picks: it is a ballot of
      // its own, and the buttons show the change).
      const full = k > 1 && e.picked.filter((x) => kindOf(x) !== "abstain").length >= k;
      if (k > 1) body.push(h("p", { class: "vote-note" }, t(strings, "choices", { k })));
      body.push(h("div", { class: `vote-options${full ? " vote-options-full" : ""}` }, ...vote.options.map((o) => h("button", {
        class: `vote-option vote-option-${o.kind}${e.picked.includes(o.id) ? " picked" : ""}`, type: "button",
        "aria-pressed": e.picked.includes(o.id) ? "true" : "false", "data-testid": "vote-option", "data-focus": `option-${o.id}`,
        // dimmed, not disabled: a tap on it still says why it cannot be picked now
        "aria-disabled": full && !e.picked.includes(o.id) && o.kind !== "abstain" ? "true" : null,
        onclick: () => {
          e.full = false;
          if (k === 1 || o.kind === "abstain") e.picked = [o.id];
          else if (e.picked.includes(o.id)) e.picked = e.picked.filter((x) => x !== o.id);
          else if (full) e.full = true;
          else e.picked = [...e.picked.filter((x) => kindOf(x) !== "abstain"), o.id];
          if (k === 1) { e.confirming = true; step("confirm"); }
          render(live.state);
        },
      }, optionLabel(o, strings)))));
      if (e.full) {
        body.push(h("p", { class: "vote-full", role: "alert", "data-testid": "vote-full" },
          t(strings, "choices_full", { n: k, k })));
      }
      if (k > 1) {
        // “Next”, not “Confirm my ballot”: the confirmation comes on the next screen, under that name
        body.push(h("button", { class: "btn btn-primary vote-next", type: "button", "data-testid": "vote-next",
          disabled: !e.picked.length,
          onclick: () => { e.confirming = true; e.full = false; step("confirm"); render(live.state); } }, t(strings, "review")));
      }
    }
    if (e.confirming && !live.online && !e.error) body.push(h("p", { class: "vote-error", "data-testid": "vote-offline" }, t(strings, "offline_wait")));
    const recorded = ballot.voted && !e.changing;   // the server has it after all (an answer lost on the way)
    if (e.error && !recorded) body.push(h("p", { class: e.errorKind === "back" ? "vote-note vote-back-online" : "vote-error", role: "alert" }, e.error));
    return h("section", { class: "vote-ballot-card", dataset: { membership: String(ballot.membership_id) } }, ...body);
  }

  // The ballots of the vote last shown that were picked but never confirmed: once it closes, the tablet says
  // they were not cast (a picked, unconfirmed ballot counts for nothing).
  let shown = null;
  let missed = null;

  function unconfirmed(vote) {
    const left = (vote?.me?.ballots ?? []).filter((b) => !b.voted && local.get(b.membership_id)?.picked.length);
    return left.length ? { voteId: vote.id, ballots: left } : null;
  }

  let drawnFor;   // the current agenda item when the panel was drawn

  function render(state) {
    clearInterval(timer);
    drawnFor = state?.current_item ?? null;
    const v = state?.vote ?? {};
    const vote = v.open;
    if (!vote) {
      if (shown) missed = unconfirmed(shown);
      shown = null;
      local.clear();
      const last = resultOfCurrentItem(state);   // a result leaves with its item: the next item's page gets the room
      container.hidden = !last || resultHidden(last);
      const notes = last && missed?.voteId === last.id
        ? missed.ballots.map((b) => h("p", { class: "vote-pending vote-not-cast", role: "alert", "data-testid": "vote-not-cast" },
          b.proxy ? t(strings, "not_cast_proxy", { name: b.name }) : t(strings, "not_cast")))
        : [];
      keepFocus(container, () => container.replaceChildren(...notes, last ? renderResult(last, strings) : ""));
      return;
    }
    if (shown?.id !== vote.id) {
      missed = null;
      announce(t(strings, "vote_opened", { question: vote.question }));   // heard wherever the reader is on the page
    }
    shown = vote;
    container.hidden = false;
    if (!vote.me && fetchedFor !== vote.id) loadMine(vote);
    const head = [h("h2", { class: "vote-question" }, vote.question),
      // what happens to the choice, said on the ballot itself, in a colour of its own for each kind
      h("p", { class: `vote-kind vote-kind-ballot ${vote.secret ? "vote-kind-secret" : "vote-kind-named"}`, "data-testid": "ballot-kind" },
        h("strong", {}, vote.secret ? t(strings, "secret") : t(strings, "named")), " · ",
        vote.secret ? t(strings, "secret_note") : t(strings, "named_note"))];
    const clock = h("p", { class: "vote-clock", "aria-live": "off" });
    if (vote.deadline) {
      const tickClock = () => { clock.textContent = t(strings, "time_left", { s: secondsLeft(vote.deadline) }); };
      tickClock();
      timer = setInterval(tickClock, 1000);
      head.push(clock);
    }
    const ballots = vote.me?.eligible ? vote.me.ballots.map((b) => ballotBlock(vote, b)) : [];
    // a voter not checked in: the ballot counts, the quorum the chair watches does not count them
    const me = state.attendance?.me;
    if (ballots.length && me && me.status !== "present") {
      const selfAllowed = state.attendance.quorum?.self_checkin ?? me.self_checkin;
      head.push(h("p", { class: "vote-not-present", "data-testid": "vote-not-present" },
        t(strings, selfAllowed ? "not_present" : "not_present_door")));
    }
    keepFocus(container, () => container.replaceChildren(
      h("div", { class: "vote-open", "data-testid": "ballot", dataset: { voteId: String(vote.id) } }, ...head, ...ballots)));
    if (focusNext) {
      const card = container.querySelector(`[data-membership="${focusNext.membership}"]`);
      const target = focusNext.focus === "options"
        ? card?.querySelector(".vote-option.picked") ?? card?.querySelector(".vote-option")
        : card?.querySelector(`[data-focus="${focusNext.focus}"]`);
      focusNext = null;
      focusOn(target);
    }
  }

  // Every vote change but the counter, which the ballot does not show (up to 4 a second while the room votes: each
  // drawing would take the focus and say the panel again).
  live.on("snapshot", (state) => render(state));
  // The connection back: a ballot that could not be sent says so in other words (a red "Connection lost" stayed
  // under it, and delegates believed they could not vote); one the server did record shows its receipt (snapshot).
  live.on("connection", (online) => {
    for (const e of local.values()) {
      if (online && e.errorKind === "connection") { e.error = t(strings, "back_online"); e.errorKind = "back"; }
    }
    if (live.state) render(live.state);
  });
  for (const kind of VOTE_KINDS.filter((k) => k !== "vote.progress")) live.on(kind, (_d, state) => render(state));
  // The result, once published, is said once: the question and the verdict.
  live.on("vote.published", (d) => { if (d?.question) announce(`${d.question}: ${verdict(d, strings).text}`); });
  // The chair opened another item: the last result may go, or come back with its item.
  live.on("change", (_kind, state) => { if (!state?.vote?.open && (state?.current_item ?? null) !== drawnFor) render(state); });
  live.on("attendance.me", (_d, state) => { if (state?.vote?.open) render(state); });   // checked in: the note goes
  live.on("vote.proxies", () => { const open = live.state?.vote?.open; if (open) loadMine(open); });
  if (live.state) render(live.state);
  return { render: () => render(live.state) };
}
