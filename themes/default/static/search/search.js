// The search page's results, from the site's own index (search-index/<lang>/, written by `diptych build`).
// Only the search page loads this file, and it fetches the index's entry and the few word chunks and page
// groups a query needs, from the site itself, only when a reader searches. A query is cut into terms as the
// index was (src/render/search_index.rs): words folded to lower case without accents, and Chinese or Japanese
// cut into characters and pairs of characters, so "配偶" and "学林路" need no dictionary.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !status || !list || !window.fetch) return;
  var input = form.elements.q;
  var d = form.dataset;
  var entryUrl = new URL(d.index, document.baseURI);
  var files = {};
  var round = 0;
  var timer = 0;
  var SHOWN = 20;
  var MAX_PREFIX_CHUNKS = 4;
  var UNSPACED = /[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3ffff}]/u;
  var WORD = /[\p{Alphabetic}\p{N}]/u;

  // A file of the index, by its path inside the bundle; each is fetched once.
  function get(path) {
    if (!files[path]) {
      files[path] = fetch(new URL(path, entryUrl)).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + path);
        return response.json();
      });
      files[path].catch(function () { delete files[path]; });
    }
    return files[path];
  }

  // What a query asks for: one need per word, and one per character pair of a Chinese or Japanese run. A page
  // matches when it meets every need. A word of three letters or more also matches the words it starts
  // ("renew" finds "renewal"), and a lone character the terms it starts (the index holds pairs, and each
  // run's last character).
  function needs(query) {
    var folded = query.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
    var found = [];
    var word = "";
    var run = [];
    function endWord() {
      if (word && Array.from(word).length <= 40) found.push({ term: word, prefix: Array.from(word).length >= 3 });
      word = "";
    }
    function endRun() {
      if (run.length === 1) found.push({ term: run[0], prefix: true });
      for (var i = 0; i + 1 < run.length; i++) found.push({ term: run[i] + run[i + 1], prefix: false });
      run = [];
    }
    Array.from(folded).forEach(function (c) {
      if (UNSPACED.test(c)) { endWord(); run.push(c); }
      else if (WORD.test(c)) { endRun(); word += c; }
      else { endWord(); endRun(); }
    });
    endWord();
    endRun();
    var seen = {};
    return found.filter(function (n) { return seen[n.term] ? false : (seen[n.term] = true); });
  }

  // The chunks that may hold `need`: the one whose range holds the term and, for a prefix, those after it
  // that start with it. Chunks are listed by their first term, in the order JavaScript compares strings.
  function chunksFor(entry, need) {
    var words = entry.words;
    var lo = 0;
    var hi = words.length - 1;
    var at = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (words[mid][0] <= need.term) { at = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    var chosen = [at];
    while (need.prefix && at + 1 < words.length && words[at + 1][0].startsWith(need.term) &&
      chosen.length < MAX_PREFIX_CHUNKS) {
      chosen.push(++at);
    }
    return chosen.map(function (i) { return "w/" + words[i][1] + ".json"; });
  }

  // Each page that meets `need`, with its score: the term's rarity times its weight in the page, less for a
  // word the need only starts.
  function scoresFor(entry, need, chunks) {
    var scores = new Map();
    chunks.forEach(function (chunk) {
      chunk.forEach(function (posting) {
        var term = posting[0];
        var exact = term === need.term;
        if (!exact && !(need.prefix && term.startsWith(need.term))) return;
        var pages = posting[1];
        var df = pages.length / 2;
        var idf = Math.log(1 + (entry.pages - df + 0.5) / (df + 0.5));
        var page = 0;
        for (var i = 0; i < pages.length; i += 2) {
          page += pages[i];
          var s = idf * pages[i + 1] / 100 * (exact ? 1 : 0.6);
          if (!(scores.get(page) >= s)) scores.set(page, s);
        }
      });
    });
    return scores;
  }

  function find(query) {
    var wanted = needs(query);
    if (!wanted.length) return Promise.resolve({ entry: null, ranked: [] });
    return get("index.json").then(function (entry) {
      return Promise.all(wanted.map(function (need) {
        return Promise.all(chunksFor(entry, need).map(get)).then(function (chunks) {
          return scoresFor(entry, need, chunks);
        });
      })).then(function (perNeed) {
        perNeed.sort(function (a, b) { return a.size - b.size; });
        var ranked = [];
        perNeed[0].forEach(function (score, page) {
          for (var i = 1; i < perNeed.length; i++) {
            var more = perNeed[i].get(page);
            if (more === undefined) return;
            score += more;
          }
          ranked.push([page, score]);
        });
        ranked.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
        return { entry: entry, ranked: ranked };
      });
    });
  }

  function page(entry, id) {
    return get("p/" + entry.groups[Math.floor(id / entry.group)] + ".json").then(function (group) {
      return group[id % entry.group];
    });
  }

  // The query's words, to find and mark in a page's text.
  function pattern(query) {
    var pieces = query.split(/[^\p{Alphabetic}\p{N}]+/u).filter(Boolean).map(function (p) {
      return p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    });
    return pieces.length ? new RegExp(pieces.join("|"), "giu") : null;
  }

  // About 200 characters of `text` around the first place the query's words appear, with those words
  // marked. Built from text nodes: nothing from the index becomes markup.
  function excerpt(text, re) {
    var p = document.createElement("p");
    var start = 0;
    if (re) {
      re.lastIndex = 0;
      var first = re.exec(text);
      if (first) start = Math.max(0, first.index - 60);
    }
    if (start > 0) {
      var space = text.indexOf(" ", start);
      if (space >= 0 && space < start + 20) start = space + 1;
    }
    var end = Math.min(text.length, start + 200);
    if (end < text.length) {
      var cut = text.lastIndexOf(" ", end);
      if (cut > start + 150) end = cut;
    }
    var shown = (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
    var at = 0;
    if (re) {
      re.lastIndex = 0;
      var m;
      while ((m = re.exec(shown)) !== null && m[0]) {
        p.appendChild(document.createTextNode(shown.slice(at, m.index)));
        var mark = document.createElement("mark");
        mark.textContent = m[0];
        p.appendChild(mark);
        at = m.index + m[0].length;
      }
    }
    p.appendChild(document.createTextNode(shown.slice(at)));
    return p;
  }

  function item(stored, re) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = stored.url;
    a.textContent = stored.title || stored.url;
    li.appendChild(a);
    if (stored.text) li.appendChild(excerpt(stored.text, re));
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
    find(query)
      .then(function (found) {
        var top = found.ranked.slice(0, SHOWN);
        return Promise.all(top.map(function (r) { return page(found.entry, r[0]); })).then(function (stored) {
          if (mine !== round) return;
          var re = pattern(query);
          list.replaceChildren.apply(list, stored.map(function (s) { return item(s, re); }));
          list.hidden = stored.length === 0;
          var n = found.ranked.length;
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
