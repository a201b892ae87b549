package io.rayforce.cluster.client.rayfall;

import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.Builtin;
import io.rayforce.cluster.client.value.DateAtom;
import io.rayforce.cluster.client.value.F32Atom;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.GuidAtom;
import io.rayforce.cluster.client.value.GuidVector;
import io.rayforce.cluster.client.value.I16Atom;
import io.rayforce.cluster.client.value.I32Atom;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Lambda;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayError;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayNull;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimeAtom;
import io.rayforce.cluster.client.value.TimeVector;
import io.rayforce.cluster.client.value.TimestampAtom;
import io.rayforce.cluster.client.value.TimespanAtom;
import io.rayforce.cluster.client.value.U8Atom;
import io.rayforce.cluster.client.value.Vector;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.regex.Pattern;

/**
 * Prints values and expressions as Rayfall source that the engine reads back to the same value,
 * and that {@link RayfallReader} reads back to the same tree. The engine's own display text
 * ({@code format}) drops type suffixes and float digits, so this printer makes its own:
 * a suffix on every i16/i32/f32 item, shortest round-trip floats, {@code (as 'SYM "...")} for
 * symbols that are not plain names, {@code (as 'TYPE [])} for typed empty vectors, and
 * {@code (as 'GUID "...")} for guids, which have no literal.
 *
 * <p>Two modes. {@link #print} writes a <em>value</em>: the engine evaluates the text to that
 * value (a data list is {@code (list 1 2)}). {@link #printExpression} writes an <em>expression
 * tree</em> exactly: {@link RayfallReader} reads the text back to the same tree (a list is
 * {@code (1 2)}, names stay bare). They differ only for lists that are not calls; for query
 * trees, whose lists are all calls, both give the same text.
 */
