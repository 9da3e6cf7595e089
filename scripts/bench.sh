#!/usr/bin/env bash
# Clean builds of generated bilingual sites with diptych, Zola and Hugo, paired in one run, and `diptych check`
# on the same sites. Prints one markdown table: wall time, CPU time and peak memory per tool and size, and
# diptych's ratios to its peers (issue 16).
#
#   scripts/bench.sh [--runs N] [--with-100k] [--search] [PAGES_PER_LANGUAGE…]  (default sizes: 1000 10000 30000)
#
# Each size is measured in rounds: one warm-up round, then N measured rounds (default 5, and 3 from 30,000 pages
# on). A round runs every tool once, in an order that rotates from round to round, so a noisy stretch of the
# machine falls on all tools alike. The output is removed before every run. Wall time is hyperfine's; CPU time
# (user + sys) and peak resident memory are GNU time's for the same run. The table shows medians over the rounds.
# --with-100k adds one build of diptych alone at 100,000 pages per language (time and peak memory).
# --search measures what search costs instead (issue 13; default size 10000): diptych with search off and on,
# and Zola with its search index (`build_search_index`, English only: Zola cannot index Chinese in its
# official builds), on copies of the same site with search turned on.
#
# Sites come from ../shared/bench/gen_site.py and are kept in $BENCH_DIR (default /dev/shm/diptych-bench) for
# the next run. Tools: target/release/diptych (built here), $ZOLA (default: `zola` on PATH, else ../bin/zola),
# $HUGO (default: hugo). A missing Zola or Hugo is said and skipped. Needs python3, hyperfine and GNU time
# (apt-get install hyperfine time hugo). Run it on a quiet machine; `uptime` is printed with the results.
set -euo pipefail

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
die() { echo "bench.sh: $*" >&2; exit 2; }

runs_override=""
with_100k=0
search=0
sizes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) [ $# -ge 2 ] || die "--runs needs a number"; runs_override=$2; shift 2 ;;
    --with-100k) with_100k=1; shift ;;
    --search) search=1; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "bench.sh: unknown option $1" >&2; usage 2 ;;
    *) sizes+=("$1"); shift ;;
  esac
done
if [ ${#sizes[@]} -eq 0 ]; then
  if [ "$search" = 1 ]; then sizes=(10000); else sizes=(1000 10000 30000); fi
fi
for n in "${sizes[@]}" ${runs_override:+"$runs_override"}; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "not a positive whole number: $n"
done

cd "$(dirname "$0")/.."
repo=$PWD
gen="$repo/../shared/bench/gen_site.py"
[ -f "$gen" ] || die "the site generator is missing: $gen"
command -v python3 >/dev/null || die "python3 is missing"
command -v hyperfine >/dev/null || die "hyperfine is missing (apt-get install hyperfine)"
[ -x /usr/bin/time ] || die "GNU time is missing at /usr/bin/time (apt-get install time)"

work=${BENCH_DIR:-/dev/shm/diptych-bench}
out="$work/out"
mkdir -p "$work"
records="$work/records.tsv"
: > "$records"
loads="$work/loads.tsv"
: > "$loads"

echo "Building diptych (cargo build --release)…" >&2
cargo build --release --quiet
diptych="$repo/target/release/diptych"

zola=${ZOLA:-}
if [ -z "$zola" ]; then
  if command -v zola >/dev/null; then zola=$(command -v zola)
  elif [ -x "$repo/../bin/zola" ]; then zola=$(cd "$repo/../bin" && pwd)/zola
  fi
fi
if [ -n "$zola" ] && ! "$zola" --version >/dev/null 2>&1; then
  echo "bench.sh: ZOLA=$zola does not run; Zola is skipped." >&2; zola=""
elif [ -z "$zola" ]; then
  echo "bench.sh: Zola not found (no \$ZOLA, no zola on PATH, no ../bin/zola); Zola is skipped." >&2
  echo "          Build it from getzola/zola with cargo build --release and set ZOLA=/path/to/zola." >&2
fi
hugo=${HUGO:-hugo}
if ! command -v "$hugo" >/dev/null; then
  echo "bench.sh: Hugo not found ($hugo); Hugo is skipped (apt-get install hugo)." >&2; hugo=""
fi

versions="$("$diptych" --version)"
[ -z "$zola" ] || versions="$versions; $("$zola" --version)"
[ -z "$hugo" ] || versions="$versions; $("$hugo" version | cut -d' ' -f1-2)"
echo "== $versions" >&2

# A site of $1 pages per language, with the flavours in $2, made once and then reused.
site_for() {
  local pages=$1 flavours=$2 site="$work/site-$1"
  if [ ! -f "$site/content-only/site.toml" ] || { [[ $flavours == *zola* ]] && { [ ! -d "$site/zola" ] || [ ! -d "$site/hugo" ]; }; }; then
    echo "Generating $pages pages per language in $site…" >&2
    python3 "$gen" --pages "$pages" --out "$site" --content-only-en-prefix /en --flavours "$flavours" >/dev/null
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
  echo "$site"
}

# Copies of site $1 with search on: `[search] enabled = true` for diptych, `build_search_index = true` for
# Zola's default language.
search_copies() {
  local site=$1
  if [ ! -f "$site/content-only-search/site.toml" ]; then
    rm -rf "$site/content-only-search" "$site/zola-search"
    cp -r "$site/content-only" "$site/content-only-search"
    printf '\n[search]\nenabled = true\n' >> "$site/content-only-search/site.toml"
    cp -r "$site/zola" "$site/zola-search"
    sed -i '0,/^build_search_index = false/s//build_search_index = true/' "$site/zola-search/config.toml"
  fi
}

# The command line of tool $1 on site $2, one word per line.
command_for() {
  local tool=$1 site=$2
  case "$tool" in
    diptych) printf '%s\n' "$diptych" build --root "$site/content-only" --output "$out/diptych" ;;
    diptych-search) printf '%s\n' "$diptych" build --root "$site/content-only-search" --output "$out/diptych" ;;
    zola-search) printf '%s\n' "$zola" --root "$site/zola-search" build --output-dir "$out/zola" --force ;;
    check) printf '%s\n' "$diptych" check --root "$site/content-only" ;;
    zola) printf '%s\n' "$zola" --root "$site/zola" build --output-dir "$out/zola" --force ;;
    hugo) printf '%s\n' "$hugo" --source "$site/hugo" --destination "$out/hugo" --quiet ;;
  esac
}

