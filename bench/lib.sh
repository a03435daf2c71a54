# Shared by the bench scripts (source it): builds in Release, starts XapiSim with a one-VM pool on loopback,
# and speaks XML-RPC to it with curl. Sets: root, work (a temp folder removed on exit), base, sim_pid.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
sim_pid=""
stop_sim() {
  if [[ -n "$sim_pid" ]]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; sim_pid=""; fi
}
trap 'stop_sim; rm -rf "$work"' EXIT

# build_release PROJECT...: e.g. build_release XapiSim VmBackup.Cli
build_release() {
  local p
  for p in "$@"; do dotnet build "$root/src/$p/$p.csproj" -c Release -v quiet -nologo >/dev/null; done
}

# start_sim PORT GIB: xapisim with one Halted VM "bench-vm" whose one disk has GIB GiB, all blocks filled.
start_sim() {
  local port="$1" gib="$2"
  cat > "$work/pool.json" <<JSON
{
  "hosts": [{"name_label": "bench", "master": true}],
  "users": {"root": "secret"},
  "srs": [{"name_label": "Local storage", "type": "ext", "size": "1TiB", "default": true}],
  "vms": [{"name_label": "bench-vm", "power_state": "Halted",
           "disks": [{"device": "xvda", "size": "${gib}GiB", "sr": "Local storage", "fill": 1.0, "seed": 42}]}]
}
JSON
  rm -rf "$work/state"
  dotnet "$root/src/XapiSim/bin/Release/net10.0/xapisim.dll" --pool "$work/pool.json" --listen "127.0.0.1:$port" --state "$work/state" >"$work/sim.log" 2>&1 &
  sim_pid=$!
  for _ in $(seq 100); do grep -qs listening "$work/sim.log" && break; sleep 0.1; done
  base="http://127.0.0.1:$port"
}

rpc() { curl -s -H 'Content-Type: text/xml' --data "$1" "$base/"; }
# value: the Value of a Status/Value reply; first_ref: the first OpaqueRef in a reply.
value() { sed -n 's:.*<name>Value</name><value>\([^<]*\)</value>.*:\1:p'; }
first_ref() { grep -o 'OpaqueRef:[0-9a-f-]*' | head -1; }
# call METHOD [PARAM...]: an XML-RPC call with string parameters (pass the session first where the method takes one).
call() {
  local m="$1" p="" a
  shift
  for a in "$@"; do p+="<param><value>$a</value></param>"; done
  rpc "<?xml version=\"1.0\"?><methodCall><methodName>$m</methodName><params>$p</params></methodCall>"
}
