#!/usr/bin/env python3
"""A long bounded run for leaks: `distributor serve` (release build, bundled configuration)
carries N calls from a sipp caller to two sipp gateways on 127.0.0.1, and this reports RSS
idle at start, after a warm-up, at its peak, and once the calls and their lingering
transactions are gone, with the calls and transactions left (`show calls count`, metrics).

    bench/soak.py [--calls 1000000] [--rate 1250] [--extra-gateways 1000] [--out FILE]

With --extra-gateways, that many more gateways are pinged with OPTIONS every 5 s during the run
(answered by one sipp server), to see that pinging does not disturb calls.
"""
import argparse
import os
import subprocess
import time
import urllib.request

from benchlib import ROOT, SCENARIOS, api, rig, rss_kib

SIP, ESL, METRICS, GATEWAYS = 45085, 48021, 48088, (45091, 45092)


def metric(name):
    text = urllib.request.urlopen(f"http://127.0.0.1:{METRICS}/metrics", timeout=10).read().decode()
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            total += float(line.split()[-1])
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--rate", type=int, default=1250)
    parser.add_argument("--extra-gateways", type=int, default=0)
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "soak-results.md"))
    options = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "distributor"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    seconds = options.calls / options.rate
    with rig("soak-", SIP, ESL, METRICS, GATEWAYS, (47000, 47100), seconds + 600,
             extra_gateways=options.extra_gateways, options_port=45099) as (work, serve):
        idle = rss_kib(serve.pid)

        def calls(count, rate):
            statistics = os.path.join(work, f"stats-{count}.csv")
            subprocess.run(["timeout", str(int(count / rate + 180)), "sipp", f"127.0.0.1:{SIP}", "-sf",
                            os.path.join(SCENARIOS, "bench_uac.xml"), "-s", "9980", "-r", str(rate), "-m", str(count),
                            "-l", str(rate * 12), "-i", "127.0.0.1", "-p", "45060", "-mp", "46000", "-ci", "127.0.0.1",
                            "-nostdin", "-recv_timeout", "30s", "-trace_stat", "-stf", statistics, "-fd", "3600"],
                           cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            rows = [line.split(";") for line in open(statistics).read().splitlines() if line]
            names, values = rows[0], rows[-1]
            return {name: values[index] for index, name in enumerate(names) if index < len(values)}

        warm = calls(10_000, options.rate)
        time.sleep(45)
        warmed = rss_kib(serve.pid)
        peak = [warmed]
        started = time.time()
        import threading
        done = threading.Event()

        def sample():
            while not done.wait(5):
                peak.append(rss_kib(serve.pid))
        sampler = threading.Thread(target=sample)
        sampler.start()
        result = calls(options.calls, options.rate)
        elapsed = time.time() - started
        done.set()
        sampler.join()
        # Transactions linger up to 32 s; the service trims freed memory every 10 s while idle.
        time.sleep(60)
        final = rss_kib(serve.pid)
        left, _ = api(ESL, "show calls count")
        transactions = metric("sip_transactions")
        answered = metric("distributor_calls_total")
        pings = metric("gateway_ping_seconds_count")
        ping_failures = metric("gateway_ping_failures_total")
        up = metric("gateway_up")
        lines = [
            f"# Soak: {options.calls:,} calls at {options.rate:,}/s"
            + (f", {options.extra_gateways:,} more gateways pinged every 5 s" if options.extra_gateways else ""),
            "",
            f"`python3 bench/soak.py --calls {options.calls} --rate {options.rate}"
            + (f" --extra-gateways {options.extra_gateways}" if options.extra_gateways else "") + f"`, {time.strftime('%Y-%m-%d')}.",
            "",
            f"- sipp: {result.get('SuccessfulCall(C)')} successful, {result.get('FailedCall(C)')} failed, "
            f"{result.get('Retransmissions(C)')} retransmissions, in {elapsed:.0f} s (warm-up: {warm.get('SuccessfulCall(C)')} successful).",
            f"- RSS idle at start {idle / 1024:.1f} MiB; after a 10,000-call warm-up {warmed / 1024:.1f} MiB; "
            f"peak during the run {max(peak) / 1024:.1f} MiB; 60 s after the last call {final / 1024:.1f} MiB "
            f"({(final - warmed) / 1024:+.1f} MiB against the warmed-up figure).",
            f"- Left behind: `show calls count` = {left.strip()}; sip_transactions = {transactions:.0f}; "
            f"distributor_calls_total = {answered:.0f}.",
            f"- Gateways: {up:.0f} UP; {pings:.0f} pings answered, {ping_failures:.0f} failed.",
        ]
        report = "\n".join(lines) + "\n"
        print(report)
        open(options.out, "w").write(report)


if __name__ == "__main__":
    main()
