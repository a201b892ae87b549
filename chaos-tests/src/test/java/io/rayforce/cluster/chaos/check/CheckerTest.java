package io.rayforce.cluster.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.chaos.oracle.SingleNodeOracle;
import io.rayforce.cluster.chaos.workload.Dataset;
import io.rayforce.cluster.chaos.workload.History;
import io.rayforce.cluster.chaos.workload.OpKind;
import io.rayforce.cluster.chaos.workload.Operation;
import io.rayforce.cluster.chaos.workload.Outcome;
import io.rayforce.cluster.chaos.workload.ReadQueries;
import io.rayforce.cluster.client.value.RayValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The checker on histories made by hand, with a second native server standing in for the
 * cluster: it must accept what one server would answer and catch wrong, partial, lost,
 * duplicated and unresolved results. No Docker needed.
 */
class CheckerTest {
    static final String LEDGER = "ledger_t";
    static final String STATIC_Q = ReadQueries.STATIC.get(4).query();
    static SingleNodeOracle oracle;
    static SingleNodeOracle cluster;
    static Map<String, RayValue> staticAnswers = new HashMap<>();
    long nextId;

    @BeforeAll
    static void start() {
        oracle = SingleNodeOracle.start();
        cluster = SingleNodeOracle.start();
        Dataset d = new Dataset(200, 1);
        for (String q : d.oracleSetup()) {
            oracle.execute(q);
            cluster.execute(q);
        }
        for (ReadQueries.StaticRead r : ReadQueries.STATIC) {
            staticAnswers.put(r.query(), oracle.execute(r.query()));
        }
    }

    @AfterAll
    static void stop() {
        oracle.close();
        cluster.close();
    }

    Operation write(History h, int writer, int position, String q, Outcome outcome) {
        if (outcome != Outcome.FAIL) {
            cluster.execute(q);
        }
        Operation op = new Operation(nextId++, "writer-" + writer, OpKind.INSERT, q, writer, position, -1, -1, -1, 0, 0, outcome,
                null, outcome == Outcome.OK ? null : "timeout");
        h.add(op);
        return op;
    }

    Operation ledgerRead(History h, int writer, int completedBefore, int invokedBefore, RayValue answer) {
        Operation op = new Operation(nextId++, "reader", OpKind.LEDGER_READ, ReadQueries.ledgerRead(LEDGER, writer), writer, -1, -1,
                completedBefore, invokedBefore, 0, 0, Outcome.OK, answer, null);
        h.add(op);
        return op;
    }

    static String insert(long id, int writer, int n) {
        return "(insert '" + LEDGER + " (list " + id + " " + writer + " " + n + " 5))";
    }

    RayValue clusterRows(int writer) {
        return cluster.execute(ReadQueries.ledgerRead(LEDGER, writer));
    }

    History freshLedger() {
        cluster.execute(Dataset.createLedgerOnOracle(LEDGER));
        return new History();
    }

    @Test
    void acceptsWhatOneServerAnswers() {
        History h = freshLedger();
        h.add(new Operation(nextId++, "r", OpKind.GROUP_BY, STATIC_Q, -1, -1, -1, -1, -1, 0, 0, Outcome.OK,
                cluster.execute(STATIC_Q), null));
        write(h, 1, 0, insert(1_000_000, 1, 0), Outcome.OK);
        ledgerRead(h, 1, 1, 2, clusterRows(1));        // saw the first write; the second was in flight
        write(h, 1, 1, insert(1_000_001, 1, 1), Outcome.FAIL);   // never sent
        write(h, 1, 2, "(update {val: (+ val 1) from: '" + LEDGER + " where: (== id 1000000)})", Outcome.OK);
        write(h, 1, 3, insert(1_000_002, 1, 3), Outcome.INFO);   // in doubt, and in fact applied
        CheckResult r = new Checker(oracle, LEDGER, staticAnswers).check(h, Map.of(1, clusterRows(1)));
        assertThat(r.examples()).isEmpty();
        assertThat(r.valid()).isTrue();
        assertThat(r.readsChecked()).isEqualTo(2);
        assertThat(r.infoPresent()).isEqualTo(1);
    }

    @Test
    void catchesAWrongAndAPartialAnswer() {
        History h = freshLedger();
        RayValue partial = cluster.execute("(select {n: (count id) q: (sum qty) by: {sym: sym} from: (select {from: trades where: (> id 20)})})");
        h.add(new Operation(nextId++, "r", OpKind.GROUP_BY, STATIC_Q, -1, -1, -1, -1, -1, 0, 0, Outcome.OK, partial, null));
        RayValue fewerRows = cluster.execute("(select {n: (count id) q: (sum qty) by: {sym: sym} from: trades where: (!= sym 'IBM)})");
        h.add(new Operation(nextId++, "r", OpKind.GROUP_BY, STATIC_Q, -1, -1, -1, -1, -1, 0, 0, Outcome.OK, fewerRows, null));
        CheckResult r = new Checker(oracle, LEDGER, staticAnswers).check(h, Map.of());
        assertThat(r.wrongAnswers()).isEqualTo(2);
        assertThat(r.partialAnswers()).isEqualTo(1);
        assertThat(r.valid()).isFalse();
    }

