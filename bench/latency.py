#!/usr/bin/env python3
"""INVITE-to-200 latency with sub-millisecond resolution (sipp's own figures come in whole ms):
while a sipp caller loads `distributor serve` at --rate calls/s, a probe on 127.0.0.1 makes
--probes calls of its own, one every 20 ms, and times each INVITE to its 200 OK; then it probes
one sipp gateway straight, under the same load, for the part the gateway and the rig take.
The difference is what the service adds. Bounded: the load and the probes stop by themselves.

    bench/latency.py [--rate 2500] [--probes 500]
"""
import argparse
import os
import random
import socket
import subprocess
import time

from benchlib import ROOT, SCENARIOS, percentile, rig

SIP, ESL, METRICS, GATEWAYS = 65085, 58121, 58188, (65091, 65092)
PROBE_PORT = 65070
SDP = "v=0\r\no=probe 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n"


def request(method, target, call_id, cseq, to_tag="", body=""):
    branch = "z9hG4bK-probe-%016x" % random.getrandbits(64)
    lines = [f"{method} sip:{target} SIP/2.0",
             f"Via: SIP/2.0/UDP 127.0.0.1:{PROBE_PORT};branch={branch};rport",
             "From: <sip:probe@127.0.0.1>;tag=probe", f"To: <sip:{target}>{';tag=' + to_tag if to_tag else ''}",
             f"Call-ID: {call_id}", f"CSeq: {cseq} {method}", f"Contact: <sip:probe@127.0.0.1:{PROBE_PORT}>",
             "Max-Forwards: 70"]
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def header(message, name):
    for line in message.split("\r\n"):
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return ""


def probe(sock, port, count):
    """Times `count` calls to 127.0.0.1:port; answers the latencies in ms and the calls lost."""
    target = f"9980@127.0.0.1:{port}"
    latencies, lost = [], 0
    for number in range(count):
        call_id = f"probe-{port}-{number}-{random.getrandbits(32)}"
        started = time.perf_counter()
        sock.sendto(request("INVITE", target, call_id, 1, body=SDP), ("127.0.0.1", port))
        to_tag = None
        deadline = started + 2
        while to_tag is None and time.perf_counter() < deadline:
            sock.settimeout(max(0.001, deadline - time.perf_counter()))
            try:
                data = sock.recv(65536).decode(errors="replace")
            except socket.timeout:
                break
            if data.startswith("SIP/2.0 200") and header(data, "Call-ID") == call_id and "INVITE" in header(data, "CSeq"):
                latencies.append((time.perf_counter() - started) * 1000)
                to_tag = header(data, "To").partition(";tag=")[2].split(";")[0]
        if to_tag is None:
            lost += 1
            continue
        sock.sendto(request("ACK", target, call_id, 1, to_tag), ("127.0.0.1", port))
        sock.sendto(request("BYE", target, call_id, 2, to_tag), ("127.0.0.1", port))
        time.sleep(0.02)
    return sorted(latencies), lost


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=int, default=2500)
    parser.add_argument("--probes", type=int, default=500)
    options = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "distributor"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    seconds = options.probes * 0.05 * 2 + 20
    with rig("latency-", SIP, ESL, METRICS, GATEWAYS, (67000, 67100), seconds + 60) as (work, serve):
        load = subprocess.Popen(["timeout", str(int(seconds + 40)), "sipp", f"127.0.0.1:{SIP}", "-sf",
                                 os.path.join(SCENARIOS, "bench_uac.xml"), "-s", "9980", "-r", str(options.rate),
                                 "-m", str(int(options.rate * seconds)), "-l", str(options.rate * 12), "-i", "127.0.0.1",
                                 "-p", "65060", "-mp", "66000", "-ci", "127.0.0.1", "-nostdin", "-recv_timeout", "10s"],
                                cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(3)
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.1", PROBE_PORT))
        results = {"through the service": probe(sock, SIP, options.probes),
                   "straight to a gateway": probe(sock, GATEWAYS[1], options.probes)}
        sock.close()
        load.kill()
        load.wait()
    print(f"INVITE to 200 OK under {options.rate} calls/s of sipp load, {options.probes} probe calls each (ms):")
    for name, (latencies, lost) in results.items():
        print(f"  {name}: p50 {percentile(latencies, 0.5):.3f}  p90 {percentile(latencies, 0.9):.3f}  "
              f"p99 {percentile(latencies, 0.99):.3f}  max {latencies[-1] if latencies else float('nan'):.3f}  lost {lost}")
    service, direct = results["through the service"][0], results["straight to a gateway"][0]
    print(f"  added by the service at p99: {percentile(service, 0.99) - percentile(direct, 0.99):.3f} ms")


if __name__ == "__main__":
    main()
