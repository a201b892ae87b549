package io.rayforce.cluster.client.rayfall;

import static io.rayforce.cluster.client.testing.FuzzContract.assertAllocationBounded;
import static io.rayforce.cluster.client.testing.FuzzContract.valueOrClearError;
import static io.rayforce.cluster.client.testing.FuzzContract.withinTime;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rayforce.cluster.client.value.RayValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Fuzzes the Rayfall reader with arbitrary text (the gateway reads every string request with
 * it). Contract: within 10 s, a value or a {@link RayfallSyntaxError} with the engine's code
 * ({@code parse} or {@code domain}) and a position inside the text; memory linear in the text
 * (about 85 bytes per character when warm; the bound is 1 KiB per character because Jazzer's
 * comparison hooks allocate while fuzzing, which still catches anything super-linear); the tree read,
 * printed with {@link RayfallPrinter#printExpression}, reads back to an equal tree (the printer's
 * promise for every tree the reader produces). Seeds: the sources of {@code wire/vectors.tsv}
 * and the query corpora.
 */
class RayfallReaderFuzzTest {
    static final long PER_CHAR = 1024;
    static final long SLACK = 1024 * 1024;

    @FuzzTest
    void readsOrRefuses(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        withinTime(Duration.ofSeconds(10), () -> {
            RayValue v = valueOrClearError(() -> read(text), RayfallSyntaxError.class);
            assertAllocationBounded("reading", text.length(), PER_CHAR, SLACK,
                    () -> valueOrClearError(() -> read(text), RayfallSyntaxError.class));
            if (v != null) {
                String printed = RayfallPrinter.printExpression(v);
                RayValue again = valueOrClearError(() -> RayfallReader.read(printed), RayfallSyntaxError.class);
                if (again == null) {
                    throw new AssertionError("read " + text + " as " + v + " but cannot read its printed form " + printed);
                }
                if (!again.equals(v)) {
                    throw new AssertionError("read " + text + " as " + v + " but its printed form " + printed
                            + " reads back as " + again);
                }
            }
        });
    }

    private static RayValue read(String text) {
        try {
            return RayfallReader.read(text);
        } catch (RayfallSyntaxError e) {
            if (!e.code().equals("parse") && !e.code().equals("domain")) {
                throw new AssertionError("syntax error with code " + e.code(), e);
            }
            if (e.offset() < 0 || e.offset() > text.length() || e.line() < 1 || e.column() < 1) {
                throw new AssertionError("syntax error outside the text: " + e.getMessage(), e);
            }
            throw e;
        }
    }
}