    @Test
    void catchesALedgerReadThatSawAWriteTooEarly() {
        History h = freshLedger();
        write(h, 2, 0, insert(2_000_000, 2, 0), Outcome.OK);
        RayValue afterFirst = clusterRows(2);
        write(h, 2, 1, insert(2_000_001, 2, 1), Outcome.OK);
        ledgerRead(h, 2, 2, 2, afterFirst);   // sent after both writes completed, yet missed the second
        CheckResult r = new Checker(oracle, LEDGER, staticAnswers).check(h, Map.of(2, clusterRows(2)));
        assertThat(r.wrongAnswers()).isEqualTo(1);
        assertThat(r.partialAnswers()).isEqualTo(1);
    }

    @Test
    void catchesLostAndDuplicatedWrites() {
        History h = freshLedger();
        write(h, 3, 0, insert(3_000_000, 3, 0), Outcome.OK);
        Operation second = write(h, 3, 1, insert(3_000_001, 3, 1), Outcome.OK);
        cluster.execute(second.query());                          // applied twice
        cluster.execute("(set " + LEDGER + " (select {from: " + LEDGER + " where: (!= id 3000000)}))");   // first one lost
        CheckResult r = new Checker(oracle, LEDGER, staticAnswers).check(h, Map.of(3, clusterRows(3)));
        assertThat(r.lostWrites()).isEqualTo(1);
        assertThat(r.duplicatedWrites()).isEqualTo(1);
        assertThat(r.valid()).isFalse();
    }

    @Test
    void resolvesAnInfoWriteAsAbsentOrUnresolved() {
        History h = freshLedger();
        write(h, 4, 0, insert(4_000_000, 4, 0), Outcome.OK);
        h.add(new Operation(nextId++, "writer-4", OpKind.INSERT, insert(4_000_001, 4, 1), 4, 1, -1, -1, -1, 0, 0, Outcome.INFO,
                null, "timeout"));   // never reached the cluster
        CheckResult absent = new Checker(oracle, LEDGER, staticAnswers).check(h, Map.of(4, clusterRows(4)));
        assertThat(absent.infoAbsent()).isEqualTo(1);
        assertThat(absent.valid()).isTrue();
        cluster.execute(insert(4_000_001, 4, 1));
        cluster.execute(insert(4_000_001, 4, 1));   // the in-doubt write applied twice
        CheckResult twice = new Checker(oracle, LEDGER, staticAnswers).check(h, Map.of(4, clusterRows(4)));
        assertThat(twice.infoUnresolved()).isEqualTo(1);
        assertThat(twice.valid()).isFalse();
        assertThat(List.of(twice.examples().get(0))).anyMatch(s -> s.contains("neither applied once nor absent"));
    }

    @Test
    void hostileQueriesMustBeRefusedWithAccess() {
        History h = new History();
        String q = "(select {x: (exit 3) from: trades})";
        h.add(new Operation(nextId++, "hostile-1", OpKind.HOSTILE, q, -1, -1, -1, -1, -1, 0, 0, Outcome.FAIL, null,
                "error RayforceEvaluationError: engine error: access (" + q + ")"));
        h.add(new Operation(nextId++, "hostile-1", OpKind.HOSTILE, q, -1, -1, -1, -1, -1, 0, 0, Outcome.FAIL, null,
                "RayforceTCPError: connection to the gateway was closed"));
        CheckResult refused = new Checker(oracle, LEDGER, staticAnswers).check(h, Map.of());
        assertThat(refused.valid()).isTrue();
        assertThat(refused.hostileRefused()).isEqualTo(1);

        h.add(new Operation(nextId++, "hostile-1", OpKind.HOSTILE, q, -1, -1, -1, -1, -1, 0, 0, Outcome.OK,
                oracle.execute("3"), null));
        h.add(new Operation(nextId++, "hostile-1", OpKind.HOSTILE, q, -1, -1, -1, -1, -1, 0, 0, Outcome.FAIL, null,
                "error RayforceEvaluationError: engine error: name (" + q + ")"));
        CheckResult answered = new Checker(oracle, LEDGER, staticAnswers).check(h, Map.of());
        assertThat(answered.valid()).isFalse();
        assertThat(answered.hostileNotRefused()).isEqualTo(2);
        assertThat(answered.examples()).anySatisfy(e -> assertThat(e).startsWith("hostile query answered"));
    }
}
