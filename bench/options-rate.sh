#!/usr/bin/env bash
# OPTIONS answered per second over UDP: `distributor serve` against a sipp server, with the
# same sipp client, in one run. Loopback only; every sipp run is bounded in calls and time.
#   bench/options-rate.sh [CALLS]        (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-100000}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

swift build -c release --product distributor >/dev/null
scenarios=Tests/Interop/scenarios

# One client run against 127.0.0.1:$1; prints "answered elapsed_seconds rate".
measure() {
  local port=$1 stats="$work/stats-$1.csv"
  timeout 300 sipp 127.0.0.1:"$port" -sf "$scenarios/options_uac.xml" -m "$calls" -r 60000 -rp 1000 -l 20000 \
    -i 127.0.0.1 -p 15060 -mp 16000 -ci 127.0.0.1 -nostdin -timeout 240s -recv_timeout 5s \
    -trace_stat -stf "$stats" -fd 3600 >/dev/null 2>&1 || true
  python3 - "$stats" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1]), delimiter=';'))
head, last = rows[0], rows[-1]
get = lambda name: last[head.index(name)]
ok = int(get('SuccessfulCall(C)'))
h, m, s = get('ElapsedTime(C)').split(':')
elapsed = int(h) * 3600 + int(m) * 60 + float(s)
print(ok, f"{elapsed:.2f}", f"{ok / elapsed:.0f}")
PY
}

# The rig's ceiling: sipp answering OPTIONS itself.
timeout 300 sipp -sf "$scenarios/options_uas.xml" -i 127.0.0.1 -p 15070 -mp 16100 -ci 127.0.0.1 -nostdin \
  -timeout 240s -bg >/dev/null 2>&1 || true
sleep 1
read -r sipp_ok sipp_elapsed sipp_rate < <(measure 15070)
pkill -f "sipp -sf $scenarios/options_uas.xml" || true

# distributor serve on its own copy of the bundled configuration, on port 15080.
cp -r conf dialplan "$work/"
sed -i 's/external_sip_port=5080/external_sip_port=15080/' "$work/conf/vars.xml"
# One sipp client is one source: the per-source limit would cap it.
sed -i 's/name="rate-limit-requests" value="1000"/name="rate-limit-requests" value="0"/' "$work/conf/sip_profiles/external.xml"
.build/release/distributor serve --conf "$work/conf" --dialplan "$work/dialplan" --log-level warning &
for _ in $(seq 100); do
  sipp 127.0.0.1:15080 -sf "$scenarios/options_uac.xml" -m 1 -i 127.0.0.1 -p 15061 -mp 16200 -ci 127.0.0.1 \
    -nostdin -timeout 2s -recv_timeout 1s >/dev/null 2>&1 && break
  sleep 0.1
done
read -r ours_ok ours_elapsed ours_rate < <(measure 15080)

printf '%-28s %10s %10s %12s\n' "OPTIONS over UDP" "answered" "seconds" "per second"
printf '%-28s %10s %10s %12s\n' "sipp -> sipp (ceiling)" "$sipp_ok" "$sipp_elapsed" "$sipp_rate"
printf '%-28s %10s %10s %12s\n' "sipp -> distributor serve" "$ours_ok" "$ours_elapsed" "$ours_rate"
python3 -c "print(f'ratio distributor / sipp: {$ours_rate / $sipp_rate:.2f}')"
