package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.planner.Schemas;
import io.rayforce.cluster.router.statement.Statements;
import java.util.ArrayList;
import java.util.List;

/**
 * Values of other cluster tables inside an update or delete ({@code (update {from: 't v: (count
 * b)})}, {@code (delete {from: 't where: (in v (at b 'w))})}): one server evaluates such a part
 * against the global table {@code b} (verified on the engine: in an update or delete, unlike in a
 * select, a global table's name is its value), while a shard has no {@code b}. So each largest
 * part that names another cluster table and no column of the table written (neither as a name nor
 * as a quoted symbol, which the engine may read as the column: {@code (at b 'k)} with {@code k}
 * a column of the table answers {@code domain} there) is computed first through the read path, as
 * a query of its own, and written into the statement as a literal, when its value is an atom or a
 * typed vector. Anything else is left as it is (and refused as before: {@link MutationRules}).
 * The values are read before the statement takes its table's lock, each as one read.
 */
final class OtherTableValues {
    private final WriteKit kit;

    OtherTableValues(WriteKit kit) {
        this.kit = kit;
    }

    /** {@code dict} (an update's or delete's) with the parts that read other cluster tables computed; {@code dict} itself when none does. */
    RayDict inline(TableSpec spec, RayDict dict, ClusterSnapshot snapshot, QueryOptions options) {
        SymbolVector keys = (SymbolVector) dict.keys();
        Vector vals = (Vector) dict.values();
        List<RayValue> out = new ArrayList<>();
        boolean changed = false;
        for (int i = 0; i < vals.length(); i++) {
            String k = keys.get(i);
            RayValue v = vals.at(i);
            RayValue w = k.equals("from") || k.equals("by") ? v : computed(v, spec, snapshot, options);
            changed |= w != v;
            out.add(w);
        }
        return changed ? new RayDict(keys, RayList.of(out)) : dict;
    }

    /** {@code tree} with each largest call that reads another cluster table and no column of {@code spec} replaced by its value. */
    private RayValue computed(RayValue tree, TableSpec spec, ClusterSnapshot snapshot, QueryOptions options) {
        if (Statements.function(tree) == null) {
            return tree;
        }
        if (readsOtherTable(tree, spec, snapshot) && !namesColumn(tree, spec)) {
            RayValue value = kit.read.read(tree, options);
            if (value instanceof Atom || (value instanceof Vector v && !(v instanceof RayList))) {
                return value;
            }
            return tree;
        }
        RayList l = (RayList) tree;
        List<RayValue> items = new ArrayList<>(l.length());
        items.add(l.get(0));
        boolean changed = false;
        for (int i = 1; i < l.length(); i++) {
            RayValue a = computed(l.get(i), spec, snapshot, options);
            changed |= a != l.get(i);
            items.add(a);
        }
        return changed ? RayList.of(items) : tree;
    }

    /** Whether {@code tree} names a cluster table other than {@code spec}'s that is not also one of its columns. */
    static boolean readsOtherTable(RayValue tree, TableSpec spec, ClusterSnapshot snapshot) {
        if (tree instanceof Name n) {
            return !n.name().equals(spec.getName()) && Schemas.columnType(spec, n.name()) == null
                    && snapshot.table(n.name()).isPresent();
        }
        if (tree instanceof RayList l && Statements.function(tree) != null) {
            for (int i = 1; i < l.length(); i++) {
                if (readsOtherTable(l.get(i), spec, snapshot)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code tree} names a column of {@code spec} (or a hidden one), as a name or a quoted symbol, or the table itself. */
    private static boolean namesColumn(RayValue tree, TableSpec spec) {
        if (tree instanceof Name n) {
            return n.name().startsWith("__") || n.name().equals(spec.getName()) || Schemas.columnType(spec, n.name()) != null;
        }
        if (tree instanceof Symbol s) {
            return Schemas.columnType(spec, s.name()) != null;
        }
        if (tree instanceof SymbolVector v) {
            for (int i = 0; i < v.length(); i++) {
                if (Schemas.columnType(spec, v.get(i)) != null) {
                    return true;
                }
            }
            return false;
        }
        if (tree instanceof RayList l) {
            for (int i = Statements.function(tree) != null ? 1 : 0; i < l.length(); i++) {
                if (namesColumn(l.get(i), spec)) {
                    return true;
                }
            }
        }
        return false;
    }
}
