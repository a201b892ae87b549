package io.rayforce.cluster.router.corpus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Compares two answers' payloads byte for byte, walking both in step: every type, flag,
 * attribute, length and value byte must be equal, except that f64 values may differ in their
 * last bits (the engine's own float aggregates do between worker counts), up to a relative
 * 1e-9 (the design's rule).
 */
final class AnswerDiff {
    private static final double RELATIVE = 1e-9;

    private final ByteBuffer a;
    private final ByteBuffer b;

    private AnswerDiff(byte[] oracle, byte[] cluster) {
        a = ByteBuffer.wrap(oracle).order(ByteOrder.LITTLE_ENDIAN);
        b = ByteBuffer.wrap(cluster).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Null when the answers are the same; otherwise where and how they differ. */
    static String diff(byte[] oracle, byte[] cluster) {
        if (java.util.Arrays.equals(oracle, cluster)) {
            return null;
        }
        AnswerDiff d = new AnswerDiff(oracle, cluster);
        try {
            d.value();
            if (d.a.hasRemaining() || d.b.hasRemaining()) {
                return d.at("trailing bytes");
            }
            return null;
        } catch (Mismatch m) {
            return m.getMessage();
        } catch (RuntimeException e) {
            return d.at("undecodable (" + e + ")");
        }
    }

    private static final class Mismatch extends RuntimeException {
        Mismatch(String m) {
            super(m, null, false, false);
        }
    }

    private String at(String what) {
        return what + " at byte " + a.position() + ": one server " + hex(a) + " | cluster " + hex(b);
    }

    private static String hex(ByteBuffer x) {
        StringBuilder s = new StringBuilder();
        int from = Math.max(0, x.position() - 8);
        for (int i = from; i < Math.min(x.limit(), x.position() + 24); i++) {
            s.append(i == x.position() ? "[" : "").append(String.format("%02x", x.get(i))).append(i == x.position() ? "]" : "").append(' ');
        }
        return s.toString().strip();
    }

    private int sameByte(String what) {
        if (!a.hasRemaining() || !b.hasRemaining()) {
            throw new Mismatch(at("one answer ends early (" + what + ")"));
        }
        byte x = a.get();
        byte y = b.get();
        if (x != y) {
            a.position(a.position() - 1);
            b.position(b.position() - 1);
            throw new Mismatch(at(what + " differs"));
        }
        return x;
    }

    private void sameBytes(int n, String what) {
        for (int i = 0; i < n; i++) {
            sameByte(what);
        }
    }

    private long sameLong(String what) {
        long x = a.getLong(a.position());
        long y = b.getLong(b.position());
        if (x != y) {
            throw new Mismatch(at(what + " differs (" + x + " vs " + y + ")"));
        }
        a.position(a.position() + 8);
        b.position(b.position() + 8);
        return x;
    }

    private void cString(String what) {
        while (sameByte(what) != 0) {
            // to the NUL
        }
    }

    private void f64(String what) {
        double x = a.getDouble();
        double y = b.getDouble();
        if (Double.isNaN(x) && Double.isNaN(y) || x == y) {
            return;
        }
        double tol = Math.max(Math.abs(x), Math.abs(y)) * RELATIVE;
        if (Double.isNaN(x) || Double.isNaN(y) || Math.abs(x - y) > tol) {
            a.position(a.position() - 8);
            b.position(b.position() - 8);
            throw new Mismatch(at(what + " " + x + " vs " + y));
        }
    }

    private void value() {
        int t = sameByte("type");
        if (t < 0) {
            int code = -t;
            sameByte("atom flags");
            switch (code) {
                case 1, 2 -> sameBytes(1, "value");
                case 3 -> sameBytes(2, "value");
                case 4, 6, 8, 9 -> sameBytes(4, "value");
                case 5, 10 -> sameBytes(8, "value");
                case 7 -> f64("f64 value");
                case 11 -> sameBytes(16, "guid");
                case 12 -> cString("symbol");
                case 13 -> sameBytes((int) sameLong("string length"), "string");
                default -> throw new Mismatch(at("unknown atom type " + code));
            }
            return;
        }
        switch (t) {
            case 126 -> {
            }
            case 127 -> sameBytes(8, "error code");
            case 101, 102, 103 -> cString("builtin name");
            case 98, 99 -> {
                sameByte(t == 98 ? "table attributes" : "dict attributes");
                value();
                value();
            }
            case 100 -> {
                int attrs = sameByte("lambda attributes");
                value();
                value();
                if ((attrs & 1) != 0) {
                    value();
                }
            }
            default -> vector(t);
        }
    }

    private void vector(int t) {
        sameByte("vector attributes");
        long n = sameLong("vector length");
        for (long i = 0; i < n; i++) {
            switch (t) {
                case 0 -> value();
                case 1, 2 -> sameBytes(1, "item");
                case 3 -> sameBytes(2, "item");
                case 4, 6, 8, 9 -> sameBytes(4, "item");
                case 5, 10 -> sameBytes(8, "item");
                case 7 -> f64("f64 item " + i);
                case 11 -> sameBytes(16, "guid item");
                case 12 -> cString("symbol item");
                case 13 -> sameBytes((int) sameLong("string item length"), "string item");
                default -> throw new Mismatch(at("unknown vector type " + t));
            }
        }
    }
}
