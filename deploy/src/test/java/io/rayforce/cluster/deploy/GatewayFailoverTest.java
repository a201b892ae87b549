package io.rayforce.cluster.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.RayforceTCPError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Several gateways in front of one cluster, as a user runs them: {@code rfc local --gateways 2}
 * (in this JVM) and {@code rfc gateway} processes. The Java {@code TCPClient} given the list of
 * gateways answers every read while a gateway is SIGKILLed under it, and sends again elsewhere a
 * write it can prove never left it; a gateway stopped with SIGTERM refuses new connections,
 * finishes the request it is running and then exits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayFailoverTest {
    private static final String COUNT = "(count t)";
    /** Not kept by the router's read cache (a count is), so it waits for the engines every time. */
    private static final String SUM = "(select {s: (sum v) from: t})";
    /**
     * The same sum under a filter every row passes: another text, which the read cache (holding
     * {@link #SUM}'s answer while t is unchanged) cannot answer, so it waits on the engines.
     */
    private static final String SUM_AGAIN = "(select {s: (sum v) from: t where: (> v -1)})";
    private static final ClientOptions OPTIONS = ClientOptions.DEFAULT.withRequestTimeout(Duration.ofSeconds(30))
            .withConnectTimeout(Duration.ofSeconds(3));

    LocalCluster cluster;

    @BeforeAll
    void start() {
        cluster = LocalCluster.start(new LocalCluster.Settings(2, 2, 0, null, 0, GatewayOptions.DEFAULT, 2));
        try (TCPClient admin = new TCPClient("127.0.0.1", cluster.gatewayPort())) {
            admin.execute("(.cluster.create 't (table [k v] (list (til 100) (til 100))) 'k 4 2)");
        }
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    /** {@code rfc gateway} in its own process, serving the local cluster; returns its port. */
    private int startGateway(List<Process> into) throws Exception {
        int port = NativeServer.freePort();
        Process p = RfcProcess.start("gateway", "--zookeeper", cluster.zookeeper(), "--cluster", cluster.clusterName(),
                "--bind", "127.0.0.1", "--port", Integer.toString(port), "--timeout", "30s", "--drain-grace", "20s",
                "--cluster-secret-file", cluster.dataDir().resolve(LocalCluster.SECRET_FILE).toString());
        into.add(p);
        RfcProcess.awaitLine(p, "gateway listening on");
        return port;
    }

    private List<String> addresses(int first) {
        List<String> all = new ArrayList<>(List.of("127.0.0.1:" + first));
        cluster.gatewayPorts().forEach(p -> all.add("127.0.0.1:" + p));
        return all;
    }

    @Test
    void bothLocalGatewaysServe() {
        assertThat(cluster.gatewayPorts()).hasSize(2).doesNotHaveDuplicates();
        for (int port : cluster.gatewayPorts()) {
            try (TCPClient c = new TCPClient("127.0.0.1", port)) {
                assertThat(c.execute("(select {s: (sum v) from: t})")).isNotNull();
            }
        }
    }

    @Test
    void readsAndUnsentWritesFailOverWhenAGatewayIsKilled() throws Exception {
        List<Process> processes = new ArrayList<>();
        try {
            int port = startGateway(processes);
            Process gateway = processes.get(0);
            try (TCPClient reader = new TCPClient(addresses(port), OPTIONS);
                    TCPClient writer = new TCPClient(addresses(port), OPTIONS)) {
                assertThat(reader.url()).isEqualTo("127.0.0.1:" + port);
                long rows = ((I64Atom) reader.execute(COUNT)).value();
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicInteger reads = new AtomicInteger();
                ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
                CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                    while (running.get()) {
                        try {
                            RayValue n = reader.execute(COUNT);
                            if (!n.equals(new I64Atom(rows))) {
                                failures.add("wrong count " + n);
                            }
                            reads.incrementAndGet();
                        } catch (RuntimeException e) {
                            failures.add(e.toString());
                        }
                    }
                });
                await().atMost(Duration.ofSeconds(30)).until(() -> reads.get() > 20);
                gateway.destroyForcibly(); // kill -9 under the reader
                assertThat(gateway.waitFor(10, TimeUnit.SECONDS)).isTrue();
                int atKill = reads.get();
                await().atMost(Duration.ofSeconds(30)).until(() -> reads.get() > atKill + 50);
                running.set(false);
                reading.get(30, TimeUnit.SECONDS);
                System.out.printf("gateway failover: %d reads, %d after the kill, failures %s%n", reads.get(), reads.get() - atKill,
                        failures);
                assertThat(failures).as("reads that failed or were wrong across the kill").isEmpty();
                assertThat(reader.url()).as("the reader moved on").isNotEqualTo("127.0.0.1:" + port);

                // the writer's connection is gone before it writes: the write never left it, so it goes elsewhere
                await().atMost(Duration.ofSeconds(10)).until(() -> !writer.isAlive());
                assertThat(writer.execute("(insert 't (list 1000 1))")).isNotNull();
                assertThat(writer.url()).isNotEqualTo("127.0.0.1:" + port);
                assertThat(reader.execute(COUNT)).isEqualTo(new I64Atom(rows + 1));
                assertThat(writer.execute("(delete {from: 't where: (== k 1000)})")).isNotNull();
            }
            // one server only: a broken connection fails as before
            int lone = startGateway(processes);
            try (TCPClient single = new TCPClient("127.0.0.1", lone, OPTIONS)) {
                single.execute(COUNT);
                processes.get(1).destroyForcibly();
                processes.get(1).waitFor(10, TimeUnit.SECONDS);
                assertThatThrownBy(() -> {
                    for (int i = 0; i < 100; i++) {
                        single.execute(COUNT);
                    }
                }).isInstanceOf(RayforceTCPError.class);
            }
        } finally {
            processes.forEach(RfcProcess::kill);
        }
    }

    @Test
    void aGatewayStoppedWithSigtermFinishesItsRequestThenExits() throws Exception {
        List<Process> processes = new ArrayList<>();
        try {
            int port = startGateway(processes);
            Process gateway = processes.get(0);
            try (TCPClient c = new TCPClient("127.0.0.1", port, OPTIONS)) {
                RayValue sum = c.execute(SUM);
                // a request in flight: the engines are frozen, so it waits for them
                List<Long> engines = cluster.nodes().stream().map(n -> n.engine().status().pid()).toList();
                signal("STOP", engines);
                CompletableFuture<RayValue> inFlight;
                try {
                    inFlight = c.submit(SUM_AGAIN);
                    Thread.sleep(300);
                    gateway.destroy(); // SIGTERM
                    // it stops accepting at once
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                            assertThatThrownBy(() -> new TCPClient("127.0.0.1", port, OPTIONS).close())
                                    .isInstanceOf(RayforceTCPError.class));
                    assertThat(inFlight).as("the request in flight still runs").isNotDone();
                    assertThat(gateway.isAlive()).as("the gateway waits for it").isTrue();
                } finally {
                    signal("CONT", engines);
                }
                assertThat(inFlight.get(30, TimeUnit.SECONDS)).as("the request in flight is answered").isEqualTo(sum);
            }
            assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("the gateway exits once drained").isTrue();
        } finally {
            processes.forEach(RfcProcess::kill);
        }
    }

    private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> cmd.add(Long.toString(p)));
        assertThat(new ProcessBuilder(cmd).inheritIO().start().waitFor()).isZero();
    }
}
