#!/usr/bin/env bash
# test.sh: everything CI checks, in one command, on a fresh Debian 12 machine as root.
#
#   1. scripts/bootstrap.sh: Debian packages, the .NET SDK if missing, `dotnet publish` of
#      out/runcs and out/containerd-shim-runcs-v2
#   2. every test project of OciRuntime.sln: unit tests (Spec, Runtime, Shim) and integration
#      tests that run real containers with out/runcs, and with the shim under a private containerd
#   3. conformance/run.sh: the project's OCI conformance suite against out/runcs
#   4. conformance/managers/run.sh: podman, containerd's runc shim and docker driving out/runcs
#
# Ends with one line "N passed, N failed" summing every test that ran (TODO and SKIP cases of the
# TAP suites are not counted); exits non-zero on any failure. On a 2-CPU machine with the packages
# and SDK already installed it takes about 3 minutes; installing them first adds their download.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

scripts/bootstrap.sh

log=$(mktemp /tmp/runcs-test.XXXXXX.log)
trap 'rm -f "$log"' EXIT

echo "==> dotnet test OciRuntime.sln"
status=0
# One test assembly at a time: the integration tests own the machine's containers while they run.
dotnet test OciRuntime.sln --nologo -m:1 -- NUnit.NumberOfTestWorkers=1 </dev/null 2>&1 | tee "$log" || status=$?

# dotnet test prints one summary per test assembly:
#   "Passed!  - Failed:     0, Passed:    70, Skipped:     0, Total:    70, Duration: ..."
read -r passed failed < <(awk -F'[:,]' '/ - Failed: +[0-9]+, Passed: +[0-9]+/ {
        for (i = 1; i <= NF; i++) {
            if ($i ~ /Failed$/) f += $(i + 1)
            if ($i ~ /Passed$/) p += $(i + 1)
        }
    } END { print p + 0, f + 0 }' "$log")

if [[ $status -ne 0 && $failed -eq 0 ]]; then
    # The build or the test host broke before any test could fail: count that as a failure.
    failed=1
fi

# tap_suite NAME COMMAND...: runs a TAP suite of ours, adds its closing "N passed, N failed, N skipped".
tap_suite() {
    local name=$1 suite_log p f
    shift
    suite_log=$(mktemp /tmp/runcs-test-suite.XXXXXX.log)
    echo "==> $name"
    "$@" </dev/null 2>&1 | tee "$suite_log"
    if read -r p f < <(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed.*/\1 \2/p' "$suite_log" | tail -n 1); then
        passed=$((passed + p))
        failed=$((failed + f))
    else
        echo "test.sh: $name ended without a summary line" >&2
        failed=$((failed + 1))
    fi
    rm -f "$suite_log"
}
tap_suite "conformance/run.sh --runtime out/runcs" conformance/run.sh --runtime out/runcs
tap_suite "conformance/managers/run.sh --runtime out/runcs" conformance/managers/run.sh --runtime out/runcs

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
