// The reader page (GET /meetings/<slug>/documents/<id>): PageViewer plus page jump, thumbnails,
// table of contents and search across the meeting's documents.
import { PageViewer } from "../lib/page-viewer.js";
import { Annotator } from "../lib/annotator.js";
import { LiveClient } from "../lib/live-client.js";
import { watchMeeting } from "../lib/meeting-calls.js";
import { PageText } from "../lib/page-text.js";

const MARK_START = "\ue000";
const MARK_END = "\ue001";
const doc = JSON.parse(document.getElementById("reader-doc").textContent);
const S = JSON.parse(document.getElementById("reader-strings").textContent);
const fmt = (t, v) => t.replace(/%\((\w+)\)s/g, (_, k) => String(v[k] ?? ""));
const $ = (sel) => document.querySelector(sel);
const t = (key, v = {}) => fmt(S[key] ?? key, v);

const input = $("#reader-page");
const thumbs = $("[data-thumbs]");
const panel = $("#reader-panel");
const panelButton = $('[data-action="panel"]');
const initial = Number.parseInt(new URLSearchParams(location.search).get("page") || input.value, 10) || 1;

const thumbUrl = (p) => doc.page_url.replace("{page}", String(p)).replace("{width}", String(doc.thumb_width));

// The reader's own highlights, ink and notes (and what others share) over the page, kept live by the meeting's socket.
const liveCfg = JSON.parse(document.getElementById("reader-live").textContent);
const ann = new Annotator({ meetingSlug: doc.meeting, meetingId: liveCfg.meeting, me: null,
  strings: JSON.parse(document.getElementById("annotator-strings").textContent) });
const annBar = $("[data-annotator-toolbar]");
const annAside = $("[data-annotator-aside]");   // sharing and undo sit in the top bar: two rows at 1024 px
const annButton = $('[data-action="annotate"]');
ann.toolbar(annBar, { aside: annAside });
toggleAnnotator(false);
function toggleAnnotator(open = annBar.hidden) {
  annBar.hidden = !open;
  annAside.hidden = !open;
  annBar.style.display = open ? "" : "none";   // .ann-toolbar sets display: flex, which beats [hidden]
  annButton.setAttribute("aria-expanded", String(open));
  if (!open) ann.setTool("read");
  // Annotating takes the bar's room (its sharing and undo): “Page as text” waits until the tools are put away.
  const textToggle = document.querySelector('[data-action="text"]');
  if (textToggle) { textToggle.hidden = open; textToggle.style.display = open ? "none" : ""; }   // .btn's flex beats [hidden]
}

// The page as text, beside the image (lib/page-text.js), for the page shown while the panel is open.
const textButton = $('[data-action="text"]');
const pageText = new PageText($("#reader-text"), { toggle: textButton });

