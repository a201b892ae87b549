package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.QueryResult;
import io.rayforce.cluster.router.testing.SameAnswer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Steps reused while a table is unchanged (plan.Reused, ReadCache): a second read under the same
 * read lease sends nothing for them, and a write from any router, which ends the lease, makes the
 * next read compute again. On a real cluster (ZooKeeper, leases, node agents).
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
}
