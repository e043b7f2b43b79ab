// PageViewer: shows one page of a rendered PDF at a time, for tablets, the chair console and the wall screen.
//
//   const viewer = new PageViewer(container, {onPageChange(page) {}, strings: {...}, keyboard: true});
//   await viewer.open(docMeta, 1);   // docMeta: the JSON of GET /api/documents/<id>
//   viewer.goTo(5); viewer.page; viewer.doc; viewer.zoomIn(); viewer.zoomOut(); viewer.setZoom(1);
//   viewer.setFitWidth(true);   // the page as wide as the screen, read by scrolling down; kept across page turns
//   viewer.destroy();
//
// Swipe, arrow keys (with keyboard: true, or when the viewer has focus), tap zones (left and right
// quarter), pinch or the zoom methods. The image width is chosen from the container size, the zoom
// and devicePixelRatio among docMeta.widths; neighbours are fetched ahead so a page turn shows from
// memory. Styles: app/static/css/reader.css (classes pv-*). No globals.

const DEFAULT_STRINGS = {
  loading: "Loading page…",
  preparing: "This page is being prepared…",
  failed: "This page could not be loaded. Tap to try again.",
  previous: "Previous page",
  next: "Next page",
  page: "Page %(page)s of %(pages)s",
};
const MAX_ZOOM = 4;
const KEEP = 16; // decoded pages kept in memory
const SWIPE_PX = 50;

function fmt(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, k) => String(values[k] ?? ""));
}

export class PageViewer {
  constructor(container, { onPageChange = null, strings = {}, keyboard = false, prefetch = 2 } = {}) {
    this.container = container;
    this.onPageChange = onPageChange;
    this.strings = { ...DEFAULT_STRINGS, ...strings };
    this.prefetchCount = prefetch;
    this._doc = null;
    this._page = 1;
    this._zoom = 1;
    this._widthMode = false;   // fit the page's width (a landscape tablet's A4 page was 285 px wide fitted whole)
    this._aspect = 0.7071; // width / height of the current page, until an image tells us
    this._cache = new Map(); // url -> {promise, url (object URL), used}
    this._token = 0;
    this._pointers = new Map();
    this._destroyed = false;
    this._build();
    this._listen(keyboard);
  }

  get page() { return this._page; }
  get doc() { return this._doc; }
  get zoom() { return this._zoom; }
  get fitWidth() { return this._widthMode; }

  _build() {
    const root = document.createElement("div");
    root.className = "pv";
    root.tabIndex = 0;
    root.setAttribute("role", "region");
    // (no aria-roledescription: it was English on every screen; its label, "Page 3 of 12", names it in the page's language)
    const stage = document.createElement("div");
    stage.className = "pv-stage";
    const img = document.createElement("img");
    img.className = "pv-img";
    img.alt = "";
    img.draggable = false;
    const status = document.createElement("div");
    status.className = "pv-status";
    status.setAttribute("role", "status");
    status.hidden = true;
    const prev = document.createElement("button");
    prev.type = "button";
    prev.className = "pv-zone pv-zone-prev";
    prev.setAttribute("aria-label", this.strings.previous);
    const next = document.createElement("button");
    next.type = "button";
    next.className = "pv-zone pv-zone-next";
    next.setAttribute("aria-label", this.strings.next);
    stage.append(img);
    root.append(stage, prev, next, status);
    this.container.append(root);
    Object.assign(this, { root, stage, img, statusEl: status, prevZone: prev, nextZone: next });
  }

  _listen(keyboard) {
    this._onKey = (e) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      // Space, + , - and 0 only where the page is (or nothing has the focus): on a focused button Space presses the
      // button, not turn the page, and a one-key shortcut never fires from another control (WCAG 2.1.4).
      if (e.key.length === 1 && t && t !== document.body && !this.root.contains(t)) return;
      const keys = { ArrowRight: 1, PageDown: 1, " ": 1, ArrowLeft: -1, PageUp: -1 };
      // (the page fitted to its width scrolls only down: the arrows still turn it, Space scrolls it)
      if (e.key in keys && (this._zoom === 1 || e.key.startsWith("Page") || (this._widthMode && e.key !== " "))) {
        e.preventDefault();
        this.goTo(this._page + keys[e.key]);
      } else if (e.key === "Home") { e.preventDefault(); this.goTo(1); }
      else if (e.key === "End" && this._doc) { e.preventDefault(); this.goTo(this._doc.pages); }
      else if (e.key === "+" || e.key === "=") { e.preventDefault(); this.zoomIn(); }
      else if (e.key === "-") { e.preventDefault(); this.zoomOut(); }
      else if (e.key === "0") { e.preventDefault(); this.setZoom(1); }
    };
    (keyboard ? document : this.root).addEventListener("keydown", this._onKey);
    this._keyTarget = keyboard ? document : this.root;

