package io.rayforce.cluster.router.load;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.DateVector;
import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.GuidVector;
import io.rayforce.cluster.client.value.I16Vector;
import io.rayforce.cluster.client.value.I32Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayType;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimeVector;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.client.value.U8Vector;
import io.rayforce.cluster.client.value.Vector;
import java.util.Arrays;

/**
 * One column of a chunk being read from text: takes each row's field as characters, parses it as
 * the column's type the way the engine's CSV reader does ({@code .csv.read}), and builds the
 * column vector. An empty field, and the engine's null words ({@code NA}, {@code null}, ...) in a
 * column that is not text, are nulls. A field that is not a value of the type is refused
 * ({@link #add} answers why) instead of becoming a null as on the engine, so a bad row is
 * reported. {@link #truncate} drops the values of a row refused half way.
 */
abstract class ColumnParser {
    protected int size;

    /** A parser for a column of {@code type}; fails for types a file cannot hold (list). */
    static ColumnParser of(RayType type, int capacity) {
        return switch (type) {
            case B8 -> new Bools(capacity);
            case U8 -> new Ints(type, capacity, 0, 255);
            case I16 -> new Ints(type, capacity, Short.MIN_VALUE + 1, Short.MAX_VALUE);
            case I32 -> new Ints(type, capacity, Integer.MIN_VALUE + 1, Integer.MAX_VALUE);
            case I64 -> new Longs(type, capacity);
            case TIMESTAMP -> new Longs(type, capacity);
            case F32, F64 -> new Doubles(type, capacity);
            case DATE, TIME -> new Ints(type, capacity, 0, 0);
            case GUID -> new Guids(capacity);
            case SYMBOL -> new Texts(true, capacity);
            case STRING -> new Texts(false, capacity);
            default -> throw new IllegalArgumentException("a file column cannot be of type " + type.rayfallName());
        };
    }

    /** Rows taken so far. */
    final int size() {
        return size;
    }

    /**
     * Parses and appends one field; answers null when it was taken, else why it is not a value of
     * the type. A null word is a null, except in a text column.
     */
    final String add(char[] buf, int off, int len) {
        if (!(this instanceof Texts) && isNullWord(buf, off, len)) {
            addNull();
            return null;
        }
        return parse(buf, off, len);
    }

    /** Parses and appends a field that is not a null word (any field, in a text column). */
    abstract String parse(char[] buf, int off, int len);

    /** Appends a null (a field the row did not have). */
    abstract void addNull();

    /** Drops the values past the first {@code rows}. */
    final void truncate(int rows) {
        size = Math.min(size, rows);
    }

    /** The column of the rows taken; the parser then starts over, empty. */
    abstract Vector build();

    /** The engine's words for "no value" in a CSV field of a column that is not text. */
    static boolean isNullWord(char[] b, int off, int len) {
        return switch (len) {
            case 0 -> true;
            case 1 -> b[off] == '.';
            case 2 -> is(b, off, "NA") || is(b, off, "na");
            case 3 -> is(b, off, "N/A") || is(b, off, "n/a");
            case 4 -> is(b, off, "null") || is(b, off, "NULL") || is(b, off, "None") || is(b, off, "none");
            default -> false;
        };
    }

