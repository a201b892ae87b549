package io.rayforce.cluster.chaos.check;

import io.rayforce.cluster.chaos.oracle.SingleNodeOracle;
import io.rayforce.cluster.chaos.workload.InsertStream;
import io.rayforce.cluster.chaos.workload.Outcome;
import io.rayforce.cluster.client.value.LongBackedVector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an {@link InsertStream} run. Every ok read must hold each batch whole or not at all
 * (never part of one), no row twice, no row of a batch that was never sent, and every batch
 * acknowledged before the read was sent. The final table (read after the fault healed) must hold
 * every acknowledged batch exactly once, every in-doubt batch whole or not at all, and no failed
 * batch; it is then compared row by row with one native server that got the acknowledged batches
 * and the in-doubt ones found present, in order.
 */
public final class StreamChecker {
    private final SingleNodeOracle oracle;
    private final List<String> examples = new ArrayList<>();
    private int readsChecked;
    private int partialReads;
    private int staleReads;
    private int lost;
    private int duplicated;
    private int infoPresent;
    private int infoAbsent;
    private int infoUnresolved;

    public StreamChecker(SingleNodeOracle oracle) {
        this.oracle = oracle;
    }

    /** What the stream's check found, as the suite's checker counts it. */
    public CheckResult check(InsertStream stream, RayValue finalState) {
        List<InsertStream.Batch> batches = stream.batches();
        Map<Long, InsertStream.Batch> byId = new HashMap<>();
        for (InsertStream.Batch b : batches) {
            for (int i = 0; i < b.rows(); i++) {
                byId.put(b.firstId() + i, b);
            }
        }
        for (InsertStream.Read r : stream.reads()) {
            readsChecked++;
            Map<InsertStream.Batch, Integer> seen = count(r.value(), byId, "read");
            for (Map.Entry<InsertStream.Batch, Integer> e : seen.entrySet()) {
                if (e.getValue() != e.getKey().rows()) {
                    partialReads++;
                    example("a read saw " + e.getValue() + " of the " + e.getKey().rows() + " rows of batch " + e.getKey().number()
                            + " of writer " + e.getKey().writer());
                }
            }
            for (InsertStream.Batch b : batches) {
                if (b.outcome() == Outcome.OK && b.completedAtNanos() < r.invokedAtNanos() && !seen.containsKey(b)) {
                    staleReads++;
                    example("a read missed batch " + b.number() + " of writer " + b.writer() + ", acknowledged before it was sent");
                    break;
                }
            }
        }
        Map<InsertStream.Batch, Integer> present = count(finalState, byId, "final");
        List<InsertStream.Batch> expected = new ArrayList<>();
        for (InsertStream.Batch b : batches) {
            int n = present.getOrDefault(b, 0);
            switch (b.outcome()) {
                case OK -> {
                    if (n < b.rows()) {
                        lost++;
                        example("acknowledged batch " + b.number() + " of writer " + b.writer() + ": " + n + " of " + b.rows()
                                + " rows in the end");
                    }
                    expected.add(b);
                }
                case INFO -> {
                    if (n == b.rows()) {
                        infoPresent++;
                        expected.add(b);
                    } else if (n == 0) {
                        infoAbsent++;
                    } else {
                        infoUnresolved++;
                        example("in-doubt batch " + b.number() + " of writer " + b.writer() + ": " + n + " of " + b.rows() + " rows");
                    }
                }
                case FAIL -> {
                    if (n > 0) {
                        infoUnresolved++;
                        example("failed batch " + b.number() + " of writer " + b.writer() + " is present");
                    }
                }
            }
        }
        compareWithOracle(stream.table(), expected, finalState);
        return new CheckResult(readsChecked, partialReads + staleReads, partialReads, lost, duplicated, infoPresent, infoAbsent,
                infoUnresolved, 0, 0, List.copyOf(examples), List.of());
    }

    /** Rows per batch in a read of the whole table; a row twice counts as duplicated, an unknown row is reported. */
    private Map<InsertStream.Batch, Integer> count(RayValue v, Map<Long, InsertStream.Batch> byId, String what) {
        Map<InsertStream.Batch, Integer> seen = new HashMap<>();
        if (!(v instanceof RayTable t)) {
            example(what + ": not a table: " + v);
            return seen;
        }
        LongBackedVector ids = (LongBackedVector) t.column("id");
        Set<Long> once = new HashSet<>();
        for (int i = 0; i < ids.length(); i++) {
            long id = ids.get(i);
            if (!once.add(id)) {
                duplicated++;
                example(what + ": row " + id + " twice");
                continue;
            }
            InsertStream.Batch b = byId.get(id);
            if (b == null) {
                duplicated++;
                example(what + ": row " + id + " of no batch sent");
                continue;
            }
            seen.merge(b, 1, Integer::sum);
        }
        return seen;
    }

    /** The oracle gets the batches that must be there, in the order they were answered; the tables must be equal row by row. */
    private void compareWithOracle(String table, List<InsertStream.Batch> expected, RayValue finalState) {
        oracle.execute("(count (set " + table + " " + InsertStream.COLUMNS + "))");
        List<InsertStream.Batch> ordered = new ArrayList<>(expected);
        ordered.sort((a, b) -> Long.compare(a.firstId(), b.firstId()));
        for (InsertStream.Batch b : ordered) {
            StringBuilder ids = new StringBuilder();
            for (int i = 0; i < b.rows(); i++) {
                ids.append(i == 0 ? "" : " ").append(b.firstId() + i);
            }
            String w = (" " + b.writer()).repeat(b.rows()).trim();
            String n = (" " + b.number()).repeat(b.rows()).trim();
            oracle.execute("(count (insert '" + table + " (list [" + ids + "] [" + w + "] [" + n + "])))");
        }
        String sorted = "(xasc (select {id: id writer: writer batch: batch from: " + table + "}) 'id)";
        RayValue mine = oracle.execute(sorted);
        if (!(mine instanceof RayTable o) || !(finalState instanceof RayTable f)) {
            return;
        }
        long[][] want = columns(o);
        long[][] got = columns(f);
        Integer[] order = new Integer[got[0].length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Long.compare(got[0][x], got[0][y]));
        int n = Math.max(want[0].length, order.length);
        for (int i = 0; i < n; i++) {
            String w = i < want[0].length ? want[0][i] + " " + want[1][i] + " " + want[2][i] : "none";
            String g = i < order.length ? got[0][order[i]] + " " + got[1][order[i]] + " " + got[2][order[i]] : "none";
            if (!w.equals(g)) {
                lost++;
                example("the final table differs from the oracle's at row " + i + " (by id): oracle " + w + ", cluster " + g);
                return;
            }
        }
    }

    private static long[][] columns(RayTable t) {
        long[][] out = new long[3][];
        int c = 0;
        for (String name : List.of("id", "writer", "batch")) {
            LongBackedVector col = (LongBackedVector) t.column(name);
            out[c] = new long[col.length()];
            for (int i = 0; i < col.length(); i++) {
                out[c][i] = col.get(i);
            }
            c++;
        }
        return out;
    }

    private void example(String s) {
        if (examples.size() < 20) {
            examples.add(s);
        }
    }
}
