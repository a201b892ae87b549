package io.rayforce.cluster.client.rayfall;

import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.DateAtom;
import io.rayforce.cluster.client.value.DateVector;
import io.rayforce.cluster.client.value.F32Atom;
import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.GuidAtom;
import io.rayforce.cluster.client.value.GuidVector;
import io.rayforce.cluster.client.value.I16Atom;
import io.rayforce.cluster.client.value.I16Vector;
import io.rayforce.cluster.client.value.I32Atom;
import io.rayforce.cluster.client.value.I32Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayType;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Temporals;
import io.rayforce.cluster.client.value.TimeAtom;
import io.rayforce.cluster.client.value.TimeVector;
import io.rayforce.cluster.client.value.TimestampAtom;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.client.value.TimespanAtom;
import io.rayforce.cluster.client.value.TimespanVector;
import io.rayforce.cluster.client.value.U8Atom;
import io.rayforce.cluster.client.value.U8Vector;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Rayfall source into the expression tree the engine's own reader builds, which is also
 * what the binary protocol carries: a bare name is a {@link Name} reference, {@code 'x} a literal
 * {@link Symbol}, {@code (f a b)} a {@link RayList}, {@code [1 2]} a typed vector (bare names in
 * brackets are symbols), and {@code {a: x}} a {@link RayDict} whose values are kept as read.
 * Several top-level forms become {@code (do a b ...)}.
 *
 * <p>Any problem is a {@link RayfallSyntaxError} with its line and column; the reader throws
 * nothing else and never nests deeper than {@value #MAX_DEPTH} brackets. See
 * {@code docs/queries.md} for the rules, each checked against the engine's {@code parse}.
 */
public final class RayfallReader {
    /** The deepest bracket nesting accepted (the engine decodes at most 512 nested objects). */
    public static final int MAX_DEPTH = 512;

    private final String src;
    private final int end;
    private int pos;
    private int depth;

    private RayfallReader(String src) {
        this.src = src;
        this.end = src.length();
    }

    /** The tree of {@code source}; several forms are wrapped in {@code (do ...)}. */
    public static RayValue read(String source) {
        if (source == null) {
            throw new RayfallSyntaxError("source is null", 1, 1, 0, "parse");
        }
        RayfallReader r = new RayfallReader(source);
        try {
            return r.program();
        } catch (StackOverflowError e) {
            throw r.error("source nests too deeply", r.pos);
        }
    }

    private RayValue program() {
        List<RayValue> forms = new ArrayList<>();
        while (true) {
            skipBlank();
            if (pos >= end) {
                break;
            }
            char c = src.charAt(pos);
            if (c == ')' || c == ']' || c == '}') {
                throw error("unmatched '" + c + "'", pos);
            }
            forms.add(form(Context.CODE));
        }
        if (forms.isEmpty()) {
            throw error("empty source: no expression to read", pos);
        }
        if (forms.size() == 1) {
            return forms.get(0);
        }
        forms.add(0, Name.of("do"));
        return RayList.of(forms);
    }

    /** Where a form is read: in code, or as an item of a bracketed vector (names are symbols there). */
    private enum Context { CODE, VECTOR }

    private RayValue form(Context ctx) {
        int start = pos;
        char c = src.charAt(pos);
        switch (c) {
            case '(':
                return list();
            case '[':
                return vector();
            case '{':
                return dict();
            case '"':
                return string();
            case '\'':
                return quoted();
            case ':':
                return keyword();
            case ')':
            case ']':
            case '}':
                throw error("unexpected '" + c + "'", pos);
            default:
                break;
        }
        if (isDigit(c) || (c == '-' && pos + 1 < end && isDigit(src.charAt(pos + 1)))) {
            RayValue v = number();
            checkAtomEnd(start, "number");
            return v;
        }
        if (isNameChar(c)) {
            String word = word();
            checkAtomEnd(start, "name");
            if (word.equals("true")) {
                return BoolAtom.TRUE;
            }
            if (word.equals("false")) {
                return BoolAtom.FALSE;
            }
            return ctx == Context.VECTOR ? Symbol.of(word) : Name.of(word);
        }
        throw error("unexpected character " + describe(c), pos);
    }

    // ---- compound forms ----

    private RayValue list() {
        int open = pos;
        enter(open);
        pos++;
        List<RayValue> items = new ArrayList<>();
        while (true) {
            skipBlank();
            if (pos >= end) {
                throw error("'(' is never closed", open);
            }
            char c = src.charAt(pos);
            if (c == ')') {
                pos++;
                break;
            }
            if (c == ']' || c == '}') {
                throw error("'" + c + "' does not match the '(' at " + where(open), pos);
            }
            items.add(form(Context.CODE));
        }
        depth--;
        return RayList.of(items);
    }

    /** Reads every item first (a malformed item is a parse error), then checks their types (a domain error). */
    private RayValue vector() {
        int open = pos;
        enter(open);
        pos++;
        List<RayValue> items = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        while (true) {
            skipBlank();
            if (pos >= end) {
                throw error("'[' is never closed", open);
            }
            char c = src.charAt(pos);
            if (c == ']') {
                pos++;
                break;
            }
            if (c == ')' || c == '}') {
                throw error("'" + c + "' does not match the '[' at " + where(open), pos);
            }
            offsets.add(pos);
            items.add(form(Context.VECTOR));
        }
        depth--;
        VectorBuilder b = new VectorBuilder();
        for (int i = 0; i < items.size(); i++) {
            b.add(items.get(i), offsets.get(i));
        }
        return b.build();
    }

    private RayValue dict() {
        int open = pos;
        enter(open);
        pos++;
        List<RayValue> keys = new ArrayList<>();
        List<RayValue> values = new ArrayList<>();
        while (true) {
            skipBlank();
            if (pos >= end) {
                throw error("'{' is never closed", open);
            }
            char c = src.charAt(pos);
            if (c == '}') {
                pos++;
                break;
            }
            int keyAt = pos;
            if (c == '"') {
                keys.add(string());
            } else if (isNameChar(c)) {
                keys.add(Name.of(word()));
            } else {
                throw error("expected a dict key (a name or a string) but found " + describe(c), pos);
            }
            skipBlank();
            if (pos >= end || src.charAt(pos) != ':') {
                throw error("expected ':' after the dict key at " + where(keyAt), pos >= end ? keyAt : pos);
            }
            pos++;
            skipBlank();
            if (pos >= end || src.charAt(pos) == '}' || src.charAt(pos) == ')' || src.charAt(pos) == ']') {
                throw error("expected a value after ':' for the dict key at " + where(keyAt), pos >= end ? keyAt : pos);
            }
            values.add(form(Context.CODE));
        }
        depth--;
        return new RayDict(dictKeys(keys), RayList.of(values));
    }

    /** Names only: a symbol vector; strings only: a string vector; mixed: a list of both, as the engine builds it. */
    private static RayValue dictKeys(List<RayValue> keys) {
        if (keys.isEmpty()) {
            return RayList.EMPTY;
        }
        boolean allNames = keys.stream().allMatch(k -> k instanceof Name);
        boolean allStrings = keys.stream().allMatch(k -> k instanceof Str);
        if (allNames) {
            return SymbolVector.of(keys.stream().map(k -> ((Name) k).name()).toList());
        }
        if (allStrings) {
            return StringVector.of(keys.stream().map(k -> ((Str) k).value()).toArray(String[]::new));
        }
        return RayList.of(keys);
    }

    private void enter(int open) {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " brackets", open);
        }
    }

    // ---- atoms ----

    private RayValue string() {
        int open = pos;
        pos++;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            if (pos >= end) {
                throw error("string is never closed (missing '\"')", open);
            }
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                break;
            }
            if (c == '\\' && pos + 1 < end) {
                char e = src.charAt(pos + 1);
                switch (e) {
                    case '"' -> { bytes.write('"'); pos += 2; }
                    case '\\' -> { bytes.write('\\'); pos += 2; }
                    case 'n' -> { bytes.write('\n'); pos += 2; }
                    case 't' -> { bytes.write('\t'); pos += 2; }
                    case 'r' -> { bytes.write('\r'); pos += 2; }
                    default -> {
                        if (e >= '0' && e <= '7') {
                            pos++;
                            int v = 0;
                            for (int i = 0; i < 3 && pos < end && src.charAt(pos) >= '0' && src.charAt(pos) <= '7'; i++) {
                                v = v * 8 + (src.charAt(pos++) - '0');
                            }
                            bytes.write(v & 0xff);
                        } else {
                            // unknown escapes keep their backslash
                            bytes.write('\\');
                            pos++;
                        }
                    }
                }
                continue;
            }
            int cp = src.codePointAt(pos);
            byte[] enc = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            bytes.write(enc, 0, enc.length);
            pos += Character.charCount(cp);
        }
        return Str.of(bytes.toString(StandardCharsets.UTF_8));
    }

    /** {@code 'name} a symbol; {@code 'c'} a one-character string; a lone quote the empty symbol. */
    private RayValue quoted() {
        int start = pos;
        pos++;
        if (pos < end && src.charAt(pos) == '\\') {
            return escapedCharacter(start);
        }
        if (pos >= end || !isNameChar(src.charAt(pos))) {
            if (pos < end && (src.charAt(pos) == '\'' || src.charAt(pos) == ':')) {
                throw error("a quote cannot be followed by " + describe(src.charAt(pos)), start);
            }
            return Symbol.of("");
        }
        String word = word();
        if (pos < end && src.charAt(pos) == '\'') {
            if (word.length() == 1) {
                pos++;
                checkAtomEnd(start, "character literal");
                return Str.of(word);
            }
            throw error("character literal '" + word + "' is longer than one character", start);
        }
        checkAtomEnd(start, "symbol");
        return Symbol.of(word);
    }

    /** {@code '\n'}, {@code '\t'}, {@code '\r'}, {@code '\\'}, {@code '\''} or {@code '\101'}: a one-character string. */
    private RayValue escapedCharacter(int start) {
        pos++;
        if (pos >= end) {
            throw error("character literal is never closed", start);
        }
        char e = src.charAt(pos);
        int ch;
        switch (e) {
            case 'n' -> { ch = '\n'; pos++; }
            case 't' -> { ch = '\t'; pos++; }
            case 'r' -> { ch = '\r'; pos++; }
            case '\\' -> { ch = '\\'; pos++; }
            case '\'' -> { ch = '\''; pos++; }
            default -> {
                if (e < '0' || e > '7') {
                    // an unknown escape stands for the character itself
                    ch = e;
                    pos++;
                } else {
                    int v = 0;
                    for (int i = 0; i < 3 && pos < end && src.charAt(pos) >= '0' && src.charAt(pos) <= '7'; i++) {
                        v = v * 8 + (src.charAt(pos++) - '0');
                    }
                    ch = v & 0xff;
                }
            }
        }
        if (pos >= end || src.charAt(pos) != '\'') {
            throw error("character literal is never closed", start);
        }
        pos++;
        checkAtomEnd(start, "character literal");
        return Str.of(new String(new byte[] {(byte) ch}, StandardCharsets.UTF_8));
    }

    /** {@code :name} reads as the symbol {@code 'name}. */
    private RayValue keyword() {
        int start = pos;
        pos++;
        if (pos >= end || !isNameChar(src.charAt(pos))) {
            throw error("unexpected ':' (only a dict key is followed by ':')", start);
        }
        String word = word();
        checkAtomEnd(start, "symbol");
        return Symbol.of(word);
    }

    private String word() {
        int start = pos;
        while (pos < end && isNameChar(src.charAt(pos))) {
            pos++;
        }
        return src.substring(start, pos);
    }

    private void checkAtomEnd(int start, String what) {
        if (pos < end) {
            char c = src.charAt(pos);
            if (isNameChar(c) || c == '\'' || c == ':') {
                throw error("invalid " + what + " '" + src.substring(start, Math.min(end, pos + 1)) + "'", start);
            }
        }
    }

    private RayValue number() {
        int start = pos;
        RayValue v = typedNull();
        if (v == null) {
            v = temporal();
        }
        if (v == null) {
            v = hex();
        }
        if (v == null) {
            v = decimal(start);
        }
        return v;
    }

    private RayValue typedNull() {
        if (!src.startsWith("0N", pos)) {
            return null;
        }
        int start = pos;
        char k = pos + 2 < end ? src.charAt(pos + 2) : ' ';
        if (!isNameChar(k)) {
            pos += 2;
            return I64Atom.NULL;
        }
        RayValue v = switch (k) {
            case 'h' -> I16Atom.NULL;
            case 'i' -> I32Atom.NULL;
            case 'l' -> I64Atom.NULL;
            case 'e' -> F32Atom.NULL;
            case 'f' -> F64Atom.NULL;
            case 'd' -> DateAtom.NULL;
            case 't' -> TimeAtom.NULL;
            case 'p' -> TimestampAtom.NULL;
            case 'n' -> TimespanAtom.NULL;
            case 'g' -> GuidAtom.NULL;
            default -> null;
        };
        if (v == null) {
            throw error("unknown null literal '0N" + k + "' (known: 0N 0Nh 0Ni 0Nl 0Ne 0Nf 0Nd 0Nt 0Np 0Nn 0Ng)", start);
        }
        pos += 3;
        return v;
    }

    /**
     * A timespan at {@code p}, as the engine reads it: {@code [-]dD[h[h][:mm[:ss]][.f]]}, days any
     * number of digits, hours one or two digits (two when minutes follow), minutes and seconds two
     * digits below 60, at most 9 fraction digits counted (of seconds); a malformed time part is
     * {@code domain}. Null when there is no timespan at {@code p}.
     */
    private RayValue timespan(int p) {
        boolean neg = charAt(p, '-');
        int d = neg ? p + 1 : p;
        int q = d;
        while (q < end && isDigit(src.charAt(q))) {
            q++;
        }
        if (q == d || !charAt(q, 'D')) {
            return null;
        }
        long days;
        try {
            days = Long.parseLong(src.substring(d, q));
        } catch (NumberFormatException e) {
            throw domain("timespan days out of range: " + src.substring(d, q), p);
        }
        long nanos = 0;
        int t = q + 1;
        if (t < end && isDigit(src.charAt(t))) {
            int k = 0;
            int h = 0;
            while (t < end && isDigit(src.charAt(t))) {
                h = h * 10 + (src.charAt(t) - '0');
                k++;
                t++;
            }
            long secs = h * 3600L;
            if (k > 2 || charAt(t, ':') && k != 2) {
                throw domain("a timespan's hours take two digits: [-]dDhh:mm:ss.fffffffff", p);
            }
            if (charAt(t, ':')) {
                int m = digits(t + 1, 2);
                if (m < 0 || m > 59) {
                    throw domain("a timespan's minutes take two digits below 60: [-]dDhh:mm:ss.fffffffff", p);
                }
                secs += m * 60L;
                t += 3;
                if (charAt(t, ':')) {
                    int sec = digits(t + 1, 2);
                    if (sec < 0 || sec > 59) {
                        throw domain("a timespan's seconds take two digits below 60: [-]dDhh:mm:ss.fffffffff", p);
                    }
                    secs += sec;
                    t += 3;
                }
            }
            long frac = 0;
            if (charAt(t, '.')) {
                t++;
                int n = 0;
                if (t >= end || !isDigit(src.charAt(t))) {
                    throw domain("a timespan's fraction needs digits", p);
                }
                while (t < end && isDigit(src.charAt(t))) {
                    if (n < 9) {
                        frac = frac * 10 + (src.charAt(t) - '0');
                        n++;
                    }
                    t++;
                }
                for (; n < 9; n++) {
                    frac *= 10;
                }
            }
            nanos = secs * 1_000_000_000L + frac;
        }
        pos = t;
        long total = days * 86_400_000_000_000L + nanos;
        return new TimespanAtom(neg ? -total : total);
    }

    private int digits(int at, int n) {
        if (at + n > end) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < n; i++) {
            char c = src.charAt(at + i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private boolean charAt(int at, char c) {
        return at < end && src.charAt(at) == c;
    }

    /**
     * A date {@code yyyy.mm.dd}, a timestamp {@code yyyy.mm.ddDhh:mm:ss.f}, a time
     * {@code [-]hh:mm:ss[.f]}, or a timespan {@code [-]dD[hh:mm:ss[.f]]}.
     */
    private RayValue temporal() {
        int p = pos;
        RayValue span = timespan(p);
        if (span != null) {
            return span;
        }
        int year = digits(p, 4);
        if (year >= 0 && charAt(p + 4, '.') && digits(p + 5, 2) >= 0 && charAt(p + 7, '.') && digits(p + 8, 2) >= 0) {
            int month = digits(p + 5, 2);
            int day = digits(p + 8, 2);
            if (month < 1 || month > 12) {
                throw error("month " + src.substring(p + 5, p + 7) + " is out of range in date " + src.substring(p, p + 10), p);
            }
            if (day < 1 || day > 31) {
                throw error("day " + src.substring(p + 8, p + 10) + " is out of range in date " + src.substring(p, p + 10), p);
            }
            int days;
            try {
                // the engine rolls over days past the month's end (2024.02.30 is 2024.03.01)
                days = Temporals.days(LocalDate.of(year, month, 1)) + day - 1;
            } catch (DateTimeException e) {
                throw error("invalid date " + src.substring(p, p + 10), p);
            }
            int q = p + 10;
            if (!charAt(q, 'D')) {
                pos = q;
                return new DateAtom(days);
            }
            int h = digits(q + 1, 2);
            int m = digits(q + 4, 2);
            int s = digits(q + 7, 2);
            if (h < 0 || !charAt(q + 3, ':') || m < 0 || !charAt(q + 6, ':') || s < 0 || !charAt(q + 9, '.')) {
                throw error("a timestamp needs the form yyyy.mm.ddDhh:mm:ss.fffffffff", p);
            }
            if (h > 23 || m > 59 || s > 59) {
                throw error("time of day out of range in timestamp " + src.substring(p, q + 10), p);
            }
            int f = q + 10;
            long nanos = 0;
            int n = 0;
            while (f < end && isDigit(src.charAt(f))) {
                if (n < 9) {
                    nanos = nanos * 10 + (src.charAt(f) - '0');
                    n++;
                }
                f++;
            }
            for (; n < 9; n++) {
                nanos *= 10;
            }
            pos = f;
            long total = days * 86_400_000_000_000L + ((h * 60L + m) * 60L + s) * 1_000_000_000L + nanos;
            return new TimestampAtom(total);
        }
        boolean neg = charAt(p, '-');
        int t = neg ? p + 1 : p;
        int h = digits(t, 2);
        if (h >= 0 && charAt(t + 2, ':')) {
            int m = digits(t + 3, 2);
            int s = digits(t + 6, 2);
            if (m < 0 || !charAt(t + 5, ':') || s < 0) {
                throw error("a time needs the form hh:mm:ss or hh:mm:ss.fff", p);
            }
            int f = t + 8;
            int ms = 0;
            if (charAt(f, '.')) {
                f++;
                if (digits(f, 1) < 0) {
                    throw error("a time needs digits after its '.'", p);
                }
                int n = 0;
                while (f < end && isDigit(src.charAt(f))) {
                    if (n < 3) {
                        ms = ms * 10 + (src.charAt(f) - '0');
                        n++;
                    }
                    f++;
                }
                for (; n < 3; n++) {
                    ms *= 10;
                }
            }
            pos = f;
            long total = (h * 60L + m) * 60_000L + s * 1000L + ms;
            return new TimeAtom((int) (neg ? -total : total));
        }
        return null;
    }

    /** {@code 0x} and hex digits: a u8 of the last two digits (the engine wraps); a minus sign is dropped. */
    private RayValue hex() {
        int p = charAt(pos, '-') ? pos + 1 : pos;
        if (!(charAt(p, '0') && charAt(p + 1, 'x'))) {
            return null;
        }
        int q = p + 2;
        int v = 0;
        while (q < end && Character.digit(src.charAt(q), 16) >= 0 && src.charAt(q) < 128) {
            v = (v * 16 + Character.digit(src.charAt(q), 16)) & 0xff;
            q++;
        }
        if (q == p + 2) {
            throw error("'0x' needs hex digits", pos);
        }
        if (q - (p + 2) > 16) {
            throw error("hex literal " + src.substring(pos, q) + " has more than 16 digits", pos);
        }
        pos = q;
        return U8Atom.of(v);
    }

    private RayValue decimal(int start) {
        int p = pos;
        if (charAt(p, '-')) {
            p++;
        }
        while (p < end && isDigit(src.charAt(p))) {
            p++;
        }
        boolean fraction = false;
        boolean exponent = false;
        if (charAt(p, '.')) {
            if (!(p + 1 < end && isDigit(src.charAt(p + 1)))) {
                throw error("a number needs digits after its '.'", start);
            }
            fraction = true;
            p++;
            while (p < end && isDigit(src.charAt(p))) {
                p++;
            }
        }
        if (p < end && (src.charAt(p) == 'e' || src.charAt(p) == 'E')) {
            int q = p + 1;
            if (q < end && (src.charAt(q) == '+' || src.charAt(q) == '-')) {
                q++;
            }
            if (q < end && isDigit(src.charAt(q))) {
                exponent = true;
                p = q;
                while (p < end && isDigit(src.charAt(p))) {
                    p++;
                }
            }
        }
        String text = src.substring(pos, p);
        char suffix = p < end ? src.charAt(p) : ' ';
        pos = p;
        if (suffix == 'e') {
            pos++;
            double d = Double.parseDouble(text);
            if (Double.isInfinite(d)) {
                return F32Atom.NULL;
            }
            // the engine clamps a finite value past the f32 range to the largest f32
            return new F32Atom((float) Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, d)));
        }
        if (fraction || exponent) {
            double d = Double.parseDouble(text);
            return new F64Atom(Double.isInfinite(d) ? Double.NaN : d);
        }
        BigInteger big = new BigInteger(text);
        if (suffix == 'h' || suffix == 'i') {
            pos++;
            if (big.bitLength() >= 64) {
                throw error("number " + text + suffix + " is out of range", start);
            }
            long lim = suffix == 'h' ? Short.MAX_VALUE : Integer.MAX_VALUE;
            if (big.abs().compareTo(BigInteger.valueOf(lim)) > 0) {
                throw domain("number " + text + suffix + " is out of range for "
                        + (suffix == 'h' ? "i16" : "i32"), start);
            }
            return suffix == 'h' ? new I16Atom(big.shortValue()) : new I32Atom(big.intValue());
        }
        if (big.bitLength() < 64) {
            return new I64Atom(big.longValue());
        }
        if (big.equals(BigInteger.valueOf(Long.MIN_VALUE))) {
            return I64Atom.NULL;
        }
        // an integer literal too big for i64 becomes an f64; past f64's range, the engine's null (NaN)
        double d = Double.parseDouble(text);
        return new F64Atom(Double.isInfinite(d) ? Double.NaN : d);
    }

    // ---- bracketed vectors ----

    /** Collects the items of {@code [...]}: one type, except that i64 and f64 mix into f64. */
    private final class VectorBuilder {
        private RayType type;
        private final List<RayValue> items = new ArrayList<>();

        void add(RayValue item, int at) {
            if (item instanceof RayList || item instanceof RayDict || item instanceof io.rayforce.cluster.client.value.Vector
                    || item instanceof Name) {
                throw domain("a bracketed vector holds literals only; use (list ...) for nested or computed items", at);
            }
            RayType t = item.type();
            if (type == null) {
                type = t;
            } else if (type != t) {
                if ((type == RayType.I64 && t == RayType.F64) || (type == RayType.F64 && t == RayType.I64)) {
                    type = RayType.F64;
                } else {
                    throw domain("a bracketed vector mixes " + type.rayfallName() + " and " + t.rayfallName()
                            + " (only i64 and f64 mix)", at);
                }
            }
            items.add(item);
        }

        RayValue build() {
            int n = items.size();
            if (type == null) {
                return I64Vector.of();
            }
            switch (type) {
                case B8: {
                    boolean[] a = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = ((BoolAtom) items.get(i)).value();
                    }
                    return new BoolVector(a);
                }
                case U8: {
                    byte[] a = new byte[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = ((U8Atom) items.get(i)).value();
                    }
                    return new U8Vector(a);
                }
                case I16: {
                    short[] a = new short[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = ((I16Atom) items.get(i)).value();
                    }
                    return new I16Vector(a);
                }
                case I32: {
                    int[] a = new int[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = ((I32Atom) items.get(i)).value();
                    }
                    return new I32Vector(a);
                }
                case I64: {
                    long[] a = new long[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = ((I64Atom) items.get(i)).value();
                    }
                    return new I64Vector(a);
                }
                case F32: {
                    float[] a = new float[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = ((F32Atom) items.get(i)).value();
                    }
                    return new F32Vector(a);
                }
                case F64: {
                    double[] a = new double[n];
                    for (int i = 0; i < n; i++) {
                        RayValue v = items.get(i);
                        if (v instanceof I64Atom l) {
                            a[i] = l.isNull() ? Nulls.F64 : (double) l.value();
                        } else {
                            a[i] = ((F64Atom) v).value();
                        }
                    }
                    return new F64Vector(a);
                }
                case DATE: {
                    int[] a = new int[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = ((DateAtom) items.get(i)).days();
                    }
                    return new DateVector(a);
                }
                case TIME: {
                    int[] a = new int[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = ((TimeAtom) items.get(i)).millis();
                    }
                    return new TimeVector(a);
                }
                case TIMESTAMP: {
                    long[] a = new long[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = ((TimestampAtom) items.get(i)).nanos();
                    }
                    return new TimestampVector(a);
                }
                case TIMESPAN: {
                    long[] a = new long[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = ((TimespanAtom) items.get(i)).nanos();
                    }
                    return new TimespanVector(a);
                }
                case GUID: {
                    return GuidVector.of(items.stream().map(v -> ((GuidAtom) v).value()).toArray(java.util.UUID[]::new));
                }
                case SYMBOL: {
                    return SymbolVector.of(items.stream().map(v -> ((Symbol) v).name()).toList());
                }
                case STRING: {
                    return StringVector.of(items.stream().map(v -> ((Str) v).value()).toArray(String[]::new));
                }
                default:
                    throw new IllegalStateException("no vector of " + type);
            }
        }
    }

    // ---- characters and errors ----

    private void skipBlank() {
        while (pos < end) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else if (c == ';') {
                while (pos < end && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Characters of a name token: ASCII letters, digits and {@code ! # $ % & * + , - . / < = > ? @ ^ _ | ~}. */
    public static boolean isNameChar(char c) {
        if (c <= ' ' || c >= 127) {
            return false;
        }
        return switch (c) {
            case '"', '\'', '(', ')', '[', ']', '{', '}', ':', ';', '\\', '`' -> false;
            default -> true;
        };
    }

    private static String describe(char c) {
        return c < ' ' || c >= 127 ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    private String where(int offset) {
        int[] lc = lineColumn(offset);
        return "line " + lc[0] + ", column " + lc[1];
    }

    private int[] lineColumn(int offset) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < offset && i < end; i++) {
            if (src.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new int[] {line, col};
    }

    private RayfallSyntaxError error(String reason, int offset) {
        int[] lc = lineColumn(offset);
        return new RayfallSyntaxError(reason, lc[0], lc[1], offset, "parse");
    }

    private RayfallSyntaxError domain(String reason, int offset) {
        int[] lc = lineColumn(offset);
        return new RayfallSyntaxError(reason, lc[0], lc[1], offset, "domain");
    }
}
