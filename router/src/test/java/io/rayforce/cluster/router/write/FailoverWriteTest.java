package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.server.CoordinatorConfig;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.node.testing.NodeProcess;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import io.rayforce.cluster.router.testing.SameAnswer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a whole node (agent JVM and engine) while one writer appends batches and two
 * readers read the whole table, with replication 2: every read that answers equals the table
 * after some prefix of the acknowledged writes (in insertion order), every failed request says
 * why, the dead node's replicas leave LIVE and are repaired on the remaining nodes, and in the
 * end every acknowledged row is present exactly once and the table equals one server that got
 * the acknowledged writes in the same order.
 */
class FailoverWriteTest {
    private static final String[] SYMS = {"A", "B", "C", "D", "E", "F", "G"};
    /** Batches written before the kill. */
    private static final int KILL_AT = 40;
    /** Batches still written once the dead node's shards are repaired. */
    private static final int AFTER_REPAIR = 20;
    /** Batches at most (written inserts are fast: after the kill the writer paces itself, see below). */
    private static final int MAX_BATCHES = 6_000;
    /** After the kill, a batch at most every this many ms, so the repair comes within the batches. */
    private static final long PACE_MS = 10;
    private static final int ROWS = 40;

    @TempDir
    Path dir;

    /** The rows of batch b: ids b*1000.., the symbol and value functions of the id. */
    static RayTable batch(int b) {
        long[] id = new long[ROWS];
        String[] sym = new String[ROWS];
        long[] v = new long[ROWS];
        for (int i = 0; i < ROWS; i++) {
            id[i] = b * 1000L + i;
            sym[i] = SYMS[(int) (id[i] % SYMS.length)];
            v[i] = id[i] * 3;
        }
        return RayTable.builder().column("id", new I64Vector(id)).column("sym", new SymbolVector(sym))
                .column("v", new I64Vector(v)).build();
    }

