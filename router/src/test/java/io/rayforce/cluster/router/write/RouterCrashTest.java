package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.WriteKind;
import io.rayforce.cluster.coordinator.proto.WritePhase;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.WriteIntents;
import io.rayforce.cluster.node.NodeAgent;
import io.rayforce.cluster.node.engine.EngineState;
import io.rayforce.cluster.node.engine.EngineStatus;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.testing.RouterProcess;
import io.rayforce.cluster.router.testing.RouterProcessMain;
import io.rayforce.cluster.router.testing.SameAnswer;
import io.rayforce.cluster.router.testing.Signals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A router (a child JVM running {@code ClusterClient}) SIGKILLed in the middle of a write leaves the
 * write fully present or fully absent once another router has recovered it, never partly, and
 * leaves no write intent or staging table behind. The moment of the kill is arranged by freezing
 * (SIGSTOP) the router or an engine: an insert that some replicas applied and one has not; a
 * large insert at a random moment; an update whose copies some replicas staged (not committed:
 * absent); an update committed and swapped on some replicas, whose last replica's engine also
 * dies before its swap (committed: present, that replica's staged copy swapped in by recovery).
 * Every state is compared with one native server that applied the same writes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RouterCrashTest {
    private static final int SHARDS = 6;
    private static final int PRELOADED = 200_000;
    /** The session every router has by default, so a dead one's locks go within about 2.5 s. */
    private static final Duration ROUTER_SESSION = ClusterClient.ROUTER_SESSION_TIMEOUT;

    WriteCluster c;
    ClusterConnection zk;
    WriteIntents intents;
    Signals signals;
    final Map<String, TCPClient> engines = new HashMap<>();

    @BeforeAll
    void start() {
        c = new WriteCluster(3, 500);
        zk = ClusterConnection.connect(c.zk.connectString(), c.cluster, Duration.ofSeconds(10));
        intents = new WriteIntents(zk.curator());
        signals = new Signals();
        String empty = "(table [id sym v] (list (as 'I64 []) (as 'SYM []) (as 'I64 [])))";
        c.client.execute("(.cluster.create 'e " + empty + " 'id " + SHARDS + " 2)");
        c.oracle.execute("(count (set e " + empty + "))");
        c.client.execute(Table.of("e").insert(RouterProcessMain.rows(0, PRELOADED)));
        c.oracle.execute(Table.of("e").insert(RouterProcessMain.rows(0, PRELOADED)));
    }

    @AfterAll
    void stop() {
        engines.values().forEach(TCPClient::close);
        signals.close();
        zk.close();
        c.close();
    }

    @Test
    @Order(1)
    void aRouterKilledMidInsertLeavesNoRowOfIt() {
        long from = 1_000_000;
        long killedAt;
        try (RouterProcess router = RouterProcess.start(c.zk.connectString(), c.cluster, ROUTER_SESSION)) {
            // the router serves reads of e too, as a gateway does: it dies holding (or queued for) e's read lease
            router.send("reads e");
            router.await("DONE", Duration.ofSeconds(20));
            long n2 = enginePid("n2");
            signals.stop(n2);
            try {
                router.send("insert e " + from + " 6000");
                // n0 and n1 append their parts to their pending tables; n2's wait, so nothing is committed
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                        .until(() -> pendingFrom("n0", from) + pendingFrom("n1", from) > 0);
                assertThat(intents.list("e")).singleElement()
                        .matches(s -> s.intent().getKind() == WriteKind.APPEND_LEASE && s.owned());
                assertThat(rowsFrom("n0", from) + rowsFrom("n1", from)).as("nothing committed").isZero();
                router.kill9();
                killedAt = System.nanoTime();
                System.out.printf("router crash, insert: killed with %d + %d of the rows pending on n0 and n1, n2 frozen%n",
                        pendingFrom("n0", from), pendingFrom("n1", from));
            } finally {
                signals.cont(n2);
            }
        }
        // another router waits for the dead one's session to end, rolls the insert back, then reads
        RayValue after = c.client.execute("(select {n: (count id) s: (sum v) from: e})");
        long stallMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.printf("router crash, insert: a read of e answered %d ms after the writer died (session %d ms)%n", stallMs,
                ROUTER_SESSION.toMillis());
        assertThat(stallMs).as("ms a reader waits for a dead writer (its session of 2 s, then recovery)").isLessThan(5_000);
        SameAnswer.assertSame("e after the killed insert", c.oracle.execute("(select {n: (count id) s: (sum v) from: e})"), after);
        SameAnswer.assertSame("e after the killed insert", c.oracle.execute("e"), c.client.execute("e"));
        assertClean();
    }

    @Test
    @Order(2)
    void aRouterKilledAtSomeMomentOfALargeInsertLeavesAllOrNone() throws Exception {
        int n = 600_000;
        long from = 2_000_000;
        boolean acknowledged;
        try (RouterProcess router = RouterProcess.start(c.zk.connectString(), c.cluster, ROUTER_SESSION)) {
            router.send("insert e " + from + " " + n);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1))
                    .until(() -> intents.any("e") || !router.outcomes().isEmpty());
            Thread.sleep(ThreadLocalRandom.current().nextInt(250));
            router.kill9();
            // the lease's intent outlives the insert (it is let go when idle): what counts is the answer
            acknowledged = router.outcomes().stream().anyMatch(o -> o.startsWith("DONE"));
            System.out.printf("router crash, large insert: killed %s (%s)%n", acknowledged ? "after the answer" : "before the answer",
                    router.outcomes());
        }
        RayTable range = (RayTable) c.client.execute("(select {n: (count id) s: (sum v) from: e where: (>= id " + from + ")})");
        long rows = ((I64Vector) range.column("n")).get(0);
        assertThat(rows).as("rows of the large insert: all or none").isIn(0L, (long) n);
        if (acknowledged) {
            assertThat(rows).as("an acknowledged insert is present").isEqualTo(n);
        }
        assertClean();
        if (rows == n) {
            // present: so on the oracle; then take it out again on both (a large copy-on-write delete)
            c.oracle.execute(Table.of("e").insert(RouterProcessMain.rows(from, n)));
            SameAnswer.assertSame("sum", c.oracle.execute("(select {n: (count id) s: (sum v) from: e})"),
                    c.client.execute("(select {n: (count id) s: (sum v) from: e})"));
            String delete = "(delete {from: 'e where: (>= id " + from + ")})";
            assertThat(c.client.execute(delete)).isEqualTo(c.oracle.execute(delete));
        }
        SameAnswer.assertSame("e after the large insert", c.oracle.execute("e"), c.client.execute("e"));
    }

    @Test
    @Order(3)
    void aRouterKilledWhileStagingAnUpdateLeavesItAbsent() {
        String update = "(update {v: (+ v 1) from: 'e})";
        WritePhase phase;
        try (RouterProcess router = RouterProcess.start(c.zk.connectString(), c.cluster, ROUTER_SESSION)) {
            router.send("exec " + update);
            freezeOnIntent(router);
            int n2Staged = staging("n2").size();
            long n2 = enginePid("n2");
            signals.stop(n2);
            signals.cont(router.pid());
            try {
                // n0 and n1 stage their new copies; n2's requests wait
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                        .until(() -> staging("n0").size() + staging("n1").size() > 0);
                phase = intents.list("e").get(0).intent().getPhase();
                router.kill9();
                System.out.printf("router crash, update while staging: killed at %s with staged copies on n0 %s, n1 %s, "
                        + "n2 %d before it froze%n", phase, staging("n0"), staging("n1"), n2Staged);
            } finally {
                signals.cont(n2);
            }
            if (n2Staged == 0) {
                assertThat(phase).as("n2 staged nothing, so nothing could commit").isEqualTo(WritePhase.PREPARED);
            }
        }
        if (phase == WritePhase.COMMITTED) {
            c.oracle.execute(update);
        }
        SameAnswer.assertSame("e after the killed update", c.oracle.execute("e"), c.client.execute("e"));
        assertClean();
    }

    @Test
    @Order(4)
    void aRouterKilledWhileSwappingAnUpdateLeavesItPresent() throws Exception {
        killedWhileSwapping("(update {v: (* v 2) from: 'e where: (== sym 'C)})");
    }

    @Test
    @Order(5)
    void aRouterKilledWhileSwappingAnUpdateThatAddsAColumnLeavesItPresentWithTheColumn() throws Exception {
        // recovery swaps the staged copies in and then adds the column to the table's spec
        killedWhileSwapping("(update {w: (* v 3) from: 'e where: (== sym 'C)})");
        assertThat(c.client.execute("(key e)").toString()).endsWith(" w]");
    }

    /**
     * The router commits {@code update}, swaps it in on two of the three nodes and is killed; the
     * third node's engine dies before its swaps and comes back with its staged copies; the next
     * read recovers the write: present everywhere.
     */
    private void killedWhileSwapping(String update) throws Exception {
        try (RouterProcess router = RouterProcess.start(c.zk.connectString(), c.cluster, ROUTER_SESSION)) {
            router.send("exec " + update);
            freezeOnIntent(router);
            long n0 = enginePid("n0");
            long n1 = enginePid("n1");
            long n2 = enginePid("n2");
            signals.stop(n0, n1);
            signals.cont(router.pid());
            try {
                // n2 stages all its copies while n0 and n1 wait
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                        .until(() -> staging("n2").size() == shardsOn("n2").size());
            } finally {
                signals.stop(n2);
                signals.cont(n0, n1);
            }
            // n0 and n1 stage, the router commits and swaps them in; n2's swaps wait
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() -> {
                List<WriteIntents.Stored> l = intents.list("e");
                return !l.isEmpty() && l.get(0).intent().getPhase() == WritePhase.COMMITTED
                        && staging("n0").isEmpty() && staging("n1").isEmpty();
            });
            router.kill9();
            // n2's engine dies before it reads its swaps; restarted from its journal, it holds the staged copies again
            ProcessHandle engine = ProcessHandle.of(n2).orElseThrow();
            engine.destroyForcibly();
            engine.onExit().get();
        }
        NodeAgent agent = c.agents.get(2);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            EngineStatus s = agent.engine().status();
            return s.state() == EngineState.UP && s.pid() > 0;
        });
        engines.remove("n2").close();
        assertThat(staging("n2")).as("n2's staged copies came back from its journal").hasSize(shardsOn("n2").size());
        System.out.printf("router crash, update while swapping: killed committed, n2's engine restarted with %s%n", staging("n2"));
        c.oracle.execute(update);
        // recovery (by this read) swaps n2's staged copies in: the update is present everywhere
        SameAnswer.assertSame("e after the killed update", c.oracle.execute("e"), c.client.execute("e"));
        assertClean();
    }

    /** Waits for the router's write intent and freezes the router the moment it appears. */
    private void freezeOnIntent(RouterProcess router) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!intents.any("e")) {
            assertThat(System.nanoTime()).as("the write's intent appears: " + router.outcomes()).isLessThan(deadline);
            Thread.onSpinWait();
        }
        signals.stop(router.pid());
    }

    /**
     * After recovery: no intent left, no staging table on any engine, every replica LIVE and both
     * replicas of each shard holding the same rows.
     */
    private void assertClean() {
        assertThat(intents.list("e")).as("write intents left").isEmpty();
        for (String node : List.of("n0", "n1", "n2")) {
            assertThat(staging(node)).as("staging tables on %s", node).isEmpty();
            assertThat(pendingFrom(node, Long.MIN_VALUE)).as("pending rows of a write lease on %s", node).isZero();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            RayTable replicas = (RayTable) ((RayDict) c.client.execute("(.cluster.describe 'e)")).get("replicas");
            assertThat(((SymbolVector) replicas.column("state")).toList()).containsOnly("LIVE");
            Map<Long, List<Long>> rows = new HashMap<>();
            for (int i = 0; i < replicas.rowCount(); i++) {
                rows.computeIfAbsent(((I64Vector) replicas.column("shard")).get(i), s -> new ArrayList<>())
                        .add(((I64Vector) replicas.column("rows")).get(i));
            }
            assertThat(rows.values()).as("both replicas of a shard hold as many rows").allMatch(l -> l.size() == 2
                    && l.get(0).equals(l.get(1)));
        });
    }

    private long enginePid(String node) {
        long pid = c.agents.get(Integer.parseInt(node.substring(1))).engine().status().pid();
        assertThat(pid).isPositive();
        return pid;
    }

    private TCPClient engine(String node) {
        return engines.computeIfAbsent(node, n -> new TCPClient("127.0.0.1",
                c.agents.get(Integer.parseInt(n.substring(1))).ipcPort(), ClientOptions.DEFAULT));
    }

    /** The shards of {@code e} with a replica on {@code node}. */
    private List<Integer> shardsOn(String node) {
        List<Integer> out = new ArrayList<>();
        for (ShardPlacement sp : c.client.placement().snapshot().table("e").orElseThrow().getShardsList()) {
            for (Replica r : sp.getReplicasList()) {
                if (r.getNodeId().equals(node)) {
                    out.add(sp.getShard());
                }
            }
        }
        return out;
    }

    /** Rows of {@code e} with {@code id >= from} on the engine of {@code node} (all its shards). */
    private long rowsFrom(String node, long from) {
        long n = 0;
        for (int s : shardsOn(node)) {
            RayValue v = engine(node).execute("(count (select {from: e__" + s + " where: (>= id " + from + ")}))");
            n += ((I64Atom) v).value();
        }
        return n;
    }

    /** Rows of {@code e} with {@code id >= from} in the pending tables of a write lease on {@code node}. */
    private long pendingFrom(String node, long from) {
        long n = 0;
        for (int s : shardsOn(node)) {
            RayValue v = engine(node).execute("(if (== (type (resolve 'e__" + s + "__p)) 'TABLE) (count (select {from: e__" + s
                    + "__p where: (>= id " + from + ")})) 0)");
            n += ((I64Atom) v).value();
        }
        return n;
    }

    /**
     * The staging globals of {@code e} on the engine of {@code node} (a read the data-path rule
     * refuses, so it is sent restricted: the node's journal drops it instead of quarantining it).
     */
    private List<String> staging(String node) {
        RayValue v = engine(node).executeReadOnly("(filter (key (env 0)) (like (key (env 0)) \"e__*__w*\"))");
        return v instanceof SymbolVector s ? s.toList() : List.of();
    }
}
