// "Open now" for an office page: looks the current Shanghai time up in the dated opening intervals the
// build wrote into #office-schedule. Progressive enhancement: without it, the hours table says the same.
// It never says open or closed for a day it cannot know: a date beyond the holiday calendar, or a make-up
// working day of an office not known to open on one, gets a line that says why instead (issue 12).
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

  // The sessions of the day `dayNumber` (days since 1970-01-01), or why they cannot be known: `holiday` when
  // the day is a holiday or make-up day and nobody knows whether the office follows the calendar (its weekly
  // hours are shown with a doubt), `makeup` for a make-up working day of an office not known to open on one,
  // `calendar` when the calendar does not cover the day and the office follows it (or may).
  function sessions(dayNumber) {
    var weekday = (dayNumber + 3) % 7; // 1970-01-01 was a Thursday; 0 = Monday
    var weekly = s.patterns[s.weekly[weekday]];
    var i = first === null ? -1 : dayNumber - first;
    if (i >= 0 && i < s.days.length) {
      var code = s.days.charAt(i);
      if (code === "?") return { list: weekly, doubt: "holiday" };
      if (code === "!") return { list: null, doubt: "makeup" };
      return { list: s.patterns[parseInt(code, 36)], doubt: null };
    }
    if (s.follows_holidays === false) return { list: weekly, doubt: null };
    return { list: null, doubt: "calendar" };
  }

  // The line for a day that cannot be known.
  function unknown(day, dayNumber) {
    if (day.doubt === "makeup") return script.dataset.makeupUnsure;
    var year = new Date(dayNumber * DAY).getUTCFullYear();
    return script.dataset.unsure.replace("{year}", year);
  }

  function render() {
    var now = shanghaiNow();
    var today = Math.floor(now.getTime() / DAY);
    var minute = now.getUTCHours() * 60 + now.getUTCMinutes();
    var day = sessions(today);
    var text = null;
    if (day.list === null) text = unknown(day, today);
    for (var k = 0; text === null && k < day.list.length; k++) {
      var open = day.list[k][0], close = day.list[k][1];
      if (minute >= open && minute < close) text = script.dataset.open.replace("{time}", hhmm(close));
      else if (minute < open) text = script.dataset.opensToday.replace("{time}", hhmm(open));
    }
    var doubt = day.doubt;
    for (var ahead = 1; ahead <= 14 && text === null; ahead++) {
      var next = sessions(today + ahead);
      if (next.doubt === "calendar") {
        // The next opening lies beyond the calendar: say that rather than name a day that may be a holiday.
        text = unknown(next, today + ahead);
        doubt = null;
        break;
      }
      doubt = doubt || next.doubt;
      if (next.list && next.list.length) {
        text = script.dataset.opensLater
          .replace("{day}", dayNames[(today + ahead + 3) % 7])
          .replace("{time}", hhmm(next.list[0][0]));
      }
    }
    if (text === null) return;
    // A later day in doubt (a holiday, a make-up day) may be the next opening: say so.
    if (doubt && day.list !== null) text += " " + script.dataset.holidayUnsure;
    out.textContent = text;
    out.hidden = false;
  }
  render();
  setInterval(render, 60000);
})();
