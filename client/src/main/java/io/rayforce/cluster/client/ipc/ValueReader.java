package io.rayforce.cluster.client.ipc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
 * Deserializes one value from a payload in the engine's wire format: either a whole payload at
 * once ({@link #read}), or a payload of known size fed in pieces as its bytes arrive
 * ({@link #feed}), so that a large result is decoded straight from the socket's buffers into its
 * column arrays while the rest is still on its way. Both ways run the same resumable parser (an
 * explicit stack of the lists, dicts, tables and lambdas still open) and give the same value or
 * the same error, wherever the pieces are cut.
 *
 * <p>Every length is checked against the bytes the payload has left before anything is
 * allocated: an array is allocated whole only when it takes no more memory than those bytes
 * (typed vectors, strings, the references of most symbol and string vectors), and lists, and
 * symbol vectors claiming more, grow with the items actually read. So a hostile length field
 * cannot cause a large allocation (decoding allocates memory linear in the payload, and in the
 * bytes that arrived for all but one array or string); any violation is a
 * {@link RayforceProtocolError} naming the offset.
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

    /** What the parser expects next. */
    private enum State {
        /** The type byte of a value. */
        VALUE,
        ATOM_FLAGS,
        /** The bytes of a fixed-width atom. */
        ATOM,
        ERROR_CODE,
        /** The attributes byte of a dict, table, lambda or vector. */
        ATTRS,
        VECTOR_LENGTH,
        /** NUL-terminated names: a symbol atom, a symbol vector's elements or a builtin's name. */
        NAMES,
        STRING_LENGTH,
        STRING_BYTES,
        /** The elements of a fixed-width vector. */
        FIXED,
        DONE
    }

    /** Heap bytes a direct buffer's names are copied to, a window at a time. */
    private static final int WINDOW_BYTES = 64 * 1024;

    private final Mode mode;
    /** The payload's size, and the offset in it of the next byte to read. */
    private final long size;
    private long pos;
    /** Shares one string per distinct symbol of the payload; made for the first name. */
    private SymbolInterner symbols;

    private State state = State.VALUE;
    /** The innermost container still open, and how many are open (the depth of the next value). */
    private Open open;
    private int openCount;
    private int lambdaDepth;
    private RayValue result;
    /**
     * The attributes byte of the vector being read, kept with it: the engine's has-nulls bit is
     * sticky, so an answer passed on keeps the bits it came with.
     */
    private byte vectorAttrs;

    /** The value being read: its type, atom flags and, for vectors, length and progress. */
    private RayType type;
    private int flags;
    private int count;
    private int index;

    /** The bytes of a short item (type byte, length, atom) gathered so far, when split between buffers. */
    private final byte[] token = new byte[16];
    private final ByteBuffer tokenLe = ByteBuffer.wrap(token).order(ByteOrder.LITTLE_ENDIAN);
    private int tokenFill;

    /** Names and strings: the vector's elements read so far (unused for a single name). */
    private String[] strings;
    private String name;
    /** A name whose NUL has not arrived yet: its bytes so far, and its offset (for the error). */
    private byte[] partial;
    private int partialLength;
    private long partialStart;
    private byte[] window;
    /** A string being read: its length, and its bytes when they are split between buffers. */
    private int stringLength;
    private byte[] stringBytes;
    private int stringFill;

    /** A fixed-width vector: its elements' array (two longs per guid) and the bytes per element. */
    private Object array;
    private int width;

    /** A reader for a payload of {@code size} bytes, to be given its bytes with {@link #feed}. */
    ValueReader(Mode mode, long size) {
        this.mode = mode;
        this.size = size;
    }

    /** Reads exactly one value that fills {@code payload}, as a result. */
    public static RayValue read(byte[] payload) {
        return read(ByteBuffer.wrap(payload), Mode.RESULT);
    }

    /** Reads exactly one value filling the remaining bytes of {@code payload}. */
    public static RayValue read(ByteBuffer payload, Mode mode) {
        ByteBuffer slice = payload.slice();
        ValueReader r = new ValueReader(mode, slice.remaining());
        ByteBuf in = slice.hasArray()
                ? Unpooled.wrappedBuffer(slice.array(), slice.arrayOffset(), slice.remaining())
                : Unpooled.wrappedBuffer(slice);
        if (!r.feed(in)) {
            throw new IllegalStateException("the whole payload was given but the value is not complete");
        }
        return r.value();
    }

    /**
     * Decodes the readable bytes of {@code in}, which must not run past the end of the payload,
     * and consumes them. Returns true once the value is complete and filled the payload exactly,
     * false while it needs more bytes. Any violation throws a {@link RayforceProtocolError} as
     * soon as the bytes seen prove it (a truncation as soon as the bytes the payload has left
     * cannot hold what the value needs); the reader is unusable after that.
     */
    boolean feed(ByteBuf in) {
        while (state != State.DONE) {
            boolean progressed = switch (state) {
                case VALUE -> startValue(in);
                case ATOM_FLAGS -> atomFlags(in);
                case ATOM -> atom(in);
                case ERROR_CODE -> errorCode(in);
                case ATTRS -> attrs(in);
                case VECTOR_LENGTH -> vectorLength(in);
                case NAMES -> names(in);
                case STRING_LENGTH -> stringLength(in);
                case STRING_BYTES -> stringBytes(in);
                case FIXED -> fixed(in);
                case DONE -> true;
            };
            if (!progressed) {
                return false;
            }
        }
        return true;
    }

    /** The value, once {@link #feed} returned true. */
    RayValue value() {
        if (state != State.DONE) {
            throw new IllegalStateException("the value is not complete");
        }
        return result;
    }

    private boolean startValue(ByteBuf in) {
        if (openCount + 1 > Wire.MAX_DEPTH) {
            throw malformed("nesting deeper than " + Wire.MAX_DEPTH);
        }
        need(1, "type byte");
        if (!in.isReadable()) {
            return false;
        }
        int code = in.readByte();
        pos++;
        if (code < 0) {
            type = RayType.ofCode(-code);
            if (type == null || !type.isScalar()) {
                throw malformed("unknown atom type code " + code);
            }
            expect(State.ATOM_FLAGS, 1, "atom flags");
            return true;
        }
        if (code == 126) {
            complete(RayNull.INSTANCE);
            return true;
        }
        if (code == 127) {
            expect(State.ERROR_CODE, RayError.MAX_CODE_BYTES, "error code");
            return true;
        }
        type = RayType.ofCode(code);
        if (type == null) {
            throw malformed("unknown type code " + code);
        }
        switch (type) {
            case UNARY, BINARY, VARY -> startNames(1);
            default -> expect(State.ATTRS, 1, "attributes byte");
        }
        return true;
    }

    private boolean atomFlags(ByteBuf in) {
        if (!in.isReadable()) {
            return false;
        }
        flags = in.readByte() & 0xFF;
        pos++;
        switch (type) {
            case SYMBOL -> startNames(1);
            case STRING -> expect(State.STRING_LENGTH, 8, "string length");
            default -> expect(State.ATOM, type.elementSize(), type.rayfallName() + " atom");
        }
        return true;
    }

    private boolean atom(ByteBuf in) {
        if (!take(in, type.elementSize())) {
            return false;
        }
        if ((flags & Wire.ATOM_NULL) != 0 && type != RayType.B8 && type != RayType.U8) {
            // as the engine does: the null flag forces the typed null whatever the value bytes say
            complete(typedNull(type));
            return true;
        }
        complete(switch (type) {
            case B8 -> BoolAtom.of(token[0] != 0);
            case U8 -> new U8Atom(token[0]);
            case I16 -> new I16Atom(tokenLe.getShort(0));
            case I32 -> new I32Atom(tokenLe.getInt(0));
            case DATE -> new DateAtom(tokenLe.getInt(0));
            case TIME -> new TimeAtom(tokenLe.getInt(0));
            case I64 -> new I64Atom(tokenLe.getLong(0));
            case TIMESTAMP -> new TimestampAtom(tokenLe.getLong(0));
            case TIMESPAN -> new TimespanAtom(tokenLe.getLong(0));
            case F32 -> new F32Atom(tokenLe.getFloat(0));
            case F64 -> new F64Atom(tokenLe.getDouble(0));
            case GUID -> {
                ByteBuffer be = ByteBuffer.wrap(token);
                yield new GuidAtom(new UUID(be.getLong(0), be.getLong(8)));
            }
            default -> throw malformed("type " + type.rayfallName() + " has no atom form");
        });
        return true;
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

    private boolean errorCode(ByteBuf in) {
        if (!take(in, RayError.MAX_CODE_BYTES)) {
            return false;
        }
        int len = 0;
        while (len < RayError.MAX_CODE_BYTES && token[len] != 0) {
            if (token[len] < 0) {
                // engine error codes are ASCII words; anything else could not be sent on unchanged
                throw malformed(String.format("error code byte %02x is not ASCII", token[len] & 0xFF));
            }
            len++;
        }
        complete(new RayError(new String(token, 0, len, StandardCharsets.US_ASCII)));
        return true;
    }

    private boolean attrs(ByteBuf in) {
        if (!in.isReadable()) {
            return false;
        }
        byte attrs = in.readByte();
        pos++;
        switch (type) {
            case DICT, TABLE -> push(type, attrs, 2);
            case LAMBDA -> {
                push(type, attrs, (attrs & Lambda.HAS_CLOSURE) != 0 ? 3 : 2);
                lambdaDepth++;
            }
            default -> {
                vectorAttrs = attrs;
                expect(State.VECTOR_LENGTH, 8, "vector length");
            }
        }
        return true;
    }

    private boolean vectorLength(ByteBuf in) {
        if (!take(in, 8)) {
            return false;
        }
        long n = tokenLe.getLong(0);
        if (n < 0) {
            throw malformed("negative " + type.rayfallName() + " vector length " + n);
        }
        // the smallest possible encoding of each element bounds the count by the bytes left
        long minElement = switch (type) {
            case SYMBOL, LIST -> 1;
            case STRING -> 8;
            default -> type.elementSize();
        };
        if (n > remaining() / minElement) {
            throw malformed(type.rayfallName() + " vector declares " + n + " elements but only "
                    + remaining() + " bytes remain");
        }
        count = (int) n;
        index = 0;
        switch (type) {
            case LIST -> {
                if (count == 0) {
                    complete(new RayList(new RayValue[0]).withWireAttrs(vectorAttrs));
                } else {
                    push(type, vectorAttrs, count);
                }
            }
            case SYMBOL -> {
                if (count == 0) {
                    complete(new SymbolVector(new String[0]).withWireAttrs(vectorAttrs));
                } else {
                    strings = elementArray();
                    startNames(count);
                }
            }
            case STRING -> {
                if (count == 0) {
                    complete(new StringVector(new String[0]).withWireAttrs(vectorAttrs));
                } else {
                    strings = elementArray();
                    expect(State.STRING_LENGTH, 8, "string length");
                }
            }
            default -> startFixed();
        }
        return true;
    }

    // ---- names: NUL-terminated symbols and builtin names

    /**
     * Reads {@code n} names: one for a symbol atom or a builtin, the elements of a symbol vector
     * (then {@link #strings} is set).
     */
    private void startNames(int n) {
        if (symbols == null) {
            symbols = new SymbolInterner();
        }
        count = n;
        index = 0;
        partialLength = 0;
        state = State.NAMES;
    }

    private boolean names(ByteBuf in) {
        while (index < count) {
            if (!in.isReadable()) {
                if (remaining() == 0) {
                    throw malformed(partialLength > 0 ? partialStart : pos,
                            (type == RayType.SYMBOL ? "symbol" : "builtin name") + " without its terminating NUL byte");
                }
                return false;
            }
            // the readable bytes (or the first of them, copied, when they are not on the heap)
            byte[] a;
            int from;
            int limit;
            if (in.hasArray()) {
                a = in.array();
                from = in.arrayOffset() + in.readerIndex();
                limit = from + in.readableBytes();
            } else {
                if (window == null) {
                    // no bigger than the payload left: a small answer's one name must not cost a 64 KiB array
                    window = new byte[(int) Math.max(1, Math.min(WINDOW_BYTES, remaining()))];
                }
                a = window;
                from = 0;
                limit = Math.min(window.length, in.readableBytes());
                in.getBytes(in.readerIndex(), a, 0, limit);
            }
            int p = from;
            if (partialLength > 0) {
                // the rest of a name that began in earlier bytes
                int nul = p;
                while (nul < limit && a[nul] != 0) {
                    nul++;
                }
                appendPartial(a, p, nul);
                if (nul == limit) {
                    consume(in, limit - from);
                    continue;
                }
                p = nul + 1;
                ensurePartial(partialLength + 1);
                partial[partialLength] = 0;
                store(symbols.read(partial, 0, partialLength + 1), in);
                partialLength = 0;
            }
            if (strings != null) {
                while (index < count) {
                    if (index == strings.length) {
                        strings = grow(strings, in);
                    }
                    index = symbols.readAll(a, p, limit, strings, index, strings.length);
                    p = symbols.next;
                    if (index < strings.length) {
                        break; // a symbol whose NUL is not in these bytes
                    }
                }
            } else if (index < count) {
                String s = symbols.read(a, p, limit);
                if (s != null) {
                    store(s, in);
                    p = symbols.end + 1;
                }
            }
            if (index < count && p < limit) {
                // a name whose NUL is in bytes still to come
                partialStart = pos + (p - from);
                appendPartial(a, p, limit);
                p = limit;
            }
            consume(in, p - from);
        }
        finishNames();
        return true;
    }

    private void store(String s, ByteBuf in) {
        if (strings == null) {
            name = s;
            index++;
            return;
        }
        if (index == strings.length) {
            strings = grow(strings, in);
        }
        strings[index++] = s;
    }

    /**
     * The array for the elements of a symbol or string vector: whole when its references (4 bytes
     * each, with compressed pointers) take no more memory than the bytes the payload has left, as
     * a typed vector's array does; that holds for every string vector (8 bytes or more a string)
     * and for the symbol columns of real results. Else one that grows with the elements read.
     */
    private String[] elementArray() {
        return count <= remaining() / 4 ? new String[count] : new String[0];
    }

    /**
     * A bigger array for the elements of a symbol or string vector: room for as many more as the
     * bytes at hand could hold (all of them when the whole payload is at hand), at least four
     * times as many (few copies of a large column, and memory still linear in what arrived).
     */
    private String[] grow(String[] a, ByteBuf in) {
        long want = Math.max(Math.max(16, 4L * a.length), (long) index + in.readableBytes());
        return Arrays.copyOf(a, (int) Math.min(count, want));
    }

    private void finishNames() {
        switch (type) {
            case SYMBOL -> {
                if (strings != null) {
                    complete(new SymbolVector(strings).withWireAttrs(vectorAttrs));
                    strings = null;
                    return;
                }
                if ((flags & Wire.ATOM_NULL) != 0) {
                    complete(new Symbol(""));
                    return;
                }
                boolean quoted = (flags & Wire.ATOM_QUOTED) != 0;
                boolean exact = mode == Mode.EXPRESSION || lambdaDepth > 0;
                if (!exact) {
                    // data: a symbol either way, keeping the flag so it is sent on as it came
                    complete(quoted ? new Symbol(name) : Symbol.computed(name));
                } else {
                    complete(quoted || name.isEmpty() ? new Symbol(name) : new Name(name));
                }
            }
            default -> {
                if (Utf8.length(name) > Builtin.MAX_NAME_BYTES) {
                    // no builtin has such a name, and the encoder could not send it on
                    throw malformed("builtin name of " + Utf8.length(name) + " bytes (at most " + Builtin.MAX_NAME_BYTES + ")");
                }
                complete(new Builtin(type, name));
            }
        }
    }

    private void appendPartial(byte[] a, int from, int to) {
        ensurePartial(partialLength + (to - from));
        System.arraycopy(a, from, partial, partialLength, to - from);
        partialLength += to - from;
    }

    private void ensurePartial(int capacity) {
        if (partial == null) {
            partial = new byte[Math.max(16, capacity)];
        } else if (partial.length < capacity) {
            partial = Arrays.copyOf(partial, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(capacity, 2L * partial.length)));
        }
    }

    // ---- strings: a STR atom, or the elements of a string vector

    private boolean stringLength(ByteBuf in) {
        if (!take(in, 8)) {
            return false;
        }
        long len = tokenLe.getLong(0);
        if (len < 0 || len > remaining()) {
            throw malformed("string declares " + len + " bytes but " + remaining() + " remain");
        }
        stringLength = (int) len;
        stringFill = 0;
        state = State.STRING_BYTES;
        return true;
    }

    private boolean stringBytes(ByteBuf in) {
        String s;
        if (stringBytes == null && in.readableBytes() >= stringLength) {
            s = in.toString(in.readerIndex(), stringLength, StandardCharsets.UTF_8);
            consume(in, stringLength);
        } else {
            if (stringBytes == null) {
                stringBytes = new byte[stringLength];
            }
            int n = Math.min(in.readableBytes(), stringLength - stringFill);
            in.readBytes(stringBytes, stringFill, n);
            stringFill += n;
            pos += n;
            if (stringFill < stringLength) {
                return false;
            }
            s = new String(stringBytes, StandardCharsets.UTF_8);
            stringBytes = null;
        }
        if (strings == null) {
            complete((flags & Wire.ATOM_NULL) != 0 ? new Str("") : new Str(s));
            return true;
        }
        if (index == strings.length) {
            strings = grow(strings, in);
        }
        strings[index++] = s;
        if (index == count) {
            complete(new StringVector(strings).withWireAttrs(vectorAttrs));
            strings = null;
        } else {
            expect(State.STRING_LENGTH, 8, "string length");
        }
        return true;
    }

    // ---- fixed-width vectors

    private void startFixed() {
        width = type == RayType.GUID ? 8 : type.elementSize();
        array = switch (type) {
            case B8 -> new boolean[count];
            case U8 -> new byte[count];
            case I16 -> new short[count];
            case I32, DATE, TIME -> new int[count];
            case I64, TIMESTAMP, TIMESPAN -> new long[count];
            case F32 -> new float[count];
            case F64 -> new double[count];
            case GUID -> new long[2 * count];
            default -> throw malformed("type " + type.rayfallName() + " has no vector form");
        };
        if (type == RayType.GUID) {
            count *= 2; // read as big-endian longs, two per guid
        }
        if (count == 0) {
            finishFixed();
        } else {
            state = State.FIXED;
        }
    }

    private boolean fixed(ByteBuf in) {
        if (tokenFill > 0 || in.readableBytes() < width) {
            // an element split between two buffers
            if (!take(in, width)) {
                return false;
            }
            copyElements(Unpooled.wrappedBuffer(token, 0, width), 1);
        }
        int n = Math.min(count - index, in.readableBytes() / width);
        if (n > 0) {
            copyElements(in, n);
            pos += (long) n * width;
        }
        if (index == count) {
            finishFixed();
        }
        return true;
    }

    /**
     * Copies {@code n} elements from {@code in} to the array (in bulk; little-endian, guids
     * big-endian) and consumes them; the caller counts the bytes.
     */
    private void copyElements(ByteBuf in, int n) {
        int bytes = n * width;
        int at = in.readerIndex();
        switch (type) {
            case B8 -> {
                boolean[] b = (boolean[]) array;
                for (int i = 0; i < n; i++) {
                    b[index + i] = in.getByte(at + i) != 0;
                }
            }
            case U8 -> in.getBytes(at, (byte[]) array, index, n);
            default -> {
                ByteBuffer src = in.nioBuffer(at, bytes)
                        .order(type == RayType.GUID ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                switch (type) {
                    case I16 -> src.asShortBuffer().get((short[]) array, index, n);
                    case I32, DATE, TIME -> src.asIntBuffer().get((int[]) array, index, n);
                    case I64, TIMESTAMP, TIMESPAN, GUID -> src.asLongBuffer().get((long[]) array, index, n);
                    case F32 -> src.asFloatBuffer().get((float[]) array, index, n);
                    case F64 -> src.asDoubleBuffer().get((double[]) array, index, n);
                    default -> throw new AssertionError(type);
                }
            }
        }
        in.skipBytes(bytes);
        index += n;
    }

    private void finishFixed() {
        Object a = array;
        array = null;
        Vector v = switch (type) {
            case B8 -> new BoolVector((boolean[]) a);
            case U8 -> new U8Vector((byte[]) a);
            case I16 -> new I16Vector((short[]) a);
            case I32 -> new I32Vector((int[]) a);
            case DATE -> new DateVector((int[]) a);
            case TIME -> new TimeVector((int[]) a);
            case I64 -> new I64Vector((long[]) a);
            case TIMESTAMP -> new TimestampVector((long[]) a);
            case TIMESPAN -> new TimespanVector((long[]) a);
            case F32 -> new F32Vector((float[]) a);
            case F64 -> new F64Vector((double[]) a);
            case GUID -> new GuidVector((long[]) a);
            default -> throw new AssertionError(type);
        };
        complete(v.withWireAttrs(vectorAttrs));
    }

    // ---- containers: lists, dicts, tables, lambdas

    /** A container whose items are still being read. */
    private static final class Open {
        final Open parent;
        final RayType type;
        final byte attrs;
        final int n;
        RayValue[] items;
        int filled;

        Open(Open parent, RayType type, byte attrs, int n) {
            this.parent = parent;
            this.type = type;
            this.attrs = attrs;
            this.n = n;
            // a list's array grows with the items actually read: allocated whole, every level of
            // a nest of lists could claim all the bytes that remain (512 levels: 2 GB for 1 MB)
            this.items = new RayValue[Math.min(n, 16)];
        }
    }

    /** Opens a container of {@code n} items; its items are read next. */
    private void push(RayType type, byte attrs, int n) {
        open = new Open(open, type, attrs, n);
        openCount++;
        state = State.VALUE;
    }

    /** A value is complete: it goes into the innermost open container, or it is the result. */
    private void complete(RayValue v) {
        while (true) {
            Open o = open;
            if (o == null) {
                if (remaining() > 0) {
                    throw malformed(remaining() + " trailing bytes after the value");
                }
                result = v;
                state = State.DONE;
                return;
            }
            if (o.filled == o.items.length) {
                o.items = Arrays.copyOf(o.items, (int) Math.min(o.n, 2L * o.items.length));
            }
            o.items[o.filled++] = v;
            if (o.filled < o.n) {
                state = State.VALUE;
                return;
            }
            open = o.parent;
            openCount--;
            v = close(o);
        }
    }

    /** The value of a container whose items are all read. */
    private RayValue close(Open o) {
        RayValue[] items = o.items;
        switch (o.type) {
            case LIST:
                return new RayList(items).withWireAttrs(o.attrs);
            case DICT:
                return new RayDict(items[0], items[1]);
            case LAMBDA:
                lambdaDepth--;
                return new Lambda(o.attrs, items[0], items[1], o.n == 3 ? items[2] : null);
            case TABLE: {
                RayValue names = items[0];
                RayValue cols = items[1];
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
            default:
                throw new AssertionError(o.type);
        }
    }

    // ---- bytes

    /** Moves to {@code next}, which reads an item of {@code bytes} bytes, if the payload has them left. */
    private void expect(State next, int bytes, String what) {
        need(bytes, what);
        state = next;
    }

    /**
     * Gathers the next {@code n} (at most 16) bytes in {@link #token}; false when {@code in} ran
     * out first (the bytes so far are kept for the next call).
     */
    private boolean take(ByteBuf in, int n) {
        int k = Math.min(n - tokenFill, in.readableBytes());
        in.readBytes(token, tokenFill, k);
        tokenFill += k;
        pos += k;
        if (tokenFill < n) {
            return false;
        }
        tokenFill = 0;
        return true;
    }

    private void consume(ByteBuf in, int bytes) {
        in.skipBytes(bytes);
        pos += bytes;
    }

    private long remaining() {
        return size - pos;
    }

    private void need(long bytes, String what) {
        if (remaining() < bytes) {
            throw malformed("truncated " + what + ": needs " + bytes + " bytes, " + remaining() + " remain");
        }
    }

    private RayforceProtocolError malformed(String what) {
        return malformed(pos, what);
    }

    private RayforceProtocolError malformed(long at, String what) {
        return new RayforceProtocolError("malformed payload at byte " + at + ": " + what);
    }
}
