// Every page: a form with data-confirm="question" is sent only once the person has said yes to the question
// (deleting an agenda item, reissuing a badge). A listener here, not an onsubmit attribute: the pages' Content
// Security Policy runs no inline script. Loaded as a classic script in the page's head (not a module, which runs
// only once the page is parsed): the listener is there before any form can be tapped.
document.addEventListener("submit", (event) => {
  const question = event.target.closest?.("form[data-confirm]")?.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
