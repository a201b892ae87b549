package io.rayforce.cluster.client.ipc;

import io.rayforce.cluster.client.RayforceProtocolError;
import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.Builtin;
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
import io.rayforce.cluster.client.value.Lambda;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayError;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayNull;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayType;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimeAtom;
import io.rayforce.cluster.client.value.TimeVector;
import io.rayforce.cluster.client.value.TimestampAtom;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.client.value.TimespanAtom;
import io.rayforce.cluster.client.value.TimespanVector;
import io.rayforce.cluster.client.value.U8Atom;
import io.rayforce.cluster.client.value.U8Vector;
import io.rayforce.cluster.client.value.Vector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Deserializes one value from a payload in the engine's wire format. Every length is checked
 * against the bytes that remain before anything is allocated, and lists grow with the items
 * actually read, so a hostile length field cannot cause a large allocation (decoding allocates
 * memory linear in the payload); any violation is a {@link RayforceProtocolError} naming the
 * offset.
 */
public final class ValueReader {
    /** How symbol atoms are read. */
    public enum Mode {
        /**
         * Results: every symbol atom is a {@link Symbol}. The engine marks literal symbols with the
         * quoted flag but sends symbols made by builtins without it; in data both are symbols.
         * Inside a lambda the flag is kept, since there it separates names from symbols.
         */
        RESULT,
        /** Requests: the quoted flag separates a {@link Symbol} from a {@link Name} reference. */
        EXPRESSION
    }

    private final ByteBuffer in;
    /** The payload's array and where the buffer starts in it (payloads are heap arrays). */
    private final byte[] array;
    private final int base;
    private final SymbolInterner symbols = new SymbolInterner();
    private final Mode mode;
    private int depth;
    private int lambdaDepth;

    private ValueReader(ByteBuffer in, Mode mode) {
        ByteBuffer slice = in.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (!slice.hasArray()) {
            byte[] copy = new byte[slice.remaining()];
            slice.get(copy);
            slice = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        }
        this.in = slice;
        this.array = slice.array();
        this.base = slice.arrayOffset();
        this.mode = mode;
    }

    /** Reads exactly one value that fills {@code payload}, as a result. */
    public static RayValue read(byte[] payload) {
        return read(ByteBuffer.wrap(payload), Mode.RESULT);
    }

    /** Reads exactly one value filling the remaining bytes of {@code payload}. */
    public static RayValue read(ByteBuffer payload, Mode mode) {
        ValueReader r = new ValueReader(payload, mode);
        RayValue v = r.value();
        if (r.in.hasRemaining()) {
            throw r.malformed(r.in.remaining() + " trailing bytes after the value");
        }
        return v;
    }

    private RayValue value() {
        if (++depth > Wire.MAX_DEPTH) {
            throw malformed("nesting deeper than " + Wire.MAX_DEPTH);
        }
        need(1, "type byte");
        int code = in.get();
        RayValue v;
        if (code < 0) {
            v = atom(-code);
        } else {
            v = compound(code);
        }
        depth--;
        return v;
    }

    private RayValue compound(int code) {
        if (code == 126) {
            return RayNull.INSTANCE;
        }
        if (code == 127) {
            need(RayError.MAX_CODE_BYTES, "error code");
            byte[] raw = new byte[RayError.MAX_CODE_BYTES];
            in.get(raw);
            int len = 0;
            while (len < raw.length && raw[len] != 0) {
                if (raw[len] < 0) {
                    // engine error codes are ASCII words; anything else could not be sent on unchanged
                    throw malformed(String.format("error code byte %02x is not ASCII", raw[len] & 0xFF));
                }
                len++;
            }
            return new RayError(new String(raw, 0, len, StandardCharsets.US_ASCII));
        }
        RayType type = RayType.ofCode(code);
        if (type == null) {
            throw malformed("unknown type code " + code);
        }
        switch (type) {
            case UNARY, BINARY, VARY: {
                String name = cString("builtin name");
                if (Utf8.length(name) > Builtin.MAX_NAME_BYTES) {
                    // no builtin has such a name, and the encoder could not send it on
                    throw malformed("builtin name of " + Utf8.length(name) + " bytes (at most " + Builtin.MAX_NAME_BYTES + ")");
                }
                return new Builtin(type, name);
            }
            case DICT: {
                attrs();
                RayValue keys = value();
                RayValue values = value();
                return new RayDict(keys, values);
            }
            case TABLE: {
                attrs();
                RayValue names = value();
                RayValue cols = value();
                if (!(names instanceof SymbolVector sv)) {
                    throw malformed("table column names are a " + names.type().rayfallName() + ", not a symbol vector");
                }
                if (!(cols instanceof RayList list)) {
                    throw malformed("table columns are a " + cols.type().rayfallName() + ", not a list");
                }
                List<Vector> columns = new ArrayList<>(list.length());
                for (int i = 0; i < list.length(); i++) {
                    if (!(list.get(i) instanceof Vector col)) {
                        throw malformed("table column " + i + " is a " + list.get(i).type().rayfallName() + ", not a vector");
                    }
                    columns.add(col);
                }
                try {
                    return new RayTable(sv, columns);
                } catch (IllegalArgumentException e) {
                    throw malformed(e.getMessage());
                }
            }
            case LAMBDA: {
                byte attrs = attrs();
                lambdaDepth++;
                RayValue params = value();
                RayValue body = value();
                RayValue closure = (attrs & Lambda.HAS_CLOSURE) != 0 ? value() : null;
                lambdaDepth--;
                return new Lambda(attrs, params, body, closure);
            }
            case NULL, ERROR:
                throw new AssertionError("handled above");
            default: {
                // kept with the vector: the engine's has-nulls bit is sticky, so it is sent on as it came
                byte attrs = attrs();
                return vector(type).withWireAttrs(attrs);
            }
        }
    }

