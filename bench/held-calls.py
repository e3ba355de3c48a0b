#!/usr/bin/env python3
"""Memory per established call: `distributor serve` holds N calls (sipp caller and two sipp
gateways on 127.0.0.1), and this reports RSS before, with the calls up, and after they end,
and how long `show calls count` takes with them up. Bounded: the calls hang up by themselves.

    bench/held-calls.py [--calls 20000] [--rate 1000]
"""
import argparse
import os
import shutil
import socket
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = os.path.join(ROOT, "Tests", "Interop", "scenarios")


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def api(port, command):
    """One API command over the event socket; answers the body and the seconds it took."""
    with socket.create_connection(("127.0.0.1", port)) as connection:
        reader = connection.makefile("rb")

        def message():
            headers = {}
            while True:
                line = reader.readline().decode().rstrip("\n")
                if not line:
                    break
                name, _, value = line.partition(": ")
                headers[name] = value
            length = int(headers.get("Content-Length", 0))
            return reader.read(length).decode() if length else ""

        message()
        connection.sendall(b"auth ClueCon\n\n")
        message()
        started = time.perf_counter()
        connection.sendall(f"api {command}\n\n".encode())
        body = message()
        return body, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--rate", type=int, default=1000)
    options = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "distributor"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    work = tempfile.mkdtemp(prefix="held-calls-")
    processes = []
    try:
        for port, media in ((35091, 37000), (35092, 37100)):
            processes.append(subprocess.Popen(["sipp", "-sf", os.path.join(SCENARIOS, "bench_gateway.xml"), "-i", "127.0.0.1",
                                               "-p", str(port), "-mp", str(media), "-ci", "127.0.0.1", "-nostdin", "-timeout", "900s"],
                                              cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        tree = os.path.join(work, "tree")
        shutil.copytree(os.path.join(ROOT, "conf"), os.path.join(tree, "conf"))
        shutil.copytree(os.path.join(ROOT, "dialplan"), os.path.join(tree, "dialplan"))
        edits = [("conf/vars.xml", "external_sip_port=5080", "external_sip_port=35085"),
                 ("conf/autoload_configs/event_socket.conf.xml", 'value="8021"', 'value="38021"'),
                 ("conf/sip_profiles/external/gw1.xml", "127.0.0.1:5091", "127.0.0.1:35091"),
                 ("conf/sip_profiles/external/gw2.xml", "127.0.0.1:5092", "127.0.0.1:35092"),
                 # One sipp caller is one source: the per-source limit would cap it.
                 ("conf/sip_profiles/external.xml", 'name="rate-limit-requests" value="1000"', 'name="rate-limit-requests" value="0"')]
        for path, old, new in edits:
            full = os.path.join(tree, path)
            text = open(full).read()
            open(full, "w").write(text.replace(old, new))
        serve = subprocess.Popen([os.path.join(ROOT, ".build", "release", "distributor"), "serve", "--conf", os.path.join(tree, "conf"),
                                  "--dialplan", os.path.join(tree, "dialplan"), "--log-level", "warning"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(serve)
        time.sleep(3)
        baseline = rss_kib(serve.pid)
        ramp = options.calls / options.rate
        hold_ms = int((ramp + 20) * 1000)
        caller = subprocess.Popen(["timeout", str(int(ramp + hold_ms / 1000 + 60)), "sipp", "127.0.0.1:35085", "-sf",
                                   os.path.join(SCENARIOS, "bench_uac_hold.xml"), "-s", "9980", "-r", str(options.rate),
                                   "-m", str(options.calls), "-l", str(options.calls), "-d", str(hold_ms), "-i", "127.0.0.1",
                                   "-p", "35060", "-mp", "36000", "-ci", "127.0.0.1", "-nostdin", "-recv_timeout", "30s"],
                                  cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(ramp + 8)
        count, seconds = api(38021, "show calls count")
        held = rss_kib(serve.pid)
        caller.wait()
        time.sleep(40)
        after = rss_kib(serve.pid)
        ended, _ = api(38021, "show calls count")
        established = int(count.split()[0]) if count.split() else 0
        print(f"calls established: {established} (of {options.calls})")
        print(f"RSS: baseline {baseline / 1024:.1f} MiB, with the calls up {held / 1024:.1f} MiB, "
              f"40 s after they ended {after / 1024:.1f} MiB ({ended.strip()})")
        if established:
            print(f"RSS per established call: {(held - baseline) * 1024 / established / 1024:.1f} KiB")
        print(f"show calls count with them up: {seconds * 1000:.1f} ms")
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
