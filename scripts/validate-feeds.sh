#!/usr/bin/env bash
# Validates the Atom feeds of built sites against RFC 4287's grammar (tests/atom.rng) with xmllint, installing
# Debian's libxml2-utils where it is missing. Arguments: output folders; each must hold at least one atom.xml.
#   bash scripts/validate-feeds.sh dist
set -euo pipefail
schema="$(cd "$(dirname "$0")/.." && pwd)/tests/atom.rng"

if ! command -v xmllint >/dev/null; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "error: validating feeds needs xmllint (apt-get install libxml2-utils as root)" >&2
    exit 2
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libxml2-utils
fi

for dir in "$@"; do
  mapfile -t feeds < <(find "$dir" -name atom.xml | sort)
  if ((${#feeds[@]} == 0)); then
    echo "error: $dir has no atom.xml" >&2
    exit 1
  fi
  xmllint --noout --relaxng "$schema" "${feeds[@]}"
done
