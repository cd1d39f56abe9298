#!/usr/bin/env bash
# Runs the whole Partner Zones test suite on a fresh Debian machine with the .NET SDK.
# Installs what the tests need when it is missing, runs every test project, and ends with one line:
#   N passed, N failed, N skipped
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-tools.sh || { echo "Installing test tools failed."; echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp)
# One build first so a compile error is reported once, plainly, and not per test project.
if ! dotnet build PartnerZones.slnx -c Release -nologo -v quiet 2>&1 | tee "$log" | grep -E "error|Build succeeded" ; then
  :
fi
if grep -q "Build FAILED\| error " "$log"; then
  echo "Build failed; see the errors above."
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test PartnerZones.slnx -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test assembly prints: "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T, ..."
read -r passed failed skipped < <(grep -E "^(Passed|Failed)! +- Failed:" "$log" | awk -F'[:,]' '
  { f += $2; p += $4; s += $6 } END { printf "%d %d %d\n", p, f, s }')
assemblies=$(grep -cE "^(Passed|Failed)! +- Failed:" "$log")
projects=$(find tests -name '*.Tests.csproj' | wc -l)
rm -f "$log"

if [ "$assemblies" -lt "$projects" ]; then
  echo "Only $assemblies of $projects test projects reported results."
  failed=$((failed + projects - assemblies))
  status=1
fi
if [ "$passed" -eq 0 ]; then
  echo "No test ran."
  status=1
fi

echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
