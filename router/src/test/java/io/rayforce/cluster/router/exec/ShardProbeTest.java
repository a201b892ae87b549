package io.rayforce.cluster.router.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.router.testing.LocalShards;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Telling a replica that lacks a shard from a query that names something undefined. */
class ShardProbeTest {
    @Test
    void theShardGlobalsARequestNamesInOrderOnce() {
        assertThat(ShardProbe.shardGlobals(RayfallReader.read(
                "(+ (count t__3) (count (select {from: q__10 where: (in x (at t__3 'x))})) (count 'u__1) nosuch__x x)")))
                .containsExactly("t__3", "q__10", "u__1");
        assertThat(ShardProbe.shardGlobals(RayfallReader.read("(+ 1 nosuch)"))).isEmpty();
    }

    @Test
    void theProbeAsksTheTypeOfEachGlobal() {
        assertThat(RayfallPrinter.print(ShardProbe.request(List.of("t__0", "u__2"))))
                .isEqualTo("(list (type (resolve 't__0)) (type (resolve 'u__2)))");
    }

    @Test
    void onlyATableForEveryGlobalCountsAsHolding() {
        assertThat(ShardProbe.allTables(SymbolVector.of("TABLE", "TABLE"), 2)).isTrue();
        assertThat(ShardProbe.allTables(RayList.of(Symbol.of("TABLE"), Symbol.of("TABLE")), 2)).isTrue();
        assertThat(ShardProbe.allTables(SymbolVector.of("TABLE", "null"), 2)).isFalse();
        assertThat(ShardProbe.allTables(SymbolVector.of("TABLE"), 2)).isFalse();
        assertThat(ShardProbe.allTables(RayList.of(Symbol.of("TABLE"), I64Atom.of(1)), 2)).isFalse();
        assertThat(ShardProbe.allTables(I64Atom.of(0), 1)).isFalse();
    }

    @Test
    void aRealReplicaAnswersWhetherItHoldsTheShards() {
        try (LocalShards cluster = new LocalShards(1);
             NodeConnections connections = new NodeConnections(ClientOptions.DEFAULT, 2)) {
            cluster.createTable("t", "id", 2, 1, "id:i64");
            cluster.insert("t", RayTable.builder().column("id", I64Vector.of(1, 2, 3)).build());
            NodeInfo node = cluster.snapshot().liveReplicas("t", 0).get(0);
            NodeConnections.Lease lease = connections.acquire(node).join();
            try {
                assertThat(ShardProbe.holdsAll(lease, RayfallReader.read("(+ nosuch (count t__0) (count t__1))"), 5000).join())
                        .isTrue();
                assertThat(ShardProbe.holdsAll(lease, RayfallReader.read("(+ (count t__0) (count t__7))"), 5000).join()).isFalse();
                assertThat(ShardProbe.holdsAll(lease, RayfallReader.read("(+ nosuch 1)"), 5000).join()).isTrue();
                cluster.node(0).execute("(del t__1)");
                assertThat(ShardProbe.holdsAll(lease, RayfallReader.read("(count t__1)"), 5000).join()).isFalse();
            } finally {
                lease.release();
            }
        }
    }
}
