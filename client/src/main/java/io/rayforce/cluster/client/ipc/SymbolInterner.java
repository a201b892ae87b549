package io.rayforce.cluster.client.ipc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads NUL-terminated symbols and shares one String per distinct symbol within a payload, so a
 * column of millions of repeated symbols holds a handful of strings. Symbols of up to 7 bytes
 * (most tickers and codes) are found with one 64-bit read: the NUL is located with a word-wide
 * zero-byte test and the bytes before it are the table key. Longer symbols use a table keyed by
 * their bytes. Each table stops caching (but decoding goes on) past {@link #MAX_ENTRIES} entries,
 * and a lookup gives up after {@link #MAX_PROBES} slots and returns a fresh string: a payload of
 * symbols crafted to share one hash (easy for a 31-based string hash) would otherwise make every
 * lookup walk one long cluster (65,536 such symbols in 2 MB took 20 s).
 */
final class SymbolInterner {
    private static final int MAX_ENTRIES = 1 << 16;
    /** Slots a lookup visits before it stops trying to share the string. */
    static final int MAX_PROBES = 16;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    // symbols of at most 7 bytes, keyed by their bytes as a little-endian word (unique, as symbols hold no NUL)
    private long[] shortKeys = new long[64];
    private String[] shortValues = new String[64];
    private int shortSize;

    // longer symbols
    private byte[][] keys = new byte[16][];
    private int[] hashes = new int[16];
    private String[] values = new String[16];
    private int size;

    /** Index of the NUL that ended the last symbol read. */
    int end;
    /** Index of the first byte after the symbols {@link #readAll} read. */
    int next;

    /**
     * Reads the symbols starting at {@code start} in {@code a} into {@code out}, from
     * {@code index} on, until {@code out} has {@code max} or a symbol's NUL does not come before
     * {@code limit}; returns the new index and sets {@link #next} past the last symbol read. One
     * loop for the bulk of a symbol column: a short symbol already seen costs one word read and
     * one table slot.
     */
    int readAll(byte[] a, int start, int limit, String[] out, int index, int max) {
        int p = start;
        while (index < max) {
            if (limit - p >= 8) {
                long w = (long) LONG_LE.get(a, p);
                long zeros = (w - ONES) & ~w & HIGHS;
                if (zeros != 0) {
                    int len = Long.numberOfTrailingZeros(zeros) >>> 3;
                    long key = w & ((1L << (len << 3)) - 1);
                    int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & (shortKeys.length - 1);
                    String v = shortValues[slot];
                    if (v == null || shortKeys[slot] != key) {
                        v = readShort(key, a, p, len);
                    }
                    out[index++] = v;
                    p += len + 1;
                    continue;
                }
            }
            String s = read(a, p, limit);
            if (s == null) {
                break;
            }
            out[index++] = s;
            p = end + 1;
        }
        next = p;
        return index;
    }

    /**
     * The symbol starting at {@code start} in {@code a}, whose NUL must come before
     * {@code limit}; sets {@link #end} to the NUL's index. Returns null when there is no NUL.
     */
    String read(byte[] a, int start, int limit) {
        if (limit - start >= 8) {
            long w = (long) LONG_LE.get(a, start);
            long zeros = (w - ONES) & ~w & HIGHS;
            if (zeros != 0) {
                int len = Long.numberOfTrailingZeros(zeros) >>> 3;
                end = start + len;
                return readShort(len == 0 ? 0 : w & (-1L >>> (64 - 8 * len)), a, start, len);
            }
        }
        int h = 0;
        int i = start;
        while (i < limit) {
            byte b = a[i];
            if (b == 0) {
                break;
            }
            h = 31 * h + b;
            i++;
        }
        if (i == limit) {
            return null;
        }
        end = i;
        return readLong(h ^ (h >>> 16), a, start, i);
    }

    private String readShort(long key, byte[] a, int start, int len) {
        int mask = shortKeys.length - 1;
        int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        for (int probes = 0; ; probes++) {
            String v = shortValues[slot];
            if (probes == MAX_PROBES) {
                return new String(a, start, len, StandardCharsets.UTF_8);
            }
            if (v == null) {
                String s = new String(a, start, len, StandardCharsets.UTF_8);
                if (shortSize < MAX_ENTRIES) {
                    shortKeys[slot] = key;
                    shortValues[slot] = s;
                    if (++shortSize * 2 > shortKeys.length) {
                        growShort();
                    }
                }
                return s;
            }
            if (shortKeys[slot] == key) {
                return v;
            }
            slot = (slot + 1) & mask;
        }
    }

    private String readLong(int h, byte[] a, int start, int endExclusive) {
        int len = endExclusive - start;
        int mask = keys.length - 1;
        for (int slot = h & mask, probes = 0; ; slot = (slot + 1) & mask, probes++) {
            byte[] k = keys[slot];
            if (probes == MAX_PROBES) {
                return new String(a, start, len, StandardCharsets.UTF_8);
            }
            if (k == null) {
                String s = new String(a, start, len, StandardCharsets.UTF_8);
                if (size < MAX_ENTRIES) {
                    keys[slot] = Arrays.copyOfRange(a, start, endExclusive);
                    hashes[slot] = h;
                    values[slot] = s;
                    if (++size * 2 > keys.length) {
                        growLong();
                    }
                }
                return s;
            }
            if (hashes[slot] == h && k.length == len && Arrays.equals(k, 0, len, a, start, endExclusive)) {
                return values[slot];
            }
        }
    }

    private void growShort() {
        long[] oldKeys = shortKeys;
        String[] oldValues = shortValues;
        shortKeys = new long[oldKeys.length * 2];
        shortValues = new String[oldKeys.length * 2];
        int mask = shortKeys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] == null) {
                continue;
            }
            int slot = (int) ((oldKeys[i] * 0x9E3779B97F4A7C15L) >>> 40) & mask;
            while (shortValues[slot] != null) {
                slot = (slot + 1) & mask;
            }
            shortKeys[slot] = oldKeys[i];
            shortValues[slot] = oldValues[i];
        }
    }

    private void growLong() {
        byte[][] oldKeys = keys;
        int[] oldHashes = hashes;
        String[] oldValues = values;
        int cap = oldKeys.length * 2;
        keys = new byte[cap][];
        hashes = new int[cap];
        values = new String[cap];
        int mask = cap - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] == null) {
                continue;
            }
            int slot = oldHashes[i] & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = oldKeys[i];
            hashes[slot] = oldHashes[i];
            values[slot] = oldValues[i];
        }
    }
}
