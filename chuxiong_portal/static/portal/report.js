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
    // The count describes the field; the server's verdict (aria-invalid after a refused save) is kept.
    if (!counter.id) { counter.id = field.id + "_counter"; }
    var described = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (described.indexOf(counter.id) < 0) { described.push(counter.id); }
    field.setAttribute("aria-describedby", described.join(" "));
    var refused = field.getAttribute("aria-invalid") === "true";
    function sync() {
      var count = Array.from(field.value).length;
      var over = count > max;
      var text = counter.getAttribute(over ? "data-over" : "data-text");
      counter.textContent = text.replace("{count}", count).replace("{over}", count - max);
      counter.classList.toggle("over", over);
      if (over || refused) { field.setAttribute("aria-invalid", "true"); } else { field.removeAttribute("aria-invalid"); }
    }
    field.addEventListener("input", sync);
    sync();
  });
})();
