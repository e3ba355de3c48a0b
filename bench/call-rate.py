#!/usr/bin/env python3
"""Call-rate benchmark: sipp straight to a sipp gateway (the rig's ceiling), through Kamailio's
dispatcher, and through `distributor serve`, with the same sipp caller, in one run, on 127.0.0.1.

For each system the offered rate steps up (past the listed rates, by their last step, up to
twice the last) until calls fail (more than 0.1% not answered:
failed, timed out or unfinished; or retransmitted); the highest clean rate is held for
--seconds. The systems step together, each in turn at every rate, so that the machine's
noisy spells weigh on all of them alike; the
latency and overload runs then start each box afresh. Reported per system: that rate,
INVITE-to-200 latency percentiles at half of it, CPU seconds per 1,000 calls of the middle box
and of the sipp processes beside it (the cores they share bound every box's rate), and its memory right after that rate's run (PSS, so that memory Kamailio's processes share is
counted once, not once per process). Kamailio and the distributor each run at every worker count in --workers
(children, threads), and each is then offered twice its sustained rate: the calls it still
completes per second show whether it sheds the excess or collapses. Then the distributor, at every thread count, runs twice for 60 s at 80% of the best rate of them all: a 15-s step ends before the first transactions expire (32 s), so it can pass at a rate that count cannot hold. Every sipp run is bounded in calls and time.

    bench/call-rate.py [--rates 1000,2000,...] [--seconds 15] [--workers 1,2] [--out bench/call-rate-results.md]
Needs the Debian packages sip-tester and kamailio, and a release build (it runs one).
"""
import argparse
import csv
import glob
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from benchlib import ROOT, SCENARIOS, SOCKET_BUFFER, bundled_tree, kamailio_command, percentile, user_and_system_seconds


def sipp(args, cwd, limit):
    return subprocess.run(["timeout", str(limit), "sipp"] + args, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)


def start_gateway(port, media, cwd):
    return subprocess.Popen(["sipp", "-sf", os.path.join(SCENARIOS, "bench_gateway.xml"), "-i", "127.0.0.1",
                             "-p", str(port), "-mp", str(media), "-ci", "127.0.0.1", "-nostdin",
                             "-timeout", "3600s", "-max_recv_loops", "10000", "-buff_size", SOCKET_BUFFER],
                            cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process):
    if process and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            # Reaped now, not later inside a caller's run, whose CPU it would join (caller_seconds).
            process.wait()


def children(pid):
    """The process and its descendants (Kamailio forks workers)."""
    pids, frontier = [pid], [pid]
    while frontier:
        parent = frontier.pop()
        for path in glob.glob("/proc/[0-9]*/stat"):
            try:
                fields = open(path).read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                child = int(path.split("/")[2])
                pids.append(child)
                frontier.append(child)
    return pids


def cpu_seconds(pids):
    return sum(user_and_system_seconds(pids))


def pss_kib(pids):
    """The processes' proportional set size: each shared page counts once across them."""
    total = 0
    for pid in pids:
        try:
            for line in open(f"/proc/{pid}/smaps_rollup"):
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def call(port, rate, seconds, cwd, latency=False):
    stats = os.path.join(cwd, f"stats-{port}-{rate}.csv")
    if os.path.exists(stats):
        os.remove(stats)
    for old in glob.glob(os.path.join(cwd, "*_rtt.csv")):
        os.remove(old)
    calls = rate * seconds
    args = [f"127.0.0.1:{port}", "-sf", os.path.join(SCENARIOS, "bench_uac.xml"), "-s", "9980", "-r", str(rate),
            "-m", str(calls), "-l", str(rate * 12), "-i", "127.0.0.1", "-p", "25060", "-mp", "26000", "-ci", "127.0.0.1",
            "-nostdin", "-timeout", f"{seconds + 30}s", "-recv_timeout", "10s", "-trace_stat", "-stf", stats, "-fd", "3600",
            "-buff_size", SOCKET_BUFFER]
    if latency:
        args += ["-trace_rtt", "-rtt_freq", "1"]
    sipp(args, cwd, seconds + 40)
    rows = list(csv.reader(open(stats), delimiter=";")) if os.path.exists(stats) else []
    if len(rows) < 2:
        return {"calls": calls, "ok": 0, "failed": calls, "retrans": 0, "latencies": []}
    head, last = rows[0], rows[-1]
    value = lambda name: int(last[head.index(name)] or 0)
    latencies = []
    for path in glob.glob(os.path.join(cwd, "*_rtt.csv")):
        for row in csv.reader(open(path), delimiter=";"):
            try:
                latencies.append(float(row[1]))
            except (ValueError, IndexError):
                pass
    return {"calls": calls, "ok": value("SuccessfulCall(C)"), "failed": value("FailedCall(C)"),
            "retrans": value("Retransmissions(C)"), "latencies": sorted(latencies)}


