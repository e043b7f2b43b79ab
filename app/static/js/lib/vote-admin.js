// The chair's vote panel on the console: prepare votes, open, watch the ballot count, close, publish, annul.
//
//   import { mountVoteAdmin } from "/static/js/lib/vote-admin.js";
//   mountVoteAdmin(document.getElementById("votes"), live, { slug: "council", strings });
//
// Chair actions go over HTTP (JSON, with the page's CSRF token); the live room brings every change back.
import { h } from "./i18n.js";
import { keepFocus } from "./a11y.js";
import { installVoteReducers, onVoteChange, renderProgress, renderResult, secondsLeft, t } from "./vote-common.js";

const ADMIN_STRINGS = {
  new_vote: "New vote", question: "Question", method: "Kind of vote", motion: "Motion (For / Against / Abstain)",
  choice: "One of several options", election: "Election (k of n)", options_label: "Options or candidates, one per line",
  seats: "Seats to fill", secret_label: "Secret ballot", rule: "Majority", simple: "Simple majority of votes cast",
  absolute: "Absolute majority of members", two_thirds: "Two thirds of votes cast", fraction: "Custom fraction", plurality: "Most votes (relative majority)",
  fraction_label: "Fraction (e.g. 3/4)", abstentions: "Abstentions count as votes cast", quorum_label: "Quorum: share of members present to open and close (e.g. 1/2; empty: none)",
  allow_change: "Delegates may change their ballot (named votes)", duration: "Timer in seconds (empty: none)",
  create: "Prepare", open: "Open the vote", close: "Close the vote", publish: "Publish the result", annul: "Annul",
  delete: "Delete", delete_confirm: "Delete the prepared vote “%(question)s”?", annul_reason: "Why is this vote annulled?",
  annul_confirm: "Annul the vote", cancel: "Cancel",
  drafts: "Prepared votes", export_csv: "Results (CSV)", export_json: "Results (JSON)",
  no_quorum: "The room has no quorum: %(present)s present, %(needed)s needed. A vote that asks for no quorum of its own opens anyway.",
};

function csrf() { return document.querySelector('meta[name="csrf-token"]')?.content ?? ""; }

async function call(method, url, body) {
  const r = await fetch(url, { method, credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
    body: body === undefined ? undefined : JSON.stringify(body) });
  try { return await r.json(); } catch { return { ok: false, message: `HTTP ${r.status}` }; }
}

function fraction(text) {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text ?? "");
  return m ? [Number(m[1]), Number(m[2])] : null;
}

