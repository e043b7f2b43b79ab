// Shows document pages for the live room: the documents module's PageViewer when it is there,
// otherwise a plain <img> of the rendered page (or a card naming the page when no image exists yet).
import { h } from "./i18n.js";

const metaCache = new Map();

// Document metadata from GET /api/documents/<id>; falls back to what the snapshot carries.
// A wall screen (not signed in) asks through its link: base = "/display/<token>/documents".
export async function documentMeta(id, fallback, base = "/api/documents") {
  if (metaCache.has(id)) return metaCache.get(id);
  try {
    const res = await fetch(`${base}/${id}`, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (res.ok) {
      const meta = await res.json();
      if (meta.ok) { metaCache.set(id, meta); return meta; }
    }
  } catch { /* offline or not there yet: use the snapshot's meta */ }
  return fallback;
}

class FallbackViewer {
  constructor(container, { onPageChange, strings = {} } = {}) {
    this.container = container;
    this.onPageChange = onPageChange;
    this.strings = strings;
    this.meta = null;
    this.page = null;
  }

  async open(meta, page = 1) {
    this.meta = meta;
    this.goTo(page);
  }

  goTo(page) {
    if (!this.meta) return;
    const pages = this.meta.pages || 1;
    page = Math.min(Math.max(1, page), pages);
    const changed = page !== this.page;
    this.page = page;
    this._render();
    if (changed && this.onPageChange) this.onPageChange(page);
  }

  _render() {
    const { meta, page } = this;
    const label = (this.strings.page_of ?? "Page %(page)s of %(pages)s")
      .replace("%(page)s", page).replace("%(pages)s", meta.pages);
    const card = h("div", { class: "page-card" }, h("p", { class: "page-card-title" }, meta.title ?? ""), h("p", {}, label));
    if (meta.page_url && meta.widths?.length) {
      const want = this.container.clientWidth * (window.devicePixelRatio || 1);
      const width = meta.widths.find((w) => w >= want) ?? meta.widths[meta.widths.length - 1];
      const img = h("img", { class: "page-img", alt: label, src: meta.page_url.replace("{page}", page).replace("{width}", width) });
      img.addEventListener("error", () => img.replaceWith(card));
      this.container.replaceChildren(img);
    } else {
      this.container.replaceChildren(card);
    }
  }

  destroy() { this.container.replaceChildren(); this.meta = null; }
}

let PageViewerClass;  // undefined: not looked up yet; null: the documents module is not there

async function pageViewerClass() {
  if (PageViewerClass === undefined) {
    try { PageViewerClass = (await import("./page-viewer.js")).PageViewer ?? null; } catch { PageViewerClass = null; }
  }
  return PageViewerClass;
}

// The live room's page view: the documents module's PageViewer for documents with rendered pages,
// the fallback otherwise. Same interface: open(meta, page), goTo(page), page, destroy().
// The PageViewer's own strings (loading, page n of m, …) in the page's language, from live/_viewer_strings.html.
function viewerStrings() {
  try { return JSON.parse(document.getElementById("viewer-strings")?.textContent ?? "{}"); } catch { return {}; }
}

export class DocView {
  constructor(container, options = {}) {
    this.container = container;
    this.options = { ...options, strings: { ...(options.strings ?? {}), ...viewerStrings() } };
    this.current = null;
    this.docId = null;
    this._opens = 0;
  }

  get page() { return this.current?.page ?? null; }

  async open(meta, page = 1) {
    const token = ++this._opens;
    const Real = meta.page_url ? await pageViewerClass() : null;
    if (token !== this._opens) return;   // a later open() or clear() came first: it wins
    const want = Real ?? FallbackViewer;
    if (!(this.current instanceof want)) {
      this.current?.destroy();
      this.container.replaceChildren();
      this.current = new want(this.container, this.options);
      if (this.fitWidth) this.current.setFitWidth?.(true);
    }
    this.docId = meta.id;
    await this.current.open(meta, page);
  }

  goTo(page) { this.current?.goTo(page); }

  /** The page as wide as the screen (true) or whole (false), for every document opened from now on too. */
  setFitWidth(on) {
    this.fitWidth = !!on;
    return this.current?.setFitWidth?.(this.fitWidth);
  }

  clear(message) {
    this._opens++;
    this.current?.destroy();
    this.current = null;
    this.docId = null;
    this.container.replaceChildren(h("div", { class: "page-empty" }, message));
  }
}