    @Test
    void killedNodeLosesNoAcknowledgedWriteAndNoReadIsWrong() throws Exception {
        String cluster = "failover";
        List<NodeProcess> nodes = new ArrayList<>();
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
             Coordinator coordinator = Coordinator.start(CoordinatorConfig.defaults(zk.connectString()).withCluster(cluster)
                     .withRepairGrace(Duration.ofSeconds(2)).withSessionTimeout(Duration.ofSeconds(6))
                     .withRouterWait(Duration.ofSeconds(20)));
             NativeServer oracleServer = NativeServer.startOnFreePort();
             TCPClient oracle = new TCPClient(oracleServer.host(), oracleServer.port(),
                     ClientOptions.DEFAULT.withMaxFrameBytes(Integer.MAX_VALUE - 8))) {
            for (int i = 0; i < 3; i++) {
                nodes.add(NodeProcess.start(zk.connectString(), cluster, "n" + i, Files.createDirectories(dir.resolve("n" + i)),
                        Duration.ofSeconds(3)));
            }
            try (ClusterClient client = ClusterClient.connect(zk.connectString(), cluster)) {
                ZooKeeperPlacement placement = (ZooKeeperPlacement) client.placement();
                await().atMost(Duration.ofSeconds(30)).until(() -> placement.snapshot().nodes().size() == 3 && coordinator.isLeader());
                String empty = "(table [id sym v] (list (as 'I64 []) (as 'SYM []) (as 'I64 [])))";
                client.execute("(.cluster.create 'events " + empty + " 'id 6 2)");
                oracle.execute("(count (set events " + empty + "))");

                List<Integer> acked = new CopyOnWriteArrayList<>();
                List<Integer> failed = new CopyOnWriteArrayList<>();
                AtomicInteger started = new AtomicInteger(-1);
                ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
                ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
                AtomicInteger goodReads = new AtomicInteger();
                AtomicBoolean done = new AtomicBoolean();
                List<Thread> readers = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    Thread t = new Thread(() -> {
                        while (!done.get()) {
                            List<Integer> ackedBefore = new ArrayList<>(acked);
                            List<Integer> failedBefore = new ArrayList<>(failed);
                            try {
                                RayTable got = (RayTable) client.execute("events");
                                String problem = prefixProblem(got, ackedBefore, failedBefore, started.get());
                                if (problem == null) {
                                    goodReads.incrementAndGet();
                                } else {
                                    wrong.add(problem);
                                }
                            } catch (RuntimeException e) {
                                failures.add("read: " + e.getMessage());
                            }
                            pause(5);
                        }
                    }, "reader-" + r);
                    t.start();
                    readers.add(t);
                }
                long killedAt = 0;
                List<Long> before = new ArrayList<>();
                List<Long> after = new ArrayList<>();
                java.util.Map<ReplicaState, Long> seenOnDead = new java.util.TreeMap<>();
                int failedWrites = 0;
                int repairedAt = -1;
                int b = 0;
                for (; b < MAX_BATCHES && (repairedAt < 0 || b < repairedAt + AFTER_REPAIR); b++) {
                    if (b == KILL_AT) {
                        nodes.get(1).kill9();
                        killedAt = System.nanoTime();
                    }
                    started.set(b);
                    long t0 = System.nanoTime();
                    try {
                        RayValue answer = client.execute(Table.of("events").insert(batch(b)));
                        assertThat(answer.toString()).contains("events");
                        acked.add(b);
                        oracle.execute(Table.of("events").insert(batch(b)));
                    } catch (RuntimeException e) {
                        failedWrites++;
                        failed.add(b);
                        failures.add("write of batch " + b + ": " + e.getMessage());
                    }
                    (b < KILL_AT ? before : after).add((System.nanoTime() - t0) / 1_000_000);
                    if (b >= KILL_AT) {
                        Thread.sleep(Math.max(0, PACE_MS - (System.nanoTime() - t0) / 1_000_000));
                    }
                    if (b > KILL_AT && repairedAt < 0 && fullyRepaired(placement.snapshot(), "events", "n1")) {
                        repairedAt = b;
                    }
                    if (b == KILL_AT + 10) {
                        seenOnDead.putAll(statesOn(placement.snapshot(), "events", "n1"));
                    }
                }
                done.set(true);
                for (Thread t : readers) {
                    t.join();
                }
                double writeSeconds = (System.nanoTime() - killedAt) / 1e9;
                System.out.printf("failover: %d acked writes, %d failed writes, %d good reads, %d failed requests, "
                        + "repair seen at batch %d, writes done %.1f s after the kill%n", acked.size(), failedWrites,
                        goodReads.get(), failures.size(), repairedAt, writeSeconds);
                failures.forEach(f -> System.out.println("  " + f));
                Collections.sort(before);
                Collections.sort(after);
                System.out.printf("failover: write ms before the kill median %d max %d; after median %d max %d; "
                        + "dead node's replicas 10 writes after the kill: %s%n", before.get(before.size() / 2),
                        before.get(before.size() - 1), after.get(after.size() / 2), after.get(after.size() - 1), seenOnDead);
                assertThat(fullyRepaired(placement.snapshot(), "events", "n1")).as("the dead node's shards are repaired").isTrue();
                assertThat(wrong).as("reads that matched no prefix of the acknowledged writes").isEmpty();
                assertThat(goodReads.get()).isGreaterThan(20);
                int written = b;
                assertThat(repairedAt).as("repaired while the writes went on").isPositive();
                assertThat(acked.size()).as("writes acknowledged despite the kill").isGreaterThan(written * 3 / 4);
                for (String f : failures) {
                    assertThat(f).as("a failure says why").matches("(?s).*(shard|replica|node|connect|ZooKeeper|timed out).*");
                }
                // every acknowledged row exactly once, in acknowledged order, on every replica
                RayTable all = (RayTable) client.execute("events");
                assertThat(prefixProblem(all, acked, failed, written)).isNull();
                assertThat(all.rowCount()).as("every acknowledged row exactly once").isEqualTo(ROWS * acked.size());
                SameAnswer.assertSame("events", oracle.execute("events"), all);
                SameAnswer.assertSame("group by", oracle.execute("(select {n: (count id) s: (sum v) by: sym from: events})"),
                        client.execute("(select {n: (count id) s: (sum v) by: sym from: events})"));
                RayTable replicas = (RayTable) ((io.rayforce.cluster.client.value.RayDict) client.execute("(.cluster.describe 'events)"))
                        .get("replicas");
                long copies = 0;
                for (int i = 0; i < replicas.rowCount(); i++) {
                    copies += ((I64Vector) replicas.column("rows")).get(i);
                }
                assertThat(copies).as("each acknowledged row on both LIVE replicas").isEqualTo(2L * ROWS * acked.size());
            }
        } finally {
            nodes.forEach(NodeProcess::close);
        }
    }

    /** Every shard has two LIVE replicas, and the dead node holds no LIVE one. */
    private static boolean fullyRepaired(ClusterSnapshot s, String table, String dead) {
        for (ShardPlacement sp : s.table(table).orElseThrow().getShardsList()) {
            long live = sp.getReplicasList().stream().filter(r -> r.getState() == ReplicaState.LIVE && !r.getNodeId().equals(dead))
                    .count();
            boolean deadLive = sp.getReplicasList().stream()
                    .anyMatch(r -> r.getNodeId().equals(dead) && r.getState() == ReplicaState.LIVE);
            if (live < 2 || deadLive) {
                return false;
            }
        }
        return true;
    }

    /** The dead node's replica states, e.g. {STALE=2, DOWN=4}. */
    private static java.util.Map<ReplicaState, Long> statesOn(ClusterSnapshot s, String table, String node) {
        return s.table(table).orElseThrow().getShardsList().stream().flatMap(sp -> sp.getReplicasList().stream())
                .filter(r -> r.getNodeId().equals(node))
                .collect(java.util.stream.Collectors.groupingBy(Replica::getState, java.util.TreeMap::new,
                        java.util.stream.Collectors.counting()));
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Null when {@code got} is a state a read may see while one writer appends batches in order:
     * every batch acknowledged before the read started is there whole, nothing else is there
     * but rows of batches written (acknowledged or still in flight) by the time it ended, no
     * row of a batch that failed before it started, no row twice, and the rows in insertion
     * order (ids increase), and every batch there whole: a write is seen entirely or not at all
     * (docs/architecture.md, Atomic visibility). Else what is wrong.
     */
    static String prefixProblem(RayTable got, List<Integer> ackedBefore, List<Integer> failedBefore, int lastStarted) {
        I64Vector id = (I64Vector) got.column("id");
        SymbolVector sym = (SymbolVector) got.column("sym");
        I64Vector v = (I64Vector) got.column("v");
        java.util.Set<Long> present = new java.util.HashSet<>();
        long last = -1;
        for (int i = 0; i < got.rowCount(); i++) {
            long x = id.get(i);
            int b = (int) (x / 1000);
            if (x <= last) {
                return "row " + i + " is id " + x + " after id " + last + " (not insertion order, or twice)";
            }
            last = x;
            if (b > lastStarted || failedBefore.contains(b)) {
                return "row " + i + " is id " + x + " of batch " + b + ", which was " + (b > lastStarted ? "not yet written" : "refused");
            }
            if (!sym.get(i).equals(SYMS[(int) (x % SYMS.length)]) || v.get(i) != x * 3) {
                return "row " + i + " (id " + x + ") has the wrong values";
            }
            present.add(x);
        }
        for (int b : ackedBefore) {
            for (int i = 0; i < ROWS; i++) {
                if (!present.contains(b * 1000L + i)) {
                    return "id " + (b * 1000L + i) + " of batch " + b + ", acknowledged before the read, is missing";
                }
            }
        }
        for (long x : present) {
            long b = x / 1000;
            for (int i = 0; i < ROWS; i++) {
                if (!present.contains(b * 1000L + i)) {
                    return "batch " + b + " is partly visible: id " + (b * 1000L + i) + " is missing";
                }
            }
        }
        return null;
    }
}
