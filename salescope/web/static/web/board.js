// Deal board: drag a card onto another column; the drop submits the card's own "Move to…" form (htmx).
(function () {
  "use strict";
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".deal-card");
    if (!card) { return; }
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.deal);
  });
  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
    document.querySelectorAll(".column.drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
  });
  document.addEventListener("dragover", function (event) {
    var column = event.target.closest && event.target.closest(".column[data-stage]");
    if (!column || !dragged) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".column.drop-target").forEach(function (c) { if (c !== column) { c.classList.remove("drop-target"); } });
    column.classList.add("drop-target");
  });
  document.addEventListener("drop", function (event) {
    var column = event.target.closest && event.target.closest(".column[data-stage]");
    if (!column) { return; }
    event.preventDefault();
    var dealId = event.dataTransfer.getData("text/plain") || (dragged && dragged.dataset.deal);
    var form = document.querySelector('form[data-move-for="' + dealId + '"]');
    column.classList.remove("drop-target");
    if (!form || column.contains(form)) { return; }
    form.querySelector("select[name=stage]").value = column.dataset.stage;
    form.requestSubmit();
  });
  // Cancel in the loss-reason / won dialog: just close it (the board is unchanged).
  document.addEventListener("click", function (event) {
    var close = event.target.closest && event.target.closest("[data-close-dialog]");
    var slot = document.getElementById("dialog-slot");
    if (!close || !slot || !window.htmx) { return; }
    event.preventDefault();
    slot.innerHTML = "";
    document.querySelectorAll("form.move").forEach(function (form) { form.reset(); });
  });
  document.addEventListener("keydown", function (event) {
    var slot = document.getElementById("dialog-slot");
    if (event.key === "Escape" && slot && slot.innerHTML.trim()) {
      slot.innerHTML = "";
      document.querySelectorAll("form.move").forEach(function (form) { form.reset(); });
    }
  });
})();