    this.prevZone.addEventListener("click", () => this.goTo(this._page - 1));
    this.nextZone.addEventListener("click", () => this.goTo(this._page + 1));
    this.statusEl.addEventListener("click", () => { if (this._failed) this._show(); });

    // Swipe (one finger, not zoomed) and pinch (two fingers) with pointer events.
    this._onDown = (e) => {
      // A finger that selects text in a field laid over the page (a note being written) is not a swipe: a page
      // turn would take the note away.
      if (e.target.closest?.("input, textarea, select, [contenteditable=true]")) return;
      this._pointers.set(e.pointerId, { x: e.clientX, y: e.clientY, x0: e.clientX, y0: e.clientY });
      if (this._pointers.size === 2) {
        const [a, b] = [...this._pointers.values()];
        this._pinch = { d0: Math.hypot(a.x - b.x, a.y - b.y), z0: this._zoom };
      }
    };
    this._onMove = (e) => {
      const p = this._pointers.get(e.pointerId);
      if (!p) return;
      p.x = e.clientX; p.y = e.clientY;
      if (this._pinch && this._pointers.size === 2) {
        const [a, b] = [...this._pointers.values()];
        const scale = Math.hypot(a.x - b.x, a.y - b.y) / (this._pinch.d0 || 1);
        this._pinch.z = Math.min(MAX_ZOOM, Math.max(1, this._pinch.z0 * scale));
        this.img.style.transform = `scale(${this._pinch.z / this._zoom})`;
      }
    };
    this._onUp = (e) => {
      const p = this._pointers.get(e.pointerId);
      this._pointers.delete(e.pointerId);
      if (this._pinch) {
        if (this._pointers.size === 0) {
          const z = this._pinch.z;
          this._pinch = null;
          this.img.style.transform = "";
          if (z) this.setZoom(z);
        }
        return;
      }
      if (!p || (this._zoom !== 1 && !this._widthMode) || e.type === "pointercancel") return;
      const dx = p.x - p.x0, dy = p.y - p.y0;
      if (Math.abs(dx) > SWIPE_PX && Math.abs(dx) > 1.5 * Math.abs(dy)) {
        this._swiped = true;
        setTimeout(() => { this._swiped = false; }, 50);
        this.goTo(this._page + (dx < 0 ? 1 : -1));
      }
    };
    for (const [type, fn] of [["pointerdown", this._onDown], ["pointermove", this._onMove],
      ["pointerup", this._onUp], ["pointercancel", this._onUp], ["pointerleave", this._onUp]]) {
      this.root.addEventListener(type, fn);
    }
    // A swipe that ends on a tap zone must not also turn the page by the zone's click.
    this.root.addEventListener("click", (e) => { if (this._swiped) e.stopPropagation(); }, true);

