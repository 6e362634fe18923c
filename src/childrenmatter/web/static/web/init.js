// Progressive enhancement: every page works without JavaScript; with it, GOV.UK Frontend's
// components (error summary focus, password reveal, navigation menu) come to life.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
