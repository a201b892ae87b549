package io.rayforce.cluster.chaos.check;

import io.rayforce.cluster.chaos.oracle.SingleNodeOracle;
import io.rayforce.cluster.chaos.workload.Dataset;
import io.rayforce.cluster.chaos.workload.History;
import io.rayforce.cluster.chaos.workload.OpKind;
import io.rayforce.cluster.chaos.workload.Operation;
import io.rayforce.cluster.chaos.workload.Outcome;
import io.rayforce.cluster.chaos.workload.ReadQueries;
import io.rayforce.cluster.client.value.LongBackedVector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks a run's history against the single-node oracle.
 * <ul>
 *   <li>Every ok read of the static tables must equal the oracle's answer to the same query.</li>
 *   <li>Every ok read of a writer's ledger rows must equal the oracle's answer after some prefix of
 *       that writer's writes that the read could have seen: at least those that had completed when
 *       the read was sent, at most those sent before it completed (the writer's writes apply in its
 *       order; a failed write changes nothing; its in-doubt last write may or may not be there).</li>
 *   <li>The final state of each writer's rows (read after the faults healed) must equal the oracle
 *       after all its acknowledged writes in order, with its info write either applied once or not
 *       at all; rows missing or doubled count as lost or duplicated writes.</li>
 * </ul>
 * A wrong answer with fewer rows than the oracle's is also counted as silently partial.
 */
public final class Checker {
    private final SingleNodeOracle oracle;
    private final String ledger;
    private final Map<String, RayValue> staticAnswers;
    private final List<String> examples = new ArrayList<>();
    private final List<String> details = new ArrayList<>();
    private int readsChecked;
    private int wrong;
    private int hostileRefused;
    private int hostileNotRefused;
    private int partial;
    private int lost;
    private int duplicated;
    private int infoPresent;
    private int infoAbsent;
    private int infoUnresolved;

    /**
     * @param oracle        a native server holding the static tables (the ledger is rebuilt here per writer)
     * @param ledger        the run's ledger table name
     * @param staticAnswers the oracle's answer to each static read
     */
    public Checker(SingleNodeOracle oracle, String ledger, Map<String, RayValue> staticAnswers) {
        this.oracle = oracle;
        this.ledger = ledger;
        this.staticAnswers = staticAnswers;
    }

    /**
     * @param history     every operation of the run
     * @param finalStates each writer's rows as the cluster answers them after recovery
     */
    public CheckResult check(History history, Map<Integer, RayValue> finalStates) {
        List<Operation> ops = history.operations();
        Map<Integer, List<Operation>> writes = new TreeMap<>();
        Map<Integer, List<Operation>> ledgerReads = new HashMap<>();
        for (Operation op : ops) {
            if (op.kind().isWrite()) {
                writes.computeIfAbsent(op.writer(), k -> new ArrayList<>()).add(op);
            } else if (op.kind() == OpKind.HOSTILE) {
                checkHostile(op);
            } else if (op.kind() == OpKind.LEDGER_READ) {
                if (op.outcome() == Outcome.OK) {
                    ledgerReads.computeIfAbsent(op.writer(), k -> new ArrayList<>()).add(op);
                }
            } else if (op.outcome() == Outcome.OK) {
                checkStaticRead(op);
            }
        }
        for (Map.Entry<Integer, List<Operation>> e : writes.entrySet()) {
            List<Operation> stream = new ArrayList<>(e.getValue());
            stream.sort((a, b) -> Integer.compare(a.position(), b.position()));
            checkWriter(e.getKey(), stream, ledgerReads.getOrDefault(e.getKey(), List.of()), finalStates.get(e.getKey()));
        }
        return new CheckResult(readsChecked, wrong, partial, lost, duplicated, infoPresent, infoAbsent, infoUnresolved,
                hostileRefused, hostileNotRefused, List.copyOf(examples), List.copyOf(details));
    }

    /**
     * A hostile query must be refused with {@code access}: answered, or refused with another
     * engine error code, it is an anomaly. A failure that never got an answer to the query itself
     * (no connection, the gateway busy or over a client limit) says nothing either way.
     */
    private void checkHostile(Operation op) {
        if (op.outcome() == Outcome.OK) {
            hostileNotRefused++;
            example("hostile query answered: " + op.query() + " (" + op.process() + ", op " + op.id() + ")");
        } else if (op.error() != null && op.error().contains("engine error: access")) {
            hostileRefused++;
        } else if (op.error() != null && op.error().contains("engine error: ") && !op.error().contains("engine error: busy")
                && !op.error().contains("engine error: limit")) {
            hostileNotRefused++;
            example("hostile query refused with another code: " + op.query() + " (" + op.process() + ", op " + op.id()
                    + "): " + op.error());
        }
    }

    private void checkStaticRead(Operation op) {
        RayValue expected = staticAnswers.get(op.query());
        if (expected == null) {
            throw new IllegalStateException("no oracle answer for " + op.query());
        }
        readsChecked++;
        Optional<String> d = SameAnswer.difference(expected, op.value());
        if (d.isPresent()) {
            wrongAnswer(op, d.get(), SameAnswer.rows(op.value()) >= 0 && SameAnswer.rows(op.value()) < SameAnswer.rows(expected));
            detail(op, expected);
        }
    }

    private void wrongAnswer(Operation op, String difference, boolean isPartial) {
        wrong++;
        if (isPartial) {
            partial++;
        }
        example((isPartial ? "silently partial answer" : "wrong answer") + " to " + op.query() + " (" + op.process()
                + ", op " + op.id() + "): " + difference);
    }

