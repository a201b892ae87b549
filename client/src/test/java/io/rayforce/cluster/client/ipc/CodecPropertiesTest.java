package io.rayforce.cluster.client.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.RayforceProtocolError;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.SymbolVector;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Encode/decode properties of the value codec, and its contract on hostile bytes. */
class CodecPropertiesTest {

    @Provide
    Arbitrary<java.util.List<String>> symbolLists() {
        return symbol().list().ofMaxSize(200);
    }

    Arbitrary<String> symbol() {
        Arbitrary<String> shortAscii = Arbitraries.strings().ascii().ofMaxLength(7).map(s -> s.replace("\0", ""));
        Arbitrary<String> anyLength = Arbitraries.strings().ofMaxLength(40).map(s -> s.replace("\0", ""));
        return Arbitraries.oneOf(shortAscii, anyLength, Arbitraries.of("", "AAPL", "日本", "a b", "12345678"));
    }

    @Property(tries = 300)
    void symbolVectorsRoundTrip(@ForAll("symbolLists") java.util.List<String> names) {
        SymbolVector v = SymbolVector.of(names);
        assertThat(ValueReader.read(ValueWriter.payload(v))).isEqualTo(v);
    }

    @Property(tries = 100)
    void stringVectorsRoundTrip(@ForAll java.util.List<String> values) {
        StringVector v = StringVector.of(values.toArray(new String[0]));
        assertThat(ValueReader.read(ValueWriter.payload(v))).isEqualTo(v);
    }

    @Test
    void moreDistinctSymbolsThanTheCacheHolds() {
        String[] names = new String[200_000];
        for (int i = 0; i < names.length; i++) {
            names[i] = (i % 2 == 0 ? "s" : "long_symbol_name_") + i;
        }
        SymbolVector v = new SymbolVector(names);
        assertThat(ValueReader.read(ValueWriter.payload(v))).isEqualTo(v);
    }

    /** Hostile input: a clear protocol error or a value, never another exception. */
    @Property(tries = 5000)
    void garbagePayloadsGiveAValueOrAProtocolError(@ForAll byte[] garbage) {
        try {
            RayValue v = ValueReader.read(garbage);
            assertThat(v).isNotNull();
        } catch (RayforceProtocolError expected) {
            assertThat(expected.getMessage()).startsWith("malformed payload at byte");
        }
    }
}
