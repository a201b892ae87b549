package io.rayforce.cluster.coordinator.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I32Atom;
import io.rayforce.cluster.client.value.I32Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ShardFunctionTest {

    @Property
    void vectorAndAtomAgree(@ForAll long[] keys, @ForAll("counts") int shards) {
        int[] got = ShardFunction.shardsOf(new I64Vector(keys), shards);
        for (int i = 0; i < keys.length; i++) {
            assertThat(got[i]).isEqualTo(ShardFunction.shardOf(new I64Atom(keys[i]), shards)).isBetween(0, shards - 1);
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> counts() {
        return net.jqwik.api.Arbitraries.integers().between(1, 4096);
    }

    @Test
    void integerKeysHashByValueWhateverTheirWidth() {
        assertThat(ShardFunction.shardOf(new I64Atom(42), 16)).isEqualTo(ShardFunction.shardOf(new I32Atom(42), 16));
        assertThat(ShardFunction.shardsOf(I32Vector.of(1, 2, 3), 7)).containsExactly(ShardFunction.shardsOf(I64Vector.of(1, 2, 3), 7));
        assertThat(ShardFunction.shardOf(Symbol.of("AAPL"), 16)).isEqualTo(ShardFunction.shardOf(Str.of("AAPL"), 16));
        assertThat(ShardFunction.shardOf(new F64Atom(-0.0), 16)).isEqualTo(ShardFunction.shardOf(new F64Atom(0.0), 16));
        assertThat(ShardFunction.shardsOf(F64Vector.of(-0.0), 16)[0]).isEqualTo(ShardFunction.shardOf(new F64Atom(0.0), 16));
    }

    /** The function is part of the on-disk layout: these values must never change. */
    @Test
    void fixedValues() {
        assertThat(ShardFunction.hash(new I64Atom(0))).isEqualTo(0L);
        assertThat(ShardFunction.shardsOf(SymbolVector.of("AAPL", "MSFT", "GOOG", "IBM"), 8))
                .containsExactly(ShardFunction.shardOf(Symbol.of("AAPL"), 8), ShardFunction.shardOf(Symbol.of("MSFT"), 8),
                        ShardFunction.shardOf(Symbol.of("GOOG"), 8), ShardFunction.shardOf(Symbol.of("IBM"), 8));
        assertThat(ShardFunction.hash(new I64Atom(1))).isEqualTo(0xb456bcfc34c2cb2cL);
        assertThat(ShardFunction.hash(Symbol.of("AAPL"))).isEqualTo(0x59abe90c82fc3687L);
        assertThat(ShardFunction.shardOf(Symbol.of("AAPL"), 8)).isEqualTo(7);
        assertThat(ShardFunction.shardOf(new I64Atom(123456789), 100)).isEqualTo(22);
        // FNV-1a over the UTF-8 bytes (non-ASCII names, an ASCII prefix before one, the null symbol)
        assertThat(ShardFunction.hash(Symbol.of("Zürich"))).isEqualTo(0x24b22821293c05d0L);
        assertThat(ShardFunction.hash(Symbol.of("a€b"))).isEqualTo(0x74aa23e060b55599L);
        assertThat(ShardFunction.hash(Symbol.of("日本"))).isEqualTo(0x1230c55089fe4e43L);
        assertThat(ShardFunction.hash(Symbol.of(""))).isEqualTo(0xefd01f60ba992926L);
    }

    /** A column of repeated symbols (each remembered once per call) gets the shard of each value. */
    @Test
    void aSymbolColumnGetsEachValuesShard() {
        String[] names = new String[100_000];
        for (int i = 0; i < names.length; i++) {
            names[i] = (i % 3 == 0 ? "é" : "S") + (i % 70_001); // more distinct names than are remembered
        }
        int[] shards = ShardFunction.shardsOf(new SymbolVector(names), 7);
        for (int i = 0; i < names.length; i++) {
            assertThat(shards[i]).isEqualTo(ShardFunction.shardOf(Symbol.of(names[i]), 7));
        }
    }

    @Test
    void spreadsKeysEvenly() {
        int shards = 16;
        int[] counts = new int[shards];
        long[] keys = new long[160_000];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = i;
        }
        for (int s : ShardFunction.shardsOf(new I64Vector(keys), shards)) {
            counts[s]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(9_000, 11_000);
        }
    }

    @Test
    void refusesKeysThatCannotShard() {
        assertThatThrownBy(() -> ShardFunction.shardsOf(RayList.EMPTY, 4)).hasMessageContaining("list column cannot be a shard key");
    }
}
