// Shared by the voting screens: the vote part of the live state, and the result as a bar chart.
//
//   import { installVoteReducers, renderResult } from "/static/js/lib/vote-common.js";
//
// The snapshot carries state.vote = {open, last, drafts?}; deltas: vote.open, vote.progress, vote.closed,
// vote.published, vote.annulled (everyone), vote.draft / vote.deleted (staff), vote.recorded / vote.proxies (me).
import { h } from "./i18n.js";

export const DEFAULT_STRINGS = {
  no_vote: "No vote is open.", secret: "Secret ballot", named: "Named vote", passed: "Adopted", failed: "Not adopted",
  elected: "Elected", chosen: "Chosen", annulled: "Annulled", annulled_reason: "Annulled: %(reason)s", published: "Published", closed: "Closed — the chair has not published it yet",
  ballots_of: "%(ballots)s of %(eligible)s ballots cast", weight_of: "weight %(cast)s of %(eligible)s",
  present_now: "%(present)s of them present",
  required: "needed to pass: %(required)s of %(base)s votes",
  required_elect: "needed to be elected: %(required)s of %(base)s votes",
  seats_filled: "%(filled)s of %(seats)s seats filled", none_elected: "Nobody elected", none_chosen: "No option chosen", tie: "Tie: a run-off is needed", no_quorum: "No quorum",
  no_votes: "No valid votes", time_left: "%(s)s s left", choices: "Choose up to %(k)s",
  choices_full: "You have chosen %(n)s of %(k)s: tap one to remove it first.",
  your_ballot: "Your ballot", proxy_ballot: "Ballot for %(name)s (proxy)", confirm: "Confirm my ballot",
  back: "Back", you_chose: "You chose: %(choice)s", your_choice: "Your choice: %(choice)s",
  not_cast_yet: "Not cast yet: tap “Confirm my ballot” to cast it.",
  not_cast: "Your ballot was not cast: it was not confirmed before the vote closed.",
  not_cast_proxy: "The ballot for %(name)s was not cast: it was not confirmed before the vote closed.", final_note: "A secret ballot is final once cast: it cannot be changed.",
  change_note: "You can change your ballot until the vote closes.", recorded: "Your ballot was recorded at %(time)s.",
  recorded_proxy: "The ballot for %(name)s was recorded at %(time)s.",
  change: "Change my ballot", sending: "Sending…", who_voted: "Who voted what", by_proxy: "by proxy: %(name)s", not_voted: "Did not vote:",
  bar_votes: "%(n)s votes", bar_votes_one: "%(n)s vote", bar_ballots: "(%(n)s ballots)", bar_ballots_one: "(%(n)s ballot)",
  more_rows: "+ %(n)s more", opt_yes: "For", opt_no: "Against", opt_abstain: "Abstain",
  vote_opened: "A vote is open: %(question)s",
};

// The latest result, if the room is still on its agenda item; null once the chair has opened another item (the
// votes list and the minutes keep it; back on its item, it shows again). Read from the state alone, so a reload
// or a reconnect shows what the screen showed. A vote made while no item was open shows until one is opened.
export function resultOfCurrentItem(state) {
  const last = state?.vote?.last;
  if (!last) return null;
  return (last.agenda_item_id ?? null) === (state.current_item ?? null) ? last : null;
}

// The default answers are stored in the catalogue's words (“For”, “Against”, “Abstain”) and shown in the
// reader's; an answer the chair wrote is shown as written.
const CANONICAL = { yes: "For", no: "Against", abstain: "Abstain" };

export function optionLabel(option, strings = {}) {
  return CANONICAL[option?.kind] === option?.label ? t(strings, `opt_${option.kind}`) : option?.label ?? "";
}

// A named ballot's choices (stored labels) as the reader reads them.
function choiceLabels(choices, options, strings) {
  return choices.map((label) => optionLabel(options.find((o) => o.label === label) ?? { label }, strings)).join(", ");
}

export function t(strings, key, params = {}) {
  const text = strings[key] ?? DEFAULT_STRINGS[key] ?? key;
  return text.replace(/%\((\w+)\)s/g, (_, name) => String(params[name] ?? ""));
}

function ensure(state) {
  state.vote = state.vote ?? { open: null, last: null };
  return state.vote;
}

