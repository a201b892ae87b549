package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of one node's engine (its agent lives on and restarts it from its journal) between
 * writes, with replication 2: every write is acknowledged, every read after a write equals one
 * server's answer exactly, the replicas that missed writes while the engine was down are marked
 * STALE and filled again in place, and in the end both replicas of every shard hold the same rows.
 */
class EngineKillTest {

    @Test
    void aRestartedEngineIsRefilledAndNoAnswerIsWrong() throws Exception {
        try (WriteCluster c = new WriteCluster(3)) {
            Differential both = new Differential(c.oracle, c.client);
            String empty = "(table [id sym v] (list (as 'I64 []) (as 'SYM []) (as 'I64 [])))";
            c.client.execute("(.cluster.create 'e " + empty + " 'id 4 2)");
            c.oracle.execute("(count (set e " + empty + "))");
            ZooKeeperPlacement placement = (ZooKeeperPlacement) c.client.placement();
            Set<ReplicaState> seenOnKilled = java.util.concurrent.ConcurrentHashMap.newKeySet();
            placement.view().addListener(snapshot -> {
                if (snapshot.table("e").isPresent()) {
                    seenOnKilled.addAll(states(snapshot, "n1"));
                }
            });
            for (int b = 0; b < 60; b++) {
                if (b == 20) {
                    long pid = c.agents.get(1).engine().status().pid();
                    assertThat(pid).isPositive();
                    ProcessHandle engine = ProcessHandle.of(pid).orElseThrow();
                    engine.destroyForcibly();
                    engine.onExit().get();
                }
                both.same("(insert 'e (list " + ids(b) + " " + syms(b) + " " + ids(b) + "))");
                both.same("e");
                both.same("(select {n: (count id) s: (sum v) by: sym from: e})");
            }
            assertThat(seenOnKilled).as("the killed engine's replicas missed writes and were taken out of reads")
                    .contains(ReplicaState.STALE);
            System.out.println("engine kill: states the killed engine's replicas went through: " + seenOnKilled);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> allLive(placement.snapshot()));
            both.same("e");
            RayTable replicas = (RayTable) ((RayDict) c.client.execute("(.cluster.describe 'e)")).get("replicas");
            Map<Long, Set<Long>> rowsPerShard = new HashMap<>();
            for (int i = 0; i < replicas.rowCount(); i++) {
                rowsPerShard.computeIfAbsent(((I64Vector) replicas.column("shard")).get(i), s -> new TreeSet<>())
                        .add(((I64Vector) replicas.column("rows")).get(i));
            }
            assertThat(rowsPerShard.values()).as("both replicas of a shard hold as many rows").allMatch(s -> s.size() == 1);
            assertThat(((SymbolVector) replicas.column("state")).toList()).containsOnly("LIVE");
        }
    }

    private static String ids(int b) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 10; i++) {
            sb.append(i == 0 ? "" : " ").append(b * 100 + i);
        }
        return sb.append(']').toString();
    }

    private static String syms(int b) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 10; i++) {
            sb.append(i == 0 ? "" : " ").append((char) ('A' + (b + i) % 5));
        }
        return sb.append(']').toString();
    }

    private static Set<ReplicaState> states(ClusterSnapshot s, String node) {
        Set<ReplicaState> out = new TreeSet<>();
        for (ShardPlacement sp : s.table("e").orElseThrow().getShardsList()) {
            for (Replica r : sp.getReplicasList()) {
                if (r.getNodeId().equals(node)) {
                    out.add(r.getState());
                }
            }
        }
        return out;
    }

    private static boolean allLive(ClusterSnapshot s) {
        for (ShardPlacement sp : s.table("e").orElseThrow().getShardsList()) {
            if (sp.getReplicasList().stream().filter(r -> r.getState() == ReplicaState.LIVE).count() < 2
                    || sp.getReplicasList().stream().anyMatch(r -> r.getState() != ReplicaState.LIVE)) {
                return false;
            }
        }
        return true;
    }
}
