// Show the delay-reason box only when the progress is "滞后" (the server checks it either way).
(function () {
  var select = document.getElementById("id_progress");
  var box = document.getElementById("delay-box");
  if (!select || !box) return;
  function sync() { box.hidden = select.value !== "delayed" && !box.querySelector(".errorlist"); }
  select.addEventListener("change", sync);
  sync();
})();
