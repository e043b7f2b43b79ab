// A page as text (GET /api/documents/<id>/pages/<n>/text): for a screen reader, or to read in the browser's own
// large font. The reader shows it beside the page, the tablet over it. The panel holds an <h2> and a
// [data-text-body]; the strings are documents/_page_text_strings.html.
const fmt = (s, v) => s.replace(/%\((\w+)\)s/g, (_, k) => String(v[k] ?? ""));

export function pageTextStrings() {
  const el = document.getElementById("page-text-strings");
  return el ? JSON.parse(el.textContent) : {};
}

export class PageText {
  constructor(panel, { strings = pageTextStrings(), toggle = null } = {}) {
    this.panel = panel;
    this.S = strings;
    this.toggleButton = toggle;
    this.heading = panel.querySelector("h2");
    this.body = panel.querySelector("[data-text-body]");
    this.shows = null;   // "doc/page" of the text asked for last
  }

  get open() { return !this.panel.hidden; }

  /** Open or close the panel; open, it shows (docId, page) and takes the focus to its heading. */
  setOpen(open, docId = null, page = null) {
    this.panel.hidden = !open;
    this.toggleButton?.setAttribute("aria-expanded", String(open));
    if (!open) { this.shows = null; return; }
    if (docId !== null) this.show(docId, page);
    this.heading.focus();
  }

  /** The text of that page, if the panel is open and shows another; a page turned meanwhile wins. */
  async show(docId, page) {
    const key = `${docId}/${page}`;
    if (!this.open || this.shows === key) return;
    this.shows = key;
    this.heading.textContent = fmt(this.S.textOf ?? "%(page)s", { page });
    this.body.textContent = this.S.loading ?? "";
    let message;
    try {
      const r = await fetch(`/api/documents/${docId}/pages/${page}/text`,
        { headers: { Accept: "application/json" }, credentials: "same-origin" });
      const reply = await r.json();
      if (this.shows !== key) return;
      if (!reply.ok) message = reply.message;
      else if (!reply.ready) message = this.S.textPreparing;
      else if (!reply.text.trim()) message = this.S.textEmpty;
      else {
        this.body.replaceChildren(...reply.text.split(/\n{2,}/).map((para) =>
          Object.assign(document.createElement("p"), { textContent: para })));
        return;
      }
    } catch {
      if (this.shows !== key) return;
      message = this.S.textFailed;
    }
    this.body.textContent = message;   // closed and opened again, the panel asks again
  }
}
