package io.rayforce.cluster.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.coordinator.proto.ShardReplicas;
import io.rayforce.cluster.coordinator.proto.WriteIntent;
import io.rayforce.cluster.coordinator.proto.WriteKind;
import io.rayforce.cluster.coordinator.proto.WritePhase;
import io.rayforce.cluster.coordinator.testing.TestZooKeeper;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Table read-write locks and write intents on a real ZooKeeper: readers share a table and exclude
 * writers, a writer excludes readers, waits are bounded and name the table; an intent is owned by
 * its writer's session, becomes an orphan when that session ends or the writer abandons it, and
 * can no longer be changed by a writer that lost it. Prints what the locks and intents cost per
 * read and per write on loopback.
 */
class TableLocksAndIntentsTest {

    @Test
    void readersShareATableAndAWriterExcludesThem() throws Exception {
        String cluster = TestZooKeeper.freshCluster();
        try (ClusterConnection a = TestZooKeeper.connect(cluster); ClusterConnection b = TestZooKeeper.connect(cluster)) {
            TableLocks locksA = new TableLocks(a.curator());
            TableLocks locksB = new TableLocks(b.curator());
            TableLock readA = locksA.readAll(List.of("trades", "quotes"), Duration.ofSeconds(5));
            try (TableLock readB = locksB.readAll(List.of("trades"), Duration.ofSeconds(1))) {
                assertThat(readB).as("readers share").isNotNull();
            }
            assertThatThrownBy(() -> locksB.write("trades", Duration.ofMillis(300)))
                    .isInstanceOf(TimeoutException.class).hasMessageContaining("write lock of table trades");
            try (TableLock other = locksB.write("orders", Duration.ofSeconds(1))) {
                assertThat(other).as("another table is independent").isNotNull();
            }
            // a writer waiting behind the reader gets the table as soon as the reader lets go; it takes and
            // releases its lock on one thread (Curator's locks are owned by a thread)
            ExecutorService writerThread = Executors.newSingleThreadExecutor();
            try {
                Future<TableLock> writer = writerThread.submit(() -> locksB.write("trades", Duration.ofSeconds(10)));
                Thread.sleep(200);
                assertThat(writer).isNotDone();
                readA.close();
                readA.close();
                TableLock write = writer.get(10, TimeUnit.SECONDS);
                assertThatThrownBy(() -> locksA.readAll(List.of("quotes", "trades"), Duration.ofMillis(300)))
                        .isInstanceOf(TimeoutException.class).hasMessageContaining("read lock of table trades");
                // the failed readAll released the quotes lock it had taken: a writer gets quotes at once
                assertThat(writerThread.submit(() -> {
                    try (TableLock q = locksB.write("quotes", Duration.ofMillis(500))) {
                        return q != null;
                    }
                }).get(10, TimeUnit.SECONDS)).isTrue();
                writerThread.submit(write::close).get(10, TimeUnit.SECONDS);
            } finally {
                writerThread.shutdownNow();
            }
            try (TableLock r = locksA.readAll(List.of("trades"), Duration.ofSeconds(1))) {
                assertThat(r).as("readers get the table once the writer is done").isNotNull();
            }
        }
    }

    @Test
    void aWriteLockOfADeadSessionIsReleased() throws Exception {
        String cluster = TestZooKeeper.freshCluster();
        try (ClusterConnection reader = TestZooKeeper.connect(cluster)) {
            ClusterConnection writer = TestZooKeeper.connect(cluster);
            new TableLocks(writer.curator()).write("t", Duration.ofSeconds(5));
            assertThatThrownBy(() -> new TableLocks(reader.curator()).readAll(List.of("t"), Duration.ofMillis(200)))
                    .isInstanceOf(TimeoutException.class);
            writer.close(); // the session ends, and its lock znode with it
            try (TableLock r = new TableLocks(reader.curator()).readAll(List.of("t"), Duration.ofSeconds(5))) {
                assertThat(r).isNotNull();
            }
        }
    }

    private static WriteIntent intent(String table) {
        return WriteIntent.newBuilder().setTable(table).setCreatedEpoch(3).setKind(WriteKind.APPEND).setStatement("insert")
                .setSeqFirst(10).setSeqLast(19).addShards(ShardReplicas.newBuilder().setShard(2).addNodes("n0").addNodes("n1"))
                .setRouterId("test").build();
    }

