package io.rayforce.cluster.node.shard;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Questions about the tables of one engine, asked over one connection. Each is a read sent with
 * the restricted flag ({@link TCPClient#executeReadOnly}): the engine journals it, but its replay
 * can change nothing and the node agent drops it from the journal.
 */
final class EngineTables {
    private EngineTables() {
    }

    /** The column names and engine types of global {@code name}, or empty when it is not a table. */
    static Optional<Columns> columns(TCPClient engine, String name) {
        RayValue type = engine.executeReadOnly("(type (resolve '" + name + "))");
        if (!(type instanceof Symbol s) || !s.name().equals("TABLE")) {
            return Optional.empty();
        }
        RayList both = (RayList) engine.executeReadOnly("(list (key " + name + ") (map type (value " + name + ")))");
        List<String> names = ((SymbolVector) both.get(0)).toList();
        List<String> types = symbols(both.get(1));
        return Optional.of(new Columns(names, types));
    }

    static long count(TCPClient engine, String name) {
        return ((I64Atom) engine.executeReadOnly("(count " + name + ")")).value();
    }

    /** Sum of the i64 column {@code column} of table {@code name}. */
    static long sum(TCPClient engine, String name, String column) {
        return ((I64Atom) engine.executeReadOnly("(sum (at " + name + " '" + column + "))")).value();
    }

    static List<String> symbols(RayValue v) {
        List<String> out = new ArrayList<>();
        if (v instanceof SymbolVector sv) {
            return sv.toList();
        }
        RayList l = (RayList) v;
        for (int i = 0; i < l.length(); i++) {
            out.add(((Symbol) l.get(i)).name());
        }
        return out;
    }

    /** A table's column names and engine type names. */
    record Columns(List<String> names, List<String> types) {
        @Override
        public String toString() {
            return ShardSchema.describe(names, types);
        }
    }
}
