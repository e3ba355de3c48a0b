#!/usr/bin/env python3
"""Memory per established call: `distributor serve` holds N calls (sipp caller and two sipp
gateways on 127.0.0.1), and this reports RSS before, with the calls up, and after they end,
and how long `show calls count` takes with them up. RSS with the calls up is read once the
set-up transactions have ended (they linger 32 s after the 2xx), so it is the calls' own
state. Bounded: the calls hang up by themselves.

    bench/held-calls.py [--calls 20000] [--rate 1000]
"""
import argparse
import os
import subprocess
import time

from benchlib import ROOT, SCENARIOS, api, rig, rss_kib


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--rate", type=int, default=1000)
    options = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "distributor"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    with rig("held-calls-", 35085, 38021, 38088, (35091, 35092), (37000, 37100), 900) as (work, serve):
        baseline = rss_kib(serve.pid)
        ramp = options.calls / options.rate
        hold_ms = int((ramp + 70) * 1000)
        caller = subprocess.Popen(["timeout", str(int(ramp + hold_ms / 1000 + 60)), "sipp", "127.0.0.1:35085", "-sf",
                                   os.path.join(SCENARIOS, "bench_uac_hold.xml"), "-s", "9980", "-r", str(options.rate),
                                   "-m", str(options.calls), "-l", str(options.calls), "-d", str(hold_ms), "-i", "127.0.0.1",
                                   "-p", "35060", "-mp", "36000", "-ci", "127.0.0.1", "-nostdin", "-recv_timeout", "30s"],
                                  cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(ramp + 45)
        count, seconds = api(38021, "show calls count")
        held = rss_kib(serve.pid)
        caller.wait()
        # The last BYEs' transactions linger 32 s (Timer J), and the idle trim runs every 10 s.
        time.sleep(60)
        after = rss_kib(serve.pid)
        ended, _ = api(38021, "show calls count")
        established = int(count.split()[0]) if count.split() else 0
        print(f"calls established: {established} (of {options.calls})")
        print(f"RSS: baseline {baseline / 1024:.1f} MiB, with the calls up {held / 1024:.1f} MiB, "
              f"60 s after they ended {after / 1024:.1f} MiB ({ended.strip()})")
        if established:
            print(f"RSS per established call: {(held - baseline) * 1024 / established / 1024:.1f} KiB")
        print(f"show calls count with them up: {seconds * 1000:.1f} ms")


if __name__ == "__main__":
    main()
