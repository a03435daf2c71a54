#!/usr/bin/env bash
# vmbackup vm-export throughput and peak memory against XapiSim on loopback, compared with `curl -o FILE` of the
# same export URL in the same run. One Halted VM per disk size (default 4 and 16 GiB, fill 1.0).
# Prints, per size: curl MB/s (data written to a file; with and without a final fsync), vmbackup MB/s (from its own
# "progress: ... done" line: export + task check + fsync + rename), the ratio, and vmbackup's peak RSS.
# Each measurement is repeated BENCH_REPEAT times (default 3), curl and vmbackup alternating, and the best rate of each
# is kept, so that load from other processes on the machine distorts the comparison less.
# Needs: dotnet, curl, bc, /usr/bin/time. Usage: [BENCH_REPEAT=n] bench/backup-throughput.sh [port] [sizes in GiB...]
set -euo pipefail
port="${1:-40879}"
shift || true
sizes=("$@")
if [[ ${#sizes[@]} -eq 0 ]]; then sizes=(4 16); fi
. "$(dirname "$0")/lib.sh"

build_release XapiSim VmBackup.Cli

printf '%-6s %14s %14s %14s %8s %12s\n' "disk" "curl MB/s" "curl+fsync" "vmbackup MB/s" "ratio" "peak RSS"
for gib in "${sizes[@]}"; do
  rm -rf "$work/backups" && mkdir -p "$work/backups"
  start_sim "$port" "$gib"

  session="$(call session.login_with_password root secret | value)"
  vm="$(call VM.get_by_name_label "$session" bench-vm | first_ref)"
  printf 'backup_dir=%s\nstatus_log=%s\nvm-export=bench-vm\n' "$work/backups" "$work/status.log" > "$work/bench.cfg"
  best_curl=0; best_sync=0; best_vm=0; rss_max=0; bytes=0
  for _ in $(seq "${BENCH_REPEAT:-3}"); do
    # curl -o FILE of the export vmbackup does (uncompressed XVA), written to the same file system.
    start=$(date +%s.%N)
    read -r code bytes < <(curl -s -o "$work/curl.xva" -w '%{http_code} %{size_download}\n' "$base/export?session_id=$session&ref=$vm&use_compression=false")
    mid=$(date +%s.%N)
    sync -f "$work/curl.xva" 2>/dev/null || sync
    end=$(date +%s.%N)
    [[ "$code" == 200 ]] || { echo "curl export: HTTP $code"; exit 1; }
    rm -f "$work/curl.xva"
    c=$(echo "$bytes / ($mid - $start) / 1000000" | bc -l); cs=$(echo "$bytes / ($end - $start) / 1000000" | bc -l)

    rm -rf "$work/backups/bench-vm"
    /usr/bin/time -v -o "$work/time.txt" dotnet "$root/src/VmBackup.Cli/bin/Release/net10.0/vmbackup.dll" \
      secret "$work/bench.cfg" --server "$base/" > "$work/vmbackup.log" 2>&1 || { cat "$work/vmbackup.log"; exit 1; }
    # "progress: bench-vm done, 4.0 GiB in 00:04 (1000.0 MiB/s)": export + task check + fsync + rename.
    mib=$(sed -n 's:.*progress\: bench-vm done.*(\([0-9.]*\) MiB/s).*:\1:p' "$work/vmbackup.log")
    v=$(echo "$mib * 1048576 / 1000000" | bc -l)
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
    vm_bytes=$(stat -c %s "$(ls "$work"/backups/bench-vm/backup-*/bench-vm.xva)")
    [[ "$vm_bytes" == "$bytes" ]] || echo "  note: XVA sizes differ: curl $bytes, vmbackup $vm_bytes"
    best_curl=$(echo "if ($c > $best_curl) $c else $best_curl" | bc -l)
    best_sync=$(echo "if ($cs > $best_sync) $cs else $best_sync" | bc -l)
    best_vm=$(echo "if ($v > $best_vm) $v else $best_vm" | bc -l)
    (( rss > rss_max )) && rss_max=$rss
  done
  awk -v g="$gib" -v c="$best_curl" -v cs="$best_sync" -v v="$best_vm" -v rss="$rss_max" 'BEGIN {
    printf "%-6s %14.0f %14.0f %14.0f %7.0f%% %9.0f MiB\n", g "G", c, cs, v, 100 * v / c, rss / 1024;
  }'
  stop_sim
done
