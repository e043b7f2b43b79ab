// The wall screen's vote panel: the question and live ballot count while open (never the choices), then
// the result as a bar chart while its agenda item is the current one. The wall's side column never scrolls: a
// result too long for it (an election of many candidates) takes smaller rows, then shows the top rows and
// “+ N more”, never a row cut off at the bottom of the screen.
//
//   import { mountVoteResults } from "/static/js/lib/vote-results.js";
//   mountVoteResults(document.getElementById("vote"), live, strings);
import { h } from "./i18n.js";
import { installVoteReducers, onVoteChange, optionLabel, renderProgress, renderResult, resultOfCurrentItem, secondsLeft, t }
  from "./vote-common.js";

export function mountVoteResults(container, live, strings = {}, { named = true } = {}) {
  installVoteReducers(live);
  container.classList.add("vote-wall");
  let timer = null;
  let renderedFor;   // the current item when the panel was drawn
  function render(state) {
    clearInterval(timer);
    container.classList.remove(...FIT_CLASSES);
    renderedFor = state?.current_item ?? null;
    const v = state?.vote ?? {};
    const last = resultOfCurrentItem(state);
    if (v.open) {
      const vote = v.open;
      const clock = h("p", { class: "vote-clock" });
      if (vote.deadline) {
        const tick = () => { clock.textContent = t(strings, "time_left", { s: secondsLeft(vote.deadline) }); };
        tick();
        timer = setInterval(tick, 1000);
      }
      container.hidden = false;
      // an election or a choice names what is on the ballot, and how many may be chosen (the room votes from it);
      // a motion's For, Against, Abstain go without saying. Names only: no count until the vote closes.
      const k = vote.method === "election" ? vote.max_choices : 1;
      const names = (vote.options ?? []).filter((o) => o.kind !== "abstain").map((o) => optionLabel(o, strings));
      const shown = names.length > 16 ? names.slice(0, 15) : names;   // a congress's long list: the first, and how many more
      const onBallot = vote.method === "motion" ? [] : [
        k > 1 ? h("p", { class: "vote-note" }, t(strings, "choices", { k })) : null,
        h("ul", { class: "vote-candidates", "data-testid": "vote-candidates" }, ...shown.map((name) => h("li", {}, name)),
          names.length > shown.length ? h("li", { class: "muted" }, t(strings, "more_rows", { n: names.length - shown.length })) : null)];
      container.replaceChildren(h("div", { class: "vote-open", dataset: { voteId: String(vote.id) } },
        h("p", { class: "vote-open-head", "data-testid": "vote-open-head" }, t(strings, "voting_now")),
        h("h2", { class: "vote-question" }, vote.question),
        h("p", { class: "vote-kind" }, vote.secret ? t(strings, "secret") : t(strings, "named")),
        ...onBallot, renderProgress(vote, strings, state?.attendance?.quorum?.present_members ?? null), clock));
    } else if (last) {
      container.hidden = false;
      container.replaceChildren(renderResult(last, strings, { named }));
      fitResult(container, strings);   // now, so wall.js (a frame later) fits its other panels to what is left
    } else {
      container.hidden = true;
      container.replaceChildren();
    }
  }
  onVoteChange(live, (state) => render(state));
  // The chair opened another item (or presented another item's document): the result may go, or come back.
  live.on("change", (_kind, state) => { if ((state?.current_item ?? null) !== renderedFor) render(state); });
  if (live.state) render(live.state);
  // The column's height changes with the window (wall.js fits its panels a frame after a resize: this comes first).
  window.addEventListener("resize", () => fitResult(container, strings));
  document.fonts?.ready.then(() => fitResult(container, strings));
  return { render: () => render(live.state) };
}

// Fit a shown result into the column it sits in (the wall's side column; the vote panel is its first section, so
// its room does not depend on the panels under it, which give way on their own): as it is, else a little smaller
// (a few long names need only that: the next steps are for congress-sized elections), else without the elected
// names in the verdict (the chart marks them, at its top), else in small rows, else the top rows (ranked, so the
// elected stay longest) and a line saying how many more there are. Each step is a set of classes, not added to
// the one before: the small rows' sizes are not fought by the snug ones.
const FIT_STEPS = [["vote-snug"], ["vote-snug", "vote-terse"], ["vote-compact", "vote-terse"]];
const FIT_CLASSES = [...new Set(FIT_STEPS.flat())];
export function fitResult(container, strings = {}) {
  container.classList.remove(...FIT_CLASSES);
  const chart = container.querySelector(".vote-result .vote-chart");
  const column = container.closest(".wall-panels");
  if (!chart || !column) return;
  const rows = [...chart.querySelectorAll(".vote-chart-row")];
  chart.querySelector(".vote-chart-more")?.remove();
  for (const row of rows) row.hidden = false;
  const bottom = column.getBoundingClientRect().bottom - parseFloat(getComputedStyle(column).paddingBottom || "0");
  const fits = () => container.getBoundingClientRect().bottom <= bottom + 1;
  for (const step of FIT_STEPS) {
    if (fits()) return;
    container.classList.remove(...FIT_CLASSES);
    container.classList.add(...step);
  }
  if (fits()) return;
  const more = h("p", { class: "vote-chart-more", "data-testid": "vote-chart-more" });
  chart.append(more);
  let shown = rows.length;
  while (shown > 1 && !fits()) {
    rows[--shown].hidden = true;
    more.textContent = t(strings, "more_rows", { n: rows.length - shown });
  }
}
