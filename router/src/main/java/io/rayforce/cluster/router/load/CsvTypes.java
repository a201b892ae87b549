package io.rayforce.cluster.router.load;

import io.rayforce.cluster.client.value.RayType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The engine's CSV type inference ({@code .csv.read}) over the rows {@link CsvSample} picks: each
 * field is classified (a null word, b8, i64, f64, date, time, timestamp, or text), and a column
 * takes the narrowest type that holds all its fields: b8 within i64 within f64, a date with
 * timestamps a timestamp, any other mix text. A text column is a string column when its text
 * fields are mostly distinct ({@value #STRING_DISTINCT} distinct values or more, or at least 80%
 * of 64 or more), else a symbol column; a column with no value in the sample is a symbol column.
 * Guids and the narrow integer types are never inferred: give them with {@code --columns}.
 */
final class CsvTypes {
    /** Distinct text values that make a text column a string column (the engine's {@code CSV_STR_DISTINCT_MIN}). */
    static final int STRING_DISTINCT = 256;

    /** The classes of a field, in the engine's order: UNKNOWN (no value) first, numbers ordered by width. */
    enum Kind { UNKNOWN, BOOL, I64, F64, TEXT, DATE, TIME, TIMESTAMP }

    private CsvTypes() {
    }

    static Kind detect(String f) {
        char[] b = f.toCharArray();
        int len = b.length;
        if (ColumnParser.isNullWord(b, 0, len)) {
            return Kind.UNKNOWN;
        }
        if (ColumnParser.isIgnoreCase(b, 0, len, "nan") || ColumnParser.isIgnoreCase(b, 0, len, "inf")
                || ColumnParser.isIgnoreCase(b, 0, len, "+inf") || ColumnParser.isIgnoreCase(b, 0, len, "-inf")) {
            return Kind.F64;
        }
        if (f.equals("true") || f.equals("false") || f.equals("TRUE") || f.equals("FALSE")) {
            return Kind.BOOL;
        }
        int i = 0;
        if (b[0] == '-' || b[0] == '+') {
            i++;
        }
        boolean dot = false;
        boolean exp = false;
        boolean digit = false;
        while (i < len) {
            char c = b[i];
            if (c >= '0' && c <= '9') {
                digit = true;
                i++;
            } else if (c == '.' && !dot) {
                dot = true;
                i++;
            } else if ((c == 'e' || c == 'E') && !exp) {
                exp = true;
                i++;
                if (i < len && (b[i] == '-' || b[i] == '+')) {
                    i++;
                }
            } else {
                break;
            }
        }
        if (i == len && digit) {
            return dot || exp ? Kind.F64 : Kind.I64;
        }
        if (len >= 10 && b[4] == '-' && b[7] == '-' && ColumnParser.digits(b, 0, 4) >= 0 && ColumnParser.digits(b, 5, 2) >= 0
                && ColumnParser.digits(b, 8, 2) >= 0) {
            if (len == 10) {
                return Kind.DATE;
            }
            if (len >= 19 && (b[10] == 'T' || b[10] == ' ') && b[13] == ':' && b[16] == ':' && ColumnParser.digits(b, 11, 2) >= 0
                    && ColumnParser.digits(b, 14, 2) >= 0 && ColumnParser.digits(b, 17, 2) >= 0) {
                return Kind.TIMESTAMP;
            }
        }
        if (len >= 8 && b[2] == ':' && b[5] == ':' && ColumnParser.digits(b, 0, 2) >= 0 && ColumnParser.digits(b, 3, 2) >= 0
                && ColumnParser.digits(b, 6, 2) >= 0) {
            return Kind.TIME;
        }
        return Kind.TEXT;
    }

    static Kind promote(Kind cur, Kind seen) {
        if (cur == Kind.UNKNOWN) {
            return seen;
        }
        if (seen == Kind.UNKNOWN || cur == seen) {
            return cur;
        }
        if (cur == Kind.TEXT || seen == Kind.TEXT) {
            return Kind.TEXT;
        }
        if ((cur == Kind.DATE && seen == Kind.TIMESTAMP) || (cur == Kind.TIMESTAMP && seen == Kind.DATE)) {
            return Kind.TIMESTAMP;
        }
        if (cur.ordinal() <= Kind.F64.ordinal() && seen.ordinal() <= Kind.F64.ordinal()) {
            return cur.ordinal() > seen.ordinal() ? cur : seen;
        }
        return Kind.TEXT;
    }

    /** The type of a column whose sampled fields are {@code fields} (missing fields left out). */
    static RayType infer(List<String> fields) {
        Kind k = Kind.UNKNOWN;
        Set<String> distinct = new HashSet<>();
        int text = 0;
        for (String f : fields) {
            Kind seen = detect(f);
            if (seen == Kind.TEXT) {
                text++;
                distinct.add(f);
            }
            k = promote(k, seen);
        }
        if (k == Kind.TEXT && (distinct.size() >= STRING_DISTINCT || (text >= 64 && distinct.size() * 100L >= text * 80L))) {
            return RayType.STRING;
        }
        return type(k);
    }

    static RayType type(Kind k) {
        return switch (k) {
            case BOOL -> RayType.B8;
            case I64 -> RayType.I64;
            case F64 -> RayType.F64;
            case DATE -> RayType.DATE;
            case TIME -> RayType.TIME;
            case TIMESTAMP -> RayType.TIMESTAMP;
            default -> RayType.SYMBOL;
        };
    }
}