public final class RayfallPrinter {
    /** Symbol text that reads back as one name token (and is not a keyword literal). */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-?*/]*");

    private final StringBuilder out = new StringBuilder();
    private final int maxItems;
    private final boolean exact;

    private RayfallPrinter(int maxItems, boolean exact) {
        this.maxItems = maxItems;
        this.exact = exact;
    }

    /** The full text of the value {@code v}: the engine evaluates it to {@code v}. */
    public static String print(RayValue v) {
        RayfallPrinter p = new RayfallPrinter(Integer.MAX_VALUE, false);
        p.value(v);
        return p.out.toString();
    }

    /**
     * The text of the expression tree {@code tree}: {@link RayfallReader#read} gives the same tree
     * back for every tree the reader can produce. Values that have no literal (guids, symbols
     * that are not name tokens, typed empty vectors, tables) are written as the expressions that
     * build them. A name reference that is not a name token cannot be written and is refused.
     */
    public static String printExpression(RayValue tree) {
        RayfallPrinter p = new RayfallPrinter(Integer.MAX_VALUE, true);
        p.value(tree);
        return p.out.toString();
    }

    /** Text for people: vectors and lists longer than {@code maxItems} are cut, with their length. */
    public static String abbreviated(RayValue v, int maxItems) {
        RayfallPrinter p = new RayfallPrinter(maxItems, false);
        p.value(v);
        return p.out.toString();
    }

    /** True when {@code word} is one name token (ASCII letters, digits and {@code !#$%&*+,-./<=>?@^_|~}). */
    public static boolean isWord(String word) {
        if (word.isEmpty()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (!RayfallReader.isNameChar(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code name} reads back as this name reference: a word that is not a number or a boolean. */
    public static boolean isNameToken(String name) {
        if (!isWord(name) || name.equals("true") || name.equals("false")) {
            return false;
        }
        char c = name.charAt(0);
        return !Character.isDigit(c) && !(c == '-' && name.length() > 1 && Character.isDigit(name.charAt(1)));
    }

    /** True when {@code name} can be written as a bare name or after a quote. */
    public static boolean isPlainName(String name) {
        return PLAIN_NAME.matcher(name).matches() && !name.equals("true") && !name.equals("false")
                && !name.equals("null");
    }

    private void value(RayValue v) {
        if (v instanceof Vector vec) {
            vector(vec);
        } else if (v instanceof RayDict d) {
            dict(d);
        } else if (v instanceof RayTable t) {
            out.append("(table ");
            vector(t.names());
            out.append(" (list");
            for (Vector c : t.columns()) {
                out.append(' ');
                vector(c);
            }
            out.append("))");
        } else if (v instanceof RayNull) {
            out.append("null");
        } else if (v instanceof RayError e) {
            out.append("(raise ");
            string(e.code());
            out.append(')');
        } else if (v instanceof Lambda f) {
            out.append("(fn ");
            value(f.params());
            out.append(' ');
            value(f.body());
            out.append(')');
        } else if (v instanceof Builtin b) {
            out.append(b.name());
        } else {
            atom(v);
        }
    }

    private void atom(RayValue a) {
        if (a instanceof BoolAtom b) {
            out.append(b.value());
        } else if (a instanceof U8Atom u) {
            out.append(String.format("0x%02x", u.unsigned()));
        } else if (a instanceof I16Atom i) {
            out.append(i.isNull() ? "0Nh" : i.value() + "h");
        } else if (a instanceof I32Atom i) {
            out.append(i.isNull() ? "0Ni" : i.value() + "i");
        } else if (a instanceof I64Atom i) {
            out.append(i.isNull() ? "0Nl" : Long.toString(i.value()));
        } else if (a instanceof F32Atom f) {
            out.append(Float.isFinite(f.value()) ? plainDecimal(Float.toString(f.value())) + "e" : "0Ne");
        } else if (a instanceof F64Atom f) {
            // the engine has no infinities: they read back as its null, NaN
            out.append(Double.isFinite(f.value()) ? Double.toString(f.value()) : "0Nf");
        } else if (a instanceof DateAtom d) {
            out.append(d.isNull() ? "0Nd" : date(d.toLocalDate()));
        } else if (a instanceof TimeAtom t) {
            if (!t.isNull() && Math.abs((long) t.millis()) >= 100 * 3_600_000L) {
                // 100 hours or more has no literal
                out.append("(as 'TIME ").append(t.millis()).append("i)");
            } else {
                out.append(t.isNull() ? "0Nt" : time(t.millis()));
            }
        } else if (a instanceof TimestampAtom t) {
            out.append(t.isNull() ? "0Np" : timestamp(t));
        } else if (a instanceof TimespanAtom t) {
            out.append(t.isNull() ? "0Nn" : timespan(t.nanos()));
        } else if (a instanceof GuidAtom g) {
            if (g.isNull()) {
                out.append("0Ng");
            } else {
                out.append("(as 'GUID ");
                string(g.value().toString());
                out.append(')');
            }
        } else if (a instanceof Symbol s) {
            symbol(s.name());
        } else if (a instanceof Name n) {
            if (exact && !isNameToken(n.name())) {
                throw new IllegalArgumentException("the name reference '" + n.name()
                        + "' cannot be written in Rayfall source (it is not a name token)");
            }
            out.append(n.name());
        } else if (a instanceof Str s) {
            string(s.value());
        } else {
            throw new IllegalArgumentException("not an atom: " + a.getClass().getName());
        }
    }

    private void symbol(String name) {
        if (name.isEmpty()) {
            // the empty symbol is a lone quote; the space ends it before any closing bracket
            out.append("' ");
        } else if (isPlainName(name) || (exact && isWord(name))) {
            out.append('\'').append(name);
        } else {
            out.append("(as 'SYM ");
            string(name);
            out.append(')');
        }
    }

    private void vector(Vector v) {
        int n = v.length();
        if (v instanceof RayList l) {
            list(l);
            return;
        }
        if (n == 0) {
            out.append(v instanceof I64Vector ? "[]" : "(as '" + v.type().castName() + " [])");
            return;
        }
        if (v instanceof TimeVector tv && hasLongTimes(tv)) {
            out.append("(as 'TIME [");
            for (int i = 0; i < n && !cut(i, n); i++) {
                out.append(i > 0 ? " " : "").append(tv.isNull(i) ? "0Ni" : tv.get(i) + "i");
            }
            out.append("])");
            return;
        }
        if (v instanceof GuidVector g && !allNull(g)) {
            out.append("(as 'GUID (list");
            for (int i = 0; i < n && !cut(i, n); i++) {
                out.append(' ');
                string(g.get(i).toString());
            }
            out.append("))");
            return;
        }
        if (v instanceof SymbolVector s && !allPlain(s) && exact && allWordsOrEmpty(s)) {
            out.append('[');
            for (int i = 0; i < n && !cut(i, n); i++) {
                if (i > 0) {
                    out.append(' ');
                }
                out.append('\'').append(s.get(i));
            }
            out.append(']');
            return;
        }
        if (v instanceof SymbolVector s && !allPlain(s)) {
            out.append("(as 'SYM [");
            for (int i = 0; i < n && !cut(i, n); i++) {
                if (i > 0) {
                    out.append(' ');
                }
                string(s.get(i));
            }
            out.append("])");
            return;
        }
        out.append('[');
        for (int i = 0; i < n && !cut(i, n); i++) {
            if (i > 0) {
                out.append(' ');
            }
            if (v instanceof SymbolVector s) {
                out.append(s.get(i));
            } else if (v instanceof StringVector s) {
                string(s.get(i));
            } else {
                atom(v.at(i));
            }
        }
        out.append(']');
    }

    private void list(RayList l) {
        int n = l.length();
        RayValue head = n > 0 ? l.get(0) : null;
        boolean call = exact || head instanceof Name || head instanceof Builtin;
        out.append(call ? "(" : "(list");
        for (int i = 0; i < n && !cut(i, n); i++) {
            if (i > 0 || !call) {
                out.append(' ');
            }
            value(l.get(i));
        }
        out.append(')');
    }

    /** True (after appending an ellipsis) when item {@code i} of {@code n} is past the print limit. */
    private boolean cut(int i, int n) {
        if (i < maxItems) {
            return false;
        }
        out.append(" ... (").append(n).append(" items)");
        return true;
    }

    private static boolean allNull(Vector v) {
        for (int i = 0; i < v.length(); i++) {
            if (!v.isNull(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasLongTimes(TimeVector v) {
        for (int i = 0; i < v.length(); i++) {
            if (!v.isNull(i) && Math.abs((long) v.get(i)) >= 100 * 3_600_000L) {
                return true;
            }
        }
        return false;
    }

    private static boolean allWordsOrEmpty(SymbolVector s) {
        for (int i = 0; i < s.length(); i++) {
            if (!s.get(i).isEmpty() && !isWord(s.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allPlain(SymbolVector s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isPlainName(s.get(i))) {
                return false;
            }
        }
        return true;
    }

    private void dict(RayDict d) {
        if (literalDict(d)) {
            // the reader's form: values are kept as written, not evaluated
            Vector keys = (Vector) d.keys();
            RayList vals = (RayList) d.values();
            out.append('{');
            for (int i = 0; i < keys.length() && !cut(i, keys.length()); i++) {
                if (i > 0) {
                    out.append(' ');
                }
                RayValue k = keys.at(i);
                if (k instanceof Str str) {
                    string(str.value());
                } else {
                    out.append(k instanceof Symbol sym ? sym.name() : ((Name) k).name());
                }
                out.append(": ");
                value(vals.get(i));
            }
            out.append('}');
            return;
        }
        out.append("(dict ");
        value(d.keys());
        out.append(' ');
        value(d.values());
        out.append(')');
    }

    /** True when {@code d} can be written as {@code {k: v ...}}: keys the reader reads back, values a list. */
    private boolean literalDict(RayDict d) {
        if (!(d.values() instanceof RayList vals)) {
            return false;
        }
        if (d.keys() instanceof RayList keys && keys.length() == 0) {
            return vals.length() == 0;
        }
        if (d.keys() instanceof SymbolVector keys) {
            if (keys.length() != vals.length() || keys.length() == 0) {
                return false;
            }
            for (int i = 0; i < keys.length(); i++) {
                if (!(exact ? isWord(keys.get(i)) : isPlainName(keys.get(i)))) {
                    return false;
                }
            }
            return true;
        }
        if (!exact) {
            return false;
        }
        if (d.keys() instanceof StringVector keys) {
            return keys.length() == vals.length() && keys.length() > 0;
        }
        if (d.keys() instanceof RayList keys && keys.length() == vals.length()) {
            // the reader builds a list of keys only when names and strings are mixed
            boolean names = false;
            boolean strings = false;
            for (int i = 0; i < keys.length(); i++) {
                if (keys.get(i) instanceof Name n && isWord(n.name())) {
                    names = true;
                } else if (keys.get(i) instanceof Str) {
                    strings = true;
                } else {
                    return false;
                }
            }
            return names && strings;
        }
        return false;
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                // three octal digits, so that a following digit is not read into the escape
                case '\0' -> out.append("\\000");
                default -> out.append(c);
            }
        }
        out.append('"');
    }

    private static String date(LocalDate d) {
        return String.format("%04d.%02d.%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    private static String time(int millis) {
        String sign = millis < 0 ? "-" : "";
        long m = Math.abs((long) millis);
        return String.format("%s%02d:%02d:%02d.%03d", sign, m / 3_600_000, m / 60_000 % 60, m / 1000 % 60, m % 1000);
    }

    /** As the engine prints a timespan: {@code [-]dDhh:mm:ss.nnnnnnnnn}. */
    private static String timespan(long nanos) {
        String sign = nanos < 0 ? "-" : "";
        java.math.BigInteger total = java.math.BigInteger.valueOf(nanos).abs();
        java.math.BigInteger[] dayRest = total.divideAndRemainder(java.math.BigInteger.valueOf(86_400_000_000_000L));
        long rest = dayRest[1].longValue();
        long secs = rest / 1_000_000_000L;
        return String.format("%s%sD%02d:%02d:%02d.%09d", sign, dayRest[0], secs / 3600, secs / 60 % 60, secs % 60,
                rest % 1_000_000_000L);
    }

    private static String timestamp(TimestampAtom t) {
        LocalDateTime dt = t.toLocalDateTime();
        return date(dt.toLocalDate()) + 'D'
                + String.format("%02d:%02d:%02d.%09d", dt.getHour(), dt.getMinute(), dt.getSecond(), dt.getNano());
    }

    /** A decimal without exponent that always has a fraction part. */
    private static String plainDecimal(String javaText) {
        // BigDecimal has no negative zero: keep the sign of -0.0 from Java's text
        String sign = javaText.startsWith("-") ? "-" : "";
        String plain = sign + new BigDecimal(javaText).abs().toPlainString();
        return plain.indexOf('.') >= 0 ? plain : plain + ".0";
    }
}
