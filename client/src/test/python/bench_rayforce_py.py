"""rayforce-py's own TCPClient against a running server: the reference numbers for the Java client's
benchmark (client/src/test/java/io/rayforce/cluster/client/bench/ClientBenchmark.java runs this).
Prints one JSON object: fetch seconds per run and tiny-query latencies in microseconds."""
import argparse
import json
import time

from rayforce import TCPClient


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--table", default="bench")
    ap.add_argument("--fetches", type=int, default=5)
    ap.add_argument("--warmup-fetches", type=int, default=2)
    ap.add_argument("--pings", type=int, default=20000)
    ap.add_argument("--warmup-pings", type=int, default=2000)
    a = ap.parse_args()
    c = TCPClient("127.0.0.1", a.port)
    for _ in range(a.warmup_fetches):
        c.execute(a.table)
    fetch = []
    for _ in range(a.fetches):
        t0 = time.perf_counter()
        r = c.execute(a.table)
        fetch.append(time.perf_counter() - t0)
        del r
    for _ in range(a.warmup_pings):
        c.execute("(+ 1 2)")
    lat = []
    for _ in range(a.pings):
        t0 = time.perf_counter_ns()
        c.execute("(+ 1 2)")
        lat.append((time.perf_counter_ns() - t0) / 1000.0)
    c.close()
    print(json.dumps({"fetch_seconds": fetch, "latency_us": lat}))


if __name__ == "__main__":
    main()
