package io.rayforce.cluster.client.rayfall;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.SymbolVector;
import org.junit.jupiter.api.Test;

/**
 * {@link RayfallPrinter#abbreviated} chooses how to write a symbol vector from the items it shows:
 * the gateway prints every request for its query log, and a load's piece carries hundreds of
 * thousands of symbols (checking each against the name rule took about 0.2 s a piece).
 */
class RayfallPrinterTest {
    @Test
    void anAbbreviatedSymbolVectorIsWrittenFromTheItemsShownOnly() {
        String[] names = new String[100_000];
        for (int i = 0; i < names.length; i++) {
            names[i] = "s" + i;
        }
        names[names.length - 1] = "not plain";
        assertThat(RayfallPrinter.abbreviated(new SymbolVector(names), 3)).isEqualTo("[s0 s1 s2 ... (100000 items)]");
        // printed whole, every symbol decides
        assertThat(RayfallPrinter.print(new SymbolVector(names))).startsWith("(as 'SYM [\"s0\" \"s1\"").endsWith("\"not plain\"])");
        names[1] = "not plain";
        assertThat(RayfallPrinter.abbreviated(new SymbolVector(names), 3))
                .isEqualTo("(as 'SYM [\"s0\" \"not plain\" \"s2\" ... (100000 items)])");
    }
}
