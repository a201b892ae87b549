package io.rayforce.cluster.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.testing.TestZooKeeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LocksAndSequencesTest {

    @Test
    void aShardLockExcludesOtherProcessesUntilReleased() throws Exception {
        String cluster = TestZooKeeper.freshCluster();
        try (ClusterConnection a = TestZooKeeper.connect(cluster); ClusterConnection b = TestZooKeeper.connect(cluster)) {
            ShardLocks locksA = new ShardLocks(a.curator());
            ShardLocks locksB = new ShardLocks(b.curator());
            ShardLock held = locksA.lock("trades", 3, Duration.ofSeconds(5));
            assertThatThrownBy(() -> locksB.lock("trades", 3, Duration.ofMillis(200)))
                    .isInstanceOf(TimeoutException.class).hasMessageContaining("trades/3");
            try (ShardLock other = locksB.lock("trades", 4, Duration.ofSeconds(1))) {
                assertThat(other).isNotNull(); // another shard is independent
            }
            held.close();
            held.close();
            try (ShardLock mine = locksB.lock("trades", 3, Duration.ofSeconds(1))) {
                assertThat(mine).isNotNull();
            }
        }
    }

    @Test
    void overlappingMultiShardLocksNeverDeadlockAndAreExclusive() throws Exception {
        String cluster = TestZooKeeper.freshCluster();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<ClusterConnection> conns = new ArrayList<>();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                ClusterConnection c = TestZooKeeper.connect(cluster);
                conns.add(c);
                ShardLocks locks = new ShardLocks(c.curator());
                boolean reversed = t % 2 == 1;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        List<ShardRef> shards = new ArrayList<>(List.of(new ShardRef("t", 1), new ShardRef("t", 2), new ShardRef("u", 0)));
                        if (reversed) {
                            Collections.reverse(shards);
                        }
                        try (ShardLock l = locks.lockAll(shards, Duration.ofSeconds(20))) {
                            int n = inside.incrementAndGet();
                            maxInside.accumulateAndGet(n, Math::max);
                            Thread.sleep(2);
                            inside.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            conns.forEach(ClusterConnection::close);
        }
        assertThat(maxInside.get()).isEqualTo(1);
    }

    @Test
    void concurrentReservationsAreDisjointAndGapless() throws Exception {
        String cluster = TestZooKeeper.freshCluster();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<ClusterConnection> conns = new ArrayList<>();
        List<Future<List<long[]>>> fs = new ArrayList<>();
        try {
            for (int t = 0; t < 6; t++) {
                ClusterConnection c = TestZooKeeper.connect(cluster);
                conns.add(c);
                RowSequences seq = new RowSequences(c.curator());
                int count = t + 1;
                fs.add(pool.submit(() -> {
                    List<long[]> ranges = new ArrayList<>();
                    for (int i = 0; i < 15; i++) {
                        ranges.add(new long[] {seq.reserve("trades", count), count});
                    }
                    return ranges;
                }));
            }
            boolean[] used = new boolean[15 * (1 + 2 + 3 + 4 + 5 + 6)];
            for (Future<List<long[]>> f : fs) {
                for (long[] r : f.get()) {
                    for (long x = r[0]; x < r[0] + r[1]; x++) {
                        assertThat(used[(int) x]).as("number %d handed out twice", x).isFalse();
                        used[(int) x] = true;
                    }
                }
            }
            for (boolean u : used) {
                assertThat(u).isTrue();
            }
            assertThat(new RowSequences(conns.get(0).curator()).peek("trades")).isEqualTo(used.length);
            assertThat(new RowSequences(conns.get(0).curator()).reserve("other", 5)).isZero();
        } finally {
            pool.shutdownNow();
            conns.forEach(ClusterConnection::close);
        }
    }
}
