package io.rayforce.cluster.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;

class ConflictRetryTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    private static Transaction.Failed failedAt(String path) {
        return new Transaction.Failed(KeeperException.Code.BADVERSION, path, new KeeperException.BadVersionException(path));
    }

    @Test
    void aLostRaceIsTriedAgainAfterAShortPause() {
        ConflictRetry retry = new ConflictRetry("create table t", LONG, () -> "/leader/latch-1");
        long start = System.nanoTime();
        retry.takeException(failedAt("/epoch"));
        retry.takeException(new KeeperException.NodeExistsException("/placement/t"));
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void conflictsPastTheTimeoutGiveUpNamingTheWriteAndTheLastConflict() throws Exception {
        ConflictRetry retry = new ConflictRetry("drop table t", Duration.ZERO, null);
        Thread.sleep(2);
        assertThatThrownBy(() -> retry.takeException(failedAt("/epoch")))
                .isInstanceOf(PlacementConflictException.class)
                .hasMessageStartingWith("gave up on drop table t (BADVERSION at /epoch)")
                .hasMessageEndingWith("after 0 ms of conflicting concurrent changes");
    }

    @Test
    void aTransactionThatFailedOnTheFenceMeansLeadershipIsLost() {
        ConflictRetry retry = new ConflictRetry("change placement", LONG, () -> "/leader/latch-1");
        assertThatThrownBy(() -> retry.takeException(failedAt("/leader/latch-1")))
                .isInstanceOf(FencedException.class).hasMessage("cannot change placement: no longer the placement leader");
        // without a fence every failed transaction is a conflict
        new ConflictRetry("change placement", LONG, null).takeException(failedAt("/leader/latch-1"));
    }

    @Test
    void theStoresOwnOutcomesPassAsTheyAre() {
        ConflictRetry retry = new ConflictRetry("create table t", LONG, null);
        for (RuntimeException e : new RuntimeException[] {new TableExistsException("table t already exists"),
                new NoSuchTableException("no table t"), new PlacementConflictException("view behind"), new FencedException("fenced")}) {
            assertThatThrownBy(() -> retry.takeException(e)).isSameAs(e);
        }
    }

    @Test
    void anythingElseIsZooKeeperUnavailableNamingTheWrite() {
        ConflictRetry retry = new ConflictRetry("create table t", LONG, null);
        Exception lost = new KeeperException.ConnectionLossException();
        assertThatThrownBy(() -> retry.takeException(lost)).isInstanceOf(ZooKeeperUnavailableException.class)
                .hasMessageStartingWith("cannot create table t: KeeperErrorCode = ConnectionLoss").hasCause(lost);
        Exception corrupt = new CorruptMetadataException("znode /tables/t does not hold a TableSpec", null);
        assertThatThrownBy(() -> retry.takeException(corrupt)).isInstanceOf(ZooKeeperUnavailableException.class).hasCause(corrupt);
    }

    @Test
    void aPauseInterruptedGivesUp() {
        ConflictRetry retry = new ConflictRetry("change placement", LONG, null);
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> retry.takeException(failedAt("/epoch")))
                    .isInstanceOf(PlacementConflictException.class).hasMessageStartingWith("interrupted during change placement");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
