package io.rayforce.cluster.client.ipc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Shares one String per distinct symbol within a payload, so a column of a million repeated
 * symbols holds a handful of strings. An open-addressing table keyed by the raw bytes; it stops
 * caching (but keeps decoding) once it holds {@link #MAX_ENTRIES} distinct symbols.
 */
final class SymbolInterner {
    private static final int MAX_ENTRIES = 1 << 16;

    private byte[][] keys = new byte[64][];
    private String[] values = new String[64];
    private int size;

    String intern(ByteBuffer in, int start, int end) {
        int len = end - start;
        int h = 1;
        for (int i = start; i < end; i++) {
            h = 31 * h + in.get(i);
        }
        h ^= h >>> 16;
        int mask = keys.length - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            byte[] k = keys[slot];
            if (k == null) {
                String s = decode(in, start, len);
                if (size < MAX_ENTRIES) {
                    byte[] copy = new byte[len];
                    in.get(start, copy);
                    keys[slot] = copy;
                    values[slot] = s;
                    if (++size * 2 > keys.length) {
                        grow();
                    }
                }
                return s;
            }
            if (k.length == len && same(k, in, start)) {
                return values[slot];
            }
        }
    }

    private static boolean same(byte[] k, ByteBuffer in, int start) {
        if (in.hasArray()) {
            int off = in.arrayOffset() + start;
            return Arrays.equals(k, 0, k.length, in.array(), off, off + k.length);
        }
        for (int i = 0; i < k.length; i++) {
            if (k[i] != in.get(start + i)) {
                return false;
            }
        }
        return true;
    }

    private static String decode(ByteBuffer in, int start, int len) {
        if (in.hasArray()) {
            return new String(in.array(), in.arrayOffset() + start, len, StandardCharsets.UTF_8);
        }
        byte[] b = new byte[len];
        in.get(start, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private void grow() {
        byte[][] oldKeys = keys;
        String[] oldValues = values;
        keys = new byte[oldKeys.length * 2][];
        values = new String[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            byte[] k = oldKeys[i];
            if (k == null) {
                continue;
            }
            int h = 1;
            for (byte b : k) {
                h = 31 * h + b;
            }
            h ^= h >>> 16;
            int slot = h & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = k;
            values[slot] = oldValues[i];
        }
    }
}
