// A find box for a long server-rendered table (the roster of a congress): <input data-find="#table-id"> shows only
// the rows whose text holds what is typed, accents and case aside; a row with data-find-empty says when none does.
// With data-find-count="… %(shown)s … %(total)s …" (and an element [data-find-count-for=<input id>]) the count of
// rows shown is written beside the box and, once typing pauses, said to a screen reader.
import { fold } from "./i18n.js";
import { announce } from "./a11y.js";

for (const input of document.querySelectorAll("input[data-find]")) {
  const table = document.querySelector(input.dataset.find);
  if (!table) continue;
  const rows = [...table.tBodies[0].rows].filter((row) => !row.hasAttribute("data-find-empty"));
  const texts = rows.map((row) => fold(row.textContent));
  const empty = table.querySelector("[data-find-empty]");
  // With data-find-key, what was typed outlives the page: after “Sign-in link” the roster comes back still
  // narrowed to the person the secretary was looking for.
  const key = input.dataset.findKey ? `find:${input.dataset.findKey}` : null;
  const countEl = input.id ? document.querySelector(`[data-find-count-for="${input.id}"]`) : null;
  let said = null;
  const apply = () => {
    const wanted = fold(input.value.trim());
    let shown = 0;
    rows.forEach((row, i) => {
      row.hidden = Boolean(wanted) && !texts[i].includes(wanted);
      if (!row.hidden) shown += 1;
    });
    if (empty) empty.hidden = shown > 0;
    if (key) sessionStorage.setItem(key, input.value);
    if (countEl && input.dataset.findCount) {
      const text = wanted ? input.dataset.findCount.replace("%(shown)s", shown).replace("%(total)s", rows.length) : "";
      countEl.textContent = text;
      clearTimeout(said);
      if (text) said = setTimeout(() => announce(text), 700);
    }
  };
  input.addEventListener("input", apply);
  if (key && !input.value && sessionStorage.getItem(key)) {
    input.value = sessionStorage.getItem(key);
  }
  // what was typed before the script came (a loaded tablet, a slow link) narrows the table now
  if (input.value) apply();
}
