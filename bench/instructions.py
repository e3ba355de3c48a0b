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

A binary named `kamailio` measures Kamailio's dispatcher (bench/kamailio-dispatcher.cfg,
children=1) instead: all its processes under callgrind behind two sipp gateways, a sipp caller
(bench_uac.xml) placing calls for 10 s at 10 and then at 30 calls/s, each run on a fresh
Kamailio of the same lifetime, so that start-up and idle work cancel out of the difference.
sipp's messages are not the in-process caller's, so the two counts compare boxes, not bytes.

    python3 bench/instructions.py [--calls 200,1000] [--in-flight 8] [--rounds 2] [--top 30 [--inclusive]] [BENCH_BINARY|kamailio ...]
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
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from benchlib import call_rate_module, demangled, kamailio_command  # noqa: E402
# NIO's event loop, entered once per thread: collecting only inside it counts the service alone.
# Its exact name: a pattern would also match closures inside it, and each entry and exit of a
# match toggles collection again.
EVENT_LOOP = "$s8NIOPosix19SelectableEventLoopC3runyyKF"
LINE = re.compile(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+\S*?:(.*) \[[^\]]*\]\s*$")


def run(binary, calls, in_flight, scratch):
    """The callgrind output file and the instructions collected for one run."""
    output = os.path.join(scratch, f"callgrind.{calls}.out")
    result = subprocess.run(["valgrind", "--tool=callgrind", f"--toggle-collect={EVENT_LOOP}", f"--callgrind-out-file={output}",
                             binary, "call", "--calls", str(calls), "--in-flight", str(in_flight)],
                            cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, SWIFT_DETERMINISTIC_HASHING="1"),
                            timeout=600 + calls)
    collected = re.search(r"Collected : ([\d,]+)", result.stderr)
    if result.returncode != 0 or not collected:
        sys.exit(f"{binary} call --calls {calls} failed under callgrind:\n{result.stdout}{result.stderr[-2000:]}")
    return output, int(collected.group(1).replace(",", ""))


def per_function(output, inclusive):
    """Instructions per function, of its own or inclusive of callees, from callgrind_annotate."""
    annotated = subprocess.run(["callgrind_annotate", f"--inclusive={'yes' if inclusive else 'no'}", "--threshold=100", output],
                               capture_output=True, text=True)
    if annotated.returncode != 0:
        sys.exit(f"callgrind_annotate could not read {output}:\n{annotated.stderr.strip()}")
    text = annotated.stdout
    counts = collections.Counter()
    for line in text.splitlines():
        match = LINE.match(line)
        if match:
            counts[match.group(2)] += int(match.group(1).replace(",", ""))
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binaries", nargs="*", default=[os.path.join(ROOT, ".build", "release", "distributor-bench")])
    parser.add_argument("--calls", default="200,1000", help="the small and the large run's calls")
    parser.add_argument("--in-flight", type=int, default=8, help="calls the caller keeps going at once")
    parser.add_argument("--rounds", type=int, default=2, help="turns each binary takes; its lowest count is kept")
    parser.add_argument("--top", type=int, default=0, help="list the functions with the most instructions per call (last round)")
    parser.add_argument("--inclusive", action="store_true", help="--top counts what the functions call too")
    arguments = parser.parse_args()
    for tool in ("valgrind", "objcopy", "callgrind_annotate") + (("swift-demangle",) if arguments.top else ()):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install -y valgrind binutils (swift-demangle comes with Swift)")
    counts = sorted(int(count) for count in arguments.calls.split(",") if count.strip().isdigit())
    if len(counts) != 2 or counts[0] == counts[1] or counts[0] < 1:
        parser.error("--calls takes two different positive counts, such as 200,1000")
    if arguments.rounds < 1 or arguments.in_flight < 1:
        parser.error("--rounds and --in-flight are at least 1")
    low, high = counts
    lowest = {}
    for round_number in range(1, arguments.rounds + 1):
        for binary in arguments.binaries:
            if binary == "kamailio":
                per_call, top = measure_kamailio(), []
            else:
                per_call, top = measure(binary, low, high, arguments.in_flight, arguments.top, arguments.inclusive)
            lowest[binary] = min(per_call, lowest.get(binary, per_call))
            how = ("in all its processes (10 s at 10 and at 30 calls/s)" if binary == "kamailio"
                   else f"on the event-loop thread ({low} and {high} calls, {arguments.in_flight} in flight)")
            print(f"round {round_number} {binary}: {per_call:,.0f} instructions per call {how}", flush=True)
            if round_number == arguments.rounds:
                for name, count in top:
                    print(f"  {count:12,.0f}  {100 * count / per_call:5.1f}%  {name[:150]}")
    for binary, per_call in lowest.items():
        print(f"lowest of {arguments.rounds}, {binary}: {per_call:,.0f} instructions per call")


def kamailio_run(rate, seconds, scratch):
    """Calls answered and instructions counted in all of Kamailio's processes for one run."""
    call_rate = call_rate_module()
    work = tempfile.mkdtemp(dir=scratch)
    gateways = [call_rate.start_gateway(25091, 27000, work), call_rate.start_gateway(25092, 27100, work)]
    kamailio = subprocess.Popen(["valgrind", "--tool=callgrind", "--trace-children=yes", f"--callgrind-out-file={work}/callgrind.%p"]
                                + kamailio_command(work, 25080, 1, (25091, 25092)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(8)  # Kamailio starting under valgrind
        answered = call_rate.call(25080, rate, seconds, work)["ok"]
        time.sleep(2)
    finally:
        kamailio.terminate()
        kamailio.wait(60)
        for gateway in gateways:
            call_rate.stop(gateway)
    total = 0
    for name in os.listdir(work):
        if name.startswith("callgrind."):
            summary = re.search(r"^(?:summary|totals): (\d+)", open(os.path.join(work, name), errors="replace").read(), re.M)
            total += int(summary.group(1)) if summary else 0
    return answered, total


def measure_kamailio():
    if not shutil.which("kamailio") or not shutil.which("sipp"):
        sys.exit("kamailio and sipp are needed: apt-get install -y kamailio sip-tester")
    with tempfile.TemporaryDirectory(prefix="instructions-") as scratch:
        low_calls, low_total = kamailio_run(10, 10, scratch)
        high_calls, high_total = kamailio_run(30, 10, scratch)
    if high_calls <= low_calls:
        sys.exit(f"Kamailio answered {low_calls} and {high_calls} calls under callgrind: no difference to divide by")
    return (high_total - low_total) / (high_calls - low_calls)


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
