package io.rayforce.cluster.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.testing.Placements;
import io.rayforce.cluster.coordinator.testing.TestZooKeeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterViewTest {
    private static final List<String> NODES = List.of("a", "b", "c");

    private String cluster;
    private ClusterConnection writerConn;
    private ClusterView writerView;
    private PlacementStore store;
    private ClusterConnection readerConn;
    private ClusterView reader;

    @BeforeEach
    void start() {
        cluster = TestZooKeeper.freshCluster();
        writerConn = TestZooKeeper.connect(cluster);
        PlacementStore.ensureLayout(writerConn.curator());
        writerView = ClusterView.start(writerConn.curator(), Duration.ofSeconds(10));
        store = new PlacementStore(writerConn.curator(), writerView);
        readerConn = TestZooKeeper.connect(cluster);
        reader = ClusterView.start(readerConn.curator(), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        reader.close();
        readerConn.close();
        writerView.close();
        writerConn.close();
    }

    @Test
    void listenersSeeEveryNewEpochPushedWithoutPolling() throws Exception {
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        reader.addListener(s -> seen.add(s.epoch()));
        store.createTable(Placements.roundRobin("t", 4, 2, NODES));
        for (int s = 0; s < 4; s++) {
            store.setReplicaState("t", s, store.view().awaitEpoch(1 + s, Duration.ofSeconds(5)).shard("t", s).getReplicas(0).getNodeId(),
                    ReplicaState.STALE);
        }
        ClusterSnapshot last = reader.awaitEpoch(5, Duration.ofSeconds(5));

        assertThat(last.epoch()).isEqualTo(5);
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(5L));
        synchronized (seen) {
            assertThat(seen).isSorted().doesNotHaveDuplicates();
        }
        assertThat(last.table("t").orElseThrow().getShardsList())
                .allSatisfy(s -> assertThat(s.getReplicas(0).getState()).isEqualTo(ReplicaState.STALE));
    }

    @Test
    void awaitEpochTimesOutNamingBothEpochs() {
        assertThatThrownBy(() -> reader.awaitEpoch(99, Duration.ofMillis(200)))
                .isInstanceOf(TimeoutException.class).hasMessageContaining("99").hasMessageContaining("epoch 0");
    }

    @Test
    void membershipChangesGiveANewSnapshotAtTheSameEpoch() throws Exception {
        store.createTable(Placements.roundRobin("t", 2, 1, NODES));
        reader.awaitEpoch(1, Duration.ofSeconds(5));
        ConcurrentLinkedQueue<ClusterSnapshot> seen = new ConcurrentLinkedQueue<>();
        reader.addListener(seen::add);
        NodeInfo info = NodeInfo.newBuilder().setId("a").setHost("127.0.0.1").setIpcPort(5100).setControlPort(5101).setEngineUp(true).build();
        try (ClusterConnection nodeConn = TestZooKeeper.connect(cluster);
             NodeRegistry reg = NodeRegistry.register(nodeConn.curator(), info)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.snapshot().node("a").isPresent());
            assertThat(reader.snapshot().node("a")).contains(info);
            assertThat(reader.snapshot().liveReplicas("t", 0)).containsExactly(info);
            reg.update(info.toBuilder().setEngineUp(false).build());
            await().atMost(Duration.ofSeconds(5)).until(() -> !reader.snapshot().node("a").orElseThrow().getEngineUp());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> reader.snapshot().node("a").isEmpty());
        assertThat(seen).isNotEmpty().allSatisfy(s -> assertThat(s.epoch()).isEqualTo(1));
        assertThat(reader.snapshot().liveReplicas("t", 0)).isEmpty();
    }

    /**
     * A writer keeps flipping every replica of a three-bucket table between LIVE and STALE in one
     * transaction per epoch; every snapshot any reader sees must show all shards in one state.
     */
    @Test
    void everySnapshotIsConsistentAtItsEpoch() throws Exception {
        store.createTable(Placements.roundRobin("t", 3 * 64, 2, NODES));
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        List<Long> epochs = Collections.synchronizedList(new ArrayList<>());
        reader.addListener(s -> {
            epochs.add(s.epoch());
            s.table("t").ifPresent(t -> {
                Set<ReplicaState> states = t.getShardsList().stream().flatMap(x -> x.getReplicasList().stream())
                        .map(Replica::getState).collect(Collectors.toSet());
                Set<Long> since = t.getShardsList().stream().flatMap(x -> x.getReplicasList().stream())
                        .map(Replica::getSinceEpoch).collect(Collectors.toSet());
                if (states.size() != 1 || since.size() != 1 || !since.contains(s.epoch())) {
                    problems.add("epoch " + s.epoch() + ": states " + states + ", since " + since);
                }
            });
        });
        for (int i = 0; i < 40; i++) { // 40 epochs, each rewriting all three buckets
            ReplicaState next = i % 2 == 0 ? ReplicaState.STALE : ReplicaState.LIVE;
            store.update(snap -> {
                TablePlacement t = snap.table("t").orElseThrow();
                TablePlacement out = t;
                for (String n : NODES) {
                    out = Placements.withNodeState(out, n, next);
                }
                return List.of(out);
            });
        }
        reader.awaitEpoch(41, Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(() -> epochs.contains(41L));
        assertThat(problems).isEmpty();
        synchronized (epochs) {
            assertThat(epochs).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void aReaderCatchesUpAfterItsSessionExpires() throws Exception {
        store.createTable(Placements.roundRobin("t", 2, 1, NODES));
        reader.awaitEpoch(1, Duration.ofSeconds(5));
        TestZooKeeper.expireSession(readerConn.curator(), TestZooKeeper.connectString());
        store.setReplicaState("t", 0, "a", ReplicaState.STALE);
        store.dropTable("t");
        store.createTable(Placements.roundRobin("u", 2, 1, NODES));

        ClusterSnapshot s = reader.awaitEpoch(4, Duration.ofSeconds(15));
        assertThat(s.tables().keySet()).containsExactly("u");
        await().atMost(Duration.ofSeconds(10)).until(reader::isConnected);
    }
}
