// The wall screen's vote panel: the question and live ballot count while open (never the choices), then
// the result as a bar chart.
//
//   import { mountVoteResults } from "/static/js/lib/vote-results.js";
//   mountVoteResults(document.getElementById("vote"), live, strings);
import { h } from "./i18n.js";
import { installVoteReducers, onVoteChange, renderProgress, renderResult, secondsLeft, t } from "./vote-common.js";

export function mountVoteResults(container, live, strings = {}, { named = true } = {}) {
  installVoteReducers(live);
  container.classList.add("vote-wall");
  let timer = null;
  function render(state) {
    clearInterval(timer);
    const v = state?.vote ?? {};
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
    } else if (v.last) {
      container.hidden = false;
      container.replaceChildren(renderResult(v.last, strings, { named }));
    } else {
      container.hidden = true;
      container.replaceChildren();
    }
  }
  onVoteChange(live, (state) => render(state));
  if (live.state) render(live.state);
  return { render: () => render(live.state) };
}