function onPageChange(page) {
  pageText.show(doc.id, page);
  if (ann.svg && ann.page !== page) ann.setPage(page);
  input.value = String(page);
  const url = new URL(location.href);
  url.searchParams.set("page", String(page));
  history.replaceState(null, "", url);
  for (const b of thumbs.querySelectorAll("[aria-current]")) b.removeAttribute("aria-current");
  const current = thumbs.children[page - 1];
  if (current) {
    current.setAttribute("aria-current", "page");
    const left = current.offsetLeft - thumbs.clientWidth / 2 + current.clientWidth / 2;
    thumbs.scrollTo({ left, behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
  }
}

const viewer = new PageViewer($("[data-stage]"), { onPageChange, strings: S, keyboard: true });

// Thumbnails: lazy images; one still being rendered (503) is asked for again a little later.
function buildThumbs() {
  const frag = document.createDocumentFragment();
  for (let p = 1; p <= doc.pages; p++) {
    const b = document.createElement("button");
    b.type = "button";
    b.setAttribute("aria-label", fmt(S.page, { page: p, pages: doc.pages }));
    const img = document.createElement("img");
    img.loading = "lazy";
    img.alt = "";
    img.decoding = "async";
    img.src = thumbUrl(p);
    let tries = 0;
    img.addEventListener("error", () => {
      if (tries++ < 20) setTimeout(() => { img.src = `${thumbUrl(p)}?retry=${tries}`; }, 1500);
    });
    const n = document.createElement("span");
    n.textContent = String(p);
    b.append(img, n);
    b.addEventListener("click", () => viewer.goTo(p));
    frag.append(b);
  }
  thumbs.append(frag);
}

function buildToc() {
  const toc = $("[data-toc]");
  toc.replaceChildren();
  if (!doc.outline.length) {
    const li = document.createElement("li");
    li.className = "muted";
    li.textContent = S.noOutline;
    toc.append(li);
    return;
  }
  for (const entry of doc.outline) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.style.paddingLeft = `${0.6 + (Math.max(1, entry.level) - 1) * 1.1}rem`;
    const page = document.createElement("span");
    page.className = "toc-page";
    page.textContent = String(entry.page);
    b.append(page, document.createTextNode(entry.title));
    b.addEventListener("click", () => { viewer.goTo(entry.page); closePanelOnSmall(); });
    li.append(b);
    toc.append(li);
  }
}

// A snippet is plain text with hit markers: build text nodes and <mark>s, never HTML.
function snippetNodes(snippet) {
  const out = [];
  const re = new RegExp(`${MARK_START}([^${MARK_END}]*)${MARK_END}`, "g");
  let last = 0;
  for (const m of snippet.matchAll(re)) {
    if (m.index > last) out.push(document.createTextNode(snippet.slice(last, m.index)));
    const mark = document.createElement("mark");
    mark.textContent = m[1];
    out.push(mark);
    last = m.index + m[0].length;
  }
  out.push(document.createTextNode(snippet.slice(last).replaceAll(MARK_START, "").replaceAll(MARK_END, "")));
  return out;
}

async function search(q) {
  const box = $("[data-results]");
  box.replaceChildren();
  if (!q.trim()) return;
  let data;
  try {
    const resp = await fetch(`/api/meetings/${encodeURIComponent(doc.meeting)}/search?q=${encodeURIComponent(q)}`,
      { headers: { Accept: "application/json" }, credentials: "same-origin" });
    data = await resp.json();
    if (!data.ok) throw new Error(data.message);
  } catch (err) {
    const p = document.createElement("p");
    p.textContent = (err && err.message) || S.searchFailed;
    box.append(p);
    return;
  }
  if (!data.results.length) {
    const p = document.createElement("p");
    p.textContent = S.noResults;
    box.append(p);
    return;
  }
  const list = document.createElement("ol");
  list.className = "reader-hits";
  for (const hit of data.results) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    const where = document.createElement("span");
    where.className = "hit-where";
    where.textContent = `${hit.title} · ${fmt(S.pageShort, { page: hit.page })}`;
    const snip = document.createElement("span");
    snip.className = "hit-snippet";
    snip.append(...snippetNodes(hit.snippet));
    b.append(where, snip);
    b.addEventListener("click", () => {
      if (hit.document_id === doc.id) { viewer.goTo(hit.page); closePanelOnSmall(); }
      else location.href = `/meetings/${encodeURIComponent(doc.meeting)}/documents/${hit.document_id}?page=${hit.page}`;
    });
    li.append(b);
    list.append(li);
  }
  box.append(list);
}

function togglePanel(open = panel.hidden) {
  panel.hidden = !open;
  panelButton.setAttribute("aria-expanded", String(open));
  if (open) $("#reader-q").focus({ preventScroll: true });
}
function closePanelOnSmall() { if (window.innerWidth <= 900) togglePanel(false); }

// While pages are still being rendered, show how far along it is.
async function followProgress() {
  const bar = $("[data-progress]");
  if (doc.rendered >= doc.pages) return;
  const text = bar.querySelector("[data-progress-text]");
  const meter = bar.querySelector("progress");
  for (;;) {
    try {
      const resp = await fetch(`/api/documents/${doc.id}/progress`, { credentials: "same-origin" });
      const p = await resp.json();
      meter.value = p.rendered;
      text.textContent = fmt(S.rendering, p);
      if (p.done) { bar.hidden = true; return; }
    } catch { /* try again */ }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

document.addEventListener("click", (e) => {
  const action = e.target.closest("[data-action]")?.dataset.action;
  if (action === "prev") viewer.goTo(viewer.page - 1);
  else if (action === "next") viewer.goTo(viewer.page + 1);
  else if (action === "zoom-in") viewer.zoomIn();
  else if (action === "zoom-out") viewer.zoomOut();
  else if (action === "panel") togglePanel();
  else if (action === "text") pageText.setOpen(!pageText.open, doc.id, viewer.page);
  else if (action === "annotate") toggleAnnotator();
});
$("[data-jump]").addEventListener("submit", (e) => { e.preventDefault(); viewer.goTo(input.value); input.blur(); });
input.addEventListener("change", () => viewer.goTo(input.value));
$("[data-search]").addEventListener("submit", (e) => { e.preventDefault(); search($("#reader-q").value); });

viewer.open(doc, initial).then(() => {
  buildThumbs();
  onPageChange(viewer.page);
  ann.attach(viewer.stage, { documentId: doc.id, page: viewer.page, image: viewer.img });
});
if (globalThis.io) {
  const live = new LiveClient({ meeting: liveCfg.meeting });
  ann.listen(live);
  // a vote opened, or the floor given, while the delegate reads: a banner with the way to the live screen
  watchMeeting(live, JSON.parse(document.getElementById("calls-config").textContent));
  live.start();
}
buildToc();
followProgress();
