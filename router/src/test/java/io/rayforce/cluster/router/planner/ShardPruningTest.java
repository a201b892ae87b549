package io.rayforce.cluster.router.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.I32Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ShardFunction;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Which shards a where clause can match. */
class ShardPruningTest {
    private static final int N = 8;

    private static TableSpec spec(String key, String keyType) {
        TableSpec.Builder b = TableSpec.newBuilder().setName("t").setShardCount(N)
                .addColumns(ColumnSpec.newBuilder().setName(key.isEmpty() ? "k" : key).setType(keyType))
                .addColumns(ColumnSpec.newBuilder().setName("px").setType("f64"));
        return key.isEmpty() ? b.setReplicatedToAll(true).build() : b.setShardKey(key).build();
    }

    private static final TableSpec BY_SYM = spec("sym", "symbol");

    private static Expr call(String f, Expr... args) {
        return new Call(f, List.of(args));
    }

    private static Expr eq(String column, RayValue v) {
        return call("==", Column.of(column), new Literal(v));
    }

    private static int shardOf(RayValue v) {
        return ShardFunction.shardOf(v, N);
    }

    private static int[] all() {
        return IntStream.range(0, N).toArray();
    }

    @Test
    void noWhereReadsEveryShard() {
        assertThat(ShardPruning.shards(null, BY_SYM)).containsExactly(all());
    }

    @Test
    void anEqualityOnTheKeyReadsItsShardWhicheverSideTheLiteralIsOn() {
        assertThat(ShardPruning.shards(eq("sym", Symbol.of("IBM")), BY_SYM)).containsExactly(shardOf(Symbol.of("IBM")));
        assertThat(ShardPruning.shards(call("==", new Literal(Symbol.of("IBM")), Column.of("sym")), BY_SYM))
                .containsExactly(shardOf(Symbol.of("IBM")));
    }

    @Test
    void anInListReadsTheShardsOfItsValuesInOrder() {
        SymbolVector syms = SymbolVector.of("IBM", "AAPL", "MSFT", "IBM");
        TreeSet<Integer> expected = new TreeSet<>();
        for (int i = 0; i < syms.length(); i++) {
            expected.add(shardOf(syms.at(i)));
        }
        assertThat(ShardPruning.shards(call("in", Column.of("sym"), new Literal(syms)), BY_SYM))
                .containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
        assertThat(ShardPruning.shards(call("in", Column.of("sym"), new Literal(SymbolVector.of())), BY_SYM)).isEmpty();
    }

    @Test
    void anAndReadsTheShardsEveryArmAllows() {
        Expr ibm = eq("sym", Symbol.of("IBM"));
        Expr price = call(">", Column.of("px"), new Literal(F64Atom.of(1.0)));
        assertThat(ShardPruning.shards(call("and", price, ibm), BY_SYM)).containsExactly(shardOf(Symbol.of("IBM")));
        assertThat(ShardPruning.shards(call("and", price, price), BY_SYM)).containsExactly(all());
        // two different keys: only shards holding both could match
        String other = IntStream.range(0, 100).mapToObj(i -> "S" + i)
                .filter(s -> shardOf(Symbol.of(s)) != shardOf(Symbol.of("IBM"))).findFirst().orElseThrow();
        assertThat(ShardPruning.shards(call("and", ibm, eq("sym", Symbol.of(other))), BY_SYM)).isEmpty();
    }

    @Test
    void whatDoesNotFixTheKeyReadsEveryShard() {
        Expr ibm = eq("sym", Symbol.of("IBM"));
        assertThat(ShardPruning.shards(call("or", ibm, ibm), BY_SYM)).containsExactly(all());
        assertThat(ShardPruning.shards(eq("px", F64Atom.of(1.0)), BY_SYM)).containsExactly(all());
        assertThat(ShardPruning.shards(call("==", Column.of("sym"), Column.of("side")), BY_SYM)).containsExactly(all());
        assertThat(ShardPruning.shards(call("==", Column.of("sym"), new Literal(Symbol.of("A")), new Literal(Symbol.of("B"))),
                BY_SYM)).containsExactly(all());
        assertThat(ShardPruning.shards(call("in", Column.of("sym"), new Literal(Symbol.of("IBM"))), BY_SYM))
                .containsExactly(all());
        assertThat(ShardPruning.shards(ibm, spec("", "symbol"))).containsExactly(all());
    }

    @Test
    void aLiteralIsUsedOnlyWhenItHashesLikeTheKeyColumn() {
        assertThat(ShardPruning.shards(eq("sym", F64Atom.of(1.5)), BY_SYM)).containsExactly(all());
        assertThat(ShardPruning.shards(eq("sym", Str.of("IBM")), BY_SYM)).containsExactly(shardOf(Symbol.of("IBM")));
        TableSpec byI32 = spec("id", "i32");
        assertThat(ShardPruning.shards(eq("id", I64Atom.of(42)), byI32)).containsExactly(
                ShardFunction.shardsOf(I32Vector.of(42), N)[0]);
        assertThat(ShardPruning.shards(eq("id", F64Atom.of(42.0)), byI32)).containsExactly(all());
        TableSpec byPx = spec("px2", "f64");
        assertThat(ShardPruning.shards(eq("px2", I64Atom.of(1)), byPx)).containsExactly(all());
        assertThat(ShardPruning.shards(eq("px2", F64Atom.of(-0.0)), byPx)).containsExactly(shardOf(F64Atom.of(0.0)));
    }

    /**
     * Whatever key values the rows hold, a row whose key a pruned where clause asks for lives on
     * one of the shards it reads: pruning never loses a row.
     */
    @Property(tries = 200)
    void aPrunedWhereNeverMissesTheShardOfAMatchingRow(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        boolean ints = r.nextBoolean();
        Vector keys = ints ? I64Vector.of(r.longs(20, -50, 50).toArray())
                : SymbolVector.of(r.ints(20, 0, 30).mapToObj(i -> "s" + i).toArray(String[]::new));
        TableSpec spec = ints ? spec("id", "i64") : spec("sym", "symbol");
        String key = ints ? "id" : "sym";
        int[] rowShard = ShardFunction.shardsOf(keys, N);
        int pick = r.nextInt(keys.length());
        Expr where = r.nextBoolean() ? eq(key, keys.at(pick))
                : call("in", Column.of(key), new Literal(keys.gather(new int[] {pick, r.nextInt(keys.length())})));
        int[] read = ShardPruning.shards(where, spec);
        assertThat(read).contains(rowShard[pick]);
    }
}
