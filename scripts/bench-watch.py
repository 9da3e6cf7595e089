#!/usr/bin/env python3
"""Save-to-file latency of `diptych watch`: the time from saving a page to its rewritten output file.

    python3 scripts/bench-watch.py --site DIR [--binary target/release/diptych] [--edits 40]

DIR is a site (site.toml and content/), for example the 10,000-page site that scripts/bench.sh generates and
keeps:

    scripts/bench.sh 10000
    python3 scripts/bench-watch.py --site /dev/shm/diptych-bench/site-10000/content-only

The site is copied to a temporary folder (on /dev/shm when there is one), so it is never changed. Each edit
writes a page in place, as most editors save, and polls the page's output file until it holds the new text.
Body edits (only the Markdown changes) and title edits (the front matter changes: the section, the home page
and the sitemap list the page) are measured apart. Prints p50, p95 and the largest, in milliseconds.
"""

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def pages(content):
    """English pages (not sections), as (source file, output file relative to the output folder)."""
    found = []
    for folder, _, files in os.walk(content):
        for name in files:
            if name.endswith(".md") and not name.startswith("_index") and name.count(".") == 1:
                rel = os.path.relpath(os.path.join(folder, name), content)
                found.append((rel, os.path.join("en", rel[: -len(".md")], "index.html")))
    return sorted(found)


class Watch:
    """`diptych watch` running, its summary lines collected as they come."""

    def __init__(self, binary, root, out):
        self.proc = subprocess.Popen(
            [binary, "watch", "--root", root, "--output", out],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()

    def wait_line(self, start, pattern, timeout=600):
        """The first line from index `start` on that matches `pattern`, and the index after it."""
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for i in range(start, len(self.lines)):
                    if re.search(pattern, self.lines[i]):
                        return self.lines[i], i + 1
                left = deadline - time.time()
                if left <= 0 or self.proc.poll() is not None:
                    sys.exit("watch did not print /%s/:\n%s" % (pattern, "\n".join(self.lines[-20:])))
                self.cond.wait(left)

    def stop(self):
        self.proc.send_signal(2)
        self.proc.wait(timeout=60)


def edit(watch, seen, source, output, text, token):
    """Saves `text` to `source`; returns the ms until `output` holds `token`, and watch's own ms."""
    started = time.perf_counter()
    with open(source, "w", encoding="utf-8") as f:
        f.write(text)
    last = None
    while True:
        try:
            stat = os.stat(output)
            if (stat.st_mtime_ns, stat.st_size) != last:
                last = (stat.st_mtime_ns, stat.st_size)
                with open(output, encoding="utf-8") as f:
                    if token in f.read():
                        break
        except FileNotFoundError:
            pass
        if time.perf_counter() - started > 60:
            sys.exit("%s never showed the edit" % output)
        time.sleep(0.0003)
    latency = (time.perf_counter() - started) * 1000
    line, seen = watch.wait_line(seen, r"^(rebuilt|build failed)")
    reported = re.search(r"· (\d+) ms$", line)
    return latency, int(reported.group(1)) if reported else None, seen


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", required=True)
    parser.add_argument("--binary", default="target/release/diptych")
    parser.add_argument("--edits", type=int, default=40, help="edits of each kind")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    tmp = tempfile.mkdtemp(prefix="diptych-latency-", dir=base)
    try:
        root = os.path.join(tmp, "site")
        out = os.path.join(tmp, "out")
        shutil.copytree(args.site, root, ignore=shutil.ignore_patterns("dist"))
        candidates = pages(os.path.join(root, "content"))
        print("site: %d English pages; starting watch…" % len(candidates), flush=True)
        started = time.perf_counter()
        watch = Watch(args.binary, root, out)
        line, seen = watch.wait_line(0, r"^(built|build failed)")
        print("first build: %.1f s (%s)" % (time.perf_counter() - started, line), flush=True)

        rng = random.Random(args.seed)
        results = {"body": [], "title": []}
        for n in range(args.edits):
            for kind in ("body", "title"):
                rel, output = rng.choice(candidates)
                source = os.path.join(root, "content", rel)
                with open(source, encoding="utf-8") as f:
                    text = f.read()
                token = "edit-%s-%d-%d" % (kind, n, rng.randrange(10**9))
                if kind == "body":
                    new = text + "\n\nA new paragraph, %s.\n" % token
                else:
                    new = re.sub(r'^title = ".*"$', 'title = "Title %s"' % token, text, count=1, flags=re.M)
                latency, reported, seen = edit(watch, seen, source, os.path.join(out, output), new, token)
                results[kind].append((latency, reported))
                time.sleep(0.05)
        watch.stop()

        for kind, values in results.items():
            latencies = [v[0] for v in values]
            reported = [v[1] for v in values if v[1] is not None]
            print(
                "%-5s edits: n=%d  save→file p50 %.1f ms  p95 %.1f ms  max %.1f ms  (watch's own rebuild p50 %d ms)"
                % (
                    kind,
                    len(latencies),
                    percentile(latencies, 50),
                    percentile(latencies, 95),
                    max(latencies),
                    percentile(reported, 50) if reported else -1,
                )
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
