// Upload forms on the preparation page: a progress bar for the transfer, then for the page rendering
// (GET /api/documents/<id>/progress every second), then the page reloads with the new document.
import { announce } from "../lib/a11y.js";

const S = JSON.parse(document.getElementById("upload-strings").textContent);
const fmt = (t, v) => t.replace(/%\((\w+)\)s/g, (_, k) => String(v[k] ?? "")).replace("%%", "%");

function statusLine(form) {
  let line = form.querySelector(".upload-status");
  if (!line) {
    line = document.createElement("p");
    line.className = "upload-status";
    // not a live region: it changes at every percent; the steps a person waits for are said once (announce)
    form.append(line);
  }
  return line;
}

function send(form, bar, line) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.responseType = "json";
    xhr.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.round((100 * e.loaded) / e.total);
      bar.max = 100; bar.value = percent;
      if (percent >= 100 && line.textContent !== S.checking) announce(S.checking);
      line.textContent = percent < 100 ? fmt(S.uploading, { percent }) : S.checking;
    });
    xhr.addEventListener("load", () => {
      const body = xhr.response || {};
      if (xhr.status === 200 && body.ok) resolve(body.document);
      else reject(new Error(body.message || S.failed));
    });
    xhr.addEventListener("error", () => reject(new Error(S.failed)));
    xhr.send(new FormData(form));
  });
}

async function follow(doc, bar, line) {
  for (;;) {
    const resp = await fetch(`/api/documents/${doc.id}/progress`, { credentials: "same-origin" });
    const p = await resp.json();
    if (p.ok === false) throw new Error(p.message);
    bar.max = p.pages; bar.value = p.rendered;
    line.textContent = p.done ? fmt(S.done, p) : fmt(S.rendering, p);
    if (p.done) { announce(line.textContent); return; }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

// The page reloads to list a new document only once no other upload is running (a reload would cancel it) and
// nothing typed into the page's other forms would be lost; otherwise the finished upload offers the reload.
let running = 0;
const typed = () => [...document.querySelectorAll("main input[type=text], main textarea")]
  .some((el) => !el.closest("form[data-upload]") && el.value !== el.defaultValue);

function showWhenSafe(form, line) {
  if (running === 0 && !typed()) { location.reload(); return; }
  if (form.querySelector(".upload-show")) return;
  const show = document.createElement("button");
  show.type = "button"; show.className = "btn upload-show"; show.textContent = S.show;
  show.addEventListener("click", () => location.reload());
  line.after(show);
}

function tooLarge(form) {
  const file = form.querySelector("input[type=file]")?.files?.[0];
  return file && S.max_bytes && file.size > S.max_bytes;
}

for (const form of document.querySelectorAll("form[data-upload]")) {
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (form.dataset.busy) return;   // sending already
    const bar = form.querySelector("progress");
    const button = form.querySelector("button[type=submit]");
    const line = statusLine(form);
    line.classList.remove("upload-error");
    if (tooLarge(form)) {   // say so before sending it all: the server would refuse it at the end
      line.textContent = S.too_large;
      line.classList.add("upload-error");
      line.setAttribute("role", "alert");
      return;
    }
    bar.hidden = false; bar.value = 0;
    // aria-disabled, not disabled: a disabled button drops the keyboard's focus to the top of the page
    form.dataset.busy = "1";
    button.setAttribute("aria-disabled", "true");
    announce(fmt(S.uploading, { percent: 0 }));
    running += 1;
    try {
      const doc = await send(form, bar, line);
      await follow(doc, bar, line);
      running -= 1;
      showWhenSafe(form, line);
    } catch (err) {
      running -= 1;
      line.textContent = err.message;
      line.classList.add("upload-error");
      line.setAttribute("role", "alert");
      bar.hidden = true;
      delete form.dataset.busy;
      button.removeAttribute("aria-disabled");
    }
  });
}
