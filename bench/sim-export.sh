#!/usr/bin/env bash
# Export throughput of XapiSim's data plane on loopback: one Halted VM with a 4 GiB disk filled at 1.0,
# measured with curl for /export (XVA), /export_raw_vdi?format=raw and ?format=vhd. Prints MB/s.
# Needs: dotnet, curl. Usage: bench/sim-export.sh [port]
set -euo pipefail
port="${1:-40877}"
. "$(dirname "$0")/lib.sh"

build_release XapiSim
start_sim "$port" 4
session="$(call session.login_with_password root secret | value)"
vm="$(call VM.get_by_name_label "$session" bench-vm | first_ref)"
vm_uuid="$(call VM.get_uuid "$session" "$vm" | value)"
vbd="$(call VM.get_VBDs "$session" "$vm" | first_ref)"
vdi="$(call VBD.get_VDI "$session" "$vbd" | value)"

measure() {
  local name="$1" url="$2" speed code
  read -r code speed < <(curl -s -o /dev/null -w '%{http_code} %{speed_download}\n' "$url")
  if [[ "$code" != 200 ]]; then echo "$name: HTTP $code (is DataPlaneEndpoints.Map wired into XapiSimulator?)"; return; fi
  awk -v n="$name" -v s="$speed" 'BEGIN { printf "%-28s %8.0f MB/s\n", n, s / 1e6 }'
}
measure "/export (XVA)" "$base/export?session_id=$session&uuid=$vm_uuid"
measure "/export_raw_vdi format=raw" "$base/export_raw_vdi?session_id=$session&vdi=$vdi&format=raw"
measure "/export_raw_vdi format=vhd" "$base/export_raw_vdi?session_id=$session&vdi=$vdi&format=vhd"
