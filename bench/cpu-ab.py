#!/usr/bin/env python3
"""A/B comparison of builds by CPU per call, split into user and system time.

Runs each given `distributor` binary in turn (alternating, `--rounds` times) behind the same
sipp caller and two sipp gateways on 127.0.0.1, at one fixed rate for a bounded time, and
prints the user and system CPU seconds each spent per 1,000 answered calls (from
/proc/<pid>/stat), how much of one core its busiest thread used over the run (one event loop
is one thread, so it saturates there first), and the service's overload log lines. The ratio between builds measured in one run is what to read: the machine's
noise is about +-5%, so a change worth less than that needs a profile instead, or
bench/allocations.py. Noisy neighbours only ever add time, so after the rounds each binary's
round with the lowest total is printed again (of the rounds where every call was answered):
with several rounds, those are the ones to compare.

A binary named `kamailio` (or `kamailio:N`, N children; 2 by default) runs Kamailio's dispatcher
(bench/kamailio-dispatcher.cfg) in the middle instead, its processes' CPU added up: the same
split for the system our call rate is compared with, measured in the same run.

    python3 bench/cpu-ab.py --rate 2500 --seconds 12 .build/release/distributor /tmp/other-build kamailio

With `--tail 34` each run is followed by 34 s without calls, whose CPU is printed apart: the
expiry of the run's transactions (32 s after their calls, Timers J, L and M), which a run
shorter than 32 s leaves entirely to after its end.
"""
import argparse
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import ROOT, busiest_thread_seconds, call_rate_module, rig, user_and_system_seconds  # noqa: E402

call_rate = call_rate_module()


def kamailio_children(binary):
    """N for `kamailio:N` (2 for `kamailio`), 0 for a distributor binary."""
    name, _, children = binary.partition(":")
    if name != "kamailio":
        return 0
    if children and not children.isdigit() or children == "0":
        sys.exit(f"{binary}: kamailio:N takes a number of children, 1 or more")
    return int(children) if children else 2


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binaries", nargs="+", help="distributor binaries to compare")
    parser.add_argument("--rate", type=int, default=2500, help="calls per second (keep it below every build's limit)")
    parser.add_argument("--seconds", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--tail", type=int, default=0,
                        help="then wait this many seconds and print the CPU spent in them per 1,000 calls: "
                             "ours expires a call's transactions up to 32 s after it ends (34 covers it)")
    arguments = parser.parse_args()
    if any(kamailio_children(binary) for binary in arguments.binaries) and not shutil.which("kamailio"):
        sys.exit("kamailio is missing: apt-get install -y kamailio")
    lowest = {}
    for round_number in range(arguments.rounds):
        for binary in arguments.binaries:
            children = kamailio_children(binary)
            if not children:
                os.environ["DIST"] = os.path.abspath(binary)
            with rig("cpu-ab-", 25085, 28021, 28088, (25091, 25092), (27000, 27100), arguments.seconds + arguments.tail + 60,
                     kamailio_children=children) as (work, serve):
                pids = call_rate.children(serve.pid)
                user_before, system_before = user_and_system_seconds(pids)
                threads_before, started = busiest_thread_seconds(pids), time.monotonic()
                run = call_rate.call(25085, arguments.rate, arguments.seconds, work)
                threads_after, wall = busiest_thread_seconds(pids), time.monotonic() - started
                user_after, system_after = user_and_system_seconds(pids)
                time.sleep(arguments.tail)
                tail = sum(user_and_system_seconds(pids)) - user_after - system_after
                # One event loop is one thread: near a whole core it falls behind at any burst.
                busiest = max((seconds - threads_before.get(tid, 0) for tid, seconds in threads_after.items()), default=0)
                refusals = [line.strip() for line in open(os.path.join(work, "serve.log")) if "overload:" in line] if not children else []
            per = 1000 / max(1, run["ok"])
            user, system = (user_after - user_before) * per, (system_after - system_before) * per
            if run["ok"] == run["calls"] and (binary not in lowest or user + system < sum(lowest[binary])):
                lowest[binary] = (user, system)
            print(f"round {round_number + 1} {binary}: {run['ok']}/{run['calls']} answered, {run['retrans']} retransmissions; "
                  f"user {user:.3f}, system {system:.3f} CPU s per 1,000 calls; busiest thread {busiest / wall:.0%} of a core"
                  + (f"; in the {arguments.tail} s after, {tail * per:.3f} CPU s per 1,000 calls" if arguments.tail else ""), flush=True)
            for line in refusals:
                print(f"  {line}", flush=True)
    for binary, (user, system) in lowest.items():
        print(f"lowest of {arguments.rounds} rounds, {binary}: user {user:.3f}, system {system:.3f}, total {user + system:.3f} CPU s per 1,000 calls")


if __name__ == "__main__":
    main()
