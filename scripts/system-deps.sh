#!/usr/bin/env bash
# Installs the system packages the integration tests use, only when they are missing.
# PostgreSQL: the tests start a throwaway cluster with initdb/pg_ctl (tests/conftest.py).
# Chromium (and a CJK font): the dashboard's browser tests drive Debian's headless chromium.
set -euo pipefail
need=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if ! command -v initdb >/dev/null 2>&1 && [ -z "$pg_bin" ]; then need+=(postgresql); fi
if ! command -v chromium >/dev/null 2>&1; then need+=(chromium); fi
# Without a CJK font, Chinese text in the dashboard's screenshots renders as boxes.
if ! dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then need+=(fonts-wqy-microhei); fi
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: missing ${need[*]}; install them (apt-get install -y ${need[*]}) or run as root" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
