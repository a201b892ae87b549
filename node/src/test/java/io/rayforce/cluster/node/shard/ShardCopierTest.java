package io.rayforce.cluster.node.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.node.engine.EngineSupervisor;
import io.rayforce.cluster.node.engine.SupervisorSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paging and splitting of shard copies between two real engines. */
class ShardCopierTest {
    static final TableSpec NOTES = TableSpec.newBuilder().setName("notes").setShardCount(1).setReplicationFactor(1)
            .addColumns(ColumnSpec.newBuilder().setName("id").setType("i64"))
            .addColumns(ColumnSpec.newBuilder().setName("text").setType("string")).build();

    @TempDir
    Path dir;

    NativeServer source;
    EngineSupervisor local;

    @BeforeEach
    void start() {
        source = NativeServer.startOnFreePort();
        local = new EngineSupervisor(null, ServerOptions.onPort(NativeServer.freePort()), dir, SupervisorSettings.DEFAULTS);
        local.start();
    }

    @AfterEach
    void stop() {
        local.close();
        source.close();
    }

    /** 2000 rows whose strings are short, except every 100th, which is 4 KiB: page sizes from a sample are skewed. */
    private void fillSource() {
        try (TCPClient c = new TCPClient(source.host(), source.port())) {
            c.execute("(set notes__0 (table [id text __seq] (list (til 2000) "
                    + "(map (fn [i] (if (== 0 (% i 100)) (format \"%\" (til 800)) \"x\")) (til 2000)) (til 2000))))");
        }
    }

    @Test
    void pagesThatSerializeTooLargeAreSplitBeforeTheyAreWritten() {
        fillSource();
        ShardCopier copier = new ShardCopier(local, 16 * 1024, 8 * 1024, Duration.ofSeconds(30));
        ShardCopier.Result r = copier.copyCounting(NOTES, 0, source.host(), source.port());
        assertThat(r.info().getRows()).isEqualTo(2000);
        assertThat(r.pages()).isGreaterThan(1);
        assertThat(r.writes()).as("split writes").isGreaterThan(r.pages());
        try (TCPClient c = new TCPClient(source.host(), source.port())) {
            assertThat(local.client().execute("notes__0")).isEqualTo(c.execute("notes__0"));
        }
    }

    @Test
    void oneLargePageWhenTheShardIsSmall() {
        fillSource();
        ShardCopier.Result r = new ShardCopier(local, 64L << 20, Duration.ofSeconds(30)).copyCounting(NOTES, 0, source.host(), source.port());
        assertThat(r.pages()).isEqualTo(1);
        assertThat(r.writes()).isEqualTo(1);
        assertThat(r.info().getRows()).isEqualTo(2000);
    }

    @Test
    void copiesCountTheirProgressPageByPage() {
        fillSource();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ShardCopies copies = new ShardCopies(registry, "n1")) {
            ShardCopier copier = new ShardCopier(local, 16 * 1024, Duration.ofSeconds(30), copies);
            copier.copy(NOTES, 0, source.host(), source.port());
            assertThat(registry.get("rfc.shard.copy.rows").counter().count()).isEqualTo(2000.0);
            assertThat(registry.get("rfc.shard.copy.bytes").counter().count()).isGreaterThan(2000.0 * 8);
            assertThat(registry.get("rfc.shard.copies.active").gauge().value()).isZero();
            assertThat(registry.get("rfc.shard.copy.remaining.rows").gauge().value()).isZero();
            // a copy that fails leaves nothing under way
            assertThatThrownBy(() -> copier.copy(NOTES.toBuilder().setName("absent").build(), 0, source.host(), source.port()))
                    .isInstanceOf(ShardNotFoundException.class);
            assertThat(registry.get("rfc.shard.copies.active").gauge().value()).isZero();
        }
        assertThat(registry.find("rfc.shard.copy.rows").counter()).isNull();
    }

    @Test
    void aCopyTakesTheSourcesLeaseRecordAndLeavesNothingPendingThatAnEarlierReplicaLeftBehind() {
        fillSource();
        try (TCPClient c = new TCPClient(source.host(), source.port())) {
            c.execute("(set notes__0__a [7 12 1999 -1]) (set notes__0__p (take notes__0 5))");
        }
        // an earlier replica on this node left its record and a pending row of an older lease
        local.client().execute("(set notes__0__a [7 9 5 5]) (set notes__0__p (table [id text __seq] (list [1] (list \"x\") [3]))) 0");
        new ShardCopier(local, 64L << 20, Duration.ofSeconds(30)).copy(NOTES, 0, source.host(), source.port());
        assertThat(local.client().execute("notes__0__a")).isEqualTo(I64Vector.of(7, 12, 1999, -1));
        assertThat(local.client().execute("(count notes__0__p)")).isEqualTo(I64Atom.of(0));
        assertThat(local.client().execute("(count notes__0)")).isEqualTo(I64Atom.of(2000));

        // a source no lease has written: the copy keeps no record or pending table of its own either
        try (TCPClient c = new TCPClient(source.host(), source.port())) {
            c.execute("(del notes__0__a) (del notes__0__p) 0");
        }
        local.client().execute("(set notes__0__a [7 9 5 5]) 0");
        new ShardCopier(local, 64L << 20, Duration.ofSeconds(30)).copy(NOTES, 0, source.host(), source.port());
        assertThat(bound("notes__0__a")).isFalse();
        assertThat(bound("notes__0__p")).isFalse();
    }

    @Test
    void droppingAShardDropsItsLeaseRecordAndPendingRowsToo() {
        fillSource();
        new ShardCopier(local, 64L << 20, Duration.ofSeconds(30)).copy(NOTES, 0, source.host(), source.port());
        local.client().execute("(set notes__0__a [7 9 5 5]) (set notes__0__p (take notes__0 3)) 0");
        ShardStore store = new ShardStore(local);
        assertThat(store.drop("notes", 0)).isTrue();
        assertThat(bound("notes__0")).isFalse();
        assertThat(bound("notes__0__a")).isFalse();
        assertThat(bound("notes__0__p")).isFalse();
        assertThat(store.drop("notes", 0)).as("nothing left to drop").isFalse();
    }

    private boolean bound(String global) {
        return !local.client().execute("(type (resolve '" + global + "))").equals(Symbol.of("null"));
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> new ShardCopier(local, 0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ShardCopier(local, 1L << 40, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
