"""Runs the differential corpus through rayforce-py's own TCPClient (docs/compatibility.md).

Reads the corpus on stdin, one item a line: "PORTS <cluster> <oracle>", "BUILTIN <name>",
"FILE <name>", "CASE <id>", "STMT <statement>". Sends every statement to the cluster's gateway and
to one native server with rayforce-py's TCPClient, and prints one tab-separated line per
statement: the case id, the statement, and each side's answer as rayforce-py holds it, serialized
back with the engine's own serializer (FFI.ser_obj) as hex, or "ERR <type>: <text>".
The Java side compares them byte for byte. After each file both servers are cleaned of what it
defined, as the Java runs do.
"""
import sys

from rayforce import TCPClient
from rayforce.ffi import FFI


def answer(client, statement):
    try:
        r = client.execute(statement)
        b = FFI.read_u8_vector(FFI.ser_obj(r.ptr))
        return b[16:].hex()  # the engine's serializer writes a frame header first
    except Exception as e:  # rayforce-py raises its errors
        return "ERR " + type(e).__name__ + ": " + str(e).replace("\n", " ").replace("\t", " ")


def names(client):
    r = client.execute("(key (env 0))")
    return [str(x) for x in r]


def clean(client, builtins, cluster):
    tables = set()
    if cluster:
        t = client.execute("(.cluster.tables)")
        tables = {str(x) for x in t.at_column("name")} if hasattr(t, "at_column") else set()
    for n in names(client):
        if n in builtins:
            continue
        client.execute("(.cluster.drop '" + n + ")" if n in tables else "(del " + n + ")")


def main():
    files = []
    builtins = set()
    ports = None
    for line in sys.stdin.read().split("\n"):
        kind, _, rest = line.partition(" ")
        if kind == "PORTS":
            ports = [int(x) for x in rest.split()]
        elif kind == "BUILTIN":
            builtins.add(rest)
        elif kind == "FILE":
            files.append([])
        elif kind == "CASE":
            files[-1].append((rest, []))
        elif kind == "STMT":
            files[-1][-1][1].append(rest)
    k = TCPClient("127.0.0.1", ports[0])
    o = TCPClient("127.0.0.1", ports[1])
    clean(k, builtins, True)
    clean(o, builtins, False)
    for cases in files:
        for case_id, statements in cases:
            for s in statements:
                sys.stdout.write("\t".join([case_id, s, answer(o, s), answer(k, s)]) + "\n")
        clean(k, builtins, True)
        clean(o, builtins, False)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
