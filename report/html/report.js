(function () {
  "use strict";
  var rule = document.getElementById("f-rule");
  var path = document.getElementById("f-path");
  var author = document.getElementById("f-author");
  var shown = document.getElementById("shown");
  if (!rule || !path || !author || !shown) {
    return;
  }
  var rows = Array.prototype.slice.call(
    document.querySelectorAll("#findings tbody tr"));

  function apply() {
    var r = rule.value;
    var p = path.value.trim().toLowerCase();
    var a = author.value.trim().toLowerCase();
    var n = 0;
    rows.forEach(function (tr) {
      var ok = (r === "" || tr.dataset.rule === r) &&
        tr.dataset.path.toLowerCase().indexOf(p) >= 0 &&
        tr.dataset.author.toLowerCase().indexOf(a) >= 0;
      tr.hidden = !ok;
      if (ok) {
        n++;
      }
    });
    shown.textContent = String(n);
  }

  document.getElementById("filters").addEventListener("submit", function (e) {
    e.preventDefault();
  });
  [rule, path, author].forEach(function (el) {
    el.addEventListener("input", apply);
    el.addEventListener("change", apply);
  });
  apply();
})();
