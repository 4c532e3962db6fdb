// Contact card: the "log" form shows only the fields that apply (a note has no direction, only a call a result).
(function () {
  "use strict";
  var form = document.querySelector("#action-log form");
  if (!form) { return; }
  var kind = form.querySelector("select[name=kind]");
  function show(name, visible) {
    var field = form.querySelector(".field-" + name);
    if (field) { field.hidden = !visible; }
  }
  function update() {
    show("direction", kind.value !== "note");
    show("status", kind.value === "call");
    show("duration_min", kind.value === "call");
  }
  kind.addEventListener("change", update);
  update();
})();
