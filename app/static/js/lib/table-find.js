// A find box for a long server-rendered table (the roster of a congress): <input data-find="#table-id"> shows only
// the rows whose text holds what is typed, accents and case aside; a row with data-find-empty says when none does.
import { fold } from "./i18n.js";

for (const input of document.querySelectorAll("input[data-find]")) {
  const table = document.querySelector(input.dataset.find);
  if (!table) continue;
  const rows = [...table.tBodies[0].rows].filter((row) => !row.hasAttribute("data-find-empty"));
  const texts = rows.map((row) => fold(row.textContent));
  const empty = table.querySelector("[data-find-empty]");
  input.addEventListener("input", () => {
    const wanted = fold(input.value.trim());
    let shown = 0;
    rows.forEach((row, i) => {
      row.hidden = Boolean(wanted) && !texts[i].includes(wanted);
      if (!row.hidden) shown += 1;
    });
    if (empty) empty.hidden = shown > 0;
  });
}
