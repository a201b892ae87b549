package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.value.Atom;
import io.rayforce.cluster.client.value.RayType;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ShardFunction;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.util.BitSet;

/**
 * Which shards a where clause can match: when it fixes the shard key ({@code (== key v)},
 * {@code (in key [..])}, or either inside an {@code and}), only the shards of those values. A
 * value is only used when its type hashes like the key column's (integers with integers,
 * floats with floats, symbols and strings with either), otherwise every shard is kept.
 */
public final class ShardPruning {
    private ShardPruning() {
    }

    /** The shards to read, in order. */
    public static int[] shards(Expr where, TableSpec spec) {
        BitSet set = where == null || spec.getShardKey().isEmpty() ? null : prune(where, spec);
        int n = spec.getShardCount();
        if (set == null) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        return set.stream().toArray();
    }

    /** The shards {@code e} can match, or null when it does not restrict them. */
    private static BitSet prune(Expr e, TableSpec spec) {
        if (!(e instanceof Call c)) {
            return null;
        }
        String key = spec.getShardKey();
        String keyType = Schemas.columnType(spec, key);
        int n = spec.getShardCount();
        switch (c.function()) {
            case "and" -> {
                BitSet acc = null;
                for (Expr a : c.args()) {
                    BitSet s = prune(a, spec);
                    if (s != null) {
                        if (acc == null) {
                            acc = s;
                        } else {
                            acc.and(s);
                        }
                    }
                }
                return acc;
            }
            case "==" -> {
                if (c.args().size() != 2) {
                    return null;
                }
                RayValue v = keyValue(c.args().get(0), c.args().get(1), key);
                if (v == null) {
                    v = keyValue(c.args().get(1), c.args().get(0), key);
                }
                if (!(v instanceof Atom a) || !hashesLike(a.type(), keyType)) {
                    return null;
                }
                BitSet s = new BitSet(n);
                s.set(ShardFunction.shardOf(a, n));
                return s;
            }
            case "in" -> {
                if (c.args().size() != 2) {
                    return null;
                }
                RayValue v = keyValue(c.args().get(0), c.args().get(1), key);
                if (!(v instanceof Vector vec) || !hashesLike(vec.type(), keyType)) {
                    return null;
                }
                BitSet s = new BitSet(n);
                for (int i = 0; i < vec.length(); i++) {
                    s.set(ShardFunction.shardOf(vec.at(i), n));
                }
                return s;
            }
            default -> {
                return null;
            }
        }
    }

    private static RayValue keyValue(Expr col, Expr lit, String key) {
        if (col instanceof Column k && k.name().equals(key) && lit instanceof Literal l) {
            return l.value();
        }
        return null;
    }

    private static boolean hashesLike(RayType literal, String column) {
        if (column == null) {
            return false;
        }
        return switch (column) {
            case "i16", "i32", "i64", "u8", "b8" -> literal == RayType.I64 || literal == RayType.I32 || literal == RayType.I16
                    || literal == RayType.U8 || literal == RayType.B8;
            case "f32", "f64" -> literal == RayType.F64 || literal == RayType.F32;
            case "symbol", "string" -> literal == RayType.SYMBOL || literal == RayType.STRING;
            case "date" -> literal == RayType.DATE;
            case "time" -> literal == RayType.TIME;
            case "timestamp" -> literal == RayType.TIMESTAMP;
            case "guid" -> literal == RayType.GUID;
            default -> false;
        };
    }
}
