// "Open now" for an office page: looks the current Shanghai time up in the dated opening intervals the
// build wrote into #office-schedule. Progressive enhancement: without it, the hours table says the same.
(function () {
  "use strict";
  var data = document.getElementById("office-schedule");
  var out = document.getElementById("open-now");
  var script = document.currentScript || document.querySelector("script[data-open]");
  if (!data || !out || !script) return;
  var s = JSON.parse(data.textContent);
  var DAY = 864e5;
  var dayNames = script.dataset.days.split(",");

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function hhmm(m) { return pad(Math.floor(m / 60)) + ":" + pad(m % 60); }
  // Shanghai is UTC+8 all year (no daylight saving since 1991).
  function shanghaiNow() { return new Date(Date.now() + 8 * 36e5); }
  function startIndex() {
    if (!s.from) return null;
    var p = s.from.split("-");
    return Date.UTC(+p[0], +p[1] - 1, +p[2]) / DAY;
  }
  var first = startIndex();

  // The sessions of the day `dayNumber` (days since 1970-01-01), and why they may be wrong: `holiday` when
  // the day is a holiday or make-up day and nobody knows whether the office follows the calendar,
  // `calendar` when the calendar does not cover the day.
  function sessions(dayNumber) {
    var weekday = (dayNumber + 3) % 7; // 1970-01-01 was a Thursday; 0 = Monday
    var weekly = s.patterns[s.weekly[weekday]];
    var i = first === null ? -1 : dayNumber - first;
    if (i >= 0 && i < s.days.length) {
      var code = s.days.charAt(i);
      if (code === "?") return { list: weekly, doubt: "holiday" };
      return { list: s.patterns[parseInt(code, 36)], doubt: null };
    }
    return { list: weekly, doubt: s.follows_holidays === false ? null : "calendar" };
  }

  function render() {
    var now = shanghaiNow();
    var today = Math.floor(now.getTime() / DAY);
    var minute = now.getUTCHours() * 60 + now.getUTCMinutes();
    var day = sessions(today);
    var text = null;
    for (var k = 0; k < day.list.length && text === null; k++) {
      var open = day.list[k][0], close = day.list[k][1];
      if (minute >= open && minute < close) text = script.dataset.open.replace("{time}", hhmm(close));
      else if (minute < open) text = script.dataset.opensToday.replace("{time}", hhmm(open));
    }
    var doubt = day.doubt;
    for (var ahead = 1; ahead <= 14 && text === null; ahead++) {
      var next = sessions(today + ahead);
      doubt = doubt || next.doubt;
      if (next.list.length) {
        text = script.dataset.opensLater
          .replace("{day}", dayNames[(today + ahead + 3) % 7])
          .replace("{time}", hhmm(next.list[0][0]));
      }
    }
    if (text === null) return;
    if (doubt) text += " " + (doubt === "holiday" ? script.dataset.holidayUnsure : script.dataset.unsure);
    out.textContent = text;
    out.hidden = false;
  }
  render();
  setInterval(render, 60000);
})();
