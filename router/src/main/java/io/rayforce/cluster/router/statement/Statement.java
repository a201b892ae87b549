package io.rayforce.cluster.router.statement;

import io.rayforce.cluster.client.query.DeleteQuery;
import io.rayforce.cluster.client.query.UpdateQuery;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import java.util.ArrayList;
import java.util.List;

/**
 * A request the write path carries out instead of the read planner: a write to a cluster table,
 * an ipcsave ({@code set}) of a query, a cluster admin function, or a write form that returns a
 * changed copy of a cluster table.
 */
public sealed interface Statement {
    /** The parts a client wrote that the cluster evaluates: each must pass the data-path rule as an expression. */
    default List<RayValue> clientExpressions() {
        if (this instanceof Insert s) {
            return List.of(s.data());
        }
        if (this instanceof Upsert s) {
            return List.of(s.data());
        }
        if (this instanceof Concat s) {
            return List.of(s.data());
        }
        if (this instanceof Update s) {
            return valuesExceptFrom(s.dict());
        }
        if (this instanceof Delete s) {
            return valuesExceptFrom(s.dict());
        }
        if (this instanceof Save s) {
            return List.of(s.value());
        }
        if (this instanceof Admin s) {
            return s.args();
        }
        return List.of(((CopyForm) this).tree());
    }

    private static List<RayValue> valuesExceptFrom(RayDict d) {
        List<RayValue> out = new ArrayList<>();
        if (d.keys() instanceof SymbolVector keys && d.values() instanceof Vector vals) {
            for (int i = 0; i < vals.length(); i++) {
                if (!keys.get(i).equals("from")) {
                    out.add(vals.at(i));
                }
            }
        }
        return out;
    }

    /** {@code (insert 't data)}. */
    record Insert(String table, RayValue data) implements Statement {
    }

    /** {@code (alter 't concat data)}: the engine's append of a table with the same columns and types. */
    record Concat(String table, RayValue data) implements Statement {
    }

    /**
     * {@code (upsert 't K data)}: K the number of leading key columns, or the name of the one key
     * column (then {@code keyName} is set and {@code keyColumns} is 0).
     */
    record Upsert(String table, long keyColumns, String keyName, RayValue data) implements Statement {
    }

    /** {@code (update {... from: 't ...})}: the query as read, and its dict as sent (shards get the same dict). */
    record Update(UpdateQuery query, RayDict dict) implements Statement {
    }

    /** {@code (delete {from: 't where: ...})}: the query as read, and its dict as sent. */
    record Delete(DeleteQuery query, RayDict dict) implements Statement {
    }

    /** {@code (set name value)}, or {@code (count (set name value))} when {@code countOnly}. */
    record Save(String name, RayValue value, boolean countOnly) implements Statement {
    }

    /** {@code (.cluster.f args...)}. */
    record Admin(String function, List<RayValue> args) implements Statement {
    }

    /**
     * {@code (insert t data)}, {@code (update {... from: t})} and the like on a cluster table:
     * no write, the answer is a changed copy of the table.
     */
    record CopyForm(RayValue tree, String table) implements Statement {
    }
}
