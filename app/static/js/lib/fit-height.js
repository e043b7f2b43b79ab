// Give an element the height the first screen has left for it: from its top down to the window's bottom edge,
// less what must stay in view under it (the pager) and the page's bottom padding. Whatever sits above it may change height at any time (the top
// bar wraps, a ballot or the annotation tools appear, the tablet turns), so the height is measured again whenever
// the window or one of those elements changes size. It is set as the CSS variable --fit-height, which the style
// sheet uses (with a minimum, and a fixed guess for the moment before this script runs).

export function fitHeight(el, { below = [], above = [] } = {}) {
  const bottom = parseFloat(getComputedStyle(el.closest("main") ?? document.body).paddingBottom) || 0;
  let frame = 0;
  const fit = () => {
    frame = 0;
    const top = el.getBoundingClientRect().top + window.scrollY;
    const under = below.reduce((sum, node) => sum + (node.offsetParent ? node.offsetHeight : 0), 0);
    const gap = parseFloat(getComputedStyle(el.parentElement).rowGap) || 0;
    const height = Math.floor(window.innerHeight - top - under - gap * below.length - bottom);
    el.style.setProperty("--fit-height", `${height}px`);
  };
  const later = () => { if (!frame) frame = requestAnimationFrame(fit); };
  const watch = new ResizeObserver(later);
  for (const node of [...above, ...below]) watch.observe(node);
  window.addEventListener("resize", later);
  fit();
}
