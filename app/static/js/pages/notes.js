// My notes page: the annotated copy of a document, fetched with a progress bar (it can take a few seconds),
// then handed to the browser as a download. A screen reader hears it start and end (the bar says nothing itself).
import { announce } from "../lib/a11y.js";

const strings = JSON.parse(document.getElementById("notes-strings").textContent);
for (const link of document.querySelectorAll("a[data-download]")) {
  link.addEventListener("click", async (event) => {
    event.preventDefault();
    if (link.getAttribute("aria-disabled") === "true") return;   // preparing it already
    const card = link.closest("section");
    const bar = card.querySelector(".notes-progress");
    const error = card.querySelector(".notes-error");
    bar.hidden = false; error.hidden = true; link.setAttribute("aria-disabled", "true");
    announce(strings.preparing);
    try {
      const response = await fetch(link.href, {headers: {Accept: "application/pdf"}, credentials: "same-origin"});
      if (!response.ok) throw new Error(strings.failed);
      const name = /filename\*?=(?:UTF-8'')?"?([^";]+)/i.exec(response.headers.get("Content-Disposition") || "");
      const url = URL.createObjectURL(await response.blob());
      const a = document.createElement("a");
      a.href = url; a.download = name ? decodeURIComponent(name[1]) : "annotated.pdf";
      document.body.append(a); a.click(); a.remove();
      announce(strings.ready);
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (exc) {
      error.textContent = strings.failed; error.hidden = false;
    } finally {
      bar.hidden = true; link.removeAttribute("aria-disabled");
    }
  });
}