export function mountVoteAdmin(container, live, { slug, strings = {} } = {}) {
  installVoteReducers(live);
  const s = { ...ADMIN_STRINGS, ...strings };
  const tt = (key, params) => t(s, key, params);
  container.classList.add("vote-admin");
  const status = h("p", { class: "vote-error", role: "alert" });
  let timer = null;
  let annulling = null;   // {id, reason}: the chair is writing why a closed vote is annulled

  // Requests in flight, by method and URL ("POST /api/votes/7/open"): their buttons stay disabled until the answer, through every
  // redraw, so a double click sends one request (a double-clicked Prepare made two identical drafts).
  const pending = new Set();

  async function act(method, url, body, key = `${method} ${url}`) {
    if (pending.has(key)) return { ok: false, busy: true };
    pending.add(key);
    status.textContent = "";
    render(live.state);
    try {
      const res = await call(method, url, body);
      if (!res.ok) status.textContent = res.message ?? String(res.error ?? "");
      return res;
    } finally {
      pending.delete(key);
      render(live.state);
    }
  }

  function form() {
    const f = h("form", { class: "vote-form", "data-testid": "vote-form" },
      h("label", {}, tt("question"), h("input", { name: "question", required: true, maxlength: "500" })),
      h("label", {}, tt("method"), h("select", { name: "method" },
        ...["motion", "choice", "election"].map((m) => h("option", { value: m }, tt(m)))),
        h("span", { class: "vote-form-chosen", "data-chosen-for": "method", "aria-hidden": "true" })),
      h("label", { dataset: { when: "choice election" } }, tt("options_label"), h("textarea", { name: "options", rows: "3" })),
      h("label", { dataset: { when: "election" } }, tt("seats"), h("input", { name: "max_choices", type: "number", min: "1", value: "1" })),
      h("label", { class: "check" }, h("input", { name: "secret", type: "checkbox" }), tt("secret_label")),
      h("label", {}, tt("rule"), h("select", { name: "rule" },
        ...["simple", "absolute", "two_thirds", "fraction", "plurality"].map((m) => h("option", { value: m }, tt(m)))),
        h("span", { class: "vote-form-chosen", "data-chosen-for": "rule", "data-testid": "rule-chosen", "aria-hidden": "true" })),
      h("label", { dataset: { when: "fraction" } }, tt("fraction_label"), h("input", { name: "fraction", placeholder: "3/4" })),
      h("label", { class: "check" }, h("input", { name: "abstentions_count", type: "checkbox" }), tt("abstentions")),
      // no placeholder: a grey "1/2" in the box was read as a quorum set, and the vote had none
      h("label", {}, tt("quorum_label"), h("input", { name: "quorum", autocomplete: "off" })),
      h("label", { class: "check" }, h("input", { name: "allow_change", type: "checkbox", checked: true }), tt("allow_change")),
      h("label", {}, tt("duration"), h("input", { name: "duration_seconds", type: "number", min: "5" })),
      h("button", { class: "btn btn-primary", type: "submit", "data-testid": "vote-prepare" }, tt("create")));
    // Only the fields that mean something for the chosen kind and majority: the seats of an election, the
    // fraction of a custom majority.
    // An election or a choice is decided by the most votes unless the chair picks a majority: by a simple majority
    // of the votes cast, two seats of four candidates with 6 votes each out of 13 stayed empty ("Nobody elected"),
    // a surprise to a chair who had not looked at the rule. A rule the chair picked stays theirs.
    let ruleChosen = false;
    f.elements.rule.addEventListener("change", () => { ruleChosen = true; });
    const relevant = () => {
      // "most votes" chooses between options or candidates: a motion needs a majority (the server says so too)
      const motion = f.elements.method.value === "motion";
      const most = f.elements.rule.querySelector("option[value=plurality]");
      most.hidden = most.disabled = motion;
      if (motion && f.elements.rule.value === "plurality") f.elements.rule.value = "simple";
      if (!motion && !ruleChosen) f.elements.rule.value = "plurality";
      // the chosen kind and majority written out under their boxes: a side column cuts a select's text short
      // (“Simple majority of vote…”)
      for (const out of f.querySelectorAll("[data-chosen-for]")) {
        out.textContent = f.elements[out.dataset.chosenFor].selectedOptions[0]?.textContent ?? "";
      }
      const chosen = [f.elements.method.value, f.elements.rule.value];
      for (const label of f.querySelectorAll("label[data-when]")) {
        label.hidden = !label.dataset.when.split(" ").some((when) => chosen.includes(when));
      }
    };
    f.addEventListener("change", relevant);
    f.addEventListener("reset", () => { ruleChosen = false; setTimeout(relevant); });
    relevant();
    f.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const button = f.querySelector("button[type=submit]");
      if (button.disabled) return;
      const d = new FormData(f);
      const body = { question: d.get("question"), method: d.get("method"), secret: d.get("secret") === "on",
        rule: d.get("rule"), abstentions_count: d.get("abstentions_count") === "on", allow_change: d.get("allow_change") === "on" };
      const opts = String(d.get("options") ?? "").split("\n").map((x) => x.trim()).filter(Boolean);
      if (opts.length) body.options = opts;
      if (body.method === "election") body.max_choices = Number(d.get("max_choices") || 1);
      if (body.rule === "fraction") body.fraction = fraction(d.get("fraction"));
      const q = fraction(d.get("quorum"));
      if (q) body.quorum = q;
      if (d.get("duration_seconds")) body.duration_seconds = Number(d.get("duration_seconds"));
      button.disabled = true;   // until the answer: a second click is not a second draft
      try {
        const res = await act("POST", `/api/meetings/${encodeURIComponent(slug)}/votes`, body);
        if (res.ok) {   // prepared: the draft is in the list above; the form folds away, empty for the next one
          f.reset();
          newVote.open = false;
          // the chair's next step is its Open button, above the folded form (in a side column scrolled down to
          // reach "Prepare", the new draft was out of sight); the focus brings it into view
          focusDraft = res.vote?.id ?? null;
          render(live.state);   // the draft may be in already; else its delta draws it
        }
      } finally {
        button.disabled = false;
      }
    });
    return f;
  }

  // Drawn once and never taken out of the page: a redraw (every ballot moves the counter) must not fold the form
  // the chair is filling in, nor take the focus from the field being typed in. Only `board` is redrawn.
  const board = h("div", { class: "vote-board" });
  const newVote = h("details", { class: "vote-new" }, h("summary", {}, tt("new_vote")), form());
  const exportLinks = h("p", { class: "vote-exports" },   // buttons a finger's size, not small links
    h("a", { class: "btn btn-quiet", href: `/api/meetings/${encodeURIComponent(slug)}/votes/results.csv` }, tt("export_csv")),
    h("a", { class: "btn btn-quiet", href: `/api/meetings/${encodeURIComponent(slug)}/votes/results.json` }, tt("export_json")));
  container.replaceChildren(board, status, newVote, exportLinks);

  const busy = (method, url) => pending.has(`${method} ${url}`);
  let focusDraft = null;   // the vote just prepared: its Open button takes the focus once drawn

  // A vote without a quorum of its own opens whatever the room's attendance; when the room has no quorum the
  // chair reads so above the prepared votes (a result "Adopted" by three members of fifteen surprised a chair
  // who took the quorum field's example for a quorum set).
  function noQuorumNote() {
    const q = live.state?.attendance?.quorum;
    if (!q || q.met) return null;
    const byWeight = q.basis === "weight";
    return h("p", { class: "vote-note vote-no-quorum", "data-testid": "vote-no-quorum" }, tt("no_quorum", {
      present: byWeight ? q.present_weight : q.present_members, needed: byWeight ? q.needed_weight : q.needed_members }));
  }

  function render(state) {
    clearInterval(timer);
    const v = state?.vote ?? {};
    const parts = [];
    if (v.open) {
      const vote = v.open;
      const clock = h("p", { class: "vote-clock" });
      if (vote.deadline) {
        const tick = () => { clock.textContent = tt("time_left", { s: secondsLeft(vote.deadline) }); };
        tick();
        timer = setInterval(tick, 1000);
      }
      parts.push(h("section", { class: "vote-live", "data-testid": "vote-live" },
        h("h2", { class: "vote-question" }, vote.question),
        h("p", { class: "vote-kind" }, vote.secret ? tt("secret") : tt("named")),
        renderProgress(vote, s, state?.attendance?.quorum?.present_members ?? null), clock,
        h("button", { class: "btn btn-danger", type: "button", "data-testid": "vote-close",
          disabled: busy("POST", `/api/votes/${vote.id}/close`),
          onclick: () => act("POST", `/api/votes/${vote.id}/close`) }, tt("close"))));
    } else if (v.last && (v.last.state === "closed" || v.last.state === "published")) {
      // Closed: publish or annul. Published: still annulled when it proves wrong (the wrong rule, a ballot
      // disputed); the record keeps it, marked, with the reason.
      const vote = v.last;
      const deciding = busy("POST", `/api/votes/${vote.id}/publish`) || busy("POST", `/api/votes/${vote.id}/annul`);
      // Annul asks for its reason in the panel (the record shows it), not in a browser prompt; what is typed
      // survives the panel's redraws, and Cancel goes back to the buttons.
      const asking = annulling?.id === vote.id;
      const decide = asking
        ? h("form", { class: "vote-annul-form", "data-testid": "vote-annul-form", onsubmit: (event) => {
          event.preventDefault();
          const reason = annulling.reason.trim();
          annulling = null;
          act("POST", `/api/votes/${vote.id}/annul`, { reason });
        } },
          h("label", {}, tt("annul_reason"),
            h("textarea", { name: "reason", required: true, maxlength: "500", rows: "2", "data-focus": "annul-reason",
              "data-testid": "vote-annul-reason", oninput: (event) => { annulling.reason = event.target.value; } },
            annulling.reason)),
          h("div", { class: "vote-actions" },
            h("button", { class: "btn btn-danger", type: "submit", "data-testid": "vote-annul-confirm", disabled: deciding },
              tt("annul_confirm")),
            h("button", { class: "btn", type: "button", "data-focus": "annul-cancel",
              onclick: () => { annulling = null; render(live.state); container.querySelector("[data-testid=vote-annul]")?.focus(); } },
            tt("cancel"))))
        : h("div", { class: "vote-actions" },
          vote.state === "closed" ? h("button", { class: "btn btn-primary", type: "button", "data-testid": "vote-publish", disabled: deciding,
            onclick: () => act("POST", `/api/votes/${vote.id}/publish`) }, tt("publish")) : null,
          h("button", { class: vote.state === "closed" ? "btn btn-danger" : "btn btn-quiet", type: "button", "data-testid": "vote-annul",
            disabled: deciding, onclick: () => {
              annulling = { id: vote.id, reason: "" };
              render(live.state);
              container.querySelector("[data-testid=vote-annul-reason]")?.focus();
            } }, tt("annul")));
      // the chair's next step first for a closed vote, the result under it (a long election's chart would push it
      // out of sight); a published one's Annul is rarer: under the result
      parts.push(vote.state === "closed"
        ? h("section", { class: "vote-decide", "data-testid": "vote-decide" }, decide, renderResult(vote, s))
        : h("section", { class: "vote-decide", "data-testid": "vote-decide" }, renderResult(vote, s), decide));
    } else if (v.last) {
      parts.push(renderResult(v.last, s));
    }
    const drafts = v.drafts ?? [];
    if (drafts.length) {
      // a disabled Open says why: one vote at a time
      const blocked = v.open ? h("p", { class: "vote-note", "data-testid": "vote-open-blocked" }, tt("open_blocked")) : null;
      parts.push(h("section", { class: "vote-drafts" }, h("h3", {}, tt("drafts")), blocked ?? noQuorumNote(),
        h("ul", {}, ...drafts.map((d) => h("li", { dataset: { voteId: String(d.id) } },
          h("span", { class: "vote-draft-q" }, d.question, " · ", d.secret ? tt("secret") : tt("named")),
          h("button", { class: "btn btn-primary", type: "button", "data-testid": "vote-open",
            disabled: !!v.open || busy("POST", `/api/votes/${d.id}/open`) || busy("DELETE", `/api/votes/${d.id}`),
            onclick: () => act("POST", `/api/votes/${d.id}/open`) }, tt("open")),
          h("button", { class: "btn", type: "button", "data-testid": "vote-delete",
            disabled: busy("POST", `/api/votes/${d.id}/open`) || busy("DELETE", `/api/votes/${d.id}`),
            onclick: () => {   // a prepared vote (its question, its candidates) is not thrown away by one stray tap
              if (window.confirm(tt("delete_confirm", { question: d.question }))) act("DELETE", `/api/votes/${d.id}`);
            } }, tt("delete")))))));
    }
    keepFocus(board, () => board.replaceChildren(...parts));   // the counter redraws it: the chair's focus stays put
    const prepared = focusDraft && board.querySelector(`.vote-drafts li[data-vote-id="${focusDraft}"] [data-testid=vote-open]`);
    if (prepared) {   // (disabled while another vote is open: then only brought into view)
      focusDraft = null;
      if (prepared.disabled) prepared.closest("li").scrollIntoView({ block: "nearest" }); else prepared.focus();
    }
  }

  onVoteChange(live, (state) => render(state));
  live.on("attendance.quorum", (_d, state) => render(state));   // the no-quorum note above the prepared votes
  if (live.state) render(live.state);
  return { render: () => render(live.state) };
}
