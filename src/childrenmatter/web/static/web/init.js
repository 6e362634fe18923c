// Progressive enhancement: every page works without JavaScript; with it, GOV.UK Frontend's
// components (error summary focus, password reveal, navigation menu) come to life, and
// htmx (loaded by the layout) swaps some parts of pages in place.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// What htmx swaps in is new markup: bring its GOV.UK components to life too (an error
// summary then takes the focus, as it does on a page load).
document.addEventListener("htmx:afterSettle", (event) => {
  const swapped = event.detail.elt;
  if (swapped && swapped.isConnected) {
    initAll({ scope: swapped });
  }
});