// Install the vote reducers on a LiveClient once (every voting module calls this).
export function installVoteReducers(live) {
  if (live._voteReducers) return;
  live._voteReducers = true;
  live.reducer("vote.open", (state, d) => {
    const v = ensure(state);
    const me = v.open && v.open.id === d.id ? v.open.me : null;
    v.open = { ...d, me };
    if (v.drafts) v.drafts = v.drafts.filter((x) => x.id !== d.id);
  });
  live.reducer("vote.progress", (state, d) => {
    const v = ensure(state);
    if (v.open && v.open.id === d.vote_id) v.open.progress = d;
  });
  const done = (state, d) => {
    const v = ensure(state);
    if (v.open && v.open.id === d.id) v.open = null;
    v.last = d;
  };
  for (const kind of ["vote.closed", "vote.published", "vote.annulled"]) live.reducer(kind, done);
  live.reducer("vote.recorded", (state, d) => {
    const v = ensure(state);
    for (const b of v.open?.me?.ballots ?? []) {
      if (v.open.id === d.vote_id && b.membership_id === d.membership_id) { b.voted = true; b.recorded_at = d.recorded_at; }
    }
  });
  live.reducer("vote.draft", (state, d) => {
    const v = ensure(state);
    v.drafts = [...(v.drafts ?? []).filter((x) => x.id !== d.id), d].sort((a, b) => a.id - b.id);
  });
  live.reducer("vote.deleted", (state, d) => {
    const v = ensure(state);
    v.drafts = (v.drafts ?? []).filter((x) => x.id !== d.id);
  });
  live.reducer("vote.proxies", () => {});
}

// Every vote kind, for subscribing to "anything about votes".
export const VOTE_KINDS = ["vote.open", "vote.progress", "vote.closed", "vote.published", "vote.annulled",
  "vote.recorded", "vote.draft", "vote.deleted", "vote.proxies"];

export function onVoteChange(live, fn) {
  live.on("snapshot", fn);
  for (const kind of VOTE_KINDS) live.on(kind, (_d, state, msg) => fn(state, msg));
}

// The result as a bar chart: one row per option, its name and its figure on a line, under them a bar as long as
// its weight across the whole width, so the figure is never pushed out of a narrow column (the console's side, a
// wall's) and a long name wraps instead of squeezing the bar. Candidates are ranked by votes (a tie keeps the
// ballot's order, abstentions stay last); a motion keeps For / Against / Abstain. The elected are marked.
export function resultChart(result, strings = {}, { method = "motion", rule = null, annulled = false } = {}) {
  // an annulled vote decided nothing: no answer or candidate is marked as the winner
  const options = rankedOptions(result?.options ?? [], method).map((o) => (annulled ? { ...o, won: false } : o));
  // What the rule needed, marked on the bars it applies to (a motion's Yes, every candidate or option): bars at the
  // leader's length read as "enough" beside "Nobody elected"; the scale takes in the mark when it is further.
  const need = (result?.base ?? 0) > 0 && !annulled ? (result?.required ?? 0) : 0;
  // The bars are drawn on the base the shares are of: a bar at 61.5% of the width reads “61.5%” (drawn against
  // the leader, For at 61.5% filled the track and Against at 38.5% took 62% of it). An abstention outside the base
  // that outweighs it stretches the scale rather than leave the track.
  const max = Math.max(1, result?.base ?? 0, need, ...options.map((o) => o.weight));
  const needs = (o) => need > 0 && (method === "motion" ? o.kind === "yes" : o.kind !== "abstain");
  // One format for every row: a bare count, or where any weight differs from its ballots, votes and ballots on all.
  const weighted = options.some((o) => o.weight !== o.ballots);
  const share = shareOf(result, rule);
  const fig = (o) => figure(o, weighted, strings, share(o));
  const mark = (o) => (o.won ? (method === "motion" ? "✓" : `✓ ${t(strings, method === "election" ? "elected" : "chosen")}`) : "");
  const said = (o) => `${o.won ? `${mark(o)} ` : ""}${optionLabel(o, strings)}: ${fig(o).join(" ")}`;
  // a long chart (many candidates): the wall gives it a wider column
  return h("div", { class: `vote-chart${options.length > 8 ? " vote-chart-long" : ""}`, role: "img", "aria-label": options.map(said).join(", ") },
    ...options.map((o) => h("div", { class: `vote-chart-row${o.won ? " vote-chart-won" : ""}`, "data-testid": "vote-chart-row",
      "aria-hidden": "true" },
      h("span", { class: "vote-chart-label" }, o.won ? h("span", { class: "vote-chart-mark" }, mark(o)) : "",
        o.won ? " " : "", optionLabel(o, strings)),
      h("span", { class: "vote-chart-value" }, ...fig(o).flatMap((part, i) => [i ? " " : "",
        h("span", { class: i ? "vote-chart-ballots" : "vote-chart-count" }, part)])),
      h("span", { class: "vote-chart-track" },
        h("span", { class: `vote-bar vote-bar-${o.kind}${o.won ? " vote-bar-won" : ""}`,
          style: `width:${((100 * o.weight) / max).toFixed(1)}%` }),
        needs(o) ? h("span", { class: "vote-chart-need", "data-testid": "vote-chart-need",
          style: `left:${((100 * need) / max).toFixed(1)}%` }) : null))));
}

