package io.rayforce.cluster.client.rayfall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.value.F32Atom;
import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The reader alone: trees, positions of errors, depth, and no exception but RayfallSyntaxError. */
class RayfallReaderTest {
    @Test
    void readsNamesSymbolsCallsVectorsAndDicts() {
        assertThat(RayfallReader.read("(select {from: t where: (== sym 'A)})")).isEqualTo(RayList.of(Name.of("select"),
                new RayDict(SymbolVector.of("from", "where"), RayList.of(Name.of("t"),
                        RayList.of(Name.of("=="), Name.of("sym"), Symbol.of("A"))))));
        assertThat(RayfallReader.read("[1 2.5]")).isEqualTo(F64Vector.of(1.0, 2.5));
        assertThat(RayfallReader.read("1 ; comment\n 2")).isEqualTo(RayList.of(Name.of("do"), I64Atom.of(1), I64Atom.of(2)));
    }

    @Test
    void negativeZeroKeepsItsSignThroughPrintAndRead() {
        for (var v : java.util.List.of(new F32Atom(-0.0f), new F64Atom(-0.0), F32Vector.of(-0.0f, 1.5f), F64Vector.of(1.0, -0.0))) {
            String text = RayfallPrinter.printExpression(v);
            assertThat(text).contains("-0.0");
            assertThat(RayfallReader.read(text)).as(text).isEqualTo(v);
        }
    }

    @Test
    void errorsNameTheProblemAndItsPosition() {
        assertThatThrownBy(() -> RayfallReader.read("(+ 1\n  (* 2 3)"))
                .isInstanceOfSatisfying(RayfallSyntaxError.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.column()).isEqualTo(1);
                    assertThat(e.code()).isEqualTo("parse");
                    assertThat(e.getMessage()).contains("line 1, column 1").contains("'(' is never closed");
                });
        assertThatThrownBy(() -> RayfallReader.read("(a)\n  (b c))"))
                .isInstanceOfSatisfying(RayfallSyntaxError.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(8);
                    assertThat(e.offset()).isEqualTo(11);
                    assertThat(e.reason()).contains("unmatched ')'");
                });
        assertThatThrownBy(() -> RayfallReader.read("[1 2 a]"))
                .isInstanceOfSatisfying(RayfallSyntaxError.class, e -> {
                    assertThat(e.code()).isEqualTo("domain");
                    assertThat(e.column()).isEqualTo(6);
                    assertThat(e.reason()).contains("mixes i64 and symbol");
                });
        assertThatThrownBy(() -> RayfallReader.read("{a: 1 b}")).hasMessageContaining("expected ':' after the dict key");
        assertThatThrownBy(() -> RayfallReader.read("\"abc")).hasMessageContaining("string is never closed");
        assertThatThrownBy(() -> RayfallReader.read("  ")).hasMessageContaining("empty source");
        assertThatThrownBy(() -> RayfallReader.read("0Nx")).hasMessageContaining("unknown null literal '0Nx'");
        assertThatThrownBy(() -> RayfallReader.read("2024.13.01")).hasMessageContaining("month 13 is out of range");
    }

    @Test
    void nestingIsCappedWithAClearError() {
        String ok = "(".repeat(RayfallReader.MAX_DEPTH) + "1" + ")".repeat(RayfallReader.MAX_DEPTH);
        assertThat(RayfallReader.read(ok)).isInstanceOf(RayList.class);
        String deep = "[".repeat(100_000);
        assertThatThrownBy(() -> RayfallReader.read(deep)).isInstanceOf(RayfallSyntaxError.class)
                .hasMessageContaining("nesting deeper than 512");
    }

    @Property(tries = 2000)
    void anyTextReadsOrFailsWithASyntaxError(@ForAll @StringLength(max = 40) String text) {
        try {
            assertThat(RayfallReader.read(text)).isNotNull();
        } catch (RayfallSyntaxError e) {
            assertThat(e.line()).isPositive();
            assertThat(e.column()).isPositive();
            assertThat(e.offset()).isBetween(0, text.length());
        }
    }

    @Property(tries = 2000)
    void anyBracketSoupReadsOrFailsWithASyntaxError(@ForAll("soup") String text) {
        try {
            RayfallReader.read(text);
        } catch (RayfallSyntaxError e) {
            assertThat(e.getMessage()).startsWith("Rayfall syntax error at line");
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> soup() {
        return net.jqwik.api.Arbitraries.strings().withChars("()[]{}'\":;\\ \n1a-.eDx0N").ofMaxLength(60);
    }
}
