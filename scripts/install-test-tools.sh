#!/usr/bin/env bash
# Installs the tools the tests use, only when missing. On CI (CI=true) a tool that cannot be
# installed fails the run; tests never skip themselves because a tool is absent.
set -euo pipefail

need_apt=()
# Nothing outside NuGet is needed yet; later suites add kcat, Python clients, Chromium, PostgreSQL here.

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
