package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.QueryResult;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import io.rayforce.cluster.router.testing.SameAnswer;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Steps reused while a table is unchanged (plan.Reused, ReadCache): a second read under the same
 * read lease sends nothing for them, and a write from any router, which ends the lease, makes the
 * next read compute again; so does a commit of this router's own write lease, under which its reads
 * of the table go through the lease's gate. On a real cluster (ZooKeeper, leases, node agents).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadReuseTest {
    private WriteCluster cluster;

    @BeforeAll
    void start() {
        cluster = new WriteCluster(2);
        String rows = "(table [id sym qty] (list (til 70000) (at [a b c d e] (% (* 7 (til 70000)) 5)) (% (til 70000) 100)))";
        cluster.client.execute("(.cluster.create 't " + rows + " 'id 4 1)");
        // the oracle is fed the table as a value, as one server loaded with it would be (its symbol ids follow)
        RayValue table = cluster.client.execute("(select {id: id sym: sym qty: qty from: t})");
        cluster.oracle.execute(RayList.of(Name.of("count"), RayList.of(Name.of("set"), Name.of("t"), table)));
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    private QueryResult query(ClusterClient c, String q) {
        return c.query(q, QueryOptions.DEFAULT);
    }

    @Test
    void aCountIsReusedUntilAWriteFromAnotherRouter() {
        QueryResult first = query(cluster.client, "(count t)");
        QueryResult second = query(cluster.client, "(count t)");
        assertThat(second.value()).isEqualTo(first.value());
        assertThat(first.plan()).contains("moved");
        assertThat(second.plan()).doesNotContain("moved");
        try (ClusterClient other = ClusterClient.connect(cluster.zk.connectString(), cluster.cluster)) {
            other.execute("(insert 't (list 70000 'z 5))");
        }
        QueryResult after = query(cluster.client, "(count t)");
        assertThat(after.value()).isEqualTo(I64Atom.of(((I64Atom) first.value()).value() + 1));
        assertThat(after.plan()).contains("moved");
        cluster.oracle.execute("(insert 't (list 70000 'z 5))");
    }

    @Test
    void aFilteredCountIsReusedOnlyWhenItsFilterDependsOnTheRowsAlone() {
        String plain = "(count (select {from: t where: (< qty 10)}))";
        query(cluster.client, plain);
        assertThat(query(cluster.client, plain).plan()).doesNotContain("moved");
        // a clock read: computed every time
        String clock = "(count (select {from: t where: (< (date 0) 2000.01.01)}))";
        query(cluster.client, clock);
        assertThat(query(cluster.client, clock).plan()).contains("moved");
    }

    @Test
    void anAggregateAnswerIsReusedUntilAWriteFromAnotherRouter() {
        String[][] pairs = {
            {"(select {n: (count qty) s: (sum qty) by: sym from: t where: (> qty 5)})",
                "(select {n: (count qty) s: (sum qty) by: sym from: t where: (> qty 6)})"},
            {"(select {s: (sum qty) a: (avg qty) m: (med qty) from: t})",
                "(select {s: (sum qty) a: (avg qty) m: (med qty) from: t where: (> qty 6)})"},
            {"(sum (at t 'qty))", "(sum (at (select {from: t where: (> qty 6)}) 'qty))"},
            {"(select {d: (count (distinct sym)) s: (sum qty) from: t})",
                "(select {d: (count (distinct sym)) s: (sum qty) from: t where: (> qty 6)})"}};
        for (String[] pair : pairs) {
            String q = pair[0];
            QueryResult first = query(cluster.client, q);
            QueryResult second = query(cluster.client, q);
            assertThat(first.plan()).as(q).contains("moved");
            assertThat(second.plan()).as(q).doesNotContain("moved");
            SameAnswer.assertSame(q, cluster.oracle.execute(q), second.value());
            // the same select with another filter is another answer
            String other = pair[1];
            assertThat(query(cluster.client, other).plan()).as(other).contains("moved");
            try (ClusterClient writer = ClusterClient.connect(cluster.zk.connectString(), cluster.cluster)) {
                writer.execute("(insert 't (list 80000 'b 99))");
            }
            cluster.oracle.execute("(insert 't (list 80000 'b 99))");
            QueryResult after = query(cluster.client, q);
            assertThat(after.plan()).as(q).contains("moved");
            SameAnswer.assertSame(q, cluster.oracle.execute(q), after.value());
            assertThat(after.value()).as(q).isNotEqualTo(first.value());
        }
    }

    @Test
    void anAggregateOfAClockOrRandomValuesIsComputedEveryTime() {
        for (String q : new String[] {"(select {n: (count qty) by: sym from: t where: (< (date 0) 2000.01.01)})",
                "(select {s: (sum qty) from: t where: (> qty (first (rand 1 10)))})"}) {
            query(cluster.client, q);
            assertThat(query(cluster.client, q).plan()).as(q).contains("moved");
        }
    }

    @Test
    void symbolRanksOfALargeGroupByAreReusedAndTheOrderFollowsAWrite() {
        String q = "(select {n: (sum qty) by: sym from: t})";
        QueryResult first = query(cluster.client, q);
        QueryResult second = query(cluster.client, q);
        assertThat(second.plan()).containsPattern("SymbolRanks[^\\n]*\\n(?![^\\n]*moved)");
        SameAnswer.assertSame(q, cluster.oracle.execute(q), second.value());
        // a new symbol written by this router: ranks computed again, order as one server gives it
        cluster.client.execute("(insert 't (list 70001 'aa 1))");
        cluster.oracle.execute("(insert 't (list 70001 'aa 1))");
        QueryResult after = query(cluster.client, q);
        assertThat(((RayTable) after.value()).rowCount()).isEqualTo(((RayTable) first.value()).rowCount() + 1);
        SameAnswer.assertSame(q, cluster.oracle.execute(q), after.value());
    }

    /**
     * Reads on the router that holds the table's write lease (they go through the lease's gate, not a
     * read lease): reused while nothing commits, computed again once an insert under the same lease
     * commits, and the answer has the new row. A round counts only when ZooKeeper shows one write
     * lock node, the same one, from before the first read to after the last (the lease, let go when
     * idle for a moment, was held throughout); a loaded machine may need a few rounds for that.
     */
    @Test
    void readsUnderThisRoutersWriteLeaseAreReusedUntilTheLeaseCommits() throws Exception {
        cluster.client.execute("(.cluster.create 'w (table [id qty] (list (til 1000) (% (til 1000) 10))) 'id 4 1)");
        CuratorFramework curator = ((ZooKeeperPlacement) cluster.client.placement()).connection().curator();
        String count = "(count w)";
        String filtered = "(count (select {from: w where: (< qty 3)}))";
        String total = "(select {s: (sum qty) from: w})";
        long rows = 1000;
        long matching = 300;
        long sum = 4500;
        int underOneLease = 0;
        for (int round = 0; round < 30 && underOneLease < 3; round++) {
            cluster.client.execute("(insert 'w (list " + rows + " 1))"); // takes the write lease, or keeps it
            rows++;
            matching++;
            sum += 1;
            String lease = writeLockNode(curator, "w");
            QueryResult first = query(cluster.client, count);
            QueryResult again = query(cluster.client, count);
            QueryResult firstFiltered = query(cluster.client, filtered);
            QueryResult firstTotal = query(cluster.client, total);
            cluster.client.execute("(insert 'w (list " + rows + " 2))");
            rows++;
            matching++;
            sum += 2;
            QueryResult after = query(cluster.client, count);
            QueryResult afterFiltered = query(cluster.client, filtered);
            QueryResult afterTotal = query(cluster.client, total);
            boolean held = lease != null && lease.equals(writeLockNode(curator, "w"));
            // whichever way the reads went, each answer has every row acknowledged before it
            assertThat(first.value()).isEqualTo(I64Atom.of(rows - 1));
            assertThat(again.value()).isEqualTo(I64Atom.of(rows - 1));
            assertThat(firstFiltered.value()).isEqualTo(I64Atom.of(matching - 1));
            assertThat(after.value()).as("a count after an insert under the same lease").isEqualTo(I64Atom.of(rows));
            assertThat(afterFiltered.value()).as("a filtered count after an insert under the same lease")
                    .isEqualTo(I64Atom.of(matching));
            assertThat(((RayTable) firstTotal.value()).column("s").at(0)).isEqualTo(I64Atom.of(sum - 2));
            assertThat(((RayTable) afterTotal.value()).column("s").at(0)).as("an aggregate answer after an insert under the same lease")
                    .isEqualTo(I64Atom.of(sum));
            assertThat(after.plan()).contains("moved");
            if (held) {
                underOneLease++;
                assertThat(again.plan()).as("a second read under the lease, nothing committed").doesNotContain("moved");
            }
        }
        assertThat(underOneLease).as("rounds read under one write lease").isGreaterThan(0);
    }

    /** The name of the write lock's node of {@code table} (a router's write lease holds it), or null. */
    private static String writeLockNode(CuratorFramework curator, String table) throws Exception {
        String path = ZkPaths.tableLock(table);
        if (curator.checkExists().forPath(path) == null) {
            return null;
        }
        return curator.getChildren().forPath(path).stream().filter(c -> c.contains("__WRIT__")).findFirst().orElse(null);
    }
}
