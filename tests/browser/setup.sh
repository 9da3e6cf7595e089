#!/usr/bin/env bash
# Installs what the browser checks need on a fresh machine: Debian's Chromium and CJK fonts, and the pinned
# npm packages from package-lock.json. Playwright's own browser download cannot work here, so it is not used.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v chromium >/dev/null || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "error: the browser checks need the Debian packages: ${missing[*]} (apt-get install them as root)" >&2
    exit 2
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# html-validate 10 needs Node.js 20.19 or later.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "error: the browser checks need Node.js 20.19 or later, found $(node --version 2>/dev/null || echo none)" >&2
  exit 2
fi
npm ci --no-audit --no-fund
