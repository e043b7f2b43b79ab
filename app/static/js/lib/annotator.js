// Annotator: highlights, free-hand ink and sticky notes over a rendered page, stored in PDF points.
//
//   import { Annotator } from "/static/js/lib/annotator.js";
//   const ann = new Annotator({ meetingSlug: "council", meetingId: 7, me: 12, strings, csrfToken });
//   ann.toolbar(document.querySelector("[data-annotator-toolbar]"));   // optional ready-made tool bar
//   ann.toolbar(bar, { aside: el });   // sharing and undo in `el` instead (the reader puts them in its top bar)
//   ann.attach(viewer.stage, { documentId: 3, page: 1, image: viewer.img });   // over PageViewer's image
//   onPageChange: (page) => ann.setPage(page)      // PageViewer's hook; reloads that page's annotations
//   ann.listen(live);                              // LiveClient: other devices' and shared annotations
//   ann.setTool("ink" | "highlight" | "note" | "select" | "read"); ann.setPenMode(true); ann.undo();
//   ann.busy                                       // a note being written or a stroke being drawn: don't turn away
//
// A note still being written when its page goes away (a page turn, another document) is kept as a draft and
// its editor opens again, with the text, when that page is shown again: nothing typed is lost.
//
// The overlay is an <svg> whose viewBox is the page in points (origin top-left, as PyMuPDF's page.rect),
// laid exactly over the page image, so every shape sits right at any zoom or width. Writes go through the
// HTTP API (any size; the socket payload is capped); the server pushes `annotation.saved` / `annotation.removed`
// as live deltas to every device of every reader. Text from notes is only ever set with textContent.

const SVG_NS = "http://www.w3.org/2000/svg";
const DEFAULT_STRINGS = {
  read: "Read", highlight: "Highlight", pen: "Pen", note: "Note", select: "Select", undo: "Undo",
  penOnly: "Pen only", shareNew: "New annotations", private: "Private", meeting: "Shared with the meeting",
  chair: "Shared with the chair", save: "Save", cancel: "Cancel", delete: "Delete", close: "Close",
  notePlaceholder: "Write your note…", by: "by %(name)s", failed: "Could not save: %(message)s",
  nothingToUndo: "Nothing to undo.", colour: "Colour", width: "Pen width", thin: "Thin", medium: "Medium", thick: "Thick",
  yellow: "Yellow", red: "Red", blue: "Blue", green: "Green",
  mine: "My notes", sharePrivate: "Only me", shareMeeting: "All members", shareChair: "Chair only",
};
export const COLOURS = ["#ffd400", "#d32f2f", "#1565c0", "#2e7d32"];
// Each swatch's name, said by a screen reader and shown as its tooltip (a colour-blind reader cannot tell it by sight).
const COLOUR_NAMES = { "#ffd400": "yellow", "#d32f2f": "red", "#1565c0": "blue", "#2e7d32": "green" };
export const WIDTHS = { thin: 1, medium: 2.5, thick: 5 };
const MAX_POINTS = 5000;
const MAX_STROKES = 50;
const NOTE_SIZE = 20; // points
const NOTE_MIN_PX = 28; // a note's icon on screen, at least

const fmt = (t, v) => t.replace(/%\((\w+)\)s/g, (_, k) => String(v[k] ?? ""));
const svg = (tag, attrs = {}) => {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
};
const round = (n) => Math.round(n * 100) / 100;

export class Annotator {
  constructor({ meetingSlug, meetingId, me, strings = {}, csrfToken = null, visibility = "private" }) {
    this.slug = meetingSlug;
    this.meetingId = meetingId;
    this.me = me;
    this.s = { ...DEFAULT_STRINGS, ...strings };
    this.csrf = csrfToken ?? document.querySelector('meta[name="csrf-token"]')?.content ?? "";
    this.tool = "read";
    this.penOnly = false;
    this.colour = { highlight: COLOURS[0], ink: COLOURS[1], note: "#f7c948" };
    this.width = WIDTHS.medium;
    this.visibility = visibility;
    this.items = new Map();   // id -> annotation on the current page
    this.undoStack = [];
    this._drawing = null;
    this._editing = null;     // the note editor open now: {a, point, area, share}
    this.drafts = new Map();  // "document:page" -> a note editor closed by a page change, with what was typed
    this._token = 0;
    this._unsub = [];
  }

  // ----- mounting -----