// A motion's answers in the ballot's order; candidates and options by votes, most first.
function rankedOptions(options, method) {
  if (method === "motion") return options;
  const rank = (o) => (o.kind === "abstain" ? 1 : 0);
  return options.map((o, i) => ({ o, i }))
    .sort((a, b) => rank(a.o) - rank(b.o) || b.o.weight - a.o.weight || a.i - b.i).map(({ o }) => o);
}

// A row's figure: ["3", "60%"], or in a weighted chart ["3 votes", "60%", "(2 ballots)"] (singular where it is
// one). The share is of what the rule measures against (its base, the need mark's scale): an abstention that
// does not count has none.
function figure(o, weighted, strings, share) {
  const pct = share == null ? [] : [share];
  if (!weighted) return [String(o.weight), ...pct];
  const one = (key, n) => t(strings, n === 1 ? `${key}_one` : key, { n });
  return [one("bar_votes", o.weight), ...pct, one("bar_ballots", o.ballots)];
}

// The share of each row in the result's base, as a percentage in the page's language ("60%", "50.4%": one decimal,
// so a result a hair over half does not read as a tie), or null where it has none: no base (nothing cast), an
// abstention outside the base (the rule leaves abstentions out), no rule known (an old screen's payload).
export function shareOf(result, rule) {
  const base = result?.base ?? 0;
  const abstainsCount = !!rule && (rule.kind === "absolute" || (rule.abstentions_count && rule.kind !== "plurality"));
  const format = new Intl.NumberFormat(document.documentElement.lang || undefined, { style: "percent", maximumFractionDigits: 1 });
  return (o) => (!rule || base <= 0 || (o.kind === "abstain" && !abstainsCount) ? null : format.format(o.weight / base));
}

// The verdict line of a closed vote: {cls, text}, for an election or a choice also {head, names} (the winners) and
// {seats} (“1 of 2 seats filled”, when seats stay empty). Worded as the minutes word it (app/minutes/wording.py): a
// motion is adopted or not; an election says who is elected, a choice what is chosen, even when not every seat is.
export function verdict(vote, strings = {}) {
  const r = vote.result ?? {};
  if (vote.state === "annulled") {
    const reason = String(r.annul_reason ?? "").trim();
    // the reason in the text's size under the word (a long one in headline type squeezed the wall's chart)
    return reason ? { cls: "annulled", text: t(strings, "annulled_reason", { reason }), head: t(strings, "annulled"), reason }
      : { cls: "annulled", text: t(strings, "annulled") };
  }
  if (r.reason === "no_quorum") return { cls: "failed", text: t(strings, "no_quorum") };
  if (r.reason === "no_votes") return { cls: "failed", text: t(strings, "no_votes") };
  if (vote.method === "motion") {
    if (r.tie) return { cls: "failed", text: t(strings, "tie") };
    return { cls: r.passed ? "passed" : "failed", text: r.passed ? t(strings, "passed") : t(strings, "failed") };
  }
  const election = vote.method === "election";
  const winners = rankedOptions((r.options ?? []).filter((o) => o.won), vote.method);   // as the chart ranks them
  const seats = election ? Math.max(1, Number(vote.max_choices) || 1) : 1;
  // “1 of 2 seats filled” where a seat stays empty (one seat that stays empty needs no count: the headline says it)
  const filled = seats > 1 && winners.length < seats
    ? t(strings, "seats_filled", { filled: winners.length, seats }) : "";
  const tie = r.tie ? t(strings, "tie") : "";
  if (!winners.length) {
    const text = tie || t(strings, election ? "none_elected" : "none_chosen");
    return { cls: "failed", text, seats: filled };
  }
  const head = t(strings, election ? "elected" : "chosen");
  const names = winners.map((o) => optionLabel(o, strings)).join(", ");
  return { cls: filled || tie ? "partial" : "passed", text: `${head}: ${names}`, head, names,
    seats: [filled, tie].filter(Boolean).join(" · ") };
}

// The figures under the chart: ballots and weight cast, and what the rule needed (not where nothing was cast: “needed
// to pass: 0 of 0 votes” says nothing).
function figures(vote, strings) {
  const r = vote.result ?? {};
  const parts = [t(strings, "ballots_of", { ballots: r.ballots ?? 0, eligible: r.eligible ?? 0 }),
    t(strings, "weight_of", { cast: r.cast_weight ?? 0, eligible: r.eligible_weight ?? 0 })];
  if ((r.base ?? 0) > 0 && (r.required ?? 0) > 0) {
    parts.push(t(strings, vote.method === "election" ? "required_elect" : "required", { required: r.required, base: r.base }));
  }
  return parts.join(" · ");
}

