#!/usr/bin/env bash
# Export throughput of XapiSim's data plane on loopback: one Halted VM with a 4 GiB disk filled at 1.0,
# measured with curl for /export (XVA), /export_raw_vdi?format=raw and ?format=vhd. Prints MB/s.
# Needs: dotnet, curl. Usage: bench/sim-export.sh [port]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
port="${1:-40877}"
work="$(mktemp -d)"
sim_pid=""
cleanup() {
  if [[ -n "$sim_pid" ]]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build "$root/src/XapiSim/XapiSim.csproj" -c Release -v quiet -nologo >/dev/null
cat > "$work/pool.json" <<JSON
{
  "hosts": [{"name_label": "bench", "master": true}],
  "users": {"root": "secret"},
  "srs": [{"name_label": "Local storage", "type": "ext", "size": "100GiB", "default": true}],
  "vms": [{"name_label": "bench-vm", "power_state": "Halted",
           "disks": [{"device": "xvda", "size": "4GiB", "sr": "Local storage", "fill": 1.0, "seed": 42}]}]
}
JSON
dotnet "$root/src/XapiSim/bin/Release/net10.0/xapisim.dll" --pool "$work/pool.json" --listen "127.0.0.1:$port" --state "$work/state" >"$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 100); do grep -q listening "$work/sim.log" && break; sleep 0.1; done
base="http://127.0.0.1:$port"

rpc() { curl -s -H 'Content-Type: text/xml' --data "$1" "$base/"; }
value() { sed -n 's:.*<name>Value</name><value>\([^<]*\)</value>.*:\1:p'; }
session="$(rpc '<?xml version="1.0"?><methodCall><methodName>session.login_with_password</methodName><params><param><value>root</value></param><param><value>secret</value></param></params></methodCall>' | value)"
vm="$(rpc "<?xml version=\"1.0\"?><methodCall><methodName>VM.get_by_name_label</methodName><params><param><value>$session</value></param><param><value>bench-vm</value></param></params></methodCall>" | grep -o 'OpaqueRef:[0-9a-f-]*' | head -1)"
vm_uuid="$(rpc "<?xml version=\"1.0\"?><methodCall><methodName>VM.get_uuid</methodName><params><param><value>$session</value></param><param><value>$vm</value></param></params></methodCall>" | value)"
vbd="$(rpc "<?xml version=\"1.0\"?><methodCall><methodName>VM.get_VBDs</methodName><params><param><value>$session</value></param><param><value>$vm</value></param></params></methodCall>" | grep -o 'OpaqueRef:[0-9a-f-]*' | head -1)"
vdi="$(rpc "<?xml version=\"1.0\"?><methodCall><methodName>VBD.get_VDI</methodName><params><param><value>$session</value></param><param><value>$vbd</value></param></params></methodCall>" | value)"

measure() {
  local name="$1" url="$2" speed code
  read -r code speed < <(curl -s -o /dev/null -w '%{http_code} %{speed_download}\n' "$url")
  if [[ "$code" != 200 ]]; then echo "$name: HTTP $code (is DataPlaneEndpoints.Map wired into XapiSimulator?)"; return; fi
  awk -v n="$name" -v s="$speed" 'BEGIN { printf "%-28s %8.0f MB/s\n", n, s / 1e6 }'
}
measure "/export (XVA)" "$base/export?session_id=$session&uuid=$vm_uuid"
measure "/export_raw_vdi format=raw" "$base/export_raw_vdi?session_id=$session&vdi=$vdi&format=raw"
measure "/export_raw_vdi format=vhd" "$base/export_raw_vdi?session_id=$session&vdi=$vdi&format=vhd"
