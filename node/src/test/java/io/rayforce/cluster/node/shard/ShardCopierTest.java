package io.rayforce.cluster.node.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
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
    void limitsAreChecked() {
        assertThatThrownBy(() -> new ShardCopier(local, 0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ShardCopier(local, 1L << 40, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
