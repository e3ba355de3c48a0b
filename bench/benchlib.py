"""Helpers shared by the benchmark scripts: a percentile, a process's RSS, an event socket API
call, a private copy of the bundled configuration on other ports, and Kamailio's dispatcher
configured as the distributor's counterpart."""
import contextlib
import glob
import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = os.path.join(ROOT, "Tests", "Interop", "scenarios")
# sipp's sockets default to 64 KiB buffers: at a few thousand calls/s a burst overflows them,
# and sipp then retries its sends in a busy loop that takes the CPU the systems under test
# need. Every benchmark sipp gets 4 MiB (net.core.rmem_max and wmem_max here).
SOCKET_BUFFER = "4194304"


def call_rate_module():
    """bench/call-rate.py as a module (its name has a dash): its `call()` drives one sipp caller run."""
    spec = importlib.util.spec_from_file_location("call_rate", os.path.join(ROOT, "bench", "call-rate.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def percentile(values, fraction):
    """The value at `fraction` (0-1) of sorted `values`; NaN when there are none."""
    return values[min(len(values) - 1, int(fraction * len(values)))] if values else float("nan")


def demangled(symbols, *options):
    """Swift symbols demangled by swift-demangle (--simplified and `options`), in order; a
    symbol it cannot read is kept as it is."""
    text = subprocess.run(["swift-demangle", "--simplified", *options], input="\n".join(symbols),
                          capture_output=True, text=True).stdout.split("\n")
    return [name or symbol for symbol, name in zip(symbols, text + [""] * len(symbols))]


def user_and_system_seconds(pids):
    """The CPU the processes used so far, user and system apart (a process gone counts nothing)."""
    user = system = 0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        user, system = user + int(fields[11]), system + int(fields[12])
    ticks = os.sysconf("SC_CLK_TCK")
    return user / ticks, system / ticks


def busiest_thread_seconds(pids):
    """Each thread's CPU so far (user and system), by thread id, across the processes."""
    seconds = {}
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        for task in glob.glob(f"/proc/{pid}/task/*/stat"):
            try:
                fields = open(task).read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            seconds[task.split("/")[4]] = (int(fields[11]) + int(fields[12])) / ticks
    return seconds


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


def bundled_tree(tree, sip_port, esl_port, metrics_port, gateway_ports):
    """Copies conf/ and dialplan/ into `tree` with the service, event socket, metrics and
    gateway ports moved, and the per-source rate limit off (one sipp caller is one source)."""
    shutil.copytree(os.path.join(ROOT, "conf"), os.path.join(tree, "conf"))
    shutil.copytree(os.path.join(ROOT, "dialplan"), os.path.join(tree, "dialplan"))
    edits = [("conf/vars.xml", "external_sip_port=5080", f"external_sip_port={sip_port}"),
             ("conf/autoload_configs/event_socket.conf.xml", 'value="8021"', f'value="{esl_port}"'),
             ("conf/autoload_configs/metrics.conf.xml", 'value="8088"', f'value="{metrics_port}"'),
             ("conf/sip_profiles/external/gw1.xml", "127.0.0.1:5091", f"127.0.0.1:{gateway_ports[0]}"),
             ("conf/sip_profiles/external/gw2.xml", "127.0.0.1:5092", f"127.0.0.1:{gateway_ports[1]}"),
             ("conf/sip_profiles/external.xml", 'name="rate-limit-requests" value="1000"', 'name="rate-limit-requests" value="0"')]
    for path, old, new in edits:
        full = os.path.join(tree, path)
        text = open(full).read()
        assert old in text, f"{path}: {old} not found"
        open(full, "w").write(text.replace(old, new))


def kamailio_command(work, port, children, gateway_ports):
    """The command line of Kamailio's dispatcher (bench/kamailio-dispatcher.cfg) on `port` with
    `children` workers, in front of the two gateways at weights 1 and 1, its files in `work`."""
    config = open(os.path.join(ROOT, "bench", "kamailio-dispatcher.cfg")).read()
    listing = os.path.join(work, f"dispatcher-{port}.list")
    with open(listing, "w") as file:
        file.writelines(f"1 sip:127.0.0.1:{gateway} 0 0 weight=50\n" for gateway in gateway_ports)
    config = config.replace("BENCH_PORT", str(port)).replace("BENCH_LIST", listing).replace("BENCH_CHILDREN", str(children))
    path = os.path.join(work, f"kamailio-{port}-{children}.cfg")
    with open(path, "w") as file:
        file.write(config)
    run_directory = os.path.join(work, f"kamailio-run-{port}-{children}")
    os.makedirs(run_directory, exist_ok=True)
    return ["kamailio", "-f", path, "-DD", "-E", "-x", "tlsf", "-m", "4096", "-M", "64", "-Y", run_directory]


@contextlib.contextmanager
def rig(prefix, sip_port, esl_port, metrics_port, gateway_ports, media_ports, seconds, extra_gateways=0, options_port=0,
        kamailio_children=0):
    """Two sipp gateways (bench_gateway.xml) and `distributor serve` (release build, or the binary
    in $DIST for an A/B comparison; warning logs) on a copy of the bundled tree, the gateways
    stopping by themselves after `seconds`; yields the work directory and the middle box's process, and stops and removes everything after. With
    `extra_gateways`, that many more gateways (in no list) are pinged every 5 s, all answered by
    one sipp OPTIONS server on `options_port`. With `kamailio_children`, Kamailio's dispatcher
    with that many children stands in the middle instead of the service."""
    work = tempfile.mkdtemp(prefix=prefix)
    processes = []
    try:
        servers = [(port, media, "bench_gateway.xml") for port, media in zip(gateway_ports, media_ports)]
        if extra_gateways:
            servers.append((options_port, media_ports[-1] + 50, "options_uas.xml"))
        for port, media, scenario in servers:
            processes.append(subprocess.Popen(["sipp", "-sf", os.path.join(SCENARIOS, scenario), "-i", "127.0.0.1",
                                               "-p", str(port), "-mp", str(media), "-ci", "127.0.0.1", "-nostdin",
                                               "-timeout", f"{int(seconds)}s", "-buff_size", SOCKET_BUFFER],
                                              cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        tree = os.path.join(work, "tree")
        bundled_tree(tree, sip_port, esl_port, metrics_port, gateway_ports)
        for number in range(extra_gateways):
            with open(os.path.join(tree, "conf", "sip_profiles", "external", f"ping{number}.xml"), "w") as file:
                file.write(f'<include><gateway name="ping{number}"><param name="proxy" value="127.0.0.1:{options_port}"/>'
                           '<param name="register" value="false"/><param name="ping" value="5"/></gateway></include>\n')
        if kamailio_children:
            middle = kamailio_command(work, sip_port, kamailio_children, gateway_ports)
        else:
            middle = [os.environ.get("DIST", os.path.join(ROOT, ".build", "release", "distributor")), "serve",
                      "--conf", os.path.join(tree, "conf"), "--dialplan", os.path.join(tree, "dialplan"), "--log-level", "warning"]
            middle += ["--threads", os.environ["THREADS"]] if os.environ.get("THREADS") else []
        serve = subprocess.Popen(middle, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "serve.log"), "w"))
        processes.append(serve)
        time.sleep(3)
        yield work, serve
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        # Wait for them to be gone, so that the next run can bind the same ports (the service
        # drains for up to 30 s, and refuses a port another process still holds).
        for process in processes:
            try:
                process.wait(40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(work, ignore_errors=True)
