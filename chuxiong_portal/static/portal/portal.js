// Site-wide behaviour, loaded on every page (no inline handlers: the Content-Security-Policy forbids them).
(function () {
  "use strict";
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-autosubmit]"), function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
