#!/usr/bin/env python3
"""Latency of `simulator serve` seen from outside: starts the server on a scenario, moves every control the page
offers (one request per move, each to a different value so that nothing can be answered from a cache), and prints
the median and the spread of the time from sending the request to having the whole answer.

    bench/serve-latency.py [scenario.json] [--trials N] [--repeat R] [--port P] [--match TEXT]

--match keeps only the controls whose path contains TEXT (e.g. --match tolerance).

It measures HTTP and the evaluation, not the browser's drawing (a few milliseconds; the Playwright test shows the page
updating). Run it on a quiet machine: on a shared one the figures say more about the other jobs.
"""
import argparse, json, os, statistics, subprocess, sys, time, urllib.request

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("scenario", nargs="?", default=os.path.join(root, "scenarios", "combined-programme.json"))
parser.add_argument("--trials", type=int, default=20000)
parser.add_argument("--repeat", type=int, default=5)
parser.add_argument("--port", type=int, default=5199)
parser.add_argument("--match", default="")
args = parser.parse_args()

url = f"http://127.0.0.1:{args.port}"
server = subprocess.Popen([os.path.join(root, "simulator"), "serve", args.scenario, "--trials", str(args.trials), "--port", str(args.port)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
try:
    started = time.monotonic()
    for line in server.stdout:
        print(line.rstrip(), file=sys.stderr)
        if line.startswith("serving"):
            break
    else:
        sys.exit("the server stopped before serving")
    print(f"base run and start-up: {time.monotonic() - started:.1f} s", file=sys.stderr)
    scenario = json.load(urllib.request.urlopen(url + "/api/scenario"))

    ticks = os.sysconf("SC_CLK_TCK")

    def cpu_ms():
        # The server's user + system CPU time (the script execs the binary, so the pid is the server's): on a shared
        # machine wall time says more about the other jobs, while CPU time bounds what an idle machine would take.
        fields = open(f"/proc/{server.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / ticks

    def post(setting):
        body = json.dumps({"set": setting}).encode()
        request = urllib.request.Request(url + "/api/evaluate", body, {"Content-Type": "application/json"})
        t = time.perf_counter()
        with urllib.request.urlopen(request) as response:
            answer = json.load(response)
        return (time.perf_counter() - t) * 1000, answer

    print(f"{'control':58} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'CPU ms':>8}  (trials {scenario['trials']:,}, {args.repeat} moves each; CPU: mean per move)")
    for c in (c for c in scenario["controls"] if args.match in c["path"]):
        times = []
        cpu = cpu_ms()
        for k in range(1, args.repeat + 1):
            # One step at a time away from the base, inside the control's range.
            value = c["value"] + k * c["step"] if c["value"] + k * c["step"] <= c["max"] else c["value"] - k * c["step"]
            # A choice (policy.rules) sends a name: the next ones in its list, around.
            setting = {c["path"]: c["options"][(int(c["value"]) + k) % len(c["options"])] if "options" in c else round(value, 12)}
            if "balance" in c:
                setting[c["balance"]] = round(c["balanceValue"] - (value - c["value"]), 12)
            ms, _ = post(setting)
            times.append(ms)
        cpu = (cpu_ms() - cpu) / args.repeat
        print(f"{c['path']:58} {statistics.median(times):10.0f} {min(times):8.0f} {max(times):8.0f} {cpu:8.0f}")
finally:
    server.terminate()
    server.wait()