    this._resize = new ResizeObserver(() => {
      if (this._widthMode && this._doc) this._zoom = Math.min(MAX_ZOOM, this._widthZoom());
      this._layout();
    });
    this._resize.observe(this.root);
  }

  /** Show a document (docMeta from GET /api/documents/<id>) at a page. */
  async open(doc, page = 1) {
    if (this._doc && this._doc.sha256 !== doc.sha256) this._clearCache();
    this._doc = doc;
    this._zoom = 1;
    this.root.classList.toggle("pv-zoomed", false);
    await this._go(this._clamp(page), true);
  }

  /** Turn to a page (1-based); out-of-range pages are clamped. */
  goTo(page) {
    if (!this._doc) return Promise.resolve();
    const target = this._clamp(page);
    if (target === this._page) return Promise.resolve();
    return this._go(target, false);
  }

  zoomIn() { return this.setZoom(this._zoom * 1.5); }
  zoomOut() { return this.setZoom(this._zoom / 1.5); }

  /** The page as wide as the viewer (read by scrolling down it), kept through page turns and new documents; or
   * (false) the whole page in view. A zoom by hand (pinch, buttons) leaves it. */
  setFitWidth(on) {
    this._widthMode = !!on;
    this.root.classList.toggle("pv-fit-width", this._widthMode);
    if (!this._doc) return Promise.resolve();   // the first page opened comes fitted so
    return this.setZoom(this._widthMode ? this._widthZoom() : 1, true);
  }

  /** The zoom at which the page's width fills the viewer (less a margin for a scroll bar). */
  _widthZoom() {
    const w = this.stage.clientWidth || this.root.clientWidth || 800;
    return Math.max(1, (w - 20) / this._fitWidth());
  }

  /** Zoom (1 = the whole page fits); a sharper image width is fetched when the zoom needs it. */
  setZoom(z, keepWidthMode = false) {
    if (!keepWidthMode && this._widthMode) {
      this._widthMode = false;
      this.root.classList.remove("pv-fit-width");
    }
    const zoom = Math.min(MAX_ZOOM, Math.max(1, Math.round(z * 100) / 100));
    const center = this._centerFraction();
    this._zoom = zoom;
    this.root.classList.toggle("pv-zoomed", zoom > 1);
    this._layout();
    this._restoreCenter(center);
    return this._show();
  }

  destroy() {
    this._destroyed = true;
    this._token++;
    this._keyTarget.removeEventListener("keydown", this._onKey);
    this._resize.disconnect();
    this._clearCache();
    this.root.remove();
  }

  // ----- internals -----

  _clamp(page) {
    const n = Number.parseInt(page, 10);
    return Math.min(Math.max(Number.isFinite(n) ? n : 1, 1), this._doc ? this._doc.pages : 1);
  }

  async _go(page, first) {
    this._page = page;
    this.root.setAttribute("aria-label", fmt(this.strings.page, { page, pages: this._doc.pages }));
    this.prevZone.disabled = page <= 1;
    this.nextZone.disabled = page >= this._doc.pages;
    if (this._widthMode) {   // a page turn keeps the width, from the top of the new page
      this._zoom = Math.min(MAX_ZOOM, this._widthZoom());
      this.root.classList.toggle("pv-zoomed", this._zoom > 1);
      this._layout();
    } else if (this._zoom !== 1) {
      this._zoom = 1;
      this.root.classList.remove("pv-zoomed");
      this._layout();
    }
    this.stage.scrollTo(0, 0);
    if (this.onPageChange) this.onPageChange(page, { first });
    await this._show();
  }

  /** The displayed width of the page in CSS pixels at zoom 1. */
  _fitWidth() {
    const w = this.stage.clientWidth || this.root.clientWidth || 800;
    const h = this.stage.clientHeight || this.root.clientHeight || 600;
    return Math.max(50, Math.min(w, h * this._aspect));
  }

  _chooseWidth() {
    const widths = [...this._doc.widths].filter((w) => w !== this._doc.thumb_width).sort((a, b) => a - b);
    const needed = this._fitWidth() * this._zoom * (window.devicePixelRatio || 1);
    // A little softness (15%) is invisible and saves a much larger image.
    return widths.find((w) => w >= needed * 0.85) ?? widths[widths.length - 1];
  }

  _url(page, width) {
    return this._doc.page_url.replace("{page}", String(page)).replace("{width}", String(width));
  }

  _layout() {
    const fit = this._fitWidth();
    if (this._zoom > 1) {
      this.img.style.width = `${Math.round(fit * this._zoom)}px`;
      this.img.style.height = "auto";
    } else {
      this.img.style.width = "";
      this.img.style.height = "";
    }
  }

  _centerFraction() {
    const s = this.stage;
    return { x: (s.scrollLeft + s.clientWidth / 2) / (s.scrollWidth || 1), y: (s.scrollTop + s.clientHeight / 2) / (s.scrollHeight || 1) };
  }

  _restoreCenter(c) {
    const s = this.stage;
    s.scrollLeft = c.x * s.scrollWidth - s.clientWidth / 2;
    s.scrollTop = c.y * s.scrollHeight - s.clientHeight / 2;
  }

  async _show() {
    if (!this._doc || this._destroyed) return;
    const token = ++this._token;
    const page = this._page;
    const width = this._chooseWidth();
    const url = this._url(page, width);
    this._failed = false;
    const hit = this._cache.get(url);
    if (hit && hit.ready) {
      this._display(hit, page);
    } else {
      // Show what we have at once (a smaller width or the thumbnail), then the sharp image.
      const fallback = this._bestCached(page);
      if (fallback) this._display(fallback, page, true);
      else { this.img.removeAttribute("src"); this._status(this.strings.loading); }
      try {
        const entry = await this._load(url);
        if (token !== this._token) return;
        this._display(entry, page);
      } catch (err) {
        if (token !== this._token || this._destroyed) return;
        this._failed = true;
        this._status(this.strings.failed);
        return;
      }
    }
    this._prefetch(page, width);
  }

  _bestCached(page) {
    let best = null;
    for (const w of [...this._doc.widths].sort((a, b) => b - a)) {
      const e = this._cache.get(this._url(page, w));
      if (e && e.ready) { best = e; break; }
    }
    return best;
  }

  _display(entry, page, provisional = false) {
    entry.used = performance.now();
    if (this.img.src !== entry.objectUrl) this.img.src = entry.objectUrl;
    this.img.alt = fmt(this.strings.page, { page, pages: this._doc.pages });
    if (entry.aspect && Math.abs(entry.aspect - this._aspect) > 0.001) {
      this._aspect = entry.aspect;
      if (this._widthMode) this._zoom = Math.min(MAX_ZOOM, this._widthZoom());
      this._layout();
    }
    this.root.classList.toggle("pv-provisional", provisional);
    if (!provisional) this._status(null);
  }

  _status(text) {
    this.statusEl.hidden = !text;
    this.statusEl.textContent = text || "";
  }

  /** Fetch and decode one page image; waits and retries while the server is still rendering it. */
  _load(url) {
    const existing = this._cache.get(url);
    if (existing) return existing.promise;
    const entry = { ready: false, used: performance.now(), objectUrl: null, aspect: null };
    entry.promise = (async () => {
      for (let attempt = 0; attempt < 30; attempt++) {
        const resp = await fetch(url, { credentials: "same-origin" });
        if (resp.status === 503 || resp.status === 202) {
          if (url === this._url(this._page, this._chooseWidth())) this._status(this.strings.preparing);
          const wait = Math.min(5, Number.parseFloat(resp.headers.get("Retry-After")) || 1);
          await new Promise((r) => setTimeout(r, wait * 1000));
          if (this._destroyed) throw new Error("destroyed");
          continue;
        }
        if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
        const blob = await resp.blob();
        entry.objectUrl = URL.createObjectURL(blob);
        const probe = new Image();
        probe.src = entry.objectUrl;
        await probe.decode();
        entry.aspect = probe.naturalWidth / probe.naturalHeight;
        entry.ready = true;
        this._trim();
        return entry;
      }
      throw new Error("still rendering");
    })();
    entry.promise.catch(() => { if (this._cache.get(url) === entry) this._cache.delete(url); });
    this._cache.set(url, entry);
    return entry.promise;
  }

  _prefetch(page, width) {
    const order = [1, -1, 2, -2, 3].slice(0, this.prefetchCount * 2);
    for (const d of order) {
      const p = page + d;
      if (p >= 1 && p <= this._doc.pages) this._load(this._url(p, width)).catch(() => {});
    }
  }

  _trim() {
    if (this._cache.size <= KEEP) return;
    const current = this.img.src;
    const entries = [...this._cache.entries()].filter(([, e]) => e.ready && e.objectUrl !== current)
      .sort((a, b) => a[1].used - b[1].used);
    for (const [url, e] of entries.slice(0, this._cache.size - KEEP)) {
      URL.revokeObjectURL(e.objectUrl);
      this._cache.delete(url);
    }
  }

  _clearCache() {
    for (const e of this._cache.values()) if (e.objectUrl) URL.revokeObjectURL(e.objectUrl);
    this._cache.clear();
  }
}
