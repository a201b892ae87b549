package io.rayforce.cluster.router.globals;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.value.SymbolVector;
import org.junit.jupiter.api.Test;

/**
 * The names the cluster lists before its globals ({@code engine-env.txt}) are what a fresh pinned
 * engine lists in {@code (key (env 0))}, in its order: an engine upgrade that changes them fails
 * here.
 */
class EngineEnvTest {
    @Test
    void theListingStartsWithTheEnginesOwnNames() {
        try (NativeServer engine = NativeServer.startOnFreePort();
             TCPClient c = new TCPClient("127.0.0.1", engine.port())) {
            SymbolVector names = (SymbolVector) c.execute("(key (env 0))");
            assertThat(GlobalStatements.engineEnv()).isEqualTo(names.toList());
        }
    }
}
