#!/usr/bin/env python3
"""Heap allocations per call: how many times `distributor serve` calls malloc for each call it
carries, counted exactly (a perf uprobe on glibc's malloc), and where in our code they are made.

CPU time per call moves by +-5% or more between runs on a shared machine, while this count
moves by well under 1%: it is the figure to compare builds by when a change is too small for
CPU time to show. Runs the bundled tree behind one sipp caller and two sipp gateways on
127.0.0.1 (as bench/cpu-ab.py does), warms up, then counts over a bounded number of calls.

    sudo python3 bench/allocations.py [--rate 500] [--seconds 10] [--sites 30] [BINARY ...]
Needs root (perf probe), perf, sipp and swift-demangle; the binaries default to the release build.
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import ROOT, call_rate_module, demangled, rig  # noqa: E402

call_rate = call_rate_module()

PROBE = "probe_libc:malloc"

# Frames that are not where our code decided to allocate: the runtime, the standard library's
# containers and strings, glibc, and thunks. The first frame past these names the site.
NOT_A_SITE = re.compile(
    r"^(swift_|_swift|swift::|malloc|_int_|outlined |__|_Contiguous|_Native|Array|Dictionary|String|_String|static String"
    r"|static __StringStorage|static _DictionaryStorage|static _SetStorage|ContiguousArray|Set|Substring|Sequence|Collection"
    r"|RangeReplaceableCollection|BidirectionalCollection|_allocate|_copy|thunk|protocol witness|destroy|initialize|Optional"
    r"|Unsafe|_Raw|type metadata|reabstraction|merged |objectdestroy|_Array|DefaultStringInterpolation|\[unknown\])")


def libc_path():
    output = subprocess.run(["ldd", "/bin/sh"], capture_output=True, text=True).stdout
    for line in output.splitlines():
        if "libc.so.6" in line:
            return line.split("=>")[1].split()[0]
    sys.exit("glibc not found")


def ensure_probe():
    listed = subprocess.run(["perf", "probe", "-l"], capture_output=True, text=True).stdout
    if PROBE in listed:
        return False
    subprocess.run(["perf", "probe", "-q", "-x", libc_path(), "-a", "malloc"], check=True)
    return True


def count(pid, run):
    """Mallocs made by `pid` while `run()` runs (perf stops on SIGINT and prints its count)."""
    counter = subprocess.Popen(["perf", "stat", "-x", ",", "-e", PROBE, "-p", str(pid)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        result = run()
    finally:
        counter.send_signal(2)
        _, report = counter.communicate(timeout=60)
    for line in report.splitlines():
        fields = line.split(",")
        if len(fields) > 2 and PROBE in fields[2] and fields[0].isdigit():
            return int(fields[0]), result
    sys.exit(f"perf stat gave no count:\n{report}")


def sites(pid, run, work):
    """Each allocation's first frame in our code, counted over `run()`."""
    data = os.path.join(work, "malloc.data")
    recorder = subprocess.Popen(["perf", "record", "-q", "-e", PROBE, "-g", "-o", data, "-p", str(pid)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        result = run()
    finally:
        recorder.send_signal(2)
        recorder.wait(120)
    script = subprocess.run(["perf", "script", "-i", data, "-F", "ip,sym"], capture_output=True, text=True).stdout
    stacks = collections.Counter(tuple(line.split(None, 1)[1] for line in block.strip().splitlines() if len(line.split(None, 1)) == 2)
                                 for block in script.split("\n\n") if block.strip())
    symbols = sorted({symbol for stack in stacks for symbol in stack})
    names = {symbol: re.sub(r"^(specialized |partial apply for |closure #\d+ in |implicit closure #\d+ in )+", "",
                            re.sub(r"\(.*", "", name))
             for symbol, name in zip(symbols, demangled(symbols, "--compact"))}
    found = collections.Counter()
    for stack, times in stacks.items():
        ours = [names.get(symbol, symbol) for symbol in stack if not NOT_A_SITE.match(names.get(symbol, symbol))]
        found[" < ".join(ours[:2]) if ours else "(runtime only)"] += times
    return found, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binaries", nargs="*", default=[os.path.join(ROOT, ".build", "release", "distributor")])
    parser.add_argument("--rate", type=int, default=500, help="calls per second (keep it well below the service's limit)")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--sites", type=int, default=0, help="also list this many allocation sites with their count per call")
    arguments = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("allocations.py needs root: it adds a perf probe on glibc's malloc (sudo python3 bench/allocations.py)")
    for tool in ("perf", "sipp", "swift-demangle"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing (perf: apt-get install -y linux-perf; sipp: apt-get install -y sip-tester)")
    added = ensure_probe()
    try:
        for binary in arguments.binaries:
            os.environ["DIST"] = os.path.abspath(binary)
            with rig("allocations-", 25085, 28021, 28088, (25091, 25092), (27000, 27100), 3 * arguments.seconds + 90) as (work, serve):
                call_rate.call(25085, arguments.rate, 3, work)  # warm-up: tables, pools and caches reach their size
                mallocs, run = count(serve.pid, lambda: call_rate.call(25085, arguments.rate, arguments.seconds, work))
                print(f"{binary}: {run['ok']}/{run['calls']} answered; {mallocs / max(1, run['ok']):.1f} mallocs per call", flush=True)
                if arguments.sites:
                    found, sampled = sites(serve.pid, lambda: call_rate.call(25085, arguments.rate, arguments.seconds, work), work)
                    for site, times in found.most_common(arguments.sites):
                        print(f"  {times / max(1, sampled['ok']):6.1f}  {site}")
    finally:
        if added:
            subprocess.run(["perf", "probe", "-q", "-d", PROBE])


if __name__ == "__main__":
    main()
