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

// A chart of the statistics pages as a PNG: the inline SVG drawn on a canvas
// at twice its size. Without this script the SVG download remains.
(function chartsAsPng() {
  for (const button of document.querySelectorAll("button[data-png]")) {
    const svg = document.querySelector(`figure[data-chart="${button.dataset.png}"] svg`);
    if (!svg || !window.HTMLCanvasElement) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      const width = Number(svg.getAttribute("width"));
      const height = Number(svg.getAttribute("height"));
      const image = new Image();
      image.onload = () => {
        const canvas = document.createElement("canvas");
        canvas.width = width * 2;
        canvas.height = height * 2;
        const context = canvas.getContext("2d");
        context.scale(2, 2);
        context.drawImage(image, 0, 0, width, height);
        canvas.toBlob((blob) => {
          const link = document.createElement("a");
          link.href = URL.createObjectURL(blob);
          link.download = `${button.dataset.png}.png`;
          document.body.appendChild(link);
          link.click();
          link.remove();
          setTimeout(() => URL.revokeObjectURL(link.href), 1000);
        }, "image/png");
      };
      const markup = new XMLSerializer().serializeToString(svg);
      image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(markup);
    });
  }
})();