# Runs tool $1 once on site $2 outside the timings; on failure shows why and returns 1.
trial() {
  local words log="$work/trial.log"
  mapfile -t words < <(command_for "$1" "$2")
  rm -rf "$out"
  if ! "${words[@]}" > "$log" 2>&1; then
    echo "bench.sh: $1 failed on $2:" >&2; tail -n 20 "$log" >&2; return 1
  fi
}

measure_size() {
  local pages=$1 runs site tools=() available=()
  runs=${runs_override:-$([ "$pages" -ge 30000 ] && echo 3 || echo 5)}
  site=$(site_for "$pages" hugo,zola,content-only)
  if [ "$search" = 1 ]; then
    search_copies "$site"
    available=(diptych diptych-search)
    [ -z "$zola" ] || available+=(zola-search)
  else
    available=(diptych check)
    [ -z "$zola" ] || available+=(zola)
    [ -z "$hugo" ] || available+=(hugo)
  fi
  echo "== $pages pages per language: warm-up round, then $runs rounds of ${available[*]}" >&2
  printf '%s\t%s\n' "$pages" "$(cut -d' ' -f1 /proc/loadavg)" >> "$loads"
  for tool in "${available[@]}"; do
    if trial "$tool" "$site"; then tools+=("$tool")
    elif [ "$tool" = diptych ] || [ "$tool" = check ]; then die "diptych must build the generated site"
    else echo "bench.sh: $tool is skipped at $pages pages." >&2
    fi
  done
  local round i n=${#tools[@]} args tool words q json
  rm -f "$work"/time-"$pages"-*.txt
  for round in $(seq 1 "$runs"); do
    args=()
    for i in $(seq 0 $((n - 1))); do
      tool=${tools[$(((i + round) % n))]}
      mapfile -t words < <(command_for "$tool" "$site")
      q=$(printf '%q ' /usr/bin/time -f '%e %U %S %M' -a -o "$work/time-$pages-$tool.txt" "${words[@]}")
      args+=(-n "$tool" "$q")
    done
    json="$work/round-$pages-$round.json"
    hyperfine -N --style none --runs 1 --prepare "rm -rf $out" --export-json "$json" "${args[@]}"
    python3 - "$json" "$work" "$pages" "$round" "$records" <<'PY'
import json, sys
path, work, pages, rnd, records = sys.argv[1:]
with open(records, "a") as out:
    for r in json.load(open(path))["results"]:
        tool = r["command"]
        lines = [l.split() for l in open(f"{work}/time-{pages}-{tool}.txt") if l.strip()]
        _, user, sys_, kib = lines[int(rnd) - 1]
        out.write(f"{pages}\t{tool}\t{r['times'][0]:.4f}\t{float(user) + float(sys_):.2f}\t{kib}\n")
        print(f"   round {rnd}: {tool:8} {r['times'][0]:7.2f} s", file=sys.stderr)
PY
  done
  rm -rf "$out"
}

for pages in "${sizes[@]}"; do measure_size "$pages"; done

if [ "$with_100k" = 1 ]; then
  site=$(site_for 100000 content-only)
  echo "== 100000 pages per language: diptych alone, one build" >&2
  printf '%s\t%s\n' 100000 "$(cut -d' ' -f1 /proc/loadavg)" >> "$loads"
  mapfile -t words < <(command_for diptych "$site")
  rm -rf "$out"
  /usr/bin/time -f '%e %U %S %M' -o "$work/time-100000.txt" "${words[@]}" >/dev/null
  read -r wall user sys_ kib < "$work/time-100000.txt"
  printf '100000\tdiptych\t%s\t%s\t%s\n' "$wall" "$(python3 -c "print(f'{$user + $sys_:.2f}')")" "$kib" >> "$records"
  rm -rf "$out"
fi

python3 - "$records" "$versions" "$loads" "$(nproc)" "$search" <<'PY' | tee "$work/results.md"
import statistics, sys
from collections import defaultdict
records, versions, loads, cores, search = sys.argv[1:]
load = dict(line.split() for line in open(loads))
runs = defaultdict(list)
for line in open(records):
    pages, tool, wall, cpu, kib = line.split("\t")
    runs[int(pages), tool].append((float(wall), float(cpu), int(kib) / 1024))
med = {k: [statistics.median(v[i] for v in vs) for i in range(3)] for k, vs in runs.items()}
sizes = sorted({p for p, _ in med})
names = {"diptych": "diptych", "zola": "Zola", "hugo": "Hugo"}

if search == "1":
    print(f"{versions}; {cores} cores")
    print("1-minute load average when each size started: " + ", ".join(f"{int(p):,}: {l}" for p, l in load.items()) + "\n")
    print("| pages per language | build | runs | wall median | CPU (user+sys) | peak MiB | ÷ Zola with search (wall) |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    labels = {"diptych": "diptych, search off", "diptych-search": "diptych, search on (en and zh)",
              "zola-search": "Zola, build_search_index (en only)"}
    for p in sizes:
        zola = med.get((p, "zola-search"))
        for tool in ("diptych", "diptych-search", "zola-search"):
            if (p, tool) not in med:
                continue
            wall, cpu, mib = med[p, tool]
            ratio = f"{wall / zola[0]:.2f}" if zola and tool != "zola-search" else ""
            print(f"| {p:,} | {labels[tool]} | {len(runs[p, tool])} | {wall:.2f} s | {cpu:.2f} s | {mib:,.0f} | {ratio} |")
    sys.exit(0)

print(f"{versions}; {cores} cores")
print("1-minute load average when each size started: " + ", ".join(f"{int(p):,}: {l}" for p, l in load.items()) + "\n")
print("| pages per language | tool | runs | wall median | CPU (user+sys) | peak MiB | diptych ÷ faster peer (wall) | diptych ÷ Zola (memory) |")
print("|---:|---|---:|---:|---:|---:|---:|---:|")
for p in sizes:
    d = med.get((p, "diptych"))
    peers = [med[p, t] for t in ("zola", "hugo") if (p, t) in med]
    for tool in ("diptych", "zola", "hugo"):
        if (p, tool) not in med:
            continue
        wall, cpu, mib = med[p, tool]
        fast = mem = ""
        if tool == "diptych":
            fast = f"{wall / min(w for w, _, _ in peers):.2f}" if peers else "—"
            mem = f"{mib / med[p, 'zola'][2]:.2f}" if (p, "zola") in med else "—"
        print(f"| {p:,} | {names[tool]} | {len(runs[p, tool])} | {wall:.2f} s | {cpu:.2f} s | {mib:,.0f} | {fast} | {mem} |")

checked = [p for p in sizes if (p, "check") in med and (p, "diptych") in med]
if checked:
    print("\n| pages per language | diptych build | diptych check | check CPU | check peak MiB | check ÷ build (wall) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for p in checked:
        b, (c, cpu, mib) = med[p, "diptych"][0], med[p, "check"]
        print(f"| {p:,} | {b:.2f} s | {c:.2f} s | {cpu:.2f} s | {mib:,.0f} | {c / b:.2f} |")
PY
echo "(records: $records; table: $work/results.md)" >&2
