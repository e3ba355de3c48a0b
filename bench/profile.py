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

    sudo python3 bench/profile.py [--rate 2500] [--seconds 10] [--top 40] [--under 'Call.launch$'] [--keep profile.data]
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
from benchlib import call_rate_module, rig  # noqa: E402

call_rate = call_rate_module()

# The first rule a sample's innermost function matches names its kind; none matched is ours
# when the name is a Swift one of our modules' (no leading underscore or `swift_`).
KINDS = [
    ("reference counting", r"swift_retain|swift_release|RefCounts|swift_bridgeObject|isUniquelyReferenced|swift_unknownObject|swift_weak"),
    ("malloc and free", r"malloc|free|^_int_|swift_slowAlloc|swift_allocObject|swift_dealloc|swift_allocBox|consolidate|tcache|usable_size|unlink_chunk"),
    ("deinitialisers", r"deallocating_deinit|^destroy |arrayDestroy|outlined destroy|outlined release|outlined consume"),
    ("strings", r"String|Substring|UTF8|_allASCII|Character|Unicode"),
    ("hashing and dictionaries", r"Hasher|Dictionary|hash\(into|__RawDictionaryStorage|_NativeDictionary|FNV1a|_NativeSet"),
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


def stacks_of(data):
    """Each sample as (is kernel, function) frames, innermost first, with Swift names demangled."""
    script = subprocess.run(["perf", "script", "-i", data, "-F", "ip,sym"], capture_output=True, text=True).stdout
    samples = []
    for block in script.split("\n\n"):
        frames = [line.strip().split(None, 1) for line in block.strip().splitlines()]
        frames = [(address.startswith("ffffffff"), symbol) for address, symbol in (frame for frame in frames if len(frame) == 2)]
        if frames:
            samples.append(frames)
    symbols = sorted({symbol for frames in samples for _, symbol in frames})
    demangled = subprocess.run(["swift-demangle", "--simplified"], input="\n".join(symbols), capture_output=True, text=True).stdout.split("\n")
    names = {symbol: re.sub(r"\(.*", "", name)[:110] for symbol, name in zip(symbols, demangled)}
    return [[(kernel, names.get(symbol, symbol)) for kernel, symbol in frames] for frames in samples]


def kind_of(function):
    for kind, pattern in KINDS:
        if re.search(pattern, function):
            return kind
    return "other runtime and libraries" if re.match(r"(swift|_|\$|\[)", function) else "our own code"


def report(samples, top, under):
    user = [frames for frames in samples if not frames[0][0]]
    if not user:
        sys.exit("no user-space samples")
    share = lambda count: f"{100 * count / len(user):6.2f}%"
    print(f"{len(samples)} samples: {100 * (len(samples) - len(user)) / len(samples):.1f}% in the kernel, "
          f"{100 * len(user) / len(samples):.1f}% in the service's own code and libraries (user space)")
    print("\nuser-space samples by the kind of work they were taken in:")
    for kind, count in collections.Counter(kind_of(frames[0][1]) for frames in user).most_common():
        print(f"  {share(count)}  {kind}")
    inclusive = collections.Counter()
    for frames in user:
        inclusive.update({function for _, function in frames if not PLUMBING.search(function)})
    print(f"\nthe {top} functions with the largest inclusive share of user-space samples (NIO's loop and threads left out):")
    for function, count in inclusive.most_common(top):
        print(f"  {share(count)}  {function}")
    if under:
        pattern = re.compile(under)
        callees, matched = collections.Counter(), 0
        for frames in user:
            depths = [depth for depth, (_, function) in enumerate(frames) if pattern.search(function)]
            if depths:
                matched += 1
                callees[frames[min(depths) - 1][1] if min(depths) > 0 else "(itself)"] += 1
        print(f"\nunder {under}: {share(matched)} of user-space samples, in:")
        for function, count in callees.most_common(top):
            print(f"  {share(count)}  {function}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=2500, help="calls per second (keep it below the service's limit)")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--under", help="a regular expression: list what the functions it matches spend their time in")
    parser.add_argument("--data", help="read this perf.data instead of running a profile")
    parser.add_argument("--keep", help="keep the profile taken in this file (to read again with --data)")
    arguments = parser.parse_args()
    for tool in ("perf", "swift-demangle") + (() if arguments.data else ("sipp",)):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing (perf: apt-get install -y linux-perf; sipp: apt-get install -y sip-tester)")
    data = arguments.data
    if not data:
        if os.geteuid() != 0:
            sys.exit("profile.py needs root to sample another process (sudo python3 bench/profile.py)")
        data = arguments.keep or os.path.join(tempfile.mkdtemp(prefix="profile-"), "perf.data")
        record(data, arguments.rate, arguments.seconds)
    report(stacks_of(data), arguments.top, arguments.under)


if __name__ == "__main__":
    main()
