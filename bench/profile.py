#!/usr/bin/env python3
"""Where `distributor serve` spends its CPU under call load: a perf profile with call stacks,
read three ways.

Runs the bundled tree behind one sipp caller and two sipp gateways on 127.0.0.1 (as
bench/cpu-ab.py does), samples the service with `perf record -g` for a bounded time, then prints

- the kernel's share of the samples against the service's own (user space);
- the user-space samples by kind of work, from the function each was taken in: reference
  counting, malloc and free, deinitialisers, strings, hashing and dictionaries, NIO, and our own
  code, which is what can be changed directly, the rest being what our code makes the runtime do;
- the functions with the largest inclusive share of user-space samples;
- with `--under REGEX`, what the functions matching it spend their time in (their callees one
  level down, innermost match), to follow a path down.

With `--data FILE` it reads a profile taken before instead of running one: `--under` can then
be asked again and again without a new run. A profile cannot be compared with another by its
percentages alone: the shares move with the machine's noise like CPU time does; count
allocations with bench/allocations.py to compare builds.

    sudo python3 bench/profile.py [--rate 2500] [--seconds 10] [--top 40] [--under 'Call.launch$'] [--keep FILE | --data FILE]
Needs root (perf), perf, sipp and swift-demangle; the binary is the release build or $DIST, and
$THREADS sets its event-loop threads.
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import ROOT, call_rate_module, demangled, rig  # noqa: E402

call_rate = call_rate_module()

# The first rule a sample's innermost function matches names its kind; none matched is ours
# when its mangled name is in one of our modules (a folder of Sources/).
KINDS = [
    ("reference counting", r"swift_retain|swift_release|RefCounts|swift_bridgeObject|isUniquelyReferenced|swift_unknownObject|swift_weak"),
    ("malloc and free", r"malloc|free|^_int_|swift_slowAlloc|swift_allocObject|swift_dealloc|swift_allocBox|consolidate|tcache|usable_size|unlink_chunk"),
    ("deinitialisers", r"deallocating_deinit|^destroy |arrayDestroy|outlined destroy|outlined release|outlined consume"),
    ("strings", r"String|Substring|UTF8|_allASCII|Character|Unicode"),
    ("hashing and dictionaries", r"Hasher|Dictionary|\.hash\b|hashValue|__RawDictionaryStorage|_NativeDictionary|FNV1a|_NativeSet"),
    ("memory copies and search", r"^__mem|^mem|^__strchr"),
    ("exclusivity checks", r"swift_beginAccess|swift_endAccess|AccessSet"),
    ("metadata and generics", r"swift_once|instantiate|metadata|swift_getGeneric|conformance|swift_conformsTo|dynamicCast"),
    ("arrays", r"Array|ContiguousArray"),
    ("NIO", r"NIO|ByteBuffer|Selector|EventLoop|Channel|SocketAddress|Datagram"),
]

# The frames every sample passes through on its way to our code: the thread, NIO's loop, its
# channel and pipeline. Listed, they would fill the top of the inclusive list.
PLUMBING = re.compile(r"start_thread|ThreadOps|thunk for|EventLoop|Selector|SocketChannel|DatagramChannel|ChannelPipeline|ChannelHandlerContext")


def record(data, rate, seconds):
    """Samples the service at 1,999 Hz while the caller runs; the first and last 2 s are left out."""
    def sample(pid):
        time.sleep(2)
        subprocess.run(["perf", "record", "-q", "-F", "1999", "-g", "-p", str(pid), "-o", data, "--", "sleep", str(max(1, seconds - 4))],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    with rig("profile-", 25085, 28021, 28088, (25091, 25092), (27000, 27100), seconds + 60) as (work, serve):
        call_rate.call(25085, rate, 3, work)  # warm-up
        sampler = threading.Thread(target=sample, args=(serve.pid,))
        sampler.start()
        run = call_rate.call(25085, rate, seconds, work)
        sampler.join()
    print(f"{run['ok']}/{run['calls']} calls answered at {rate}/s, {run['retrans']} retransmissions")


FRAME = re.compile(r"^\s*[0-9a-f]+\s+(.*?)\s+\((.*)\)$")
OUR_MODULES = set(os.listdir(os.path.join(ROOT, "Sources")))


def module_of(symbol):
    """The module a mangled Swift name belongs to (`$s12SIPTransport...` -> SIPTransport)."""
    match = re.match(r"\$s(\d+)", symbol)
    return symbol[match.end():match.end() + int(match.group(1))] if match else None


def stacks_of(data):
    """Each sample as (is kernel, is ours, function) frames, innermost first, Swift names demangled."""
    script = subprocess.run(["perf", "script", "-i", data, "-F", "ip,sym,dso"], capture_output=True, text=True)
    if script.returncode != 0:
        sys.exit(f"perf script could not read {data}:\n{script.stderr.strip()}")
    samples = []
    for block in script.stdout.split("\n\n"):
        frames = [FRAME.match(line) for line in block.strip().splitlines()]
        frames = [(frame.group(2) == "[kernel.kallsyms]", frame.group(1)) for frame in frames if frame]
        if frames:
            samples.append(frames)
    symbols = sorted({symbol for frames in samples for _, symbol in frames})
    # Argument labels go, `(_:from:)`; the rest of a name stays (`hash(into:)` becomes `hash`).
    names = {symbol: re.sub(r"\((?:\w*:)*\)", "", name)[:110] for symbol, name in zip(symbols, demangled(symbols))}
    return [[(kernel, module_of(symbol) in OUR_MODULES, names.get(symbol, symbol)) for kernel, symbol in frames] for frames in samples]


def kind_of(ours, function):
    for kind, pattern in KINDS:
        if re.search(pattern, function):
            return kind
    return "our own code" if ours else "other runtime and libraries"


def report(samples, top, under):
    user = [frames for frames in samples if not frames[0][0]]
    if not user:
        sys.exit("no user-space samples")
    share = lambda count: f"{100 * count / len(user):6.2f}%"
    print(f"{len(samples)} samples: {100 * (len(samples) - len(user)) / len(samples):.1f}% in the kernel, "
          f"{100 * len(user) / len(samples):.1f}% in the service's own code and libraries (user space)")
    print("\nuser-space samples by the kind of work they were taken in:")
    for kind, count in collections.Counter(kind_of(frames[0][1], frames[0][2]) for frames in user).most_common():
        print(f"  {share(count)}  {kind}")
    inclusive = collections.Counter()
    for frames in user:
        inclusive.update({function for _, _, function in frames if not PLUMBING.search(function)})
    print(f"\nthe {top} functions with the largest inclusive share of user-space samples (NIO's loop and threads left out):")
    for function, count in inclusive.most_common(top):
        print(f"  {share(count)}  {function}")
    if under:
        pattern = re.compile(under)
        callees, matched = collections.Counter(), 0
        for frames in user:
            depths = [depth for depth, (_, _, function) in enumerate(frames) if pattern.search(function)]
            if depths:
                matched += 1
                callees[frames[min(depths) - 1][2] if min(depths) > 0 else "(itself)"] += 1
        print(f"\nunder {under}: {share(matched)} of user-space samples, in:")
        for function, count in callees.most_common(top):
            print(f"  {share(count)}  {function}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=2500, help="calls per second (keep it below the service's limit)")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--under", help="a regular expression: list what the functions it matches spend their time in")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--data", help="read this perf.data instead of running a profile")
    source.add_argument("--keep", help="keep the profile taken in this file (to read again with --data)")
    arguments = parser.parse_args()
    for tool in ("perf", "swift-demangle") + (() if arguments.data else ("sipp",)):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing (perf: apt-get install -y linux-perf; sipp: apt-get install -y sip-tester)")
    if arguments.data:
        report(stacks_of(arguments.data), arguments.top, arguments.under)
        return
    if os.geteuid() != 0:
        sys.exit("profile.py needs root to sample another process (sudo python3 bench/profile.py)")
    scratch = None if arguments.keep else tempfile.mkdtemp(prefix="profile-")
    data = arguments.keep or os.path.join(scratch, "perf.data")
    try:
        record(data, arguments.rate, arguments.seconds)
        report(stacks_of(data), arguments.top, arguments.under)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