    private byte attrs() {
        need(1, "attributes byte");
        return in.get();
    }

    /** A vector's length and items, after its attributes byte. */
    private Vector vector(RayType type) {
        need(8, "vector length");
        long count = in.getLong();
        if (count < 0) {
            throw malformed("negative " + type.rayfallName() + " vector length " + count);
        }
        // the smallest possible encoding of each element bounds the count by the bytes left
        long minElement = switch (type) {
            case SYMBOL, LIST -> 1;
            case STRING -> 8;
            default -> type.elementSize();
        };
        if (count > in.remaining() / minElement) {
            throw malformed(type.rayfallName() + " vector declares " + count + " elements but only "
                    + in.remaining() + " bytes remain");
        }
        int n = (int) count;
        switch (type) {
            case LIST: {
                // the array grows with the items actually read: allocated whole, every level of a
                // nest of lists could claim all the bytes that remain (512 levels: 2 GB for 1 MB)
                RayValue[] items = new RayValue[Math.min(n, 16)];
                for (int i = 0; i < n; i++) {
                    if (i == items.length) {
                        items = Arrays.copyOf(items, (int) Math.min(n, 2L * items.length));
                    }
                    items[i] = value();
                }
                return new RayList(items);
            }
            case SYMBOL: {
                String[] names = new String[n];
                int pos = base + in.position();
                int limit = base + in.limit();
                for (int i = 0; i < n; i++) {
                    String s = symbols.read(array, pos, limit);
                    if (s == null) {
                        in.position(pos - base);
                        throw malformed("symbol without its terminating NUL byte");
                    }
                    names[i] = s;
                    pos = symbols.end + 1;
                }
                in.position(pos - base);
                return new SymbolVector(names);
            }
            case STRING: {
                String[] values = new String[n];
                for (int i = 0; i < n; i++) {
                    values[i] = string();
                }
                return new StringVector(values);
            }
            case B8: {
                boolean[] b = new boolean[n];
                for (int i = 0; i < n; i++) {
                    b[i] = in.get() != 0;
                }
                return new BoolVector(b);
            }
            case U8: {
                byte[] b = new byte[n];
                in.get(b);
                return new U8Vector(b);
            }
            case I16: {
                short[] s = new short[n];
                in.asShortBuffer().get(s);
                skip(n * 2L);
                return new I16Vector(s);
            }
            case I32, DATE, TIME: {
                int[] v = new int[n];
                in.asIntBuffer().get(v);
                skip(n * 4L);
                return type == RayType.I32 ? new I32Vector(v) : type == RayType.DATE ? new DateVector(v) : new TimeVector(v);
            }
            case I64, TIMESTAMP, TIMESPAN: {
                long[] v = new long[n];
                in.asLongBuffer().get(v);
                skip(n * 8L);
                return type == RayType.I64 ? new I64Vector(v) : type == RayType.TIMESTAMP ? new TimestampVector(v)
                        : new TimespanVector(v);
            }
            case F32: {
                float[] v = new float[n];
                in.asFloatBuffer().get(v);
                skip(n * 4L);
                return new F32Vector(v);
            }
            case F64: {
                double[] v = new double[n];
                in.asDoubleBuffer().get(v);
                skip(n * 8L);
                return new F64Vector(v);
            }
            case GUID: {
                long[] bits = new long[n * 2];
                in.order(ByteOrder.BIG_ENDIAN).asLongBuffer().get(bits);
                in.order(ByteOrder.LITTLE_ENDIAN);
                skip(n * 16L);
                return new GuidVector(bits);
            }
            default:
                throw malformed("type " + type.rayfallName() + " has no vector form");
        }
    }