  /** Lay the overlay over `container` (or over `image` inside it) for one page of one document. */
  attach(container, { documentId, page = 1, pageWidthPt = null, pageHeightPt = null, image = null }) {
    this.detach();
    this.container = container;
    this.image = image;
    this.documentId = documentId;
    this.page = page;
    this.size = pageWidthPt && pageHeightPt ? [pageWidthPt, pageHeightPt] : null;
    if (getComputedStyle(container).position === "static") container.style.position = "relative";
    this.svg = svg("svg", { class: "ann-layer", "data-testid": "annotation-layer", preserveAspectRatio: "none" });
    this.layer = svg("g");
    this.draft = svg("g", { class: "ann-draft" });
    this.svg.append(this.layer, this.draft);
    this.popover = document.createElement("div");
    this.popover.className = "ann-popover";
    this.popover.hidden = true;
    this.toast = document.createElement("div");
    this.toast.className = "ann-toast";
    this.toast.setAttribute("role", "alert");
    this.toast.hidden = true;
    container.append(this.svg, this.popover, this.toast);
    // Escape closes a note as Cancel does (one holding typed text stays open: Save or Cancel), and the keyboard's
    // focus goes back to the page it was opened on.
    this.popover.addEventListener("keydown", (e) => {
      if (e.key !== "Escape") return;
      e.stopPropagation();
      if (this._closeUnlessTyped()) container.closest("[tabindex]")?.focus({ preventScroll: true });
    });
    this._listen();
    this._sync();
    this._applyTool();
    return this.load();
  }

  detach() {
    this._keepDraft();
    for (const off of this._cleanup ?? []) off();
    this._cleanup = [];
    this.svg?.remove(); this.popover?.remove(); this.toast?.remove();
    this.svg = null;
  }

  /** Show another page (PageViewer's onPageChange); sizes in points if known, else the server tells. */
  setPage(page, { documentId = this.documentId, pageWidthPt = null, pageHeightPt = null } = {}) {
    this._keepDraft();
    this.page = page;
    this.documentId = documentId;
    this.size = pageWidthPt && pageHeightPt ? [pageWidthPt, pageHeightPt] : null;
    this.undoStack = [];
    this._closePopover();
    return this.load();
  }

  /** Fetch the annotations this user may see on the current page and draw them. */
  async load() {
    const token = ++this._token;
    this.items.clear();
    this._render();
    const url = `/api/meetings/${encodeURIComponent(this.slug)}/documents/${this.documentId}/annotations?page=${this.page}`;
    const resp = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    const body = await resp.json().catch(() => ({}));
    if (token !== this._token || !this.svg) return;  // a newer load, or detached while fetching
    if (!resp.ok) { this._say(body.message || resp.statusText); return; }
    this.size = [body.page_width, body.page_height];
    this.me = this.me ?? body.me;
    for (const a of body.annotations) this.items.set(a.id, a);
    this.svg.setAttribute("viewBox", `0 0 ${this.size[0]} ${this.size[1]}`);
    this._render();
    this._restoreDraft();
  }

  /** True while something on the page is not saved yet: a note being written or edited, a stroke being drawn. */
  get busy() { return !!this.svg && (!!this._drawing || !!this._editing); }

  _draftKey() { return `${this.documentId}:${this.page}`; }

  // The page goes away under an open note editor: keep what was typed for when the page comes back.
  _keepDraft() {
    const e = this._editing;
    if (!e || !this.svg) return;
    if (this._typed()) {
      this.drafts.set(this._draftKey(), { id: e.a?.id ?? null, point: e.point, text: e.area.value, visibility: e.share.value });
    }
    this._closePopover();
  }

  /** The note editor holds text (or sharing) not saved yet. */
  _typed() {
    const e = this._editing;
    return !!e && (e.area.value !== (e.a ? e.a.text : "") || (!!e.a && e.share.value !== e.a.visibility));
  }

  // Close the popover unless a note in it holds unsaved text: that closes by Save or Cancel only (another tool, a tap
  // elsewhere on the page leave it open). Returns whether it closed.
  _closeUnlessTyped() {
    if (this._typed()) { this._editing.area.focus(); return false; }
    this._closePopover();
    return true;
  }

  _restoreDraft() {
    const key = this._draftKey();
    const d = this.drafts.get(key);
    if (!d || this._editing) return;
    this.drafts.delete(key);
    const a = d.id !== null ? this.items.get(d.id) ?? null : null;   // a note deleted meanwhile comes back as a new one
    this._editNote(a, d.point, { text: d.text, visibility: d.visibility, focus: false });
  }

