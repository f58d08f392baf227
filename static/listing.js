// 上市培育看板: drag a card to another lane to move the enterprise there. The drop posts
// through htmx (static/app.js adds the X-CSRF-Token header to htmx requests) and the
// response replaces #board. Without JavaScript every card has a plain form instead.
(function () {
  "use strict";
  var dragged = null;

  function lane(el) { return el && el.closest ? el.closest("[data-lane]") : null; }

  document.addEventListener("dragstart", function (ev) {
    var card = ev.target && ev.target.closest ? ev.target.closest("[data-card][draggable=true]") : null;
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    if (ev.dataTransfer) {
      ev.dataTransfer.effectAllowed = "move";
      ev.dataTransfer.setData("text/plain", card.getAttribute("data-enterprise"));
    }
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    document.querySelectorAll(".lane.drop").forEach(function (l) { l.classList.remove("drop"); });
  });

  document.addEventListener("dragover", function (ev) {
    var l = lane(ev.target);
    if (!l || !dragged) return;
    ev.preventDefault();
    if (ev.dataTransfer) ev.dataTransfer.dropEffect = "move";
    l.classList.add("drop");
  });

  document.addEventListener("dragleave", function (ev) {
    var l = lane(ev.target);
    if (l && !l.contains(ev.relatedTarget)) l.classList.remove("drop");
  });

  document.addEventListener("drop", function (ev) {
    var l = lane(ev.target);
    var card = dragged;
    if (!l || !card) return;
    ev.preventDefault();
    l.classList.remove("drop");
    var to = l.getAttribute("data-stage");
    if (to === card.getAttribute("data-stage")) return;
    var values = { to_stage: to, version: card.getAttribute("data-version"), view: "board" };
    // Anything but the next stage needs a reason (skip, back, withdraw).
    if (to !== card.getAttribute("data-next")) {
      var reason = window.prompt("跨阶段、回退或撤回须填写理由：");
      if (reason === null) return;
      values.reason = reason;
    }
    var board = document.getElementById("board");
    ["district", "tier", "board"].forEach(function (k) {
      var v = board && board.getAttribute("data-" + k);
      if (v) values[k] = v;
    });
    if (!window.htmx) return;
    window.htmx.ajax("POST", card.getAttribute("data-move-url"), { target: "#board", swap: "outerHTML", values: values });
  });
})();
