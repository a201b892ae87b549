package io.rayforce.cluster.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.router.testing.LocalShards;
import io.rayforce.cluster.router.testing.PlanTrees;
import io.rayforce.cluster.router.testing.TradeData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The planner distributes what it should, prunes shards, and falls back only where it must. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanShapesTest {
    private LocalShards cluster;
    private ClusterClient client;

    @BeforeAll
    void load() {
        cluster = new LocalShards(3);
        cluster.createTable("trades", "sym", 7, 2, TradeData.COLUMNS);
        cluster.insert("trades", TradeData.rows(1, 0, 1000));
        client = new ClusterClient(cluster);
    }

    @AfterAll
    void stop() {
        client.close();
        cluster.close();
    }

    @Test
    void plainSelectsMergeShardResults() {
        assertThat(client.explain("(select {from: trades desc: px take: 5})")).isEqualTo(String.join("\n",
                "Project [id, sym, side, px, qty, ts, d, note]",
                "  Limit take 5",
                "    MergeSorted by [desc __o0] then __seq, first 5",
                "      Route trades shards 0-6: (select {id: id sym: sym side: side px: px qty: qty ts: ts d: d note: note "
                        + "__seq: __seq __o0: px from: <shard> desc: px take: 5})  [estimated ~35 rows, ~2660 bytes from the shards]"));
        RayTable t = (RayTable) client.execute("(select {from: trades where: (> px 10.0)})");
        assertThat(t.rowCount()).isGreaterThan(500);
    }

    @Test
    void aWhereOnTheShardKeyReadsOneShard() {
        assertThat(client.explain("(select {from: trades where: (and (> px 1.0) (== sym 'IBM))})"))
                .containsPattern("shards \\d: ");
        assertThat(client.explain("(select {from: trades where: (in sym [IBM AAPL])})"))
                .containsPattern("shards \\d(,\\d|-\\d): ");
        // a float literal on a symbol key cannot prune
        assertThat(client.explain("(select {from: trades where: (== sym 1.5)})")).contains("shards 0-6");
        QueryResult r = client.query("(select {from: trades where: (== sym 'IBM)})", QueryOptions.DEFAULT);
        assertThat(r.trace().attempts()).hasSize(1);
    }

    @Test
    void aggregatesAndGroupsAreFinishedAtTheRouter() {
        assertThat(client.explain("(select {a: (avg px) m: (med px) by: sym from: trades})"))
                .startsWith("Reused while trades is unchanged\n  RankSelect [m=MEDIAN] over trades shards 0-6")
                .contains("\n    GroupOrder: ").contains("\n      GroupCombine by [sym] [a=AVG, m=MEDIAN] in first-appearance "
                        + "order\n        Route trades shards 0-6");
        // a count of a column is each group's row count already: no __rows besides it
        assertThat(client.explain("(select {n: (count px) s: (sum qty) by: sym from: trades})"))
                .contains("GroupCombine by [sym] [n=COUNT, s=SUM] in first-appearance order").doesNotContain("__rows");
        assertThat(client.explain("(select {r: (/ (sum qty) (count id)) by: sym from: trades})")).doesNotContain("__rows");
        // without a count of a column: the table's count, reused while it is unchanged, or with a filter each group's rows
        assertThat(client.explain("(select {s: (sum qty) n: (count 1) by: sym from: trades})")).doesNotContain("__rows")
                .contains("    Reused while trades is unchanged\n      SumCounts\n        Route trades shards 0-6: (count <shard>)");
        assertThat(client.explain("(select {s: (sum qty) by: sym from: trades where: (> px 1.0)})")).contains("__rows=COUNT");
        assertThat(client.explain("(select {a: (avg px) dc: (count (distinct side)) from: trades})"))
                .startsWith("Reused while trades is unchanged\n  AggregateCombine [a=AVG, dc=COUNT_DISTINCT]");
        // pruned to one shard: the others are asked only if it has no rows
        assertThat(client.explain("(select {n: (count id) from: trades where: (== sym 'IBM)})")).matches(
                "(?s)Reused while trades is unchanged\n  AggregateCombine \\[n=COUNT\\], the last route only when the first has no rows\n"
                + "    Route trades shards (\\d): .*\n    Route trades shards (?!\\1)[0-9,-]+: .*");
        // only gathered aggregates: each shard still answers one partial row, not its rows
        assertThat(PlanTrees.computing(client.explain("(select {dc: (count (distinct side)) from: trades})")))
                .contains("\n  Route trades shards 0-6: (select {__rows: (count __seq) from: <shard>})  [estimated");
        // a median: each shard's count, min and max, then its rank searched in rounds
        assertThat(client.explain("(select {m: (med px) from: trades})"))
                .startsWith("Reused while trades is unchanged\n  RankSelect [m=MEDIAN]")
                .contains("(select {m: (- (count px) (sum (nil? px))) __m_lo: (min px) __m_hi: (max px) from: <shard>})");
    }

    @Test
    void otherShapesRunOnTheScratchEngineWithTheTablesTheyName() {
        assertThat(client.explain("(select {by: sym from: trades})")).startsWith("ScratchEval (select shape not distributed)")
                .contains("trades <- Project [id, sym, side, px, qty, ts, d, note]\n    MergeSorted by __seq");
        assertThat(client.explain("(+ 1 2)")).startsWith("ScratchEval (no cluster table)");
    }
}
