// The proxies on the attendance board (chair and secretary): who carries whose vote; give one, withdraw one.
//
//   const proxies = mountProxies(container, live, { slug, strings, onError });
//   proxies.members(boardRows);   // the voting members both lists offer, each with their attendance
//
// Changes go over HTTP (POST and DELETE /api/meetings/<slug>/proxies); the `vote.proxy_list` delta brings the
// ones other staff devices make. The server checks every rule (a proxy is not passed on, nobody holds their
// own); the lists only leave out who could not be chosen anyway, so a refusal is rare and says why.
import { h, makeT } from "./i18n.js";
import { requestJSON } from "./attendance-board.js";

export function mountProxies(container, live, { slug, strings: s, onError, onChange }) {
  const api = `/api/meetings/${encodeURIComponent(slug)}/proxies`;
  const t = makeT(s);
  let proxies = [];
  let voters = [];
  const label = (seat, name) => (seat ? `${seat} · ${name}` : name);

  const list = h("ul", { class: "proxy-list", "data-testid": "proxy-list" });
  const giver = h("select", { name: "giver_id", required: true, "data-testid": "proxy-giver" });
  const holder = h("select", { name: "holder_id", required: true, "data-testid": "proxy-holder" });
  const give = h("button", { class: "btn btn-primary", type: "submit" }, s.proxy_give);
  const form = h("form", { class: "stack proxy-form", "data-testid": "proxy-form" },
    h("label", {}, s.proxy_giver, giver), h("label", {}, s.proxy_holder, holder), give);
  container.replaceChildren(h("h2", {}, s.proxies), list, h("h3", {}, s.proxy_new), form);

  const options = (select, people, placeholder) => {
    const keep = select.value;
    select.replaceChildren(h("option", { value: "" }, placeholder), ...people.map((m) => h("option", { value: String(m.membership_id) },
      m.status === "present" ? label(m.seat, m.name) : `${label(m.seat, m.name)} (${s[m.status] ?? m.status})`)));
    select.value = people.some((m) => String(m.membership_id) === keep) ? keep : "";
  };

  let drawn = "[]";   // the list the board was last told of: it redraws only when that changes
  function draw() {
    const now = JSON.stringify(proxies);
    if (now !== drawn) { drawn = now; onChange?.(); }
    list.replaceChildren(...(proxies.length ? proxies.map((p) => h("li", { class: "proxy-row", dataset: { proxy: p.id } },
      h("span", { class: "proxy-who" }, h("strong", {}, label(p.giver_seat, p.giver)), " ",
        h("span", { class: "muted" }, s.proxy_carried_by), " ", h("strong", {}, label(p.holder_seat, p.holder))),
      h("button", { class: "btn btn-quiet", type: "button", onclick: () => withdraw(p) }, s.proxy_withdraw)))
      : [h("li", { class: "muted" }, s.proxy_none)]));
    // Whose vote: a voter who has not given theirs and holds none (a proxy is not passed on).
    // Carried by: a voter who has not given theirs away.
    const giving = new Set(proxies.map((p) => p.giver_id));
    const holding = new Set(proxies.map((p) => p.holder_id));
    options(giver, voters.filter((m) => !giving.has(m.membership_id) && !holding.has(m.membership_id)), s.proxy_pick);
    options(holder, voters.filter((m) => !giving.has(m.membership_id)), s.proxy_pick);
  }

  async function withdraw(p) {
    if (!window.confirm(t("proxy_withdraw_confirm", { giver: p.giver }))) return;
    const reply = await requestJSON("DELETE", `${api}/${p.id}`, {}, s.network);
    if (!reply.ok) { onError?.(reply.message); return; }
    onError?.("");
    await load();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    give.disabled = true;
    const reply = await requestJSON("POST", api, { giver_id: Number(giver.value), holder_id: Number(holder.value) }, s.network);
    give.disabled = false;
    if (!reply.ok) { onError?.(reply.message); return; }
    onError?.("");
    giver.value = "";
    holder.value = "";
    await load();
  });

  async function load() {
    const reply = await requestJSON("GET", api, undefined, s.network);
    if (!reply.ok) { onError?.(reply.message); return; }
    proxies = reply.proxies;
    draw();
  }

  live?.on("vote.proxy_list", (d) => { proxies = d.proxies ?? []; draw(); });
  live?.on("snapshot", () => load());   // after a reconnect: what changed meanwhile
  draw();
  load();
  // What the board says beside a member: whose vote they carry, or who carries theirs.
  const noteFor = (membershipId) => {
    const gave = proxies.find((p) => p.giver_id === membershipId);
    if (gave) return t("proxy_gave", { holder: label(gave.holder_seat, gave.holder) });
    const held = proxies.filter((p) => p.holder_id === membershipId);
    return held.length ? t("proxy_holds", { givers: held.map((p) => label(p.giver_seat, p.giver)).join(", ") }) : "";
  };
  return { members: (rows) => { voters = (rows ?? []).filter((m) => m.can_vote); draw(); }, noteFor };
}