  /** Receive other devices' and shared annotations from a LiveClient (and reload after a reconnect). */
  listen(live) {
    live.reducer("annotation.saved", () => {});
    live.reducer("annotation.removed", () => {});
    this._unsub.push(live.on("annotation.saved", (d) => this.applySaved(d.annotation)));
    this._unsub.push(live.on("annotation.removed", (d) => this.applyRemoved(d.id)));
    this._unsub.push(live.on("snapshot", () => { if (this.svg) this.load(); }));
  }

  applySaved(a) {
    if (!a || a.document_id !== this.documentId) return;
    const known = this.items.get(a.id);
    if (a.page !== this.page) { if (known) { this.items.delete(a.id); this._render(); } return; }
    if (known && known.version > a.version) return;
    this.items.set(a.id, a);
    this._render();
  }

  applyRemoved(id) {
    if (this.items.delete(id)) { this._render(); if (this.popover.dataset.id === String(id)) this._closePopover(); }
  }

  // ----- tools -----

  setTool(tool) { this.tool = tool; this._closeUnlessTyped(); this._applyTool(); this._fireChange(); }
  setPenMode(on) { this.penOnly = !!on; this._fireChange(); }
  setColour(colour) { if (this.tool === "highlight" || this.tool === "ink" || this.tool === "note") this.colour[this.tool] = colour; this._fireChange(); }
  setWidth(points) { this.width = points; this._fireChange(); }
  setVisibility(v) { this.visibility = v; this._fireChange(); }

  /** Undo the last create, delete or edit of this session on this page. */
  async undo() {
    const op = this.undoStack.pop();
    if (!op) { this._say(this.s.nothingToUndo); return; }
    if (op.type === "create") {
      const res = await this._api("DELETE", `/api/annotations/${op.id}`);
      if (res) this.applyRemoved(op.id);
    } else if (op.type === "delete") {
      const a = op.annotation;
      const res = await this._api("POST", `/api/meetings/${encodeURIComponent(this.slug)}/annotations`, {
        document_id: a.document_id, page: a.page, kind: a.kind, geometry: a.geometry, color: a.color,
        width: a.width ?? undefined, text: a.text, visibility: a.visibility,
      });
      if (res) this.applySaved(res.annotation);
    } else if (op.type === "update") {
      const res = await this._api("PATCH", `/api/annotations/${op.id}`, op.before);
      if (res) this.applySaved(res.annotation);
    }
  }

  // ----- the tool bar -----

