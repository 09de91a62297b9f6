#!/usr/bin/env bash
# Creates .venv with reportgen installed (editable) and the Debian packages the
# renderer needs. Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
need=()
for pkg in fonts-liberation2 libharfbuzz-subset0 ${REPORTGEN_APT_EXTRA:-}; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "reportgen: please install the Debian packages: ${need[*]}" >&2
  fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
