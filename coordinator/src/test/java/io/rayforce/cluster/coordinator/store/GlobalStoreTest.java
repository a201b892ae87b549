package io.rayforce.cluster.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.testing.TestZooKeeper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The globals' znodes and a router's watched copy of them, with two ZooKeeper sessions as two routers. */
class GlobalStoreTest {
    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aGlobalWrittenInOneSessionIsReadAtOnceInAnother() {
        String cluster = TestZooKeeper.freshCluster();
        try (ClusterConnection a = TestZooKeeper.connect(cluster); ClusterConnection b = TestZooKeeper.connect(cluster);
             GlobalCache cacheB = GlobalCache.start(new GlobalStore(b.curator()), Duration.ofSeconds(10))) {
            GlobalStore storeA = new GlobalStore(a.curator());
            assertThat(cacheB.current(List.of("x"))).isEmpty();
            for (int i = 0; i < 50; i++) {
                storeA.put("x", bytes("v" + i));
                // no waiting for the watch: the freshness check reads what the cache has not seen yet
                Map<String, GlobalStore.Stored> seen = cacheB.current(List.of("x", "nothing"));
                assertThat(seen).containsOnlyKeys("x");
                assertThat(new String(seen.get("x").value(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("v" + i);
            }
            assertThat(storeA.delete("x")).isTrue();
            assertThat(cacheB.current(List.of("x"))).as("deleted").isEmpty();
            assertThat(storeA.delete("x")).as("deleted twice").isFalse();
        }
    }

    @Test
    void namesAreEscapedAndListedInDefinitionOrder() {
        String cluster = TestZooKeeper.freshCluster();
        try (ClusterConnection a = TestZooKeeper.connect(cluster)) {
            GlobalStore store = new GlobalStore(a.curator());
            List<String> names = List.of("trades-15", "a/b", "a.b", "%x", "é", "..", "z");
            for (String n : names) {
                store.put(n, bytes(n));
            }
            store.put("trades-15", bytes("again")); // replaced in place: keeps its place
            assertThat(store.list().stream().map(GlobalStore.Listed::name).toList()).isEqualTo(names);
            assertThat(new String(store.read("a/b").orElseThrow().value(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("a/b");
            assertThat(ZkPaths.global("a/b")).endsWith("/a%2Fb");
            assertThat(ZkPaths.unescapeName(ZkPaths.escapeName("é%/.x"))).isEqualTo("é%/.x");
            store.delete("a/b");
            store.put("a/b", bytes("new"));
            assertThat(store.list().stream().map(GlobalStore.Listed::name).toList()).endsWith("a/b");
        }
    }

    @Test
    void aValuePastTheLimitIsRefused() {
        String cluster = TestZooKeeper.freshCluster();
        try (ClusterConnection a = TestZooKeeper.connect(cluster)) {
            GlobalStore store = new GlobalStore(a.curator());
            assertThatThrownBy(() -> store.put("big", new byte[GlobalStore.MAX_VALUE_BYTES + 1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("big");
            store.put("fits", new byte[GlobalStore.MAX_VALUE_BYTES]);
            assertThat(store.read("fits").orElseThrow().value()).hasSize(GlobalStore.MAX_VALUE_BYTES);
        }
    }
}
