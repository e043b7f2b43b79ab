// What calls a member back to the Live screen from any other page of the meeting (the agenda, a document, their
// notes, the minutes): a vote opened, or the floor given to them. A delegate checking a figure in the reader saw
// nothing of a vote until it had closed. A banner under the top bar says it, with the way to the ballot; it goes
// when the vote closes (or the speech ends), and is read out once when it comes.
//
//   watchMeeting(live, { slug, strings })
import { h, makeT } from "./i18n.js";
import { announce } from "./a11y.js";
import { installVoteReducers } from "./vote-common.js";
import { installSpeakersReducer } from "./speakers-panel.js";

export function watchMeeting(live, { slug, strings = {} } = {}) {
  const s = { vote_open: "A vote is open: %(question)s", to_ballot: "Go to my ballot", you_speak: "You have the floor.",
              to_live: "Go to the live screen", now: "Now", ...strings };
  const t = makeT(s);
  installVoteReducers(live);
  installSpeakersReducer(live);
  const banner = h("div", { class: "meeting-call", role: "status", "data-testid": "meeting-call", hidden: true });
  (document.getElementById("main") ?? document.body).prepend(banner);
  const href = `/meetings/${encodeURIComponent(slug)}/live`;
  let said = "";
  const draw = () => {
    const state = live.state;
    if (!state || state.meeting?.read_only || state.me?.is_display) { banner.hidden = true; return; }
    const vote = state.vote?.open;
    const mine = state.speakers?.my_membership_id;
    const speaking = mine != null && state.speakers?.speaking?.membership_id === mine;
    let text = "";
    let link = "";
    if (vote && state.me?.can_vote) {
      text = t("vote_open", { question: vote.question });
      link = s.to_ballot;
    } else if (speaking) {
      text = s.you_speak;
      link = s.to_live;
    }
    banner.hidden = !text;
    banner.classList.toggle("meeting-call-vote", !!vote);
    banner.replaceChildren(...(text ? [h("span", { class: "meeting-call-text" }, text),
      h("a", { class: "btn btn-primary", href, "data-testid": "meeting-call-link" }, link)] : []));
    if (text && text !== said) announce(text);
    said = text;
  };
  // On the agenda page, the item under discussion now is marked (a delegate looking at the agenda could not tell
  // where the meeting was).
  const markCurrent = () => {
    const current = live.state?.current_item;
    for (const el of document.querySelectorAll(".agenda-item.agenda-now")) {
      el.classList.remove("agenda-now");
      el.querySelector(".agenda-now-badge")?.remove();
    }
    const el = current != null && !live.state?.meeting?.read_only ? document.getElementById(`item-${current}`) : null;
    if (!el) return;
    el.classList.add("agenda-now");
    el.querySelector(".agenda-title")?.prepend(h("span", { class: "agenda-now-badge", "data-testid": "agenda-now" }, s.now));
  };
  live.on("snapshot", draw);
  live.on("snapshot", markCurrent);
  live.on("item", markCurrent);
  live.on("status", markCurrent);
  for (const kind of ["vote.open", "vote.closed", "vote.published", "vote.annulled", "speakers", "status"]) live.on(kind, draw);
  return { redraw: draw };
}
