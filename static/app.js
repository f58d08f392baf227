// zjtx front-end behaviour. Everything here is an enhancement: pages and forms work without it.
(function () {
  "use strict";

  // Send the CSRF token with every htmx request (issue: forms carry it as a hidden field).
  document.addEventListener("htmx:configRequest", function (ev) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) ev.detail.headers["X-CSRF-Token"] = meta.content;
  });

  // Elements with data-confirm ask before submitting.
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) ev.preventDefault();
  });

  // A select with data-autosubmit submits its form on change (filters).
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) {
      if (window.htmx && el.form.hasAttribute("hx-get")) {
        window.htmx.trigger(el.form, "submit");
      } else {
        el.form.submit();
      }
    }
  });

  // The side navigation collapses on narrow screens.
  document.addEventListener("click", function (ev) {
    var t = ev.target.closest && ev.target.closest("[data-nav-toggle]");
    if (t) document.body.classList.toggle("nav-open");
  });
})();
