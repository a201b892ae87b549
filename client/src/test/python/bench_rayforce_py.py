"""rayforce-py's own TCPClient against a running server: the reference numbers for the Java client's
benchmark (client/src/test/java/io/rayforce/cluster/client/bench/ClientBenchmark.java runs this).

It connects once, then runs what it is told on standard input, one command a line, and answers each
with one JSON line, so that the harness can alternate blocks of Java and rayforce-py in the same run:
  fetch            fetch the table once:               {"fetch_seconds": [s]}
  ping N           N sequential (+ 1 2) round trips:   {"latency_us": [us, ...]}
  quit
"""
import argparse
import json
import sys
import time

from rayforce import TCPClient


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--table", default="bench")
    a = ap.parse_args()
    c = TCPClient("127.0.0.1", a.port)
    for line in sys.stdin:
        cmd = line.split()
        if not cmd or cmd[0] == "quit":
            break
        if cmd[0] == "fetch":
            t0 = time.perf_counter()
            r = c.execute(a.table)
            t = time.perf_counter() - t0
            del r
            print(json.dumps({"fetch_seconds": [t]}), flush=True)
        elif cmd[0] == "ping":
            lat = []
            for _ in range(int(cmd[1])):
                t0 = time.perf_counter_ns()
                c.execute("(+ 1 2)")
                lat.append((time.perf_counter_ns() - t0) / 1000.0)
            print(json.dumps({"latency_us": lat}), flush=True)
        else:
            print(json.dumps({"error": "unknown command " + cmd[0]}), flush=True)
    c.close()


if __name__ == "__main__":
    main()
