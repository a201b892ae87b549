package io.rayforce.cluster.router.load;

/**
 * Interns symbol text read as characters without making a string for a symbol seen before:
 * a column of a few thousand distinct symbols over millions of rows then holds one string per
 * symbol. Past {@link #MAX} distinct symbols it stops remembering new ones (each is then made
 * anew), so a column of unique values costs no more than its strings.
 */
final class SymbolTable {
    static final int MAX = 1 << 20;

    private String[] slots = new String[1024];
    private int[] hashes = new int[1024];
    private int count;

    String intern(char[] b, int off, int len) {
        int h = 1;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + b[i];
        }
        h ^= h >>> 16;
        int mask = slots.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            String s = slots[i];
            if (s == null) {
                String made = new String(b, off, len);
                if (count < MAX) {
                    slots[i] = made;
                    hashes[i] = h;
                    if (++count * 2 > slots.length) {
                        grow();
                    }
                }
                return made;
            }
            if (hashes[i] == h && same(s, b, off, len)) {
                return s;
            }
        }
    }

    private static boolean same(String s, char[] b, int off, int len) {
        if (s.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) != b[off + i]) {
                return false;
            }
        }
        return true;
    }

    private void grow() {
        String[] oldSlots = slots;
        int[] oldHashes = hashes;
        slots = new String[oldSlots.length * 2];
        hashes = new int[oldSlots.length * 2];
        int mask = slots.length - 1;
        for (int j = 0; j < oldSlots.length; j++) {
            if (oldSlots[j] != null) {
                int i = oldHashes[j] & mask;
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = oldSlots[j];
                hashes[i] = oldHashes[j];
            }
        }
    }
}
