// Translated strings handed over by the page (JSON in <script id="live-config">), with %(name)s fill-ins.
export function makeT(strings) {
  return (key, params = {}) => {
    const text = strings[key] ?? key;
    return text.replace(/%\((\w+)\)s/g, (_, name) => String(params[name] ?? ""));
  };
}

// The page's settings: ids, URLs and strings.
export function pageConfig() {
  const el = document.getElementById("live-config");
  return el ? JSON.parse(el.textContent) : {};
}

// Create an element with attributes and children (strings become text nodes: user text is never HTML).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// A time of day in the meeting's time zone (DAIS_TIMEZONE, on <html data-timezone>), whatever zone this device is
// set to, on the 24-hour clock, as the minutes write it: clock(new Date()) -> "14:05" (a wall said "06:45 PM" in
// English and "18:45" in Vietnamese).
export function clock(date, options = { hour: "2-digit", minute: "2-digit" }) {
  const root = document.documentElement;
  const day = { ...options, hourCycle: "h23" };
  try {
    return date.toLocaleTimeString(root.lang, { ...day, timeZone: root.dataset.timezone || undefined });
  } catch {   // a zone this browser does not know: its own clock
    return date.toLocaleTimeString(root.lang, day);
  }
}

// Text for matching what people type: case, accents and đ folded ("nguyen" finds "Nguyễn").
export function fold(text) {
  return String(text ?? "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
    .toLowerCase();
}

// A seat as a steward says it: case, accents and spaces aside, numbers without leading zeros (“a 1” is “A01”), as
// _seat_key() in app/attendance/service.py.
export function seatKey(text) {
  return fold(text).replace(/\s+/g, "").replace(/\d+/g, (n) => String(Number(n)));
}

// Whether someone fits what was typed in a find box: a part of their seat or name (accents aside), or their seat
// as said (“A1” finds A01).
export function fitsFind(seat, name, typed) {
  const wanted = fold(String(typed ?? "").trim());
  return !wanted || fold(`${seat ?? ""} ${name}`).includes(wanted) || (!!seat && seatKey(seat) === seatKey(wanted));
}
