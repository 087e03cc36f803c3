// Site-wide behaviour, loaded on every page (no inline handlers: the Content-Security-Policy forbids them).
(function () {
  "use strict";
  // A table wider than its box scrolls inside it (.scroll): such a box takes the keyboard's focus, so that the
  // arrow keys scroll it, and is named. With its table's caption it is a region of its own; named after its
  // section's heading it is a group, not a second region of the name the section already bears (a reader's list
  // of regions would show each name twice, and two boxes of one section would be two regions alike).
  function scrollBoxes() {
    Array.prototype.forEach.call(document.querySelectorAll(".scroll"), function (box) {
      if (box.hasAttribute("tabindex") || box.scrollWidth <= box.clientWidth + 1) { return; }
      var caption = box.querySelector("caption");
      var section = box.closest("section, .card, article");
      var heading = caption || (section && section.querySelector("h2, h3"));
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", caption ? "region" : "group");
      box.setAttribute("aria-label", heading ? heading.textContent.trim() : document.title);
    });
  }
  // On a phone the main navigation folds behind a 菜单 button (with scripts only: without them it stays open).
  function menu() {
    var toggle = document.querySelector(".menu-toggle");
    var nav = document.getElementById("mainnav");
    if (!toggle || !nav) { return; }
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // A refused submission comes back with its errors: the keyboard's focus goes to the first field the server
  // marked invalid, else to the page's error message, so that the reader starts where the correction is needed
  // (not at the top of the page, fourteen links and a form away).
  function focusFirstError() {
    var field = document.querySelector("main [aria-invalid='true']");
    if (field) {
      field.focus();
      return;
    }
    var message = document.querySelector("main .messages [role='alert'], main form [role='alert'], main .errorlist-box");
    if (message) {
      message.setAttribute("tabindex", "-1");
      message.focus();
    }
  }
  // A button that does what cannot be undone (印发, 删除, 发布) names its question in data-confirm: the form is sent
  // only once the reader has said yes. A click event, so that Enter in a field of the form (which "clicks" its first
  // button) asks too.
  function confirmations() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button[data-confirm], input[data-confirm]");
      if (button && !button.disabled && !window.confirm(button.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  }
  // ECharts is no page's own script (those run before the page can be used): a chart script, which names its address
  // in data-echarts, asks for it with `portal.withECharts(fn)`, and fn (if any) runs once it has come (at once when it
  // has already). Loaded once per page, whoever asks first.
  var echartsWaiting = [];
  var echartsLoader = null;
  function withECharts(fn) {
    if (window.echarts) {
      if (fn) { fn(); }
      return;
    }
    if (fn) { echartsWaiting.push(fn); }
    var asking = document.querySelector("script[data-echarts]");
    if (echartsLoader || !asking) { return; }
    echartsLoader = document.createElement("script");
    echartsLoader.src = asking.getAttribute("data-echarts");
    echartsLoader.onload = function () { echartsWaiting.splice(0).forEach(function (waiting) { waiting(); }); };
    document.head.appendChild(echartsLoader);
  }
  window.portal = { withECharts: withECharts };
  document.documentElement.classList.add("js");
  var pending = null;
  function start() {
    menu();
    confirmations();
    scrollBoxes();
    focusFirstError();
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(scrollBoxes, 200);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
