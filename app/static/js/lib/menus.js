// Every page: the top bar's menus (<details class="menu" data-menu>) close as a person expects a menu to: a tap
// anywhere else, Escape, or opening the other menu closes an open one. Without this script they still open
// and close by their own button (a <details> needs no script).
const menus = () => document.querySelectorAll("details[data-menu][open]");

document.addEventListener("click", (event) => {
  for (const menu of menus()) {
    if (!menu.contains(event.target)) menu.open = false;
  }
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const menu of menus()) {
    menu.open = false;
    menu.querySelector("summary")?.focus();
  }
});

// A menu opened by keyboard or by a tap: the other one closes (a click outside already did for a pointer), and
// its list is moved sideways into view if the button sits so near an edge of the screen that it would not fit.
const MARGIN = 8;
document.addEventListener("toggle", (event) => {
  const opened = event.target;
  if (!opened.matches?.("details[data-menu]") || !opened.open) return;
  for (const menu of menus()) {
    if (menu !== opened) menu.open = false;
  }
  const list = opened.querySelector(".menu-list");
  if (!list) return;
  list.style.transform = "";
  const box = list.getBoundingClientRect();
  const right = document.documentElement.clientWidth - MARGIN;
  const shift = box.left < MARGIN ? MARGIN - box.left : box.right > right ? right - box.right : 0;
  if (shift) list.style.transform = `translateX(${Math.round(shift)}px)`;
}, true);
