package io.rayforce.cluster.client.rayfall;

import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.Builtin;
import io.rayforce.cluster.client.value.DateAtom;
import io.rayforce.cluster.client.value.F32Atom;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.GuidAtom;
import io.rayforce.cluster.client.value.I16Atom;
import io.rayforce.cluster.client.value.I32Atom;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Lambda;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayError;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayNull;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimeAtom;
import io.rayforce.cluster.client.value.TimestampAtom;
import io.rayforce.cluster.client.value.U8Atom;
import io.rayforce.cluster.client.value.Vector;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Prints values and expressions as Rayfall source text the engine reads back to the same value
 * (or, for a call, the same expression tree).
 */
public final class RayfallPrinter {
    private final StringBuilder out = new StringBuilder();
    private final int maxItems;

    private RayfallPrinter(int maxItems) {
        this.maxItems = maxItems;
    }

    /** The full text of {@code v}. */
    public static String print(RayValue v) {
        RayfallPrinter p = new RayfallPrinter(Integer.MAX_VALUE);
        p.value(v);
        return p.out.toString();
    }

    /** Text for people: vectors and lists longer than {@code maxItems} are cut, with their length. */
    public static String abbreviated(RayValue v, int maxItems) {
        RayfallPrinter p = new RayfallPrinter(maxItems);
        p.value(v);
        return p.out.toString();
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
            atom(v, false);
        }
    }

    private void atom(RayValue a, boolean inVector) {
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
            out.append(f.isNull() ? "0Ne" : decimal(Float.toString(f.value())) + "e");
        } else if (a instanceof F64Atom f) {
            out.append(f.isNull() ? "0Nf" : decimal(Double.toString(f.value())));
        } else if (a instanceof DateAtom d) {
            out.append(d.isNull() ? "0Nd" : date(d.toLocalDate()));
        } else if (a instanceof TimeAtom t) {
            out.append(t.isNull() ? "0Nt" : time(t.millis()));
        } else if (a instanceof TimestampAtom t) {
            if (t.isNull()) {
                out.append("0Np");
            } else {
                LocalDateTime dt = t.toLocalDateTime();
                out.append(date(dt.toLocalDate())).append('D')
                        .append(String.format("%02d:%02d:%02d.%09d", dt.getHour(), dt.getMinute(), dt.getSecond(), dt.getNano()));
            }
        } else if (a instanceof GuidAtom g) {
            out.append("(guid ");
            string(g.value().toString());
            out.append(')');
        } else if (a instanceof Symbol s) {
            if (!inVector) {
                out.append('\'');
            }
            out.append(s.name());
        } else if (a instanceof Name n) {
            out.append(n.name());
        } else if (a instanceof Str s) {
            string(s.value());
        } else {
            throw new IllegalArgumentException("not an atom: " + a.getClass().getName());
        }
    }

    private void vector(Vector v) {
        int n = v.length();
        if (v instanceof RayList l) {
            boolean call = n > 0 && (l.get(0) instanceof Name || l.get(0) instanceof Builtin);
            out.append(call ? "(" : "(list");
            for (int i = 0; i < n; i++) {
                if (i >= maxItems) {
                    out.append(" ... (").append(n).append(" items)");
                    break;
                }
                if (i > 0 || !call) {
                    out.append(' ');
                }
                value(l.get(i));
            }
            out.append(')');
            return;
        }
        out.append('[');
        for (int i = 0; i < n; i++) {
            if (i >= maxItems) {
                out.append(" ... (").append(n).append(" items)");
                break;
            }
            if (i > 0) {
                out.append(' ');
            }
            atom(v.at(i), true);
        }
        out.append(']');
    }

    private void dict(RayDict d) {
        if (d.keys() instanceof SymbolVector keys && d.values() instanceof Vector vals && vals.length() == keys.length()) {
            out.append('{');
            for (int i = 0; i < keys.length(); i++) {
                if (i >= maxItems) {
                    out.append(" ... (").append(keys.length()).append(" items)");
                    break;
                }
                if (i > 0) {
                    out.append(' ');
                }
                out.append(keys.get(i)).append(": ");
                value(vals.at(i));
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

    /** A decimal without exponent that always has a fraction part. */
    private static String decimal(String javaText) {
        if (javaText.equals("Infinity")) {
            return "0w";
        }
        if (javaText.equals("-Infinity")) {
            return "-0w";
        }
        String plain = new BigDecimal(javaText).toPlainString();
        return plain.indexOf('.') >= 0 ? plain : plain + ".0";
    }
}
