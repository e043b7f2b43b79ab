// The wall screen's vote panel: the question and live ballot count while open (never the choices), then
// the result as a bar chart while its agenda item is the current one.
//
//   import { mountVoteResults } from "/static/js/lib/vote-results.js";
//   mountVoteResults(document.getElementById("vote"), live, strings);
import { h } from "./i18n.js";
import { installVoteReducers, onVoteChange, renderProgress, renderResult, resultOfCurrentItem, secondsLeft, t } from "./vote-common.js";

export function mountVoteResults(container, live, strings = {}, { named = true } = {}) {
  installVoteReducers(live);
  container.classList.add("vote-wall");
  let timer = null;
  let renderedFor;   // the current item when the panel was drawn
  function render(state) {
    clearInterval(timer);
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
      container.replaceChildren(h("div", { class: "vote-open", dataset: { voteId: String(vote.id) } },
        h("h2", { class: "vote-question" }, vote.question),
        h("p", { class: "vote-kind" }, vote.secret ? t(strings, "secret") : t(strings, "named")),
        renderProgress(vote, strings), clock));
    } else if (last) {
      container.hidden = false;
      container.replaceChildren(renderResult(last, strings, { named }));
    } else {
      container.hidden = true;
      container.replaceChildren();
    }
  }
  onVoteChange(live, (state) => render(state));
  // The chair opened another item (or presented another item's document): the result may go, or come back.
  live.on("change", (_kind, state) => { if ((state?.current_item ?? null) !== renderedFor) render(state); });
  if (live.state) render(live.state);
  return { render: () => render(live.state) };
}
