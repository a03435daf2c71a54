#!/usr/bin/env bash
# Restore throughput against XapiSim on loopback: a 4 GiB XVA (one Halted VM, 4 GiB disk filled at 1.0) is uploaded
# to PUT /import once with `curl -T FILE` and once with `vmbackup restore`, in the same run, alternating N times.
# Prints MB/s of each, the ratio, and vmbackup's peak RSS (memory must stay flat: it does not grow with the file).
# Needs: dotnet, curl, GNU time. Usage: bench/restore-throughput.sh [port] [rounds]
set -euo pipefail
port="${1:-40879}"
rounds="${2:-2}"
. "$(dirname "$0")/lib.sh"

build_release XapiSim VmBackup.Cli
start_sim "$port" 4
session="$(call session.login_with_password root secret | value)"
vm_uuid="$(call VM.get_uuid "$session" "$(call VM.get_by_name_label "$session" bench-vm | first_ref)" | value)"
sr="$(call SR.get_by_name_label "$session" 'Local storage' | first_ref)"

# A NAUbackup vm-export backup folder holding the XVA.
folder="$work/BACKUPS/bench-vm/backup-2025-01-01-(00:00:00)"
mkdir -p "$folder"
curl -s -o "$folder/bench-vm.xva" "$base/export?session_id=$session&uuid=$vm_uuid"
touch "$folder/success"
size=$(stat -c %s "$folder/bench-vm.xva")
printf 'XVA: %s bytes\n' "$size"

export VMBACKUP_SERVER="$base" VMBACKUP_PASSWORD=secret VMBACKUP_BACKUP_DIR="$work/BACKUPS"
vmbackup="$root/src/VmBackup.Cli/bin/Release/net10.0/vmbackup.dll"
curl_sum=0; vmb_sum=0
for i in $(seq "$rounds"); do
  speed="$(curl -s -o /dev/null -w '%{speed_upload}' -T "$folder/bench-vm.xva" "$base/import?session_id=$session&sr_id=$sr&restore=false&force=false")"
  curl_mbs="$(awk -v s="$speed" 'BEGIN { printf "%.0f", s / 1e6 }')"
  /usr/bin/time -f '%M' -o "$work/rss" dotnet "$vmbackup" restore "$folder" --name "restored-$i" --sr 'Local storage' >"$work/out" 2>&1
  vmb_mbs="$(sed -n 's/^uploaded .* (\([0-9.]*\) MB\/s)$/\1/p' "$work/out")"
  rss_mb=$(( $(tail -1 "$work/rss") / 1024 ))
  printf 'round %d: curl -T %6s MB/s   vmbackup restore %6s MB/s   vmbackup peak RSS %d MiB\n' "$i" "$curl_mbs" "$vmb_mbs" "$rss_mb"
  curl_sum=$(awk -v a="$curl_sum" -v b="$curl_mbs" 'BEGIN { print a + b }')
  vmb_sum=$(awk -v a="$vmb_sum" -v b="$vmb_mbs" 'BEGIN { print a + b }')
done
awk -v c="$curl_sum" -v v="$vmb_sum" 'BEGIN { printf "vmbackup restore / curl -T: %.0f%% (target >= 90%%)\n", 100 * v / c }'
