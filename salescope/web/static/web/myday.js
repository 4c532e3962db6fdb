// My day: the first-response timers count up every second and turn red past the SLA.
(function () {
  "use strict";
  function format(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = (h && m < 10 ? "0" : "") + m, ss = (s < 10 ? "0" : "") + s;
    return h ? h + ":" + mm + ":" + ss : mm + ":" + ss;
  }
  var timers = Array.prototype.slice.call(document.querySelectorAll(".timer[data-waited]"));
  var loaded = Date.now();
  function tick() {
    var passed = Math.floor((Date.now() - loaded) / 1000);
    timers.forEach(function (timer) {
      var waited = parseInt(timer.dataset.waited, 10) + passed;
      timer.textContent = format(waited);
      timer.classList.toggle("late", waited > parseInt(timer.dataset.sla, 10));
    });
  }
  if (timers.length) { setInterval(tick, 1000); }
})();
