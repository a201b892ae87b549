package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The symbols a freshly started engine of the pinned binary has already interned (its builtins'
 * names and the like), by symbol id: read once per router process from an engine started for
 * it. The engine orders a large group-by's symbol keys by symbol id, and these ids come first.
 */
public final class FreshSymbols {
    private static volatile Map<String, Integer> ids;

    private FreshSymbols() {
    }

    /** Each pre-interned symbol's id. */
    public static Map<String, Integer> ids() {
        Map<String, Integer> m = ids;
        if (m == null) {
            synchronized (FreshSymbols.class) {
                if (ids == null) {
                    ids = read();
                }
                m = ids;
            }
        }
        return m;
    }

    private static Map<String, Integer> read() {
        try (NativeServer engine = NativeServer.startOnFreePort(ServerOptions.onPort(1).bind("127.0.0.1"));
             TCPClient c = new TCPClient(engine.host(), engine.port())) {
            // both requests name only symbols the engine has at start, so they intern none of their own
            long n = ((I64Atom) c.execute("(at (.sys.mem) 'sym-count)")).value();
            RayValue names = c.execute("(map sym-name (til " + n + "))");
            List<String> list = new ArrayList<>();
            if (names instanceof SymbolVector sv) {
                list.addAll(sv.toList());
            } else if (names instanceof RayList l) {
                for (int i = 0; i < l.length(); i++) {
                    list.add(((Symbol) l.get(i)).name());
                }
            }
            Map<String, Integer> out = new HashMap<>();
            for (int i = 0; i < list.size(); i++) {
                out.putIfAbsent(list.get(i), i);
            }
            return out;
        }
    }
}
