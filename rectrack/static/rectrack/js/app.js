// Progressive enhancement only: every page works without this file.
"use strict";

// On a narrow screen a long filter panel folds away, unless a filter is in
// use, so that the results come into view first. Without this script the
// panel simply stays open.
(function foldFiltersOnNarrowScreens() {
  if (!window.matchMedia("(max-width: 62rem)").matches) return;
  for (const panel of document.querySelectorAll("details.fold-narrow:not([data-active])")) {
    panel.open = false;
  }
})();

// Answers with a word limit show their count as one types (the server
// counts the same way and refuses answers over the limit).
(function countWords() {
  const cjk = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  const word = new RegExp(`[${cjk}]|[^\\s${cjk}]+`, "g");
  for (const box of document.querySelectorAll("textarea[data-word-limit][data-word-count]")) {
    const limit = Number(box.dataset.wordLimit);
    const counter = document.createElement("p");
    counter.className = "help word-count";
    counter.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", counter);
    const update = () => {
      const count = (box.value.match(word) || []).length;
      counter.textContent = box.dataset.wordCount.replace("%(count)s", count).replace("%(limit)s", limit);
      counter.classList.toggle("over", count > limit);
    };
    box.addEventListener("input", update);
    update();
  }
})();
