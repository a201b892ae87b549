package io.rayforce.cluster.node;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as operators write them: {@code 4G}, {@code 512M}, {@code 64K}, {@code 1T} (powers of 1024) or a plain byte count. */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]?)(I?B)?");

    private ByteSize() {
    }

    /** Parses a size; fails with a message showing the accepted forms. */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid size '" + text + "': use a byte count or a number with K, M, G or T (e.g. 4G)");
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("size '" + text + "' is too large");
        }
        return n << shift;
    }
}
