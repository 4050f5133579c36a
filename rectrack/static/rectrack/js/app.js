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
