// The search page's results, from Pagefind's search API. Only the search page loads this file, and it loads
// Pagefind (pagefind.js, the index chunks a query needs) from the site itself, when a reader searches.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !status || !list) return;
  var input = form.elements.q;
  var d = form.dataset;
  var pagefind = null;
  var round = 0;
  var timer = 0;

  function load() {
    if (!pagefind) {
      pagefind = import(new URL(d.pagefind, document.baseURI).href).then(function (pf) {
        // The index holds full paths (base path included), so Pagefind must not prefix the base path it guesses.
        return pf.options({ baseUrl: "/", excerptLength: 24 }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  // Pagefind marks the words found with <mark>; parse the excerpt inertly and keep only text and marks, so
  // nothing from the index becomes markup.
  function excerpt(html) {
    var p = document.createElement("p");
    var doc = new DOMParser().parseFromString(html, "text/html");
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  function item(result) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = result.url;
    a.textContent = (result.meta && result.meta.title) || result.url;
    li.appendChild(a);
    li.appendChild(excerpt(result.excerpt || ""));
    return li;
  }

  function say(text, query, count) {
    status.textContent = text.replace("{query}", query).replace("{count}", String(count));
  }

  function search(query) {
    var mine = ++round;
    query = query.trim();
    var url = query ? "?q=" + encodeURIComponent(query) : location.pathname;
    history.replaceState(null, "", url);
    if (!query) {
      list.replaceChildren();
      list.hidden = true;
      status.textContent = "";
      return;
    }
    say(d.searching, query, 0);
    load()
      .then(function (pf) { return pf.search(query); })
      .then(function (found) {
        return Promise.all(found.results.slice(0, 20).map(function (r) { return r.data(); })).then(function (data) {
          if (mine !== round) return;
          list.replaceChildren.apply(list, data.map(item));
          list.hidden = data.length === 0;
          var n = found.results.length;
          say(n === 0 ? d.none : n === 1 ? d.one : d.many, query, n);
        });
      })
      .catch(function () {
        if (mine === round) status.textContent = d.failed;
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search(input.value);
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 300);
  });
  var query = new URLSearchParams(location.search).get("q");
  if (query) {
    input.value = query;
    search(query);
  }
})();
