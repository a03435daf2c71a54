#!/usr/bin/env bash
# vmbackup vm-export throughput and peak memory against XapiSim on loopback, compared with `curl -o FILE` of the
# same export URL in the same run. One Halted VM per disk size (default 4 and 16 GiB, fill 1.0).
# Prints, per size: curl MB/s (data written to a file; with and without a final fsync), vmbackup MB/s (from its own
# "progress: ... done" line: export + task check + fsync + rename), the ratio, and vmbackup's peak RSS.
# Needs: dotnet, curl, /usr/bin/time. Usage: bench/backup-throughput.sh [port] [sizes in GiB...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
port="${1:-40879}"
shift || true
sizes=("$@")
if [[ ${#sizes[@]} -eq 0 ]]; then sizes=(4 16); fi
work="$(mktemp -d)"
sim_pid=""
stop_sim() {
  if [[ -n "$sim_pid" ]]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; sim_pid=""; fi
}
cleanup() { stop_sim; rm -rf "$work"; }
trap cleanup EXIT

dotnet build "$root/src/XapiSim/XapiSim.csproj" -c Release -v quiet -nologo >/dev/null
dotnet build "$root/src/VmBackup.Cli/VmBackup.Cli.csproj" -c Release -v quiet -nologo >/dev/null
base="http://127.0.0.1:$port"
rpc() { curl -s -H 'Content-Type: text/xml' --data "$1" "$base/"; }
value() { sed -n 's:.*<name>Value</name><value>\([^<]*\)</value>.*:\1:p'; }
call() { # method, params...
  local m="$1"; shift; local p=""
  for a in "$@"; do p+="<param><value>$a</value></param>"; done
  rpc "<?xml version=\"1.0\"?><methodCall><methodName>$m</methodName><params>$p</params></methodCall>"
}

printf '%-6s %14s %14s %14s %8s %12s\n' "disk" "curl MB/s" "curl+fsync" "vmbackup MB/s" "ratio" "peak RSS"
for gib in "${sizes[@]}"; do
  cat > "$work/pool.json" <<JSON
{
  "hosts": [{"name_label": "bench", "master": true}],
  "users": {"root": "secret"},
  "srs": [{"name_label": "Local storage", "type": "ext", "size": "100GiB", "default": true}],
  "vms": [{"name_label": "bench-vm", "power_state": "Halted",
           "disks": [{"device": "xvda", "size": "${gib}GiB", "sr": "Local storage", "fill": 1.0, "seed": 42}]}]
}
JSON
  rm -rf "$work/state" "$work/backups" && mkdir -p "$work/backups"
  dotnet "$root/src/XapiSim/bin/Release/net10.0/xapisim.dll" --pool "$work/pool.json" --listen "127.0.0.1:$port" --state "$work/state" >"$work/sim.log" 2>&1 &
  sim_pid=$!
  for _ in $(seq 100); do grep -q listening "$work/sim.log" && break; sleep 0.1; done

  session="$(call session.login_with_password root secret | value)"
  vm="$(call VM.get_by_name_label "$session" bench-vm | grep -o 'OpaqueRef:[0-9a-f-]*' | head -1)"
  # curl -o FILE of the export vmbackup does (uncompressed XVA), written to the same file system.
  start=$(date +%s.%N)
  read -r code bytes < <(curl -s -o "$work/curl.xva" -w '%{http_code} %{size_download}\n' "$base/export?session_id=$session&ref=$vm&use_compression=false")
  mid=$(date +%s.%N)
  sync -f "$work/curl.xva" 2>/dev/null || sync
  end=$(date +%s.%N)
  [[ "$code" == 200 ]] || { echo "curl export: HTTP $code"; exit 1; }
  rm -f "$work/curl.xva"

  printf 'backup_dir=%s\nstatus_log=%s\nvm-export=bench-vm\n' "$work/backups" "$work/status.log" > "$work/bench.cfg"
  /usr/bin/time -v -o "$work/time.txt" dotnet "$root/src/VmBackup.Cli/bin/Release/net10.0/vmbackup.dll" \
    secret "$work/bench.cfg" --server "$base/" > "$work/vmbackup.log" 2>&1 || { cat "$work/vmbackup.log"; exit 1; }
  done_line="$(grep 'progress: bench-vm done' "$work/vmbackup.log")"
  data="$(ls "$work"/backups/bench-vm/backup-*/bench-vm.xva)"
  vm_bytes=$(stat -c %s "$data")
  # "progress: bench-vm done, 4.0 GiB in 00:04 (1000.0 MiB/s)": take the precise rate from the MiB/s figure.
  rate=$(sed -n 's:.*(\([0-9.]*\) \([KMG]i*B\)/s).*:\1 \2:p' <<<"$done_line")
  rss_kib=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
  awk -v g="$gib" -v b="$bytes" -v t1="$(echo "$mid - $start" | bc)" -v t2="$(echo "$end - $start" | bc)" \
      -v r="$rate" -v rss="$rss_kib" -v vb="$vm_bytes" 'BEGIN {
    split(r, p, " "); m = (p[2] == "GiB") ? 1073741824 : (p[2] == "MiB") ? 1048576 : 1024;
    vr = p[1] * m / 1e6; c = b / t1 / 1e6; cs = b / t2 / 1e6;
    printf "%-6s %14.0f %14.0f %14.0f %7.0f%% %9.0f MiB\n", g "G", c, cs, vr, 100 * vr / c, rss / 1024;
    if (vb != b) printf "  note: XVA sizes differ: curl %d, vmbackup %d\n", b, vb;
  }'
  stop_sim
done
