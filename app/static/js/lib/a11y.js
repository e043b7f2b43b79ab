// For people who use a keyboard, a switch or a screen reader: live panels keep the focus where it was when they
// are drawn again, and live changes are said once, politely.
//
//   import { announce, keepFocus } from "/static/js/lib/a11y.js";
//   keepFocus(container, () => container.replaceChildren(...));   // the same control has the focus afterwards
//   announce("The chair moved to page 4");                          // read out by a screen reader, never shown
//
// A panel drawn again takes the focused button with its old nodes: the focus fell back to the page's top, so a
// keyboard or switch user lost their place on every ballot counted, page turned or speaker added.

const FOCUSABLE = "button, a[href], input, select, textarea, summary, [tabindex]";

// What makes a control "the same" in the new drawing: its data-focus key, else its test id and name.
function keyOf(el) {
  if (el.dataset.focus) return `focus:${el.dataset.focus}`;
  const name = el.getAttribute("aria-label") ?? el.textContent.trim();
  return `${el.tagName}|${el.dataset.testid ?? ""}|${name}`;
}

function controls(container) {
  return [...container.querySelectorAll(FOCUSABLE)]
    .filter((el) => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length);
}

// Draw the container again (draw() replaces its children); if the focus was inside it, give it back to the same
// control, else to the control where it was, else to the element marked data-focus-fallback (a "checked in" line
// that replaced its button), so the focus never drops to the top of the page.
export function keepFocus(container, draw) {
  const active = document.activeElement;
  if (!active || active === document.body || !container.contains(active)) { draw(); return; }
  const before = controls(container);
  const index = before.indexOf(active);
  const key = keyOf(active);
  const ring = active.matches(":focus-visible");   // reached by keyboard: the control drawn anew shows its ring too
  draw();
  if (active.isConnected && document.activeElement === active) return;   // the node itself was kept
  const now = controls(container);
  const target = now.find((el) => keyOf(el) === key)
    ?? container.querySelector("[data-focus-fallback]")
    ?? (index >= 0 && now.length ? now[Math.min(index, now.length - 1)] : null);
  target?.focus({ preventScroll: true, focusVisible: ring });
}

// Move the focus to an element of a panel just drawn (a step of the ballot), readable even when not a control.
export function focusOn(el) {
  if (!el) return;
  if (!el.matches(FOCUSABLE) || el.disabled) el.setAttribute("tabindex", "-1");
  el.focus({ preventScroll: false });
}

let region = null;
let timer = null;
let pending = [];

// Say a live change once, politely (a screen reader finishes what it reads first). One region for the page: the
// vote's counter or the speaker's timer are never in it, so nothing is said hundreds of times.
function ensureRegion() {
  if (!region && document.body) {
    region = document.createElement("div");
    region.className = "visually-hidden";
    region.id = "announcer";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    region.setAttribute("aria-atomic", "true");
    region.dataset.testid = "announcer";
    document.body.append(region);
  }
  return region;
}
ensureRegion();   // there from the page's start: a region made at the moment it speaks is not heard by every reader

export function announce(text) {
  if (!text || !ensureRegion()) return;
  // emptied first, then filled: the same sentence twice ("The chair moved to page 4" again) is said again
  // (two changes at once are said together, not the second over the first)
  clearTimeout(timer);
  if (!pending.includes(text)) pending.push(text);
  region.textContent = "";
  timer = setTimeout(() => { region.textContent = pending.join(" "); pending = []; }, 100);
}
