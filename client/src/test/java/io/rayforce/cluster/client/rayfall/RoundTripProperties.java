package io.rayforce.cluster.client.rayfall;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.DateAtom;
import io.rayforce.cluster.client.value.DateVector;
import io.rayforce.cluster.client.value.F32Atom;
import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.GuidAtom;
import io.rayforce.cluster.client.value.I16Atom;
import io.rayforce.cluster.client.value.I16Vector;
import io.rayforce.cluster.client.value.I32Atom;
import io.rayforce.cluster.client.value.I32Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimeAtom;
import io.rayforce.cluster.client.value.TimeVector;
import io.rayforce.cluster.client.value.TimestampAtom;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.client.value.U8Atom;
import io.rayforce.cluster.client.value.U8Vector;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Print then read gives the same tree; read then print then read gives the same tree. */
class RoundTripProperties {
    static final long DAY_NS = 86_400_000_000_000L;

    @Property(tries = 3000)
    void printThenReadGivesTheSameTree(@ForAll("trees") RayValue tree) {
        String text = RayfallPrinter.printExpression(tree);
        assertThat(RayfallReader.read(text)).as(text).isEqualTo(tree);
    }

    @Property(tries = 3000)
    void readThenPrintThenReadGivesTheSameTree(@ForAll("sources") String source) {
        RayValue first;
        try {
            first = RayfallReader.read(source);
        } catch (RayfallSyntaxError e) {
            return;
        }
        String printed = RayfallPrinter.printExpression(first);
        assertThat(RayfallReader.read(printed)).as(source + " printed as " + printed).isEqualTo(first);
    }

    @Provide
    Arbitrary<String> sources() {
        // times of 100 hours or more ("99:99:99") read fine but have no literal to print back
        return Arbitraries.of(java.util.Arrays.stream(RayfallReaderEngineTest.FRAGMENTS)
                        .filter(f -> !f.equals("99:99:99")).toArray(String[]::new)).list().ofMinSize(1).ofMaxSize(12)
                .map(parts -> String.join(" ", parts));
    }

    @Provide
    Arbitrary<RayValue> trees() {
        return trees(3);
    }

    Arbitrary<RayValue> trees(int depth) {
        if (depth == 0) {
            return Arbitraries.oneOf(atoms(), vectors());
        }
        return Arbitraries.oneOf(atoms(), vectors(), lists(depth - 1), dicts(depth - 1));
    }

    Arbitrary<RayValue> lists(int depth) {
        return trees(depth).list().ofMaxSize(4).map(RayList::of);
    }

    Arbitrary<RayValue> dicts(int depth) {
        return Combinators.combine(words().list().ofMinSize(1).ofMaxSize(3), trees(depth).list().ofSize(3))
                .as((keys, vals) -> (RayValue) new RayDict(SymbolVector.of(keys), RayList.of(vals.subList(0, keys.size()))));
    }

    static Arbitrary<String> words() {
        return Arbitraries.strings().withChars("abcXYZ_019.-?*+!<>=#$@%&|^~,/").ofMinLength(1).ofMaxLength(6);
    }

    static Arbitrary<String> names() {
        return words().filter(RayfallPrinter::isNameToken);
    }

    Arbitrary<RayValue> atoms() {
        return Arbitraries.oneOf(List.of(
                Arbitraries.of(BoolAtom.TRUE, BoolAtom.FALSE),
                Arbitraries.integers().between(0, 255).map(U8Atom::of),
                Arbitraries.shorts().map(I16Atom::new),
                Arbitraries.integers().map(I32Atom::new),
                Arbitraries.longs().map(I64Atom::new),
                Arbitraries.floats().filter(f -> !Float.isInfinite(f)).map(F32Atom::new),
                Arbitraries.doubles().filter(d -> !Double.isInfinite(d)).map(F64Atom::new),
                Arbitraries.of(F64Atom.NULL, F32Atom.NULL, I64Atom.NULL, I32Atom.NULL, I16Atom.NULL, DateAtom.NULL,
                        TimeAtom.NULL, TimestampAtom.NULL, GuidAtom.NULL, Symbol.of("")),
                dates().map(DateAtom::new),
                times().map(TimeAtom::new),
                timestamps().map(TimestampAtom::new),
                words().map(Symbol::of),
                names().map(Name::of),
                strings().map(Str::of)));
    }

    static Arbitrary<Integer> dates() {
        return Arbitraries.integers().between(-36_500, 73_000);
    }

    static Arbitrary<Integer> times() {
        return Arbitraries.integers().between(-359_999_999, 359_999_999);
    }

    static Arbitrary<Long> timestamps() {
        return Arbitraries.longs().between(-36_500 * DAY_NS, 73_000 * DAY_NS);
    }

    static Arbitrary<String> strings() {
        return Arbitraries.strings().all().ofMaxLength(8)
                .filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c)));
    }

    Arbitrary<RayValue> vectors() {
        return Arbitraries.oneOf(List.of(
                Arbitraries.longs().array(long[].class).ofMaxSize(4).map(a -> (RayValue) new I64Vector(a)),
                Arbitraries.doubles().filter(d -> !Double.isInfinite(d)).array(double[].class).ofMinSize(1).ofMaxSize(4)
                        .map(F64Vector::new),
                Arbitraries.floats().filter(f -> !Float.isInfinite(f)).array(float[].class).ofMinSize(1).ofMaxSize(4)
                        .map(F32Vector::new),
                Arbitraries.shorts().array(short[].class).ofMinSize(1).ofMaxSize(4).map(I16Vector::new),
                Arbitraries.integers().array(int[].class).ofMinSize(1).ofMaxSize(4).map(I32Vector::new),
                Arbitraries.integers().between(0, 255).array(int[].class).ofMinSize(1).ofMaxSize(4).map(U8Vector::of),
                Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(4).map(l -> {
                    boolean[] b = new boolean[l.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = l.get(i);
                    }
                    return new BoolVector(b);
                }),
                dates().list().ofMinSize(1).ofMaxSize(4).map(l -> new DateVector(l.stream().mapToInt(i -> i).toArray())),
                times().list().ofMinSize(1).ofMaxSize(4).map(l -> new TimeVector(l.stream().mapToInt(i -> i).toArray())),
                timestamps().list().ofMinSize(1).ofMaxSize(4)
                        .map(l -> new TimestampVector(l.stream().mapToLong(i -> i).toArray())),
                Arbitraries.oneOf(words(), Arbitraries.just("")).list().ofMinSize(1).ofMaxSize(4).map(SymbolVector::of),
                strings().list().ofMinSize(1).ofMaxSize(4).map(l -> StringVector.of(l.toArray(String[]::new)))));
    }
}
