package io.rayforce.cluster.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayTable;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rfc local} as a user runs it: a child process prints the ready line, serves queries
 * through its gateway, and on SIGTERM stops everything, leaving no engine process behind; each of
 * its gateways loads files from its --load-dir.
 */
class LocalCommandTest {
    @TempDir
    Path dir;

    @Test
    void readyLineServesQueriesAndSigtermLeavesNoProcessBehind() throws Exception {
        int port = NativeServer.freePort();
        Process p = RfcProcess.start("local", "--nodes", "2", "--replication", "2", "--gateway-port", Integer.toString(port));
        try {
            List<String> startup = RfcProcess.awaitLine(p, "gateway listening on");
            assertThat(startup.get(startup.size() - 1)).isEqualTo("gateway listening on 127.0.0.1:" + port);
            List<ProcessHandle> engines = p.descendants().filter(h -> h.info().command().orElse("").endsWith("rayforce")).toList();
            assertThat(engines).as("a native engine per node (and the router's own)").hasSizeGreaterThanOrEqualTo(2);

            try (TCPClient c = new TCPClient("127.0.0.1", port)) {
                c.execute("(.cluster.create 't (table [sym v] (list [A B C A D] [1 2 3 4 5])) 'sym 4 2)");
                assertThat(c.execute("(count t)")).isEqualTo(new I64Atom(5));
                RayTable sums = (RayTable) c.execute("(select {s: (sum v) by: sym from: t})");
                assertThat(sums.rowCount()).isEqualTo(4);
            }
            List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("rfc local exits after SIGTERM").isTrue();
            for (ProcessHandle h : all) {
                h.onExit().get(10, TimeUnit.SECONDS);
                assertThat(h.isAlive()).as("process %d (%s) left behind", h.pid(), h.info().command().orElse("?")).isFalse();
            }
            try (ServerSocket s = new ServerSocket(port)) {
                assertThat(s.getLocalPort()).as("the gateway port is free again").isEqualTo(port);
            }
        } finally {
            RfcProcess.kill(p);
        }
    }

    @Test
    void dataKeptInADataDirectoryIsServedAgainAfterARestart() throws Exception {
        int port = NativeServer.freePort();
        Path data = dir.resolve("cluster");
        Process first = RfcProcess.start("local", "--nodes", "2", "--replication", "2", "--gateway-port", Integer.toString(port),
                "--data", data.toString());
        try {
            RfcProcess.awaitLine(first, "gateway listening on");
            try (TCPClient c = new TCPClient("127.0.0.1", port)) {
                c.execute("(.cluster.create 'kept (table [k v] (list (til 100) (til 100))) 'k 3 2)");
            }
            first.destroy();
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            RfcProcess.kill(first);
        }
        assertThat(Files.isDirectory(data.resolve("zookeeper"))).isTrue();
        Process second = RfcProcess.start("local", "--nodes", "2", "--replication", "2", "--gateway-port", Integer.toString(port),
                "--data", data.toString());
        try {
            RfcProcess.awaitLine(second, "gateway listening on");
            try (TCPClient c = new TCPClient("127.0.0.1", port)) {
                assertThat(c.execute("(select {s: (sum v) from: kept})"))
                        .isEqualTo(RayTable.builder().column("s", io.rayforce.cluster.client.value.I64Vector.of(4950)).build());
            }
            second.destroy();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            RfcProcess.kill(second);
        }
    }

    @Test
    void everyGatewayLoadsFilesFromTheLoadDirectory() throws Exception {
        Path load = Files.createDirectories(dir.resolve("load"));
        Files.writeString(load.resolve("t.csv"), "id,sym\n1,a\n2,b\n3,c\n");
        Process p = RfcProcess.start("local", "--nodes", "2", "--replication", "1", "--gateways", "2", "--gateway-port", "0",
                "--metrics-port", "-1", "--load-dir", load.toString());
        try {
            RfcProcess.awaitLine(p, "gateway listening on");
            // the second gateway's line follows at once; what comes after the first is read in the background
            List<String> output = RfcProcess.output(p);
            List<Integer> ports = await().atMost(Duration.ofSeconds(30)).until(() -> {
                synchronized (output) {
                    return output.stream().filter(l -> l.startsWith("gateway listening on"))
                            .map(l -> Integer.parseInt(l.substring(l.lastIndexOf(':') + 1))).toList();
                }
            }, l -> l.size() == 2);
            try (TCPClient first = new TCPClient("127.0.0.1", ports.get(0));
                 TCPClient second = new TCPClient("127.0.0.1", ports.get(1))) {
                second.execute("(.cluster.loadFile 't \"t.csv\" {shardKey: 'sym shards: 2})");
                first.execute("(.cluster.loadFile 't \"t.csv\")");
                assertThat(second.execute("(count t)")).isEqualTo(new I64Atom(6));
            }
        } finally {
            RfcProcess.kill(p);
        }
    }

    @Test
    void replicationAboveTheNodeCountIsRefused() throws Exception {
        Process p = RfcProcess.start("local", "--nodes", "1", "--replication", "2", "--gateway-port", "0");
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).isNotZero();
            assertThat(out).contains("replication must be 1..1");
            assertThat(p.descendants().toList()).isEmpty();
        } finally {
            RfcProcess.kill(p);
        }
    }
}
