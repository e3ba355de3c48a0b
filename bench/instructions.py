#!/usr/bin/env python3
"""Instructions per call, counted exactly: the service's whole call path (`distributor-bench
call`: the bundled external profile on one event-loop thread, a caller and two gateways in the
same process on 127.0.0.1) run under valgrind's callgrind, collecting on the event-loop thread
only, so that the peers' work is left out.

CPU time on this shared machine moves by 5% to 20% between runs, and a heap allocation count
(bench/allocations.py) says nothing of the work between allocations. An instruction count moves
by 1 to 2%, and only upwards: the timer wheel turns every 10 ms of real time, so a run that
valgrind makes slower (a busy host) counts more turns per call. The binaries take turns for
--rounds rounds and the lowest count of each is the figure to compare builds by. Each
measurement runs a binary twice, with a small and a large number of calls after the same
warm-up; the difference divided by the difference in calls is the count per call, with
start-up, warm-up and shutdown cancelled out. Hashing is made deterministic
(SWIFT_DETERMINISTIC_HASHING) so that tables probe alike in every run.

With --top N it also lists the N functions with the most instructions per call of their own,
from the same two runs: a profile with exact counts instead of samples; with --inclusive, the
counts include what the functions call.

    python3 bench/instructions.py [--calls 200,1000] [--in-flight 8] [--rounds 2] [--top 30 [--inclusive]] [BENCH_BINARY ...]
Run from anywhere; needs valgrind and binutils (objcopy). The binaries default to the release
build of distributor-bench (swift build -c release --product distributor-bench); give another
build's to compare (a copy, since a build replaces its own).
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# NIO's event loop, entered once per thread: collecting only inside it counts the service alone.
EVENT_LOOP = "*SelectableEventLoopC3run*"
LINE = re.compile(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+\S*?:(.*) \[[^\]]*\]\s*$")


def run(binary, calls, in_flight, scratch):
    """The callgrind output file and the instructions collected for one run."""
    output = os.path.join(scratch, f"callgrind.{calls}.out")
    result = subprocess.run(["valgrind", "--tool=callgrind", f"--toggle-collect={EVENT_LOOP}", f"--callgrind-out-file={output}",
                             binary, "call", "--calls", str(calls), "--in-flight", str(in_flight)],
                            cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, SWIFT_DETERMINISTIC_HASHING="1"))
    collected = re.search(r"Collected : ([\d,]+)", result.stderr)
    if result.returncode != 0 or not collected:
        sys.exit(f"{binary} call --calls {calls} failed under callgrind:\n{result.stdout}{result.stderr[-2000:]}")
    return output, int(collected.group(1).replace(",", ""))


def per_function(output, inclusive):
    """Instructions per function, of its own or inclusive of callees, from callgrind_annotate."""
    text = subprocess.run(["callgrind_annotate", f"--inclusive={'yes' if inclusive else 'no'}", "--threshold=100", output],
                          capture_output=True, text=True).stdout
    counts = collections.Counter()
    for line in text.splitlines():
        match = LINE.match(line)
        if match:
            counts[match.group(2)] += int(match.group(1).replace(",", ""))
    return counts


def demangled(names):
    if not shutil.which("swift-demangle") and not shutil.which("swift"):
        return names
    command = ["swift-demangle", "--simplified"] if shutil.which("swift-demangle") else ["swift", "demangle", "--simplified"]
    lines = subprocess.run(command, input="\n".join(names), capture_output=True, text=True).stdout.splitlines()
    return lines if len(lines) == len(names) else names


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binaries", nargs="*", default=[os.path.join(ROOT, ".build", "release", "distributor-bench")])
    parser.add_argument("--calls", default="200,1000", help="the small and the large run's calls")
    parser.add_argument("--in-flight", type=int, default=8, help="calls the caller keeps going at once")
    parser.add_argument("--rounds", type=int, default=2, help="turns each binary takes; its lowest count is kept")
    parser.add_argument("--top", type=int, default=0, help="list the functions with the most instructions per call (last round)")
    parser.add_argument("--inclusive", action="store_true", help="--top counts what the functions call too")
    arguments = parser.parse_args()
    for tool in ("valgrind", "objcopy", "callgrind_annotate"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install -y valgrind binutils")
    low, high = sorted(int(count) for count in arguments.calls.split(","))
    lowest = {}
    for round_number in range(1, arguments.rounds + 1):
        for binary in arguments.binaries:
            per_call, top = measure(binary, low, high, arguments.in_flight, arguments.top, arguments.inclusive)
            lowest[binary] = min(per_call, lowest.get(binary, per_call))
            print(f"round {round_number} {binary}: {per_call:,.0f} instructions per call on the event-loop thread "
                  f"({low} and {high} calls, {arguments.in_flight} in flight)", flush=True)
            if round_number == arguments.rounds:
                for name, count in top:
                    print(f"  {count:12,.0f}  {100 * count / per_call:5.1f}%  {name[:150]}")
    for binary, per_call in lowest.items():
        print(f"lowest of {arguments.rounds}, {binary}: {per_call:,.0f} instructions per call")


def measure(binary, low, high, in_flight, top_count, inclusive):
    """Instructions per call, and the `top_count` functions with the most per call."""
    with tempfile.TemporaryDirectory(prefix="instructions-") as scratch:
        # valgrind 3.19 cannot read this toolchain's DWARF in a binary this size; the symbol
        # table is all callgrind needs to name functions.
        stripped = os.path.join(scratch, "distributor-bench")
        subprocess.run(["objcopy", "--strip-debug", binary, stripped], check=True)
        low_output, low_total = run(stripped, low, in_flight, scratch)
        high_output, high_total = run(stripped, high, in_flight, scratch)
        per_call = (high_total - low_total) / (high - low)
        if not top_count:
            return per_call, []
        low_counts, high_counts = per_function(low_output, inclusive), per_function(high_output, inclusive)
        differences = {name: (high_counts[name] - low_counts.get(name, 0)) / (high - low) for name in high_counts}
        top = sorted(differences.items(), key=lambda item: -item[1])[:top_count]
        return per_call, list(zip(demangled([name for name, _ in top]), [count for _, count in top]))

if __name__ == "__main__":
    main()
