// Show the delay-reason box only when the progress is "滞后" (the server checks it either way).
(function () {
  var select = document.getElementById("id_progress");
  var box = document.getElementById("delay-box");
  if (!select || !box) return;
  function sync() { box.hidden = select.value !== "delayed" && !box.querySelector(".errorlist"); }
  select.addEventListener("change", sync);
  sync();
})();
// Length limits: a live count under each limited field, marked when past the limit (the server refuses it
// with the same numbers; nothing is ever cut). The words come from the page (data-text, data-over).
(function () {
  Array.prototype.forEach.call(document.querySelectorAll(".counter[data-counter-for]"), function (counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    var max = parseInt(counter.getAttribute("data-max"), 10);
    if (!field || !max) return;
    function sync() {
      var count = Array.from(field.value).length;
      var over = count > max;
      var text = counter.getAttribute(over ? "data-over" : "data-text");
      counter.textContent = text.replace("{count}", count).replace("{over}", count - max);
      counter.classList.toggle("over", over);
      field.setAttribute("aria-invalid", over ? "true" : "false");
    }
    field.addEventListener("input", sync);
    sync();
  });
})();