    private RayValue atom(int code) {
        RayType type = RayType.ofCode(code);
        if (type == null || !type.isScalar()) {
            throw malformed("unknown atom type code " + (-code));
        }
        need(1, "atom flags");
        int flags = in.get() & 0xFF;
        switch (type) {
            case SYMBOL: {
                String name = symbol();
                if ((flags & Wire.ATOM_NULL) != 0) {
                    return new Symbol("");
                }
                boolean quoted = (flags & Wire.ATOM_QUOTED) != 0;
                boolean exact = mode == Mode.EXPRESSION || lambdaDepth > 0;
                if (!exact) {
                    // data: a symbol either way, keeping the flag so it is sent on as it came
                    return quoted ? new Symbol(name) : Symbol.computed(name);
                }
                return quoted || name.isEmpty() ? new Symbol(name) : new Name(name);
            }
            case STRING: {
                String s = string();
                return (flags & Wire.ATOM_NULL) != 0 ? new Str("") : new Str(s);
            }
            default:
                break;
        }
        need(type.elementSize(), type.rayfallName() + " atom");
        if ((flags & Wire.ATOM_NULL) != 0 && type != RayType.B8 && type != RayType.U8) {
            // as the engine does: the null flag forces the typed null whatever the value bytes say
            in.position(in.position() + type.elementSize());
            return typedNull(type);
        }
        return switch (type) {
            case B8 -> BoolAtom.of(in.get() != 0);
            case U8 -> new U8Atom(in.get());
            case I16 -> new I16Atom(in.getShort());
            case I32 -> new I32Atom(in.getInt());
            case DATE -> new DateAtom(in.getInt());
            case TIME -> new TimeAtom(in.getInt());
            case I64 -> new I64Atom(in.getLong());
            case TIMESTAMP -> new TimestampAtom(in.getLong());
            case TIMESPAN -> new TimespanAtom(in.getLong());
            case F32 -> new F32Atom(in.getFloat());
            case F64 -> new F64Atom(in.getDouble());
            case GUID -> {
                in.order(ByteOrder.BIG_ENDIAN);
                UUID u = new UUID(in.getLong(), in.getLong());
                in.order(ByteOrder.LITTLE_ENDIAN);
                yield new GuidAtom(u);
            }
            default -> throw malformed("type " + type.rayfallName() + " has no atom form");
        };
    }

    private static RayValue typedNull(RayType type) {
        return switch (type) {
            case I16 -> I16Atom.NULL;
            case I32 -> I32Atom.NULL;
            case DATE -> DateAtom.NULL;
            case TIME -> TimeAtom.NULL;
            case I64 -> I64Atom.NULL;
            case TIMESTAMP -> TimestampAtom.NULL;
            case TIMESPAN -> TimespanAtom.NULL;
            case F32 -> F32Atom.NULL;
            case F64 -> F64Atom.NULL;
            case GUID -> GuidAtom.NULL;
            default -> throw new IllegalArgumentException("no typed null for " + type);
        };
    }

    private String symbol() {
        int start = base + in.position();
        String s = symbols.read(array, start, base + in.limit());
        if (s == null) {
            throw malformed("symbol without its terminating NUL byte");
        }
        in.position(symbols.end - base + 1);
        return s;
    }

    private String cString(String what) {
        int start = in.position();
        int end = start;
        while (end < in.limit() && in.get(end) != 0) {
            end++;
        }
        if (end == in.limit()) {
            throw malformed(what + " without its terminating NUL byte");
        }
        byte[] b = new byte[end - start];
        in.get(b);
        in.get();
        return new String(b, StandardCharsets.UTF_8);
    }

    private String string() {
        need(8, "string length");
        long len = in.getLong();
        if (len < 0 || len > in.remaining()) {
            throw malformed("string declares " + len + " bytes but " + in.remaining() + " remain");
        }
        String s = new String(array, base + in.position(), (int) len, StandardCharsets.UTF_8);
        in.position(in.position() + (int) len);
        return s;
    }

    private void need(long bytes, String what) {
        if (in.remaining() < bytes) {
            throw malformed("truncated " + what + ": needs " + bytes + " bytes, " + in.remaining() + " remain");
        }
    }

    private void skip(long bytes) {
        in.position(in.position() + (int) bytes);
    }

    private RayforceProtocolError malformed(String what) {
        return new RayforceProtocolError("malformed payload at byte " + in.position() + ": " + what);
    }
}
