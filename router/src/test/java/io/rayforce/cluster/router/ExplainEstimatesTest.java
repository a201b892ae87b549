package io.rayforce.cluster.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.router.testing.LocalShards;
import io.rayforce.cluster.router.testing.TradeData;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Explain's estimates of what each step moves, before the run, from a cheap count of the shards
 * and the columns' widths; and after the run, what it moved, next to them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainEstimatesTest {
    private LocalShards cluster;
    private ClusterClient client;

    @BeforeAll
    void load() {
        cluster = new LocalShards(3);
        cluster.createTable("trades", "sym", 4, 2, TradeData.COLUMNS);
        cluster.createTable("byid", "id", 3, 1, "id:i64", "tag:symbol");
        cluster.createTable("big", "id", 3, 1, "id:i64", "tag:symbol", "w:i64");
        cluster.insert("trades", TradeData.rows(1, 0, 1200));
        cluster.insert("byid", RayTable.builder().column("id", I64Vector.of(3, 5, 8)).column("tag", SymbolVector.of("x", "y", "z"))
                .build());
        cluster.insert("big", RayTable.builder().column("id", I64Vector.of(LongStream.range(0, 60_000).toArray()))
                .column("tag", new SymbolVector(LongStream.range(0, 60_000).mapToObj(i -> "t" + i % 10).toArray(String[]::new)))
                .column("w", I64Vector.of(LongStream.range(0, 60_000).toArray())).build());
        client = new ClusterClient(cluster);
    }

    @AfterAll
    void stop() {
        client.close();
        cluster.close();
    }

    private static long number(String text, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(text);
        assertThat(m.find()).as("%s in %s", pattern, text).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void aWholeTableIsItsRowsAndAFilterAtMostThem() {
        String whole = client.explain("(select {from: trades})");
        assertThat(number(whole, "\\[estimated ~(\\d+) rows")).isEqualTo(1200);
        // 8 columns and the sequence: ids, prices, quantities, times at 8 bytes, dates 4, symbols and strings guessed
        long bytes = number(whole, "rows, ~(\\d+) bytes from the shards");
        assertThat(bytes).isBetween(1200L * 40, 1200L * 90);
        String filtered = client.explain("(select {id: id px: px from: trades where: (> qty 500)})");
        assertThat(filtered).contains("[estimated <=1200 rows, <=28800 bytes from the shards]");
    }

    @Test
    void anAggregateIsARowPerShardAndATakeItsCount() {
        assertThat(client.explain("(sum (at trades 'qty))")).contains("[estimated ~4 rows");
        assertThat(client.explain("(select {from: trades desc: px take: 5})")).contains("[estimated ~20 rows");
        assertThat(client.explain("(count trades)")).contains("[estimated ~4 rows, ~36 bytes from the shards]");
    }

    @Test
    void aShippedRightSideGoesToEveryShardAndAShuffleMovesEachSideOnce() {
        assertThat(client.explain("(left-join [id] trades byid)"))
                .contains("right side byid shipped")
                .contains("[estimated ~12 rows, ~264 bytes to the nodes]"); // 3 rows of 22 bytes, to 4 shards
        String shuffle = client.explain("(left-join [id] trades big)");
        assertThat(shuffle).contains("left side trades repartitioned by id to the 3 shards of big")
                .contains("Repartition left side trades by id into 3 partitions")
                .containsPattern("\\[estimated ~1200 rows, ~\\d+ bytes from the shards\\]  \\[estimated ~1200 rows, ~\\d+ bytes to the nodes\\]");
    }

    @Test
    void afterTheRunEachStepSaysWhatItMovedBesideItsEstimate() {
        QueryResult r = client.query("(left-join [id] trades big)", QueryOptions.DEFAULT);
        assertThat(r.plan()).containsPattern("Repartition left side trades .*\\[estimated ~1200 rows, ~\\d+ bytes from the shards\\]"
                + ".*\\[moved 1200 rows, \\d+ bytes\\]  \\[sent 1200 rows, \\d+ bytes to the nodes\\]");
        // a query that sized nothing is not counted: it has what it moved only
        QueryResult plain = client.query("(select {from: trades where: (> qty 990)})", QueryOptions.DEFAULT);
        assertThat(plain.plan()).doesNotContain("estimated").containsPattern("\\[moved \\d+ rows, \\d+ bytes\\]");
    }
}
