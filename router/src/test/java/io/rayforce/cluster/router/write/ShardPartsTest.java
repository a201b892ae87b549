package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.meta.ShardFunction;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Rows split by shard: each row in its key's shard, once, in its order; empty shards have no part; one shard keeps the rows whole. */
class ShardPartsTest {

    @Test
    void everyRowGoesToItsKeysShardOnceAndInOrder() {
        SplittableRandom r = new SplittableRandom(3);
        for (int round = 0; round < 50; round++) {
            int n = r.nextInt(0, 2_000);
            int shards = r.nextInt(1, 17);
            String[] keys = new String[n];
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = "K" + r.nextInt(1 + r.nextInt(40));
                ids[i] = i;
            }
            RayTable rows = RayTable.builder().column("k", new SymbolVector(keys)).column("id", new I64Vector(ids)).build();
            TableSpec spec = TableSpec.newBuilder().setName("t").setShardKey("k").setShardCount(shards).build();
            List<ShardParts.Part> parts = ShardParts.split(spec, rows);
            List<Long> seen = new ArrayList<>();
            int lastShard = -1;
            for (ShardParts.Part p : parts) {
                assertThat(p.shard()).isGreaterThan(lastShard).isLessThan(shards);
                lastShard = p.shard();
                assertThat(p.rows().rowCount()).isPositive().isEqualTo(p.positions().length);
                I64Vector id = (I64Vector) p.rows().column("id");
                for (int i = 0; i < p.positions().length; i++) {
                    assertThat(id.get(i)).isEqualTo(p.positions()[i]);
                    assertThat(ShardFunction.shardOf(Symbol.of(keys[(int) id.get(i)]), shards)).isEqualTo(p.shard());
                    if (i > 0) {
                        assertThat(p.positions()[i]).isGreaterThan(p.positions()[i - 1]);
                    }
                    seen.add(id.get(i));
                }
                if (parts.size() == 1) {
                    assertThat(p.rows()).isSameAs(rows);
                }
            }
            assertThat(seen).hasSize(n).doesNotHaveDuplicates();
        }
    }

    @Test
    void eachRowIsSequencedByItsPlaceInTheWhole() {
        long[] ids = new long[300];
        String[] keys = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
            keys[i] = "K" + (i * 7 % 23);
        }
        RayTable rows = RayTable.builder().column("k", new SymbolVector(keys)).column("id", new I64Vector(ids)).build();
        TableSpec spec = TableSpec.newBuilder().setName("t").setShardKey("k").setShardCount(5).build();
        var sequenced = ShardParts.sequenced(ShardParts.split(spec, rows), 1_000);
        assertThat(new ArrayList<>(sequenced.keySet())).isSorted();
        int total = 0;
        for (var e : sequenced.entrySet()) {
            RayTable part = e.getValue();
            assertThat(part.columnNames()).containsExactly("k", "id", "__seq");
            I64Vector id = (I64Vector) part.column("id");
            I64Vector seq = (I64Vector) part.column("__seq");
            for (int i = 0; i < part.rowCount(); i++) {
                assertThat(seq.get(i)).isEqualTo(1_000 + id.get(i));
                assertThat(ShardFunction.shardOf(Symbol.of(keys[(int) id.get(i)]), 5)).isEqualTo(e.getKey());
            }
            total += part.rowCount();
        }
        assertThat(total).isEqualTo(ids.length);
    }
}
