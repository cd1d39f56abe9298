#!/usr/bin/env bash
# Installs the tools the tests use, only when missing. On CI (CI=true) a tool that cannot be
# installed fails the run; tests never skip themselves because a tool is absent (they fail and
# name this script).
#
# Real Kafka clients run as separate processes by the tests (scripts in tests/PartnerZones.Testing/ProcessClients):
#   kcat, python3-confluent-kafka, python3-kafka  from Debian (the Python ones only load under
#                                                  /usr/bin/python3, Debian's own interpreter)
#   kafkajs                                        from npm, pinned by that folder's package-lock.json
# The console's store tests run a throwaway PostgreSQL server (tests/PartnerZones.Console.Tests/PostgresServer.cs
# starts it on 127.0.0.1 with initdb/pg_ctl in a temporary directory):
#   postgresql                                     from Debian (server binaries under /usr/lib/postgresql/*/bin)

# The gateway's admin API doc examples run with curl and jq (and kcat), from Debian.
# The console's web UI tests (tests/PartnerZones.WebUi.Tests) drive Debian's Chromium with Playwright:
#   chromium                                       from Debian, used at /usr/bin/chromium (no browser is downloaded)
set -euo pipefail
cd "$(dirname "$0")/.."

ci=${CI:-false}
failures=()

fail_or_warn() {
  if [ "$ci" = "true" ]; then
    failures+=("$1")
  else
    echo "warning: $1 (the tests that need it will fail until it is installed)" >&2
  fi
}

# --- Debian packages -------------------------------------------------------------------------
need_apt=()
command -v kcat >/dev/null 2>&1 || need_apt+=(kcat)
# curl and jq run the examples of docs/gateway-admin-api.md (AdminApiDocTests).
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v jq >/dev/null 2>&1 || need_apt+=(jq)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
/usr/bin/python3 -c 'import confluent_kafka' >/dev/null 2>&1 || need_apt+=(python3-confluent-kafka)
/usr/bin/python3 -c 'import kafka' >/dev/null 2>&1 || need_apt+=(python3-kafka)
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
pg_ok() { { command -v initdb && command -v pg_ctl; } >/dev/null 2>&1 || { [ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] && [ -x "$(pg_bin)/pg_ctl" ]; }; }
pg_ok || need_apt+=(postgresql)

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing from Debian: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
  fi
  if ! { "${sudo_cmd[@]}" apt-get update -qq && "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null; }; then
    fail_or_warn "apt-get could not install ${need_apt[*]}"
  fi
fi

command -v kcat >/dev/null 2>&1 || fail_or_warn "kcat is missing"
command -v curl >/dev/null 2>&1 || fail_or_warn "curl is missing"
command -v jq >/dev/null 2>&1 || fail_or_warn "jq is missing"
[ -x /usr/bin/chromium ] || fail_or_warn "chromium is missing at /usr/bin/chromium (Debian package chromium; the web UI tests drive it)"
/usr/bin/python3 -c 'import confluent_kafka' >/dev/null 2>&1 || fail_or_warn "python3-confluent-kafka is missing (import confluent_kafka under /usr/bin/python3)"
/usr/bin/python3 -c 'import kafka' >/dev/null 2>&1 || fail_or_warn "python3-kafka is missing (import kafka under /usr/bin/python3)"
if ! pg_ok; then
  fail_or_warn "PostgreSQL server binaries (initdb, pg_ctl) are missing (Debian package postgresql)"
elif [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  # As root the tests run PostgreSQL as the postgres user (it refuses to run as root); the package creates it.
  fail_or_warn "the postgres user is missing; reinstall Debian's postgresql package"
elif [ "$(id -u)" -eq 0 ] && ! command -v runuser >/dev/null 2>&1; then
  fail_or_warn "runuser (util-linux) is missing; the tests use it to start PostgreSQL as the postgres user"
fi

# --- kafkajs (npm) ---------------------------------------------------------------------------
node_dir=tests/PartnerZones.Testing/ProcessClients/node
if [ ! -f "$node_dir/node_modules/kafkajs/package.json" ] || \
   [ "$node_dir/package-lock.json" -nt "$node_dir/node_modules/.package-lock.json" ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "Installing kafkajs with npm ci in $node_dir"
    if ! (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error); then
      fail_or_warn "npm ci failed in $node_dir"
    fi
  else
    fail_or_warn "npm is missing (install Debian's nodejs and npm)"
  fi
fi
[ -f "$node_dir/node_modules/kafkajs/package.json" ] || fail_or_warn "kafkajs is missing in $node_dir/node_modules"

if [ ${#failures[@]} -gt 0 ]; then
  for f in "${failures[@]}"; do
    echo "error: $f" >&2
  done
  exit 1
fi
