package io.rayforce.cluster.client.value;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;

/** {@code toString()} of values: Rayfall text, long vectors abbreviated. */
final class Printing {
    static final int MAX_ITEMS = 20;

    private Printing() {
    }

    static String text(RayValue v) {
        return RayfallPrinter.abbreviated(v, MAX_ITEMS);
    }
}