    private void detail(Operation op, RayValue expected) {
        if (details.size() < 10) {
            details.add("op " + op.id() + " " + op.query() + "\n  answer: " + SameAnswer.full(op.value()) + "\n  oracle: "
                    + SameAnswer.full(expected));
        }
    }

    private void example(String s) {
        if (examples.size() < 20) {
            examples.add(s);
        }
    }

    /** Replays one writer's stream on the oracle, checking its reads at each prefix and its final state. */
    private void checkWriter(int writer, List<Operation> stream, List<Operation> reads, RayValue finalState) {
        int n = stream.size();
        for (int i = 0; i < n; i++) {
            if (stream.get(i).position() != i) {
                throw new IllegalStateException("writer " + writer + " has a gap in its stream at " + i);
            }
        }
        boolean lastInfo = n > 0 && stream.get(n - 1).outcome() == Outcome.INFO;
        for (int i = 0; i < n - 1; i++) {
            if (stream.get(i).outcome() == Outcome.INFO) {
                throw new IllegalStateException("writer " + writer + " went on after an info write at " + i);
            }
        }
        String readQuery = ReadQueries.ledgerRead(ledger, writer);
        oracle.execute(Dataset.createLedgerOnOracle(ledger));
        List<Operation> pending = new ArrayList<>(reads);
        Map<Operation, RayValue> firstCandidate = new HashMap<>();
        Map<Operation, RayValue> sameRows = new HashMap<>();
        RayValue withoutInfo = null;
        RayValue state = null;
        for (int j = 0; j <= n; j++) {
            if (j > 0) {
                Operation w = stream.get(j - 1);
                if (w.outcome() != Outcome.FAIL) {
                    oracle.execute(w.query());
                }
            }
            state = oracle.execute(readQuery);
            if (lastInfo && j == n - 1) {
                withoutInfo = state;
            }
            for (var it = pending.iterator(); it.hasNext(); ) {
                Operation r = it.next();
                int lo = r.completedBefore();
                int hi = Math.min(r.invokedBefore(), n);
                boolean allowed = (j >= lo && j <= hi) || (lastInfo && j == n - 1 && hi >= n);
                if (!allowed) {
                    continue;
                }
                firstCandidate.putIfAbsent(r, state);
                if (SameAnswer.rows(state) == SameAnswer.rows(r.value())) {
                    sameRows.put(r, state);
                }
                if (SameAnswer.difference(state, r.value()).isEmpty()) {
                    readsChecked++;
                    it.remove();
                }
            }
        }
        for (Operation r : pending) {
            readsChecked++;
            RayValue nearest = sameRows.getOrDefault(r, firstCandidate.getOrDefault(r, state));
            String d = SameAnswer.difference(nearest, r.value()).orElse("matches no prefix it could have seen");
            wrongAnswer(r, d + " (could see writes " + r.completedBefore() + ".." + r.invokedBefore() + " of writer " + writer
                    + "; compared with the candidate state that has as many rows, if any)",
                    SameAnswer.rows(r.value()) >= 0 && SameAnswer.rows(r.value()) < SameAnswer.rows(nearest));
            detail(r, nearest);
        }
        checkFinal(writer, stream, finalState, state, lastInfo ? withoutInfo : null);
    }

    private void checkFinal(int writer, List<Operation> stream, RayValue actual, RayValue withAll, RayValue withoutInfo) {
        if (actual == null) {
            throw new IllegalStateException("no final state read for writer " + writer);
        }
        boolean matchesAll = SameAnswer.difference(withAll, actual).isEmpty();
        if (withoutInfo != null) {
            boolean matchesWithout = SameAnswer.difference(withoutInfo, actual).isEmpty();
            if (matchesAll) {
                infoPresent++;
                return;
            }
            if (matchesWithout) {
                infoAbsent++;
                return;
            }
            infoUnresolved++;
            example("writer " + writer + ": its info write " + stream.get(stream.size() - 1).query()
                    + " is neither applied once nor absent");
        } else if (matchesAll) {
            return;
        }
        // Not explained: count rows of acknowledged inserts that are missing or doubled, and changed values.
        Map<Long, Integer> actualCounts = idCounts(actual);
        Map<Long, Integer> expectedCounts = idCounts(withoutInfo != null ? withoutInfo : withAll);
        int before = lost + duplicated;
        for (Map.Entry<Long, Integer> e : expectedCounts.entrySet()) {
            int got = actualCounts.getOrDefault(e.getKey(), 0);
            if (got < e.getValue()) {
                lost++;
                example("writer " + writer + ": acknowledged row " + e.getKey() + " is missing from the final state");
            } else if (got > e.getValue() + (withoutInfo != null ? 1 : 0)) {
                duplicated++;
                example("writer " + writer + ": row " + e.getKey() + " is present " + got + " times");
            }
        }
        for (Map.Entry<Long, Integer> e : actualCounts.entrySet()) {
            if (!expectedCounts.containsKey(e.getKey()) && e.getValue() > 1) {
                duplicated++;
                example("writer " + writer + ": row " + e.getKey() + " is present " + e.getValue() + " times");
            }
        }
        if (lost + duplicated == before && withoutInfo == null) {
            // The same rows, but values differ: an update or upsert was lost or applied twice.
            lost++;
            example("writer " + writer + ": final rows differ from the oracle: "
                    + SameAnswer.difference(withAll, actual).orElse("?"));
        }
    }

    private static Map<Long, Integer> idCounts(RayValue table) {
        Map<Long, Integer> counts = new HashMap<>();
        if (table instanceof RayTable t && t.hasColumn("id") && t.column("id") instanceof LongBackedVector ids) {
            for (int i = 0; i < ids.length(); i++) {
                counts.merge(ids.get(i), 1, Integer::sum);
            }
        }
        return counts;
    }
}
