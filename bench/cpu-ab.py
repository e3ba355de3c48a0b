#!/usr/bin/env python3
"""A/B comparison of builds by CPU per call, split into user and system time.

Runs each given `distributor` binary in turn (alternating, `--rounds` times) behind the same
sipp caller and two sipp gateways on 127.0.0.1, at one fixed rate for a bounded time, and
prints the user and system CPU seconds each spent per 1,000 answered calls (from
/proc/<pid>/stat). The ratio between builds measured in one run is what to read: the machine's
noise is about +-5%, so a change worth less than that needs a profile instead, or
bench/allocations.py. Noisy neighbours only ever add time, so after the rounds each binary's
round with the lowest total is printed again (of the rounds where every call was answered):
with several rounds, those are the ones to compare.

    python3 bench/cpu-ab.py --rate 2500 --seconds 12 .build/release/distributor /tmp/other-build
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import ROOT, call_rate_module, rig  # noqa: E402

call_rate = call_rate_module()


def user_and_system_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / ticks, int(fields[12]) / ticks


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binaries", nargs="+", help="distributor binaries to compare")
    parser.add_argument("--rate", type=int, default=2500, help="calls per second (keep it below every build's limit)")
    parser.add_argument("--seconds", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=2)
    arguments = parser.parse_args()
    lowest = {}
    for round_number in range(arguments.rounds):
        for binary in arguments.binaries:
            os.environ["DIST"] = os.path.abspath(binary)
            with rig("cpu-ab-", 25085, 28021, 28088, (25091, 25092), (27000, 27100), arguments.seconds + 60) as (work, serve):
                user_before, system_before = user_and_system_seconds(serve.pid)
                run = call_rate.call(25085, arguments.rate, arguments.seconds, work)
                user_after, system_after = user_and_system_seconds(serve.pid)
            per = 1000 / max(1, run["ok"])
            user, system = (user_after - user_before) * per, (system_after - system_before) * per
            if run["ok"] == run["calls"] and (binary not in lowest or user + system < sum(lowest[binary])):
                lowest[binary] = (user, system)
            print(f"round {round_number + 1} {binary}: {run['ok']}/{run['calls']} answered, {run['retrans']} retransmissions; "
                  f"user {user:.3f}, system {system:.3f} CPU s per 1,000 calls", flush=True)
    for binary, (user, system) in lowest.items():
        print(f"lowest of {arguments.rounds} rounds, {binary}: user {user:.3f}, system {system:.3f}, total {user + system:.3f} CPU s per 1,000 calls")


if __name__ == "__main__":
    main()
