package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ShardFunction;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits rows by shard: the shard function of the shard-key column picks each row's shard
 * (every row goes to shard 0 of a table replicated to all nodes). Rows keep their order within
 * a shard.
 */
final class ShardParts {

    /** The rows of one shard and their positions in the whole batch. */
    record Part(int shard, RayTable rows, int[] positions) {
    }

    private ShardParts() {
    }

    /** The non-empty parts, in shard order. */
    static List<Part> split(TableSpec spec, RayTable rows) {
        int n = rows.rowCount();
        int[] shardOf;
        if (spec.getReplicatedToAll() || spec.getShardCount() == 1) {
            shardOf = new int[n];
        } else {
            try {
                shardOf = ShardFunction.shardsOf(rows.column(spec.getShardKey()), spec.getShardCount());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("table " + spec.getName() + ": " + e.getMessage(), e);
            }
        }
        int shards = Math.max(1, spec.getShardCount());
        int[] counts = new int[shards];
        for (int s : shardOf) {
            counts[s]++;
        }
        int[][] positions = new int[shards][];
        for (int s = 0; s < shards; s++) {
            positions[s] = new int[counts[s]];
        }
        int[] filled = new int[shards];
        for (int i = 0; i < n; i++) {
            int s = shardOf[i];
            positions[s][filled[s]++] = i;
        }
        List<Part> parts = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            if (counts[s] > 0) {
                parts.add(new Part(s, counts[s] == n ? rows : rows.gather(positions[s]), positions[s]));
            }
        }
        return parts;
    }

    /**
     * Each part's rows with their sequence numbers: row i of the whole (before the split) gets
     * {@code first + i}; keyed by shard, in shard order.
     */
    static Map<Integer, RayTable> sequenced(List<Part> parts, long first) {
        Map<Integer, RayTable> out = new LinkedHashMap<>();
        for (Part p : parts) {
            long[] seq = new long[p.positions().length];
            for (int i = 0; i < seq.length; i++) {
                seq[i] = first + p.positions()[i];
            }
            out.put(p.shard(), withSequence(p.rows(), seq));
        }
        return out;
    }

    /** {@code rows} with the hidden sequence column appended. */
    static RayTable withSequence(RayTable rows, long[] seq) {
        List<String> names = new ArrayList<>(rows.columnNames());
        names.add(ClusterNaming.SEQ_COLUMN);
        List<Vector> cols = new ArrayList<>(rows.columns());
        cols.add(new I64Vector(seq));
        return RayTable.of(names, cols);
    }

    /**
     * Sequence numbers from {@code first}, one per row of {@code keys}: each row gets the number of
     * its key's first appearance ({@code first} plus that row's position), so the rows of one key
     * share one number.
     */
    static long[] firstAppearances(Vector keys, long first) {
        long[] seq = new long[keys.length()];
        Map<RayValue, Long> seen = new HashMap<>();
        for (int i = 0; i < seq.length; i++) {
            long own = first + i;
            seq[i] = seen.computeIfAbsent(keys.at(i), k -> own);
        }
        return seq;
    }

    /** {@code count} consecutive sequence numbers from {@code first}. */
    static long[] range(long first, int count) {
        long[] seq = new long[count];
        for (int i = 0; i < count; i++) {
            seq[i] = first + i;
        }
        return seq;
    }
}