  /** Build a tool bar into `el` (buttons at least 48 px, states with aria-pressed). */
  toolbar(el, { aside = null } = {}) {
    el.classList.add("ann-toolbar");
    el.replaceChildren();
    const button = (label, action, extra = {}) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "btn ann-tool";
      b.textContent = label;
      Object.entries(extra).forEach(([k, v]) => b.setAttribute(k, v));
      b.addEventListener("click", action);
      return b;
    };
    const tools = [["read", this.s.read], ["highlight", this.s.highlight], ["ink", this.s.pen], ["note", this.s.note], ["select", this.s.select]];
    const toolButtons = tools.map(([t, label]) => button(label, () => this.setTool(t), { "data-tool": t, "aria-pressed": "false" }));
    const swatches = COLOURS.map((c) => {
      const name = `${this.s.colour}: ${this.s[COLOUR_NAMES[c]] ?? c}`;
      const b = button("", () => this.setColour(c), { "data-colour": c, "aria-label": name, title: name, "aria-pressed": "false" });
      b.classList.add("ann-swatch");
      b.style.setProperty("--swatch", c);
      return b;
    });
    // Compact where a picture says it as well as a word (pen widths as lines, undo as an arrow; their names stay
    // in aria-label and title), so the bar fits one row of a 1024 px landscape tablet in every language.
    const widths = Object.entries(WIDTHS).map(([name, w]) => {
      const b = button("", () => this.setWidth(w), { "data-width": String(w), "aria-pressed": "false", "aria-label": this.s[name], title: this.s[name] });
      b.classList.add("btn-icon", "ann-width");
      const line = document.createElement("span");
      line.className = "ann-width-line";
      line.style.setProperty("--w", `${Math.max(2, Math.round(w * 1.6))}px`);
      b.append(line);
      return b;
    });
    const penOnly = button(this.s.penOnly, () => this.setPenMode(!this.penOnly), { "data-pen-only": "", "aria-pressed": "false" });
    const undo = button("↶", () => this.undo(), { "data-undo": "", "aria-label": this.s.undo, title: this.s.undo });
    undo.classList.add("btn-icon");
    const share = document.createElement("select");
    share.className = "ann-share";
    share.setAttribute("aria-label", this.s.shareNew);
    share.title = this.s.shareNew;
    const shortNames = { private: this.s.sharePrivate, meeting: this.s.shareMeeting, chair: this.s.shareChair };
    for (const v of ["private", "meeting", "chair"]) share.append(new Option(shortNames[v], v));
    share.addEventListener("change", () => this.setVisibility(share.value));
    const group = (cls, ...kids) => { const g = document.createElement("div"); g.className = `ann-group ${cls}`; g.append(...kids); return g; };
    el.append(group("ann-tools", ...toolButtons), group("ann-colours", ...swatches), group("ann-widths", ...widths));
    if (aside) {
      el.append(group("ann-more", penOnly));
      aside.replaceChildren(group("ann-more ann-aside", share, undo));
    } else {
      el.append(group("ann-more", penOnly, share, undo));
    }
    this._onChange = () => {
      toolButtons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.tool === this.tool)));
      const current = this.colour[this.tool];
      swatches.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.colour === current)));
      widths.forEach((b) => b.setAttribute("aria-pressed", String(Number(b.dataset.width) === this.width)));
      el.querySelector(".ann-widths").hidden = this.tool !== "ink";
      el.querySelector(".ann-colours").hidden = !["highlight", "ink"].includes(this.tool);
      penOnly.setAttribute("aria-pressed", String(this.penOnly));
      share.value = this.visibility;
    };
    this._onChange();
    return el;
  }

  _fireChange() { if (this._onChange) this._onChange(); }

  // ----- drawing -----

  _applyTool() {
    if (!this.svg) return;
    this.svg.dataset.tool = this.tool;
    this.svg.classList.toggle("ann-active", this.tool !== "read");
  }

  _allowed(e) {
    if (this.tool === "read") return false;
    if (this.penOnly && e.pointerType !== "pen") return false; // the palm (and fingers) keep swiping and scrolling
    return e.button === 0 || e.pointerType !== "mouse";
  }

  _toPage(e) {
    const r = this.svg.getBoundingClientRect();
    const [w, h] = this.size;
    const x = ((e.clientX - r.left) / (r.width || 1)) * w;
    const y = ((e.clientY - r.top) / (r.height || 1)) * h;
    return [round(Math.min(Math.max(x, 0), w)), round(Math.min(Math.max(y, 0), h))];
  }

  _listen() {
    const on = (target, type, fn, opts) => { target.addEventListener(type, fn, opts); this._cleanup.push(() => target.removeEventListener(type, fn, opts)); };
    on(this.svg, "pointerdown", (e) => {
      if (e.target.closest?.(".ann-item") && (this.tool === "select" || this.tool === "read")) {
        e.stopPropagation();
        this._open(Number(e.target.closest(".ann-item").dataset.id));
        return;
      }
      if (!this.size || !this._allowed(e) || this.tool === "select") return;
      e.preventDefault();
      e.stopPropagation(); // the page viewer must not take a stroke for a swipe
      if (!this._closeUnlessTyped() && this.tool === "note") return;   // one note at a time: finish the one begun
      const p = this._toPage(e);
      if (this.tool === "note") { this._editNote(null, p); return; }
      this.svg.setPointerCapture(e.pointerId);
      this._drawing = { id: e.pointerId, start: p, points: [p] };
      this.draft.replaceChildren();
      if (this.tool === "ink") {
        this._drawing.el = svg("polyline", { fill: "none", stroke: this.colour.ink, "stroke-width": this.width,
          "stroke-linecap": "round", "stroke-linejoin": "round", points: `${p[0]},${p[1]}` });
      } else {
        this._drawing.el = svg("rect", { class: "ann-hl", fill: this.colour.highlight, x: p[0], y: p[1], width: 0, height: 0 });
      }
      this.draft.append(this._drawing.el);
    });
    on(this.svg, "pointermove", (e) => {
      const d = this._drawing;
      if (!d || e.pointerId !== d.id) return;
      e.stopPropagation();
      const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
      for (const ev of events.length ? events : [e]) {
        const p = this._toPage(ev);
        if (this.tool === "ink") {
          const last = d.points[d.points.length - 1];
          if (Math.hypot(p[0] - last[0], p[1] - last[1]) >= 0.5) d.points.push(p);
        } else d.points = [d.start, p];
      }
      if (this.tool === "ink") d.el.setAttribute("points", d.points.map((q) => q.join(",")).join(" "));
      else {
        const [a, b] = d.points.length > 1 ? d.points : [d.start, d.start];
        Object.entries({ x: Math.min(a[0], b[0]), y: Math.min(a[1], b[1]), width: Math.abs(b[0] - a[0]), height: Math.abs(b[1] - a[1]) })
          .forEach(([k, v]) => d.el.setAttribute(k, v));
      }
    });
    const finish = (e) => {
      const d = this._drawing;
      if (!d || e.pointerId !== d.id) return;
      e.stopPropagation();
      this._drawing = null;
      if (e.type === "pointercancel") { this.draft.replaceChildren(); return; }
      if (this.tool === "ink") this._saveInk(d.points);
      else this._saveHighlight(d.start, d.points[d.points.length - 1]);
    };
    on(this.svg, "pointerup", finish);
    on(this.svg, "pointercancel", finish);
    on(this.svg, "click", (e) => { if (this.tool !== "read") e.stopPropagation(); });
    const sync = () => this._sync();
    const ro = new ResizeObserver(sync);
    ro.observe(this.container);
    if (this.image) {
      ro.observe(this.image);
      on(this.image, "load", sync);
      // PageViewer scales the image with a CSS transform while pinching: hide the shapes until it settles.
      const mo = new MutationObserver(sync);
      mo.observe(this.image, { attributes: true, attributeFilter: ["style", "src", "class"] });
      this._cleanup.push(() => mo.disconnect());
    }
    this._cleanup.push(() => ro.disconnect());
    on(window, "resize", sync);
  }

  _sync() {
    if (!this.svg) return;
    const img = this.image;
    const hide = img && (!img.getAttribute("src") || (img.style.transform && img.style.transform !== "none"));
    this.svg.style.display = hide ? "none" : "";
    if (img && !hide) {
      // Sub-pixel exact: the image's box relative to the container's scrolled content.
      const r = img.getBoundingClientRect();
      const c = this.container.getBoundingClientRect();
      const left = r.left - c.left - this.container.clientLeft + this.container.scrollLeft;
      const top = r.top - c.top - this.container.clientTop + this.container.scrollTop;
      Object.assign(this.svg.style, { left: `${left}px`, top: `${top}px`, width: `${r.width}px`, height: `${r.height}px` });
    } else if (!img) {
      Object.assign(this.svg.style, { left: "0", top: "0", width: "100%", height: "100%" });
    }
    // the page drawn larger or smaller (a zoom, "Width", a turned tablet): the notes' icons keep their size on screen
    if (!hide && Math.abs(this._noteScale() - (this._drawnNoteScale ?? 1)) > 0.05) this._render();
  }

  async _saveInk(points) {
    if (!points.length) { this.draft.replaceChildren(); return; }
    const strokes = [];
    for (let i = 0; i < points.length && strokes.length < MAX_STROKES; i += MAX_POINTS) strokes.push(points.slice(i, i + MAX_POINTS));
    await this._create({ kind: "ink", geometry: { strokes }, color: this.colour.ink, width: this.width });
  }

  async _saveHighlight(a, b) {
    const rect = [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])];
    if (rect[2] - rect[0] < 2 || rect[3] - rect[1] < 2) { this.draft.replaceChildren(); return; }
    await this._create({ kind: "highlight", geometry: { rects: [rect] }, color: this.colour.highlight });
  }

  async _create(fields) {
    const res = await this._api("POST", `/api/meetings/${encodeURIComponent(this.slug)}/annotations`, {
      document_id: this.documentId, page: this.page, visibility: this.visibility, ...fields });
    this.draft.replaceChildren();
    if (!res) return null;
    this.applySaved(res.annotation);
    this.undoStack.push({ type: "create", id: res.annotation.id });
    return res.annotation;
  }

  async _api(method, url, body) {
    const opts = { method, credentials: "same-origin", headers: { Accept: "application/json", "X-CSRFToken": this.csrf } };
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    try {
      const resp = await fetch(url, opts);
      const data = await resp.json().catch(() => ({}));
      if (!resp.ok || data.ok === false) { this._say(fmt(this.s.failed, { message: data.message || resp.statusText })); return null; }
      return data;
    } catch (err) {
      this._say(fmt(this.s.failed, { message: err.message }));
      return null;
    }
  }

  _say(text) {
    if (!this.toast) return;
    this.toast.textContent = text;
    this.toast.hidden = false;
    clearTimeout(this._toastTimer);
    this._toastTimer = setTimeout(() => { this.toast.hidden = true; }, 5000);
  }

  // ----- showing -----

  // How much a note's icon grows so that it is at least NOTE_MIN_PX on screen: 20 points were some 10 px on a
  // landscape tablet's page, hard to see and to tap.
  _noteScale() {
    const shown = this.svg?.getBoundingClientRect().width || 0;
    if (!shown || !this.size?.[0]) return 1;
    return Math.max(1, NOTE_MIN_PX / (NOTE_SIZE * (shown / this.size[0])));
  }

  _render() {
    if (!this.svg) return;
    this._drawnNoteScale = this._noteScale();
    const frag = document.createDocumentFragment();
    for (const a of this.items.values()) frag.append(this._shape(a));
    this.layer.replaceChildren(frag);
  }

  _shape(a) {
    const g = svg("g", { class: `ann-item ann-${a.kind}`, "data-id": a.id, "data-kind": a.kind, "data-visibility": a.visibility });
    const mine = a.author.id === this.me;
    const title = svg("title");
    title.textContent = mine ? (a.text || "") : `${fmt(this.s.by, { name: a.author.name })}${a.text ? `: ${a.text}` : ""}`;
    g.append(title);
    let labelAt = null;
    if (a.kind === "highlight") {
      for (const [x0, y0, x1, y1] of a.geometry.rects) g.append(svg("rect", { class: "ann-hl", fill: a.color, x: x0, y: y0, width: x1 - x0, height: y1 - y0 }));
      labelAt = [a.geometry.rects[0][0], a.geometry.rects[0][1]];
    } else if (a.kind === "ink") {
      for (const stroke of a.geometry.strokes) {
        g.append(svg("polyline", { fill: "none", stroke: a.color, "stroke-width": a.width ?? 2, "stroke-linecap": "round",
          "stroke-linejoin": "round", points: stroke.map((p) => p.join(",")).join(" ") }));
      }
      labelAt = a.geometry.strokes[0][0];
    } else {
      const [x, y] = a.geometry.point;
      // the icon grows from its corner (the note's point) to stay readable and tappable on a small page
      const icon = svg("g", { transform: `translate(${x} ${y}) scale(${(this._drawnNoteScale ?? 1).toFixed(3)})` });
      icon.append(svg("rect", { class: "ann-hit", x: -10, y: -10, width: NOTE_SIZE + 20, height: NOTE_SIZE + 20, fill: "transparent" }),
        svg("rect", { class: "ann-note-icon", x: 0, y: 0, width: NOTE_SIZE, height: NOTE_SIZE, rx: 3, fill: a.color }),
        svg("path", { class: "ann-note-lines", d: "M4 6h10M4 10h10M4 14h6" }));
      g.append(icon);
      labelAt = [x, y];
    }
    if (!mine) {
      const label = svg("text", { class: "ann-author", x: labelAt[0], y: Math.max(8, labelAt[1] - 2) });
      label.textContent = a.author.name;
      g.append(label);
    }
    return g;
  }

  // ----- the popover: read a note, edit, share, delete -----

  _closePopover() {
    this._editing = null;
    if (this.popover) { this.popover.hidden = true; this.popover.replaceChildren(); delete this.popover.dataset.id; }
  }

  /** Put the (shown) popover by `point`: under it, or above it where there is no room below, always inside the
   *  page's box (a note tapped low on the page kept its Save button under the viewer's bottom edge), and on screen. */
  _place(point) {
    const r = this.svg.getBoundingClientRect();
    const c = this.container.getBoundingClientRect();
    const x = r.left - c.left + this.container.scrollLeft + (point[0] / this.size[0]) * r.width;
    const y = r.top - c.top + this.container.scrollTop + (point[1] / this.size[1]) * r.height;
    const width = this.popover.offsetWidth || 300;
    const height = this.popover.offsetHeight;
    const top = this.container.scrollTop;
    const bottom = top + this.container.clientHeight;
    let at = y + 8;
    if (at + height > bottom - 4) at = y - 8 - height;                     // no room below: above the point
    at = Math.max(top + 4, Math.min(at, bottom - 4 - height));             // neither: as much as fits, its top first
    this.popover.style.left = `${Math.max(4, Math.min(x, this.container.scrollLeft + c.width - width - 4))}px`;
    this.popover.style.top = `${Math.max(top + 4, at)}px`;
    // The page's box may itself run past the screen's bottom (a phone scrolls): bring the popover into view.
    const box = this.popover.getBoundingClientRect();
    if (box.bottom > window.innerHeight) window.scrollBy(0, Math.min(box.bottom - window.innerHeight + 8, box.top - 8));
  }

  _open(id) {
    const a = this.items.get(id);
    if (!a || !this._closeUnlessTyped()) return;
    if (a.author.id === this.me) { this._editNote(a, a.kind === "note" ? a.geometry.point : this._anchor(a)); return; }
    this._closePopover();
    this.popover.dataset.id = String(id);
    const who = document.createElement("p");
    who.className = "ann-by";
    who.textContent = fmt(this.s.by, { name: a.author.name });
    const text = document.createElement("p");
    text.className = "ann-text";
    text.textContent = a.text;
    this.popover.append(who, text, this._btn(this.s.close, () => this._closePopover()));
    this.popover.hidden = false;   // shown first: its height decides whether it opens above or below
    this._place(this._anchor(a));
  }

  _anchor(a) {
    if (a.kind === "highlight") return [a.geometry.rects[0][0], a.geometry.rects[0][3]];
    if (a.kind === "ink") return a.geometry.strokes[0][0];
    return a.geometry.point;
  }

  _btn(label, fn, cls = "btn") {
    const b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.textContent = label;
    b.addEventListener("click", fn);
    return b;
  }

  /** Write a new note at `point`, or edit (text, sharing) or delete an annotation of one's own; `draft`: what
   *  was typed before the page went away. */
  _editNote(a, point, draft = null) {
    this._closePopover();
    if (a) this.popover.dataset.id = String(a.id);
    const area = document.createElement("textarea");
    area.className = "ann-textarea";
    area.maxLength = 10000;
    area.placeholder = this.s.notePlaceholder;
    area.value = draft ? draft.text : a ? a.text : "";
    const share = document.createElement("select");
    share.className = "ann-share";
    // the same words as the toolbar's sharing menu ("Only me", not "Private" here and "Only me" there)
    const shareNames = { private: this.s.sharePrivate, meeting: this.s.shareMeeting, chair: this.s.shareChair };
    for (const v of ["private", "meeting", "chair"]) share.append(new Option(shareNames[v], v));
    share.value = draft ? draft.visibility : a ? a.visibility : this.visibility;
    const save = this._btn(this.s.save, async () => {
      if (!a) {
        if (!area.value.trim()) { this._closePopover(); return; }
        const made = await this._create({ kind: "note", geometry: { point }, color: this.colour.note, text: area.value, visibility: share.value });
        if (made) this._closePopover();
        return;
      }
      const change = {};
      if (area.value !== a.text) change.text = area.value;
      if (share.value !== a.visibility) change.visibility = share.value;
      if (!Object.keys(change).length) { this._closePopover(); return; }
      const before = Object.fromEntries(Object.keys(change).map((k) => [k, a[k]]));
      const res = await this._api("PATCH", `/api/annotations/${a.id}`, change);
      if (res) { this.undoStack.push({ type: "update", id: a.id, before }); this.applySaved(res.annotation); this._closePopover(); }
    }, "btn btn-primary");
    const row = document.createElement("div");
    row.className = "ann-row";
    row.append(save, this._btn(this.s.cancel, () => this._closePopover()));
    if (a) {
      row.append(this._btn(this.s.delete, async () => {
        const res = await this._api("DELETE", `/api/annotations/${a.id}`);
        if (res) { this.undoStack.push({ type: "delete", annotation: res.annotation }); this.applyRemoved(a.id); this._closePopover(); }
      }, "btn ann-delete"));
    }
    this.popover.append(area, share, row);
    this.popover.hidden = false;   // shown first: its height decides whether it opens above or below
    this._place(point);
    this._editing = { a, point, area, share };
    // a draft reopened on its own brings up no keyboard; the popover is already placed in view (_place)
    if (!draft || draft.focus !== false) area.focus({ preventScroll: true });
  }
}