// A full result block: question, verdict, chart, figures, and (named votes) who voted what.
export function renderResult(vote, strings = {}, { named = true } = {}) {
  const r = vote.result ?? {};
  const v = verdict(vote, strings);
  const parts = [
    h("h2", { class: "vote-question" }, vote.question),
    // the elected names in the text size: the chart marks them too, and three long names at the verdict's size
    // took the console's whole side column
    h("p", { class: `vote-verdict vote-verdict-${v.cls}`, "data-testid": "vote-verdict" },
      ...(v.names ? [v.head, h("span", { class: "vote-verdict-colon" }, ": "), h("span", { class: "vote-verdict-names" }, v.names)]
        : v.reason ? [v.head, ": ", h("span", { class: "vote-verdict-reason" }, v.reason)] : [v.text])),
    v.seats ? h("p", { class: "vote-seats", "data-testid": "vote-seats" }, v.seats) : null,
    resultChart(r, strings, { method: vote.method, rule: vote.rule, annulled: vote.state === "annulled" }),
    h("p", { class: "vote-figures" }, figures(vote, strings)),
  ];
  if (vote.state === "closed") parts.push(h("p", { class: "vote-state" }, t(strings, "closed")));
  if (named && Array.isArray(r.named) && r.named.length) {
    parts.push(h("details", { class: "vote-named" }, h("summary", {}, t(strings, "who_voted")),
      h("table", {}, h("tbody", {}, ...r.named.map((n) => h("tr", {},
        h("td", {}, n.seat ?? ""), h("td", {}, n.name), h("td", {}, choiceLabels(n.choices, r.options ?? [], strings)),
        h("td", {}, n.proxy_by ? t(strings, "by_proxy", { name: n.proxy_by }) : ""))))),
      // who could vote and did not: a roll call names them too
      Array.isArray(r.not_voted) && r.not_voted.length ? h("p", { class: "vote-not-voted", "data-testid": "vote-not-voted" },
        h("strong", {}, t(strings, "not_voted")), " ", r.not_voted.map((n) => (n.seat ? `${n.name} (${n.seat})` : n.name)).join(", ")) : null));
  }
  return h("div", { class: `vote-result vote-result-${vote.state}`, "data-testid": "vote-result",
    dataset: { voteId: String(vote.id), state: vote.state } }, ...parts);
}

// The ballot counter while a vote is open: cast against eligible (never the choices), and, where the screen knows
// the room (`present`: voting members checked in), how many of the eligible are here: “12 of 13 ballots cast” with
// an excused member never reaches 13, and the chair could not tell the room had finished.
export function renderProgress(vote, strings = {}, present = null) {
  const p = vote.progress ?? { ballots: 0, eligible: 0, cast_weight: 0, eligible_weight: 0 };
  const frac = p.eligible ? p.ballots / p.eligible : 0;
  return h("div", { class: "vote-progress", "data-testid": "vote-progress" },
    // named by its vote, its value in words; not a live region: 500 ballots are not said 500 times
    h("div", { class: "vote-progress-bar", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": String(p.eligible),
      "aria-valuenow": String(p.ballots), "aria-label": vote.question ?? "",
      "aria-valuetext": t(strings, "ballots_of", { ballots: p.ballots, eligible: p.eligible }) }, h("span", { style: `width:${Math.round(frac * 100)}%` })),
    h("p", {}, t(strings, "ballots_of", { ballots: p.ballots, eligible: p.eligible }),
      present != null ? h("span", { "data-testid": "vote-present" }, ` (${t(strings, "present_now", { present })})`) : null, " · ",
      t(strings, "weight_of", { cast: p.cast_weight, eligible: p.eligible_weight })));
}

// Seconds left until a deadline (ISO string with Z), or null.
export function secondsLeft(deadline) {
  if (!deadline) return null;
  return Math.max(0, Math.ceil((Date.parse(deadline) - Date.now()) / 1000));
}

// A result the delegate put away stays away on this tablet (a reload, the chair's next page turn brought it back
// over the page) until it changes: published, or annulled, it comes back once. Kept for the browser session.
const HIDDEN_KEY = "dais.hiddenResults";
const hiddenKey = (id, state) => `${id}:${state}`;
function hiddenResults() {
  try { return new Set(JSON.parse(sessionStorage.getItem(HIDDEN_KEY) ?? "[]")); } catch { return new Set(); }
}
export function resultHidden(vote) {
  return !!vote && hiddenResults().has(hiddenKey(vote.id, vote.state));
}
export function hideResult(id, state) {
  const keys = [...hiddenResults(), hiddenKey(id, state)].slice(-50);
  try { sessionStorage.setItem(HIDDEN_KEY, JSON.stringify(keys)); } catch { /* private mode: for this page only */ }
}
