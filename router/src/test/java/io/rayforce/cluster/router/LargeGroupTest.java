package io.rayforce.cluster.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayType;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.router.testing.LocalShards;
import io.rayforce.cluster.router.testing.SameAnswer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Group-bys over 100,000 rows, where one server's group order stops being first appearance: with
 * only sum, count, avg, min, max, the variance family or a distinct count, and 65,536 rows or
 * more entering the group-by, it orders the groups by their keys, in partitions when the keys
 * are many, or keeps first appearance when they are too many (the rule: {@code KeyOrder}). The
 * cluster answers in the same order and with the same values.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeGroupTest {
    static final int ROWS = 100_000;
    private LocalShards cluster;
    private ClusterClient client;

    @BeforeAll
    void load() {
        cluster = new LocalShards(2);
        cluster.createTable("big", "id", 4, 1, "id:i64", "k:i64", "s:symbol", "qty:i64", "w:i64");
        SplittableRandom r = new SplittableRandom(5);
        long[] id = new long[ROWS];
        long[] k = new long[ROWS];
        String[] s = new String[ROWS];
        long[] qty = new long[ROWS];
        long[] w = new long[ROWS];
        for (int i = 0; i < ROWS; i++) {
            id[i] = i;
            // first appearance is far from sorted; negatives and nulls sort after the positive keys (unsigned bits)
            k[i] = i % 97 == 0 ? Nulls.I64 : i % 10 == 0 ? -r.nextInt(50) : 1000 - r.nextInt(200);
            // "mm" and "sum" are interned before any data on a fresh server (builtin names)
            s[i] = i % 51 == 0 ? "mm" : i % 53 == 0 ? "sum" : "s" + r.nextInt(300);
            qty[i] = r.nextInt(100);
            w[i] = i * 7919L % 60_000; // 60,000 keys: past 8/17 of the rows, so the engine works in partitions
        }
        cluster.insert("big", RayTable.builder().column("id", new I64Vector(id)).column("k", new I64Vector(k))
                .column("s", new SymbolVector(s)).column("qty", new I64Vector(qty))
                .column("w", new I64Vector(w)).build());
        client = new ClusterClient(cluster);
    }

    @AfterAll
    void stop() {
        client.close();
        cluster.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // sum, count, avg: from 65,536 input rows one server sorts the groups by their keys
        "(select {t: (sum qty) n: (count id) a: (avg qty) by: k from: big})",
        "(select {t: (sum qty) n: (count id) by: s from: big})",
        "(select {mn: (min qty) mx: (max qty) v: (var qty) by: [k s] from: big})",
        "(select {r: (/ (sum qty) (count qty)) by: k from: big})",
        "(select {d: (count (distinct s)) by: k from: big})",
        "(select {t: (sum qty) by: {neg: (- 500 k)} from: big})",
        // many keys: in partitions by the key's low bits; too many for the rows: first appearance
        "(select {t: (sum qty) by: w from: big})",
        "(select {t: (sum qty) by: id from: big where: (< id 70000)})",
        "(select {t: (sum qty) by: [w k] from: big})",
        // a lone distinct count: ordered through its (key, value) pairs
        "(select {d: (count (distinct w)) by: k from: big})",
        "(select {d: (count (distinct s)) t: (sum qty) by: k from: big})",
        // fewer input rows, or a first, last or median: first appearance
        "(select {t: (sum qty) by: k from: big where: (< id 65535)})",
        "(select {t: (sum qty) by: k from: big where: (< id 65536)})",
        "(select {f: (first qty) t: (sum qty) by: s from: big})",
        "(select {m: (med qty) by: k from: big})"})
    void groupsComeInTheSingleServersOrder(String q) {
        RayTable cluster = (RayTable) client.execute(q);
        RayTable oracle = (RayTable) this.cluster.oracle().execute(q);
        assertThat(cluster.rowCount()).isGreaterThan(100);
        SameAnswer.assertSame(q, oracle, cluster);
        // the engine marks every symbol column of a grouped answer has-nulls (40), in whatever order
        for (String c : oracle.columnNames()) {
            if (oracle.column(c).type() == RayType.SYMBOL) {
                assertThat(cluster.column(c).wireAttrs()).as("%s: the attributes of %s", q, c).isEqualTo(oracle.column(c).wireAttrs());
            }
        }
    }

    /**
     * Shapes whose group order on one server follows paths not modelled here (a key of several
     * with nulls or a filter, a lone distinct count of a symbol-keyed group): the same groups
     * with the same values, in an order that may differ (docs/planner.md, "Group order").
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "(select {t: (sum qty) by: [s k] from: big where: (> qty 3)})",
        "(select {t: (count id) by: [qty k] from: big where: (> w 100)})",
        "(select {d: (count (distinct qty)) by: s from: big})",
        "(select {d: (count (distinct s)) by: k from: big where: (> qty 10)})"})
    void groupsAndValuesAreTheSingleServers(String q) {
        String sorted = "(xasc " + q + " (key " + q + "))";
        RayTable cluster = (RayTable) client.execute(q);
        RayTable oracle = (RayTable) this.cluster.oracle().execute(q);
        assertThat(cluster.rowCount()).isEqualTo(oracle.rowCount()).isGreaterThan(100);
        SameAnswer.assertSame(sorted, this.cluster.oracle().execute(sorted), client.execute(sorted));
    }

    @Test
    void theRuleMatters() {
        // one server's order here is not first appearance: the test above would catch a cluster that kept it
        String q = "(select {t: (sum qty) by: k from: big})";
        RayTable oracle = (RayTable) this.cluster.oracle().execute(q);
        RayTable firstAppearance = (RayTable) this.cluster.oracle().execute("(select {f: (first id) by: k from: big})");
        assertThat(oracle.column("k")).isNotEqualTo(firstAppearance.column("k"));
        assertThat(client.explain(q)).contains("GroupOrder");
    }
}
