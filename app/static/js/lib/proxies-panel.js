// The proxies on the attendance board (chair and secretary): who carries whose vote; give one, withdraw one.
//
//   const proxies = mountProxies(container, live, { slug, strings, onError });
//   proxies.members(boardRows);   // the voting members both lists offer, each with their attendance
//
// Changes go over HTTP (POST and DELETE /api/meetings/<slug>/proxies); the `vote.proxy_list` delta brings the
// ones other staff devices make. The server checks every rule (a proxy is not passed on, nobody holds their
// own); the lists only leave out who could not be chosen anyway, so a refusal is rare and says why.
// At a congress each list holds hundreds of voters: a find box above each narrows it by a name or seat (case and
// accents aside, as the board's), and when one voter is left, chooses them.
import { fitsFind, fold, h, makeT, seatKey } from "./i18n.js";
import { requestJSON } from "./attendance-board.js";

export function mountProxies(container, live, { slug, strings: s, onError, onChange, readOnly = false }) {
  const api = `/api/meetings/${encodeURIComponent(slug)}/proxies`;
  const t = makeT(s);
  let proxies = [];
  let voters = [];
  const label = (seat, name) => (seat ? `${seat} · ${name}` : name);

  const list = h("ul", { class: "proxy-list", "data-testid": "proxy-list" });
  // A list of voters with its find box; `offer(people)` fills it with those of them the box's text fits.
  const picker = (key, title) => {
    const select = h("select", { id: `proxy-${key}`, name: `${key}_id`, required: true, "data-testid": `proxy-${key}` });
    const find = h("input", { type: "search", class: "proxy-find", autocomplete: "off", spellcheck: "false",
      placeholder: s.proxy_find, "aria-label": `${title}: ${s.proxy_find}`, "aria-controls": select.id,
      "data-testid": `proxy-${key}-find` });
    let people = [];
    let typed = "";
    const offer = (all) => {
      people = all;
      const wanted = fold(find.value.trim());
      const fits = wanted ? all.filter((m) => fitsFind(m.seat, m.name, wanted)) : all;
      // A seat typed whole (“a7”) means that seat, not A70 to A79: it comes first, and is chosen.
      const seat = wanted ? fits.find((m) => fold(m.seat ?? "") === wanted)
        ?? fits.find((m) => m.seat && seatKey(m.seat) === seatKey(wanted)) : undefined;
      const shown = seat ? [seat, ...fits.filter((m) => m !== seat)] : fits;
      const keep = select.value;
      const placeholder = wanted && !shown.length ? s.nobody_matches : s.proxy_pick;
      select.replaceChildren(h("option", { value: "" }, placeholder), ...shown.map((m) => h("option", { value: String(m.membership_id) },
        m.status === "present" ? label(m.seat, m.name) : `${label(m.seat, m.name)} (${s[m.status] ?? m.status})`)));
      // What was typed just now and fits one voter only (or is their seat) chooses them; otherwise the choice stays
      // while it is shown.
      if (wanted && (shown.length === 1 || seat) && typed !== wanted) select.value = String(shown[0].membership_id);
      else select.value = shown.some((m) => String(m.membership_id) === keep) ? keep : "";
      typed = wanted;
    };
    find.addEventListener("input", () => offer(people));
    const clear = () => { find.value = ""; typed = ""; select.value = ""; offer(people); };
    return { select, find, offer, clear, box: h("div", { class: "proxy-pick" }, h("label", { for: select.id }, title), find, select) };
  };
  const giving = picker("giver", s.proxy_giver);
  const holding = picker("holder", s.proxy_holder);
  const giver = giving.select;
  const holder = holding.select;
  const give = h("button", { class: "btn btn-primary", type: "submit" }, s.proxy_give);
  // What the server notes of a proxy just given (its giver is in the room, its holder is not): it stands, but the
  // secretary should know.
  const notes = h("div", { class: "proxy-notes", role: "status", "data-testid": "proxy-notes" });
  const form = h("form", { class: "stack proxy-form", "data-testid": "proxy-form" }, giving.box, holding.box, give, notes);
  // A closed meeting's proxies are the record: listed, neither given nor withdrawn any more.
  container.replaceChildren(h("h2", {}, s.proxies), list, ...(readOnly ? [] : [h("h3", {}, s.proxy_new), form]));

  let drawn = "[]";   // the list the board was last told of: it redraws only when that changes
  function draw() {
    const now = JSON.stringify(proxies);
    if (now !== drawn) { drawn = now; onChange?.(); }
    list.replaceChildren(...(proxies.length ? proxies.map((p) => h("li", { class: "proxy-row", dataset: { proxy: p.id } },
      h("span", { class: "proxy-who" }, h("strong", {}, label(p.giver_seat, p.giver)), " ",
        h("span", { class: "muted" }, s.proxy_carried_by), " ", h("strong", {}, label(p.holder_seat, p.holder))),
      readOnly ? null : h("button", { class: "btn btn-quiet", type: "button", onclick: () => withdraw(p) }, s.proxy_withdraw)))
      : [h("li", { class: "muted" }, s.proxy_none)]));
    // Whose vote: a voter who has not given theirs and holds none (a proxy is not passed on).
    // Carried by: a voter who has not given theirs away.
    const givers = new Set(proxies.map((p) => p.giver_id));
    const holders = new Set(proxies.map((p) => p.holder_id));
    giving.offer(voters.filter((m) => !givers.has(m.membership_id) && !holders.has(m.membership_id)));
    holding.offer(voters.filter((m) => !givers.has(m.membership_id)));
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
    notes.replaceChildren(...(reply.notes ?? []).map((note) => h("p", {}, note)));
    if (!reply.ok) { onError?.(reply.message); return; }
    onError?.("");
    giving.clear();
    holding.clear();
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
