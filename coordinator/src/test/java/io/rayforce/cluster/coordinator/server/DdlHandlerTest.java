package io.rayforce.cluster.coordinator.server;

import static io.rayforce.cluster.coordinator.server.ControlServiceTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.coordinator.proto.DropTableResponse;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.store.DdlLocks;
import io.rayforce.cluster.coordinator.store.FencedException;
import io.rayforce.cluster.coordinator.store.NoSuchTableException;
import io.rayforce.cluster.coordinator.store.TableExistsException;
import io.rayforce.cluster.coordinator.testing.InMemoryNodeAgent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DdlHandlerTest {
    private final LeaderFixture f = new LeaderFixture().withNodes("n1", "n2", "n3");
    private final DdlHandler ddl = new DdlHandler(f.store, f.nodes, f.routers, LeaderFixture.ROUTER_WAIT);

    @AfterEach
    void close() {
        ddl.close();
        f.close();
    }

    @Test
    void createMakesEveryShardOnItsNodesThenWritesTheTableLive() throws Exception {
        long before = f.store.currentEpoch();
        TablePlacement t = ddl.createTable(spec("trades", 4, 2), false);

        assertThat(t.getEpoch()).isEqualTo(before + 1);
        assertThat(t.getSpec().getCreatedEpoch()).isEqualTo(before + 1);
        assertThat(f.snapshot().table("trades")).contains(t);
        for (ShardPlacement s : t.getShardsList()) {
            assertThat(s.getReplicasList()).hasSize(2).allMatch(r -> r.getState() == ReplicaState.LIVE);
            for (Replica r : s.getReplicasList()) {
                assertThat(f.node(r.getNodeId()).commands).contains("create trades/" + s.getShard());
            }
        }
        assertThat(ddl.isCreating("trades")).isFalse();
    }

    @Test
    void ifNotExistsGivesBackTheSameTableButAnotherSpecIsTaken() throws Exception {
        TablePlacement t = ddl.createTable(spec("t", 2, 1), false);
        assertThat(ddl.createTable(spec("t", 2, 1), true)).isEqualTo(t);
        assertThatThrownBy(() -> ddl.createTable(spec("t", 3, 1), true)).isInstanceOf(TableExistsException.class)
                .hasMessage("table t already exists with a different spec");
        assertThatThrownBy(() -> ddl.createTable(spec("t", 2, 1), false)).isInstanceOf(TableExistsException.class)
                .hasMessage("table t already exists");
        assertThatThrownBy(() -> ddl.createTable(spec("t__1", 2, 1), false)).isInstanceOf(InvalidSpecException.class);
    }

    @Test
    void aCreateWhoseWriteFailsDropsTheShardsItMade() {
        DdlHandler fenced = new DdlHandler(f.store.fencedBy(() -> "/not-the-leader"), f.nodes, f.routers, LeaderFixture.ROUTER_WAIT);
        try {
            assertThatThrownBy(() -> fenced.createTable(spec("t", 3, 2), false)).isInstanceOf(FencedException.class);
        } finally {
            fenced.close();
        }
        for (InMemoryNodeAgent n : f.agents) {
            assertThat(n.shards).isEmpty();
            assertThat(n.commands).filteredOn(c -> c.startsWith("create")).hasSameSizeAs(n.commands.stream().filter(c -> c.startsWith("drop")).toList());
        }
    }

    @Test
    void dropRemovesTheTableThenItsShardsFromTheNodes() throws Exception {
        TablePlacement t = ddl.createTable(spec("t", 3, 2), false);
        DropTableResponse r = ddl.dropTable("t", false);

        assertThat(r.getDropped()).isTrue();
        assertThat(r.getEpoch()).isEqualTo(t.getEpoch() + 1);
        assertThat(f.snapshot().table("t")).isEmpty();
        f.agents.forEach(n -> assertThat(n.shards).isEmpty());

        assertThat(ddl.dropTable("t", true).getDropped()).isFalse();
        assertThatThrownBy(() -> ddl.dropTable("t", false)).isInstanceOf(NoSuchTableException.class);
    }

    @Test
    void createsAndDropsOfOneNameTakeTurns() throws Exception {
        CompletableFuture<TablePlacement> create;
        try (DdlLocks.Held held = f.store.lockTable("t")) {
            create = CompletableFuture.supplyAsync(() -> {
                try {
                    return ddl.createTable(spec("t", 2, 1), false);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ddl.createTable(spec("other", 1, 1), false); // another name does not wait
            Thread.sleep(200);
            assertThat(create).isNotDone();
            assertThat(f.agents).allMatch(n -> n.commands.stream().noneMatch(c -> c.startsWith("create t/")));
        }
        assertThat(create.get(10, TimeUnit.SECONDS).getSpec().getName()).isEqualTo("t");
    }
}
