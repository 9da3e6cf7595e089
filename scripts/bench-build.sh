#!/usr/bin/env bash
# Times a clean build of a generated bilingual site with diptych and with Hugo, in the same run, alternating,
# and measures each one's peak memory. Usage: scripts/bench-build.sh [PAGES_PER_LANGUAGE] [RUNS]
# Needs: hyperfine, hugo (apt-get install hyperfine hugo), python3, GNU time (/usr/bin/time).
set -euo pipefail
pages=${1:-10000}
runs=${2:-5}
cd "$(dirname "$0")/.."
work=${BENCH_DIR:-/dev/shm/diptych-bench}
site="$work/site-$pages"
out="$work/out"

cargo build --release --quiet
bin="$PWD/target/release/diptych"
if [ ! -f "$site/content-only/site.toml" ]; then
  python3 ../shared/bench/gen_site.py --pages "$pages" --out "$site" --content-only-en-prefix /en >/dev/null
  cat > "$site/content-only/site.toml" <<'TOML'
base_url = "https://example.org/"
default_language = "en"

[languages.en]
name = "English"
title = "City services guide"

[languages.zh]
name = "中文"
title = "城市服务指南"
lang_tag = "zh-Hans"
TOML
fi

diptych_cmd="$bin build --root $site/content-only --output $out/diptych"
hugo_cmd="hugo --source $site/hugo --destination $out/hugo --quiet"
echo "== $pages pages per language; $("$bin" --version); $(hugo version | cut -d' ' -f1-2)"
hyperfine --warmup 1 --runs "$runs" --prepare "rm -rf $out" --export-json "$work/hyperfine.json" \
  -n diptych "$diptych_cmd" -n hugo "$hugo_cmd"

peak() { rm -rf "$out"; /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }
diptych_kib=$(peak $diptych_cmd)
hugo_kib=$(peak $hugo_cmd)
python3 - "$work/hyperfine.json" "$pages" "$diptych_kib" "$hugo_kib" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
pages = int(sys.argv[2]) * 2
d, h = results["diptych"]["median"], results["hugo"]["median"]
dk, hk = int(sys.argv[3]), int(sys.argv[4])
print(f"diptych: median {d:.2f} s, {pages / d:,.0f} pages/s, peak {dk / 1024:,.0f} MiB")
print(f"hugo:    median {h:.2f} s, {pages / h:,.0f} pages/s, peak {hk / 1024:,.0f} MiB")
print(f"diptych is {h / d:.1f}x faster than Hugo, with {dk / hk:.0%} of its peak memory")
PY
