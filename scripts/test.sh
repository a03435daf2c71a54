#!/usr/bin/env bash
# Runs the whole test suite and ends with one line: "N passed, N failed, N skipped",
# counted from the test results (TRX files), not from the console.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh || { echo "test: installing test dependencies failed" >&2; exit 1; }

results=TestResults
rm -rf "$results"
dotnet test VmBackup.slnx --configuration Release \
  --logger "trx" --results-directory "$results" --blame-hang-timeout 10m \
  -- RunConfiguration.TreatNoTestsAsError=false
status=$?

python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(f"{sys.argv[1]}/**/*.trx", recursive=True):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0)) + int(counters.get("inconclusive", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
PY
summary=$?
if [[ $status -ne 0 || $summary -ne 0 ]]; then exit 1; fi