    static boolean is(char[] b, int off, String word) {
        for (int i = 0; i < word.length(); i++) {
            if (b[off + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static boolean isIgnoreCase(char[] b, int off, int len, String word) {
        if (len != word.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (Character.toLowerCase(b[off + i]) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A copy of {@code array} (a primitive or object array) with half again as many slots. */
    @SuppressWarnings("unchecked")
    static <A> A grown(A array) {
        int length = java.lang.reflect.Array.getLength(array);
        A bigger = (A) java.lang.reflect.Array.newInstance(array.getClass().getComponentType(), length + (length >> 1) + 16);
        System.arraycopy(array, 0, bigger, 0, length);
        return bigger;
    }

    /**
     * A decimal integer: an optional sign and digits only. Answers {@link Long#MIN_VALUE} (the
     * i64 null, which no text parses to) when it is not one or does not fit in 63 bits.
     */
    static long parseLong(char[] b, int off, int len) {
        int i = off;
        int end = off + len;
        boolean negative = false;
        if (i < end && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        if (i == end || end - i > 19) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + d;
            if (v < 0) {
                return Long.MIN_VALUE; // past 2^63 - 1
            }
        }
        return negative ? -v : v;
    }

    static int digits(char[] b, int off, int count) {
        int v = 0;
        for (int i = off; i < off + count; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** Days since 2000-01-01 of {@code YYYY-MM-DD} at {@code off}, or {@link Integer#MIN_VALUE}. */
    static int parseDate(char[] b, int off, int len) {
        if (len < 10 || b[off + 4] != '-' || b[off + 7] != '-') {
            return Integer.MIN_VALUE;
        }
        int y = digits(b, off, 4);
        int m = digits(b, off + 5, 2);
        int d = digits(b, off + 8, 2);
        if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) {
            return Integer.MIN_VALUE;
        }
        // days from civil (proleptic Gregorian), then from 1970 to 2000
        int yy = m <= 2 ? y - 1 : y;
        int era = (yy >= 0 ? yy : yy - 399) / 400;
        int yoe = yy - era * 400;
        int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468 - 10957;
    }

    /** Nanoseconds since midnight of {@code HH:MM:SS[.fffffffff]}, or -1. */
    static long parseTimeOfDayNanos(char[] b, int off, int len) {
        if (len < 8 || b[off + 2] != ':' || b[off + 5] != ':') {
            return -1;
        }
        int h = digits(b, off, 2);
        int mi = digits(b, off + 3, 2);
        int s = digits(b, off + 6, 2);
        if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) {
            return -1;
        }
        long ns = h * 3_600_000_000_000L + mi * 60_000_000_000L + s * 1_000_000_000L;
        int i = off + 8;
        int end = off + len;
        if (i < end && b[i] == '.') {
            i++;
            long frac = 0;
            int n = 0;
            for (; i < end && n < 9; i++, n++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                frac = frac * 10 + d;
            }
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                i++; // digits past nanoseconds are cut, as by the engine
            }
            for (; n < 9; n++) {
                frac *= 10;
            }
            ns += frac;
        }
        if (i < end && !(i == end - 1 && b[i] == 'Z')) {
            return -1;
        }
        return ns;
    }

    /** Nanoseconds since 2000-01-01 of {@code YYYY-MM-DD[T| ]HH:MM:SS[.f...][Z]} (a date alone is its midnight), or {@link Long#MIN_VALUE}. */
    static long parseTimestamp(char[] b, int off, int len) {
        int days = parseDate(b, off, Math.min(len, 10));
        if (days == Integer.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        long time = 0;
        if (len > 10) {
            if (b[off + 10] != 'T' && b[off + 10] != ' ') {
                return Long.MIN_VALUE;
            }
            time = parseTimeOfDayNanos(b, off + 11, len - 11);
            if (time < 0) {
                return Long.MIN_VALUE;
            }
        }
        return days * 86_400_000_000_000L + time;
    }

    // -----------------------------------------------------------------------------------------

    /** i64 and timestamp. */
    private static final class Longs extends ColumnParser {
        private final RayType type;
        private long[] values;

        Longs(RayType type, int capacity) {
            this.type = type;
            this.values = new long[capacity];
        }

        @Override
        String parse(char[] b, int off, int len) {
            long v = type == RayType.I64 ? parseLong(b, off, len) : parseTimestamp(b, off, len);
            if (v == Long.MIN_VALUE) {
                return type == RayType.I64 ? "not an i64 (a whole number of at most 19 digits)"
                        : "not a timestamp (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.fffffffff])";
            }
            put(v);
            return null;
        }

        @Override
        void addNull() {
            put(Nulls.I64);
        }

        private void put(long v) {
            values = size == values.length ? grown(values) : values;
            values[size++] = v;
        }

        @Override
        Vector build() {
            long[] out = Arrays.copyOf(values, size);
            size = 0;
            return type == RayType.I64 ? new I64Vector(out) : new TimestampVector(out);
        }
    }

    /** u8, i16, i32 (range-checked), date, time. */
    private static final class Ints extends ColumnParser {
        private final RayType type;
        private final long min;
        private final long max;
        private int[] values;

        Ints(RayType type, int capacity, long min, long max) {
            this.type = type;
            this.min = min;
            this.max = max;
            this.values = new int[capacity];
        }

        @Override
        String parse(char[] b, int off, int len) {
            int v;
            switch (type) {
                case DATE -> {
                    v = len == 10 ? parseDate(b, off, len) : Integer.MIN_VALUE;
                    if (v == Integer.MIN_VALUE) {
                        return "not a date (YYYY-MM-DD)";
                    }
                }
                case TIME -> {
                    long ns = parseTimeOfDayNanos(b, off, len);
                    if (ns < 0) {
                        return "not a time (HH:MM:SS[.fff])";
                    }
                    v = (int) (ns / 1_000_000);
                }
                default -> {
                    long x = parseLong(b, off, len);
                    if (x == Long.MIN_VALUE || x < min || x > max) {
                        return "not a " + type.rayfallName() + " (a whole number from " + min + " to " + max + ")";
                    }
                    v = (int) x;
                }
            }
            put(v);
            return null;
        }

        @Override
        void addNull() {
            // u8 has no null: the engine's reader stores 0 there
            put(type == RayType.U8 ? 0 : type == RayType.I16 ? Nulls.I16 : Nulls.I32);
        }

        private void put(int v) {
            values = size == values.length ? grown(values) : values;
            values[size++] = v;
        }

        @Override
        Vector build() {
            int n = size;
            size = 0;
            switch (type) {
                case DATE:
                    return new DateVector(Arrays.copyOf(values, n));
                case TIME:
                    return new TimeVector(Arrays.copyOf(values, n));
                case I32:
                    return new I32Vector(Arrays.copyOf(values, n));
                case I16: {
                    short[] s = new short[n];
                    for (int i = 0; i < n; i++) {
                        s[i] = (short) values[i];
                    }
                    return new I16Vector(s);
                }
                default: {
                    byte[] u = new byte[n];
                    for (int i = 0; i < n; i++) {
                        u[i] = (byte) values[i];
                    }
                    return new U8Vector(u);
                }
            }
        }
    }

    /** f64 and f32. */
    private static final class Doubles extends ColumnParser {
        private final RayType type;
        private double[] values;

        Doubles(RayType type, int capacity) {
            this.type = type;
            this.values = new double[capacity];
        }

        @Override
        String parse(char[] b, int off, int len) {
            double v;
            if (isIgnoreCase(b, off, len, "nan")) {
                v = Double.NaN;
            } else if (isIgnoreCase(b, off, len, "inf") || isIgnoreCase(b, off, len, "+inf")) {
                v = Double.POSITIVE_INFINITY;
            } else if (isIgnoreCase(b, off, len, "-inf")) {
                v = Double.NEGATIVE_INFINITY;
            } else if (!plainNumber(b, off, len)) {
                return "not a number";
            } else {
                v = JavaDoubleParser.parseDouble(b, off, len);
            }
            put(v);
            return null;
        }

        /** Sign, digits, one dot, an exponent: what the engine reads as a number (no hex, no suffixes). */
        private static boolean plainNumber(char[] b, int off, int len) {
            int i = off;
            int end = off + len;
            if (b[i] == '-' || b[i] == '+') {
                i++;
            }
            boolean digit = false;
            boolean dot = false;
            for (; i < end; i++) {
                char c = b[i];
                if (c >= '0' && c <= '9') {
                    digit = true;
                } else if (c == '.' && !dot) {
                    dot = true;
                } else {
                    break;
                }
            }
            if (!digit) {
                return false;
            }
            if (i < end && (b[i] == 'e' || b[i] == 'E')) {
                i++;
                if (i < end && (b[i] == '-' || b[i] == '+')) {
                    i++;
                }
                int from = i;
                while (i < end && b[i] >= '0' && b[i] <= '9') {
                    i++;
                }
                if (i == from) {
                    return false;
                }
            }
            return i == end;
        }

        @Override
        void addNull() {
            put(Double.NaN);
        }

        private void put(double v) {
            values = size == values.length ? grown(values) : values;
            values[size++] = v;
        }

        @Override
        Vector build() {
            int n = size;
            size = 0;
            if (type == RayType.F64) {
                return new F64Vector(Arrays.copyOf(values, n));
            }
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                f[i] = (float) values[i];
            }
            return new F32Vector(f);
        }
    }

    private static final class Bools extends ColumnParser {
        private boolean[] values;

        Bools(int capacity) {
            this.values = new boolean[capacity];
        }

        @Override
        String parse(char[] b, int off, int len) {
            boolean v;
            if ((len == 1 && b[off] == '1') || (len == 4 && (is(b, off, "true") || is(b, off, "TRUE")))) {
                v = true;
            } else if ((len == 1 && b[off] == '0') || (len == 5 && (is(b, off, "false") || is(b, off, "FALSE")))) {
                v = false;
            } else {
                return "not a b8 (true, false, 1 or 0)";
            }
            put(v);
            return null;
        }

        @Override
        void addNull() {
            put(false); // b8 has no null: the engine's reader stores false
        }

        private void put(boolean v) {
            values = size == values.length ? grown(values) : values;
            values[size++] = v;
        }

        @Override
        Vector build() {
            boolean[] out = Arrays.copyOf(values, size);
            size = 0;
            return new BoolVector(out);
        }
    }

    private static final class Guids extends ColumnParser {
        private long[] bits;

        Guids(int capacity) {
            this.bits = new long[2 * capacity];
        }

        @Override
        String parse(char[] b, int off, int len) {
            if (len != 36 || b[off + 8] != '-' || b[off + 13] != '-' || b[off + 18] != '-' || b[off + 23] != '-') {
                return "not a guid (8-4-4-4-12 hex digits)";
            }
            long hi = 0;
            long lo = 0;
            int nibbles = 0;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '-') {
                    continue;
                }
                int v = Character.digit(b[i], 16);
                if (v < 0) {
                    return "not a guid (8-4-4-4-12 hex digits)";
                }
                if (nibbles < 16) {
                    hi = (hi << 4) | v;
                } else {
                    lo = (lo << 4) | v;
                }
                nibbles++;
            }
            put(hi, lo);
            return null;
        }

        @Override
        void addNull() {
            put(0, 0);
        }

        private void put(long hi, long lo) {
            bits = 2 * size + 2 > bits.length ? grown(bits) : bits;
            bits[2 * size] = hi;
            bits[2 * size + 1] = lo;
            size++;
        }

        @Override
        Vector build() {
            long[] out = Arrays.copyOf(bits, 2 * size);
            size = 0;
            return new GuidVector(out);
        }
    }

    /** symbol (interned, an empty field is the empty symbol) and string (an empty field is the empty string). */
    private static final class Texts extends ColumnParser {
        private final boolean symbols;
        private final SymbolTable table;
        private String[] values;

        Texts(boolean symbols, int capacity) {
            this.symbols = symbols;
            this.table = symbols ? new SymbolTable() : null;
            this.values = new String[capacity];
        }

        @Override
        String parse(char[] b, int off, int len) {
            put(len == 0 ? "" : symbols ? table.intern(b, off, len) : new String(b, off, len));
            return null;
        }

        @Override
        void addNull() {
            put("");
        }

        private void put(String v) {
            values = size == values.length ? grown(values) : values;
            values[size++] = v;
        }

        @Override
        Vector build() {
            String[] out = Arrays.copyOf(values, size);
            size = 0;
            return symbols ? new SymbolVector(out) : new StringVector(out);
        }
    }
}
