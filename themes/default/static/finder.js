// The finder in place: answers load the next step from the steps the build wrote (steps.json) instead of a new
// page, with the address, the back button, the focus and a spoken announcement kept right. Progressive
// enhancement: without it, or if steps.json cannot be read, every answer is a link to the same step's page.
(function () {
  "use strict";
  var box = document.getElementById("finder-step");
  var live = document.getElementById("finder-live");
  if (!box || !live || !window.fetch || !window.history || !history.pushState) return;
  var steps = null;
  var start = box.getAttribute("data-start");

  function show(url, push) {
    var step = steps && steps[url];
    if (!step) return false;
    box.innerHTML = step.html;
    if (push) history.pushState({ finder: url }, "", url);
    var heading = document.getElementById("finder-heading");
    if (heading) {
      // The same titles as the pages': finder.html's title block.
      document.title = url === start ? box.getAttribute("data-start-title")
        : heading.textContent + " · " + box.getAttribute("data-title");
      heading.focus();
      live.textContent = heading.textContent;
    }
    return true;
  }

  box.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a") : null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    if (show(link.getAttribute("href"), true)) event.preventDefault();
  });

  window.addEventListener("popstate", function () {
    if (!show(location.pathname, false)) location.reload();
  });

  fetch(box.getAttribute("data-steps"), { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      steps = data;
      history.replaceState({ finder: location.pathname }, "", location.href);
    })
    .catch(function () { steps = null; });
})();