    @Test
    void anIntentIsOwnedByItsWritersSessionAndOrphanedWhenItEnds() throws Exception {
        String cluster = TestZooKeeper.freshCluster();
        try (ClusterConnection other = TestZooKeeper.connect(cluster)) {
            WriteIntents seen = new WriteIntents(other.curator());
            assertThat(seen.any("t")).isFalse();
            assertThat(seen.list("t")).isEmpty();
            ClusterConnection writer = TestZooKeeper.connect(cluster);
            WriteIntents mine = new WriteIntents(writer.curator());
            WriteIntents.Stored first = mine.create(intent("t"));
            assertThat(first.intent().getStagingSuffix()).isEqualTo(WriteIntents.stagingSuffix(first.number()));
            assertThat(first.intent().getPhase()).isEqualTo(WritePhase.PREPARED);
            WriteIntents.Stored second = mine.create(intent("t"));
            assertThat(second.number()).isGreaterThan(first.number());
            assertThat(seen.any("t")).isTrue();
            List<WriteIntents.Stored> listed = seen.list("t");
            assertThat(listed).extracting(WriteIntents.Stored::name).containsExactly(first.name(), second.name());
            assertThat(listed).allMatch(WriteIntents.Stored::owned);
            assertThat(listed.get(0).intent()).isEqualTo(first.intent());

            WriteIntents.Stored committed = mine.update(first, first.intent().toBuilder().setPhase(WritePhase.COMMITTED)
                    .addStaged(ShardReplicas.newBuilder().setShard(2).addNodes("n1")).build());
            assertThat(seen.list("t").get(0).intent().getPhase()).isEqualTo(WritePhase.COMMITTED);
            mine.complete(committed);
            assertThat(seen.list("t")).extracting(WriteIntents.Stored::name).containsExactly(second.name());

            writer.close(); // the writer dies: its intent is an orphan
            await().atMost(Duration.ofSeconds(10)).until(() -> !seen.list("t").get(0).owned());
            WriteIntents.Stored orphan = seen.list("t").get(0);
            assertThat(orphan.intent()).isEqualTo(second.intent());
            seen.delete(orphan);
            seen.delete(orphan);
            assertThat(seen.any("t")).isFalse();
        }
    }

    @Test
    void aWriterThatLostItsIntentCannotChangeIt() throws Exception {
        String cluster = TestZooKeeper.freshCluster();
        try (ClusterConnection writer = TestZooKeeper.connect(cluster); ClusterConnection other = TestZooKeeper.connect(cluster)) {
            WriteIntents mine = new WriteIntents(writer.curator());
            WriteIntents seen = new WriteIntents(other.curator());
            WriteIntents.Stored abandoned = mine.create(intent("t"));
            mine.abandon(abandoned);
            assertThat(seen.list("t")).singleElement().matches(s -> !s.owned());
            assertThatThrownBy(() -> mine.update(abandoned, abandoned.intent().toBuilder().setPhase(WritePhase.COMMITTED).build()))
                    .isInstanceOf(IntentLostException.class).hasMessageContaining(abandoned.name());
            assertThatThrownBy(() -> mine.complete(abandoned)).isInstanceOf(IntentLostException.class);
            assertThat(seen.list("t").get(0).intent().getPhase()).as("unchanged").isEqualTo(WritePhase.PREPARED);

            WriteIntents.Stored expired = mine.create(intent("u"));
            TestZooKeeper.expireSession(writer.curator(), TestZooKeeper.connectString());
            await().atMost(Duration.ofSeconds(10)).until(() -> !seen.list("u").get(0).owned());
            assertThatThrownBy(() -> mine.complete(expired)).isInstanceOf(IntentLostException.class);
            seen.delete(seen.list("u").get(0));
            assertThat(seen.any("u")).isFalse();
        }
    }

    @Test
    void whatLocksAndIntentsCostOnLoopback() throws Exception {
        String cluster = TestZooKeeper.freshCluster();
        try (ClusterConnection c = TestZooKeeper.connect(cluster)) {
            TableLocks locks = new TableLocks(c.curator());
            WriteIntents intents = new WriteIntents(c.curator());
            int n = 200;
            long[] read = new long[n];
            long[] write = new long[n];
            for (int i = 0; i < n + 50; i++) {
                long t0 = System.nanoTime();
                try (TableLock r = locks.readAll(List.of("t"), Duration.ofSeconds(5))) {
                    assertThat(intents.any("t")).isFalse();
                }
                long t1 = System.nanoTime();
                try (TableLock w = locks.write("t", Duration.ofSeconds(5))) {
                    assertThat(intents.list("t")).isEmpty();
                    WriteIntents.Stored s = intents.create(intent("t"));
                    intents.complete(s);
                }
                long t2 = System.nanoTime();
                if (i >= 50) {
                    read[i - 50] = t1 - t0;
                    write[i - 50] = t2 - t1;
                }
            }
            Arrays.sort(read);
            Arrays.sort(write);
            System.out.printf("table lock cost on loopback: per read (read lock, intent check, release) median %.2f ms, "
                    + "p90 %.2f ms; per write (write lock, intent list, create, delete, release) median %.2f ms, p90 %.2f ms%n",
                    read[n / 2] / 1e6, read[n * 9 / 10] / 1e6, write[n / 2] / 1e6, write[n * 9 / 10] / 1e6);
            assertThat(read[n / 2]).as("a read's lock round trips take less than a write's").isLessThan(write[n / 2]);
        }
    }
}
