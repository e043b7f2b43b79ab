// Every page: a file field drawn as our own button (templates/_file_pick.html) shows the chosen file's name
// beside it, since the browser's own text is hidden with its button.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!input.matches?.(".file-pick input[type=file]")) return;
  const name = input.closest(".file-row")?.querySelector("[data-file-name]");
  if (!name) return;
  const file = input.files?.[0];
  name.textContent = file ? file.name : name.dataset.none;
  name.classList.toggle("chosen", Boolean(file));
});
