package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.I64Atom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link PeerGrace} on hand-made answers: who is waited for, who is cut, and when the grace starts. */
class PeerGraceTest {
    private static final long GRACE = 200;

    private final Map<String, CompletableFuture<ReplicaOutcome>> sent = new LinkedHashMap<>();
    private final Map<String, List<Integer>> shardsOf = new LinkedHashMap<>();

    private CompletableFuture<ReplicaOutcome> node(String id, Integer... shards) {
        CompletableFuture<ReplicaOutcome> f = new CompletableFuture<>();
        sent.put(id, f);
        shardsOf.put(id, List.of(shards));
        return f;
    }

    private static ReplicaOutcome applied(String id) {
        return ReplicaOutcome.applied(id, I64Atom.of(1));
    }

    @Test
    void everyAnswerIsKeptInOrderWhenAllCome() {
        CompletableFuture<ReplicaOutcome> a = node("a", 0);
        CompletableFuture<ReplicaOutcome> b = node("b", 0);
        CompletableFuture<Map<String, ReplicaOutcome>> r = PeerGrace.await(sent, shardsOf, GRACE, ReplicaOutcome::ok);
        b.complete(ReplicaOutcome.failed("b", "refused"));
        assertThat(r).isNotDone();
        a.complete(applied("a"));
        assertThat(r.join()).containsExactly(Map.entry("a", applied("a")), Map.entry("b", ReplicaOutcome.failed("b", "refused")));
    }

    @Test
    void aStragglerThatAnswersWithinItsGraceKeepsItsAnswer() throws Exception {
        node("a", 0).complete(applied("a"));
        CompletableFuture<ReplicaOutcome> b = node("b", 0);
        CompletableFuture<Map<String, ReplicaOutcome>> r = PeerGrace.await(sent, shardsOf, GRACE, ReplicaOutcome::ok);
        b.complete(applied("b")); // the grace was armed by a's answer; b's answer ends the wait and cancels it
        assertThat(r.get(10, TimeUnit.SECONDS).get("b")).isEqualTo(applied("b"));
        Thread.sleep(2 * GRACE);
        assertThat(b).isNotCancelled();
    }

    @Test
    void aStragglerWhosePeerAppliedIsCutAsLostAfterTheGrace() throws Exception {
        node("a", 0).complete(applied("a"));
        CompletableFuture<ReplicaOutcome> b = node("b", 0);
        long t0 = System.nanoTime();
        Map<String, ReplicaOutcome> out = PeerGrace.await(sent, shardsOf, GRACE, ReplicaOutcome::ok).get(10, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("waited the grace").isGreaterThanOrEqualTo(GRACE);
        assertThat(out.get("a")).isEqualTo(applied("a"));
        assertThat(out.get("b").ok()).isFalse();
        assertThat(out.get("b").uncertain()).as("it may still apply it").isTrue();
        assertThat(out.get("b").failure()).isEqualTo("no answer 200 ms after another replica of its shard applied it");
        assertThat(b).as("the straggler's answer is cancelled (its connection is reset)").isCancelled();
    }

    @Test
    void aStragglerIsWaitedForWhileOneOfItsShardsHasNoReplicaThatApplied() throws Exception {
        node("a", 0).complete(applied("a"));
        node("c", 1).complete(ReplicaOutcome.failed("c", "refused"));
        CompletableFuture<ReplicaOutcome> b = node("b", 0, 1); // the only other replica of shard 1
        CompletableFuture<Map<String, ReplicaOutcome>> r = PeerGrace.await(sent, shardsOf, GRACE, ReplicaOutcome::ok);
        Thread.sleep(3 * GRACE);
        assertThat(r).as("shard 1 rests on b").isNotDone();
        b.complete(applied("b"));
        assertThat(r.get(10, TimeUnit.SECONDS).get("b")).isEqualTo(applied("b"));
    }

    @Test
    void aFenceThatDidNotHoldIsNoPeerThatApplied() throws Exception {
        node("a", 0).complete(ReplicaOutcome.failed("a", "fenced"));
        CompletableFuture<ReplicaOutcome> b = node("b", 0);
        CompletableFuture<Map<String, ReplicaOutcome>> r = PeerGrace.await(sent, shardsOf, GRACE, ReplicaOutcome::ok);
        Thread.sleep(3 * GRACE);
        assertThat(r).isNotDone();
        b.complete(applied("b"));
        assertThat(r.get(10, TimeUnit.SECONDS).values()).extracting(ReplicaOutcome::ok).containsExactly(false, true);
    }

    @Test
    void theGraceGrowsWithTheTimeThePeersTook() throws Exception {
        CompletableFuture<ReplicaOutcome> a = node("a", 0);
        node("b", 0);
        long t0 = System.nanoTime();
        CompletableFuture<Map<String, ReplicaOutcome>> r = PeerGrace.await(sent, shardsOf, GRACE, ReplicaOutcome::ok);
        Thread.sleep(2 * GRACE); // a takes 400 ms: b gets at least 800 ms more
        a.complete(applied("a"));
        Map<String, ReplicaOutcome> out = r.get(10, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(6 * GRACE);
        assertThat(out.get("b").uncertain()).isTrue();
    }
}