class System:
    """One way through the rig: sipp straight to a gateway (no middle box), or a middle box that
    `launch` starts fresh on `port`."""

    def __init__(self, name, port, launch=None, workers=None, tail=0):
        self.name, self.port, self.launch, self.workers, self.tail = name, port, launch, workers, tail
        self.process = None
        self.best, self.cpu, self.memory, self.sipp_cpu = 0, float("nan"), 0, float("nan")
        self.stepping = True

    def start(self):
        if self.launch and (self.process is None or self.process.poll() is not None):
            self.process = self.launch()

    def stop(self):
        stop(self.process)
        self.process = None

    def pids(self):
        return children(self.process.pid) if self.process else []


def caller_seconds():
    """CPU used so far by the child processes waited for: the sipp callers, once each run ends."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def rates_until_failure(rates):
    """The listed rates, then on by the list's last step for a system still passing them (sipp
    alone, most often): a ratio against a ceiling that never failed would be against a lower
    bound. Bounded: up to twice the last listed rate, in at most 10 steps (the list rises, as
    main() checks)."""
    yield from rates
    increment = max(rates[-1] - rates[-2] if len(rates) > 1 else rates[-1], rates[-1] // 10)
    rate = rates[-1] + increment
    while rate <= 2 * rates[-1]:
        yield rate
        rate += increment


def step(systems, rates, seconds, cwd, fresh_gateways, gateway_pids):
    """Every system at each rate in turn, interleaved, until each has a run that is not clean:
    a noisy neighbour's few minutes then weigh on all of them alike, not on whichever ran then.
    A system that failed is stopped at once, so that its backlog (transactions that linger up
    to 64 s) costs the others nothing; the later runs start it afresh."""
    for system in systems:
        system.start()
    time.sleep(3)
    for rate in rates_until_failure(rates):
        if not any(system.stepping for system in systems):
            break
        # New gateways at each rate: sipp's own time limit never runs out mid-step, and the
        # dead calls a failed run left in them weigh on no one after it.
        fresh_gateways()
        for system in [system for system in systems if system.stepping]:
            pids = system.pids()
            before = cpu_seconds(pids)
            sipp_before = caller_seconds() + cpu_seconds(gateway_pids())
            run = call(system.port, rate, seconds, cwd)
            sipp_used = caller_seconds() + cpu_seconds(gateway_pids()) - sipp_before
            memory = pss_kib(pids)
            # Failed: more than 0.1% of the calls not answered (refused, timed out or unfinished)
            # or retransmitted. At most that is a clean step, for every system alike.
            clean = run["calls"] - run["ok"] <= run["calls"] * 0.001 and run["retrans"] <= run["calls"] * 0.001
            print(f"  {system.name}: {rate}/s offered: {run['ok']}/{run['calls']} ok, {run['failed']} failed, "
                  f"{run['retrans']} retransmissions{'' if clean else '  <- not clean'}", flush=True)
            if not clean:
                system.stepping = False
                system.stop()
                continue
            # The box's work for these calls goes on after the last BYE: transactions expire
            # up to 32 s later (Timers J, L, M), Kamailio's after its wait timer. Waited for
            # and counted here, it neither lands on the next system's run nor goes missing.
            time.sleep(system.tail)
            used = cpu_seconds(pids) - before
            system.best = rate
            system.sipp_cpu = sipp_used / run["ok"] * 1000
            if pids:
                system.cpu = used / run["ok"] * 1000
                system.memory = memory
    for system in systems:
        system.stop()


def distributors_of(systems):
    return [system for system in systems if system.launch and "distributor" in system.name]


def latency_and_overload(system, seconds, cwd):
    """On a fresh box: INVITE-to-200 latency at half the sustained rate, then twice that rate
    for `seconds`. A box that sheds load keeps completing calls near its capacity; one that
    collapses completes few, and keeps retransmissions going long after."""
    try:
        system.start()
        time.sleep(3)
        half = max(1, system.best // 2)
        call(system.port, half, 3, cwd)  # warm-up
        latency = call(system.port, half, min(seconds, 10), cwd, latency=True)["latencies"] if system.best else []
        overload = None
        if system.launch and system.best:
            started = time.monotonic()
            run = call(system.port, 2 * system.best, seconds, cwd)
            overload = {"offered": 2 * system.best, "completed": run["ok"] / seconds, "failed": run["failed"], "retrans": run["retrans"],
                        "wall": time.monotonic() - started}
            print(f"  {system.name}: {2 * system.best}/s offered (overload): {run['ok']}/{run['calls']} ok, {run['failed']} failed, "
                  f"{run['retrans']} retransmissions, {overload['wall']:.0f} s", flush=True)
    finally:
        system.stop()
    return {"name": system.name, "rate": system.best, "unfailed": system.stepping, "workers": system.workers,
            "mean": sum(latency) / len(latency) if latency else float("nan"), "p50": percentile(latency, 0.5),
            "p90": percentile(latency, 0.9), "p99": percentile(latency, 0.99), "cpu": system.cpu, "sipp_cpu": system.sipp_cpu,
            "memory": system.memory,
            "overload": overload}


def budget(ceiling, kamailio, ours):
    """What the cores allow: the sipp processes and the middle box share them, so a box using M
    CPU s per 1,000 calls beside sipp's S can carry at most cores * 1,000 / (S + M) calls/s, and
    half the ceiling's rate leaves it cores * 1,000 / (ceiling / 2) - S. The ceiling is the
    highest rate sipp alone passed: a lower bound where it never failed (the table says so)."""
    cores = len(os.sched_getaffinity(0))
    bound = lambda result: f"{cores * 1000 / (result['sipp_cpu'] + result['cpu']):.0f}"
    allowed = cores * 1000 / (ceiling["rate"] / 2) - ours["sipp_cpu"] if ceiling["rate"] else float("nan")
    return (f"- The cores bound every box: the sipp caller and gateways used {ours['sipp_cpu']:.3f} CPU s per 1,000 calls through ours "
            f"and {kamailio['sipp_cpu']:.3f} through Kamailio, beside the box's own, on {cores} cores. With all of them busy and nothing "
            f"else running, that allows at most {bound(ours)} calls/s through ours and {bound(kamailio)} through Kamailio; "
            f"half the ceiling ({ceiling['rate'] // 2}/s) would leave a box that costs sipp what ours does at most {allowed:.3f} CPU s per 1,000 calls.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rates", default="500,1000,2000,3000,4000,5000,6000,7000,8000,10000,12000")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", default="1,2", help="Kamailio children and distributor threads to measure, each in turn")
    parser.add_argument("--systems", default="ceiling,kamailio,distributor",
                        help="which to measure; without all three, the table is printed and no file is written")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "call-rate-results.md"))
    options = parser.parse_args()
    rates = [int(rate) for rate in options.rates.split(",")]
    if rates[0] <= 0 or any(later <= earlier for earlier, later in zip(rates, rates[1:])):
        sys.exit(f"--rates {options.rates}: give rising rates above 0")
    for tool in ("sipp", "kamailio"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install -y sip-tester kamailio")
    subprocess.run(["swift", "build", "-c", "release", "--product", "distributor"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    work = tempfile.mkdtemp(prefix="call-rate-")
    counts = [int(count) for count in options.workers.split(",")]
    if len(set(counts)) != len(counts) or len(counts) > 5:
        sys.exit("--workers: at most five different counts (each box gets ports by its place in the list)")
    systems = set(options.systems.split(","))
    complete = {"ceiling", "kamailio", "distributor"} <= systems
    results, kamailios, distributors = [], [], []
    confirmations = []
    gateways = []
    everything = []
    try:
        def fresh_gateways():
            for gateway in gateways:
                stop(gateway)
            gateways[:] = [start_gateway(25091, 27000, work), start_gateway(25092, 27100, work)]
            time.sleep(1)

        def kamailio_launcher(workers, port):
            command = kamailio_command(work, port, workers, (25091, 25092))
            return lambda: subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def distributor_launcher(workers, port):
            tree = os.path.join(work, f"tree-{workers}")
            bundled_tree(tree, port, 28020 + workers, 28080 + workers, (25091, 25092))
            for number in (1, 2):
                path = os.path.join(tree, "conf", "sip_profiles", "external", f"gw{number}.xml")
                text = open(path).read()
                open(path, "w").write(text.replace('"ping" value="25"', '"ping" value="5"'))  # as Kamailio's ds_ping_interval
            return lambda: subprocess.Popen([os.path.join(ROOT, ".build", "release", "distributor"), "serve", "--conf", os.path.join(tree, "conf"),
                                             "--dialplan", os.path.join(tree, "dialplan"), "--log-level", "warning", "--threads", str(workers)],
                                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, f"serve-{workers}.log"), "a"))

        # Each middle box at each worker count (Kamailio's children, our event-loop threads), all
        # stepped together. On a box whose cores the sipp processes share, fewer workers can carry more.
        if "ceiling" in systems:
            everything.append(System("sipp -> sipp (ceiling)", 25091))
        for index, workers in enumerate(counts if "kamailio" in systems else []):
            everything.append(System(f"sipp -> Kamailio (children={workers}) -> sipp", 25080 + index, kamailio_launcher(workers, 25080 + index), workers,
                                     tail=6))
        for index, workers in enumerate(counts if "distributor" in systems else []):
            everything.append(System(f"sipp -> distributor (--threads {workers}) -> sipp", 25085 + index, distributor_launcher(workers, 25085 + index), workers,
                                     tail=34))
        print("stepping the rate: " + ", ".join(system.name for system in everything), flush=True)
        step(everything, rates, options.seconds, work, fresh_gateways, lambda: [gateway.pid for gateway in gateways])
        for system in everything:
            print(f"{system.name}: latency at half its rate, then overload", flush=True)
            fresh_gateways()
            result = latency_and_overload(system, options.seconds, work)
            (results if system.launch is None else kamailios if "Kamailio" in system.name else distributors).append(result)

        # The last target: no failed call at 80% of the service's best rate for 60 s,
        # twice. The 15-s steps end before the first transactions expire (32 s), so a thread
        # count can pass a step it cannot hold: each count runs at 80% of the best of them all
        # (stricter than 80% of its own), on a fresh service, so that the table says which hold it.
        ours_systems = sorted(distributors_of(everything), key=lambda system: -system.best)
        confirm_rate = ours_systems[0].best * 8 // 10 if ours_systems and complete else 0
        for system in ours_systems if confirm_rate else []:
            fresh_gateways()
            try:
                system.start()
                time.sleep(3)
                for _ in range(2):
                    run = call(system.port, confirm_rate, 60, work)
                    print(f"  {system.name} at 80%: {confirm_rate}/s for 60 s: {run['ok']}/{run['calls']} ok, {run['failed']} failed, "
                          f"{run['retrans']} retransmissions", flush=True)
                    confirmations.append((confirm_rate, system.workers, run))
            finally:
                system.stop()
    finally:
        for system in everything:
            system.stop()
        for gateway in gateways:
            stop(gateway)
        shutil.rmtree(work, ignore_errors=True)

    if not complete:
        for result in results + kamailios + distributors:
            overload = result["overload"]
            print(f"{result['name']}: {result['rate']}/s, {result['cpu']:.3f} CPU s per 1,000 calls "
                  f"(the sipp caller and gateways {result['sipp_cpu']:.3f}), "
                  f"latency at half rate mean {result['mean']:.2f} ms, p99 {result['p99']:.1f} ms"
                  + (f"; at {overload['offered']}/s, {overload['completed']:.0f} calls/s completed" if overload else ""))
        return
    ceiling = results[0]
    kamailio = max(kamailios, key=lambda result: result["rate"])
    ours = max(distributors, key=lambda result: result["rate"])
    lines = [
        "# Call-rate benchmark", "",
        f"One run of `bench/call-rate.py --rates {options.rates} --seconds {options.seconds} --workers {options.workers}` on {os.uname().nodename} "
        f"({os.cpu_count()} cores), {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Loopback only; the same sipp caller "
        "(INVITE with SDP, 100/180/200, ACK, 0-100 ms hold, BYE) and two sipp gateways. Each middle box runs at each worker "
        "count (Kamailio's `children`, our `--threads`); the ratios take each one's best. The systems step through the "
        "rates together, each in turn at every rate, so that the machine's noisy spells weigh on all of them alike. CPU per 1,000 calls counts each box's work after "
        "a run's last call too (transactions expiring), waited for before the next system runs: 34 s for ours (Timers J, L "
        "and M), 6 s for Kamailio's (its wait timer).", "",
        "| system | sustained calls/s | mean ms | p50 ms | p90 ms | p99 ms (at half rate) | CPU s / 1,000 calls | sipp's CPU s / 1,000 calls (caller and gateways) | PSS MiB after that rate | at twice that rate: completed calls/s, retransmissions |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results + kamailios + distributors:
        overload = result["overload"]
        shed = f"{overload['completed']:.0f}, {overload['retrans']}" if overload else ""
        lines.append(f"| {result['name']} | {result['rate']}{' (never failed)' if result['unfailed'] else ''} | {result['mean']:.2f} | {result['p50']:.1f} | {result['p90']:.1f} | {result['p99']:.1f} | "
                     f"{result['cpu']:.3f} | {result['sipp_cpu']:.3f} | {result['memory'] / 1024:.0f} | {shed} |")
    def ratio(a, b):
        """a's rate over b's, saying which way it can be off when either never failed."""
        if not b["rate"]:
            return "n/a"
        bound = {(True, False): " at least", (False, True): " at most", (True, True): " (both never failed: no bound)"}
        unfailed = [name for name in (a, b) if name["unfailed"]]
        qualifier = bound.get((a["unfailed"], b["unfailed"]), "")
        reason = f": {' and '.join(result['name'] for result in unfailed)} passed every rate offered" if unfailed else ""
        return f"{a['rate'] / b['rate']:.2f}{qualifier}{reason}"
    lines += ["", f"- distributor / Kamailio, best of each: {ratio(ours, kamailio)} ({ours['name']} against {kamailio['name']})",
              f"- distributor / ceiling: {ratio(ours, ceiling)}",
              budget(ceiling, kamailio, ours),
              "- Latency comes from sipp's response-time trace (coarse: sipp's clock ticks in ms).",
              "- Overload: each middle box, after its latency run, is offered twice its sustained rate for the same seconds; "
              "completed calls/s is what it still carried (the rest failed: refused, timed out or lost)."]
    for rate, workers, run in confirmations:
        lines.append(f"- distributor (--threads {workers}) at 80% of the best rate ({rate}/s) for 60 s: {run['ok']}/{run['calls']} calls answered, "
                     f"{run['failed']} failed, {run['retrans']} retransmissions")
    # The target is calls, not messages: held when every call of both runs was answered (the
    # retransmissions are in the lines above).
    held = sorted({workers for _, workers, _ in confirmations}
                  - {workers for _, workers, run in confirmations if run["ok"] < run["calls"]})
    if confirmations:
        lines.append(f"- 80% of the best rate ({confirmations[0][0]}/s), twice for 60 s with every call answered: "
                     + (f"held with --threads {', '.join(map(str, held))}" if held else "held at no thread count"))
    open(options.out, "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
