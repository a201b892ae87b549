package io.rayforce.cluster.client.ipc;

import io.rayforce.cluster.client.value.Atom;
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
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimeAtom;
import io.rayforce.cluster.client.value.TimestampAtom;
import io.rayforce.cluster.client.value.TimespanAtom;
import io.rayforce.cluster.client.value.U8Atom;
import io.rayforce.cluster.client.value.Vector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Serializes values in the engine's wire format (version 3). */
public final class ValueWriter {
    private ValueWriter() {
    }

    /** A complete frame (header and payload) carrying {@code value}, never compressed. */
    public static byte[] frame(MessageType type, RayValue value) {
        return frame(type, value, 0);
    }

    /** As {@link #frame(MessageType, RayValue)}, with header {@code flags} ({@link Wire#FLAG_RESTRICTED}). */
    public static byte[] frame(MessageType type, RayValue value, int flags) {
        if ((flags & Wire.FLAG_COMPRESSED) != 0) {
            throw new IllegalArgumentException("frame() never compresses; flags " + flags + " claim it does");
        }
        long size = sizeOf(value);
        if (size > Wire.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("value needs " + size + " bytes on the wire; the engine accepts at most "
                    + Wire.MAX_PAYLOAD_BYTES + " per frame");
        }
        byte[] bytes = new byte[Wire.HEADER_BYTES + (int) size];
        ByteBuffer out = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        new FrameHeader(flags, type, (int) size).write(out);
        write(value, out);
        if (out.position() != bytes.length) {
            throw new IllegalStateException("encoded " + out.position() + " bytes, expected " + bytes.length);
        }
        return bytes;
    }

    /** The payload bytes of {@code value}. */
    public static byte[] payload(RayValue value) {
        return payload(value, false);
    }

    /** The payload bytes of {@code value} as an answer ({@link #writeAnswer}): byte for byte as its engine sent it. */
    public static byte[] answerPayload(RayValue value) {
        return payload(value, true);
    }

    private static byte[] payload(RayValue value, boolean answer) {
        long size = sizeOf(value);
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("value too large to encode: " + size + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        write(value, out, answer);
        return out.array();
    }

    /** The exact number of payload bytes {@code value} takes. */
    public static long sizeOf(RayValue v) {
        if (v instanceof Atom a) {
            return 2 + atomValueSize(a);
        }
        if (v instanceof RayList l) {
            long n = 10;
            for (int i = 0, len = l.length(); i < len; i++) {
                n += sizeOf(l.get(i));
            }
            return n;
        }
        if (v instanceof SymbolVector s) {
            long n = 10;
            for (int i = 0, len = s.length(); i < len; i++) {
                n += Utf8.length(s.get(i)) + 1;
            }
            return n;
        }
        if (v instanceof StringVector s) {
            long n = 10;
            for (int i = 0, len = s.length(); i < len; i++) {
                n += 8 + Utf8.length(s.get(i));
            }
            return n;
        }
        if (v instanceof Vector vec) {
            return 10 + (long) vec.length() * vec.type().elementSize();
        }
        if (v instanceof RayDict d) {
            return 2 + sizeOf(d.keys()) + sizeOf(d.values());
        }
        if (v instanceof RayTable t) {
            return 2 + sizeOf(t.names()) + 10 + t.columns().stream().mapToLong(ValueWriter::sizeOf).sum();
        }
        if (v instanceof RayNull) {
            return 1;
        }
        if (v instanceof RayError) {
            return 1 + RayError.MAX_CODE_BYTES;
        }
        if (v instanceof Lambda f) {
            return 2 + sizeOf(f.params()) + sizeOf(f.body()) + (f.closure() == null ? 0 : sizeOf(f.closure()));
        }
        if (v instanceof Builtin b) {
            return 1 + builtinName(b).length + 1;
        }
        throw new IllegalArgumentException("cannot encode " + v.getClass().getName());
    }

    private static long atomValueSize(Atom a) {
        if (a instanceof Symbol s) {
            return Utf8.length(s.name()) + 1L;
        }
        if (a instanceof Name n) {
            return Utf8.length(n.name()) + 1L;
        }
        if (a instanceof Str s) {
            return 8L + Utf8.length(s.value());
        }
        return a.type().elementSize();
    }

    /**
     * Writes {@code v} at the buffer's position as a request carries it (every symbol literal);
     * the buffer must be little-endian.
     */
    public static void write(RayValue v, ByteBuffer out) {
        write(v, out, false);
    }

    /**
     * Writes {@code v} as an answer, byte for byte as the engine it came from sent it: symbols
     * keep the quoted flag they came with ({@link Symbol#literal()}); in a request every symbol is
     * literal, since there an unquoted symbol names a variable.
     */
    public static void writeAnswer(RayValue v, ByteBuffer out) {
        write(v, out, true);
    }

    /** The engine's attribute byte on a table's column names. */
    private static final byte TABLE_NAMES_ATTRS = 0x03;

    private static void write(RayValue v, ByteBuffer out, boolean answer) {
        if (v instanceof Atom a) {
            writeAtom(a, out, answer);
        } else if (v instanceof Vector vec) {
            writeVector(vec, out, answer);
        } else if (v instanceof RayDict d) {
            out.put((byte) 99).put((byte) 0);
            write(d.keys(), out, answer);
            write(d.values(), out, answer);
        } else if (v instanceof RayTable t) {
            out.put((byte) 98).put((byte) 0);
            writeVector(t.names(), out, answer, TABLE_NAMES_ATTRS);
            out.put((byte) 0).put((byte) 0).putLong(t.columnCount());
            for (Vector c : t.columns()) {
                writeVector(c, out, answer);
            }
        } else if (v instanceof RayNull) {
            out.put((byte) 126);
        } else if (v instanceof RayError e) {
            byte[] code = e.code().getBytes(StandardCharsets.US_ASCII);
            out.put((byte) 127);
            for (int i = 0; i < RayError.MAX_CODE_BYTES; i++) {
                out.put(i < code.length ? code[i] : 0);
            }
        } else if (v instanceof Lambda f) {
            out.put((byte) 100).put(f.attrs());
            write(f.params(), out, answer);
            write(f.body(), out, answer);
            if (f.closure() != null) {
                write(f.closure(), out, answer);
            }
        } else if (v instanceof Builtin b) {
            out.put((byte) b.kind().code()).put(builtinName(b)).put((byte) 0);
        } else {
            throw new IllegalArgumentException("cannot encode " + v.getClass().getName());
        }
    }

    private static byte[] builtinName(Builtin b) {
        byte[] name = b.name().getBytes(StandardCharsets.UTF_8);
        if (name.length > Builtin.MAX_NAME_BYTES) {
            throw new IllegalArgumentException("builtin name longer than " + Builtin.MAX_NAME_BYTES + " bytes: " + b.name());
        }
        return name;
    }

    private static void writeAtom(Atom a, ByteBuffer out, boolean answer) {
        // the engine flags typed nulls of fixed-width types only (not the empty symbol or string)
        int flags = a.isNull() && a.type().isFixedWidth() ? Wire.ATOM_NULL : 0;
        if (a instanceof Symbol s && (s.literal() || !answer)) {
            flags |= Wire.ATOM_QUOTED;
        }
        out.put((byte) -a.type().code()).put((byte) flags);
        if (a instanceof BoolAtom b) {
            out.put((byte) (b.value() ? 1 : 0));
        } else if (a instanceof U8Atom u) {
            out.put(u.value());
        } else if (a instanceof I16Atom i) {
            out.putShort(i.value());
        } else if (a instanceof I32Atom i) {
            out.putInt(i.value());
        } else if (a instanceof DateAtom d) {
            out.putInt(d.days());
        } else if (a instanceof TimeAtom t) {
            out.putInt(t.millis());
        } else if (a instanceof I64Atom i) {
            out.putLong(i.value());
        } else if (a instanceof TimestampAtom t) {
            out.putLong(t.nanos());
        } else if (a instanceof TimespanAtom t) {
            out.putLong(t.nanos());
        } else if (a instanceof F32Atom f) {
            out.putFloat(f.value());
        } else if (a instanceof F64Atom f) {
            out.putDouble(f.value());
        } else if (a instanceof GuidAtom g) {
            out.order(ByteOrder.BIG_ENDIAN);
            out.putLong(g.value().getMostSignificantBits()).putLong(g.value().getLeastSignificantBits());
            out.order(ByteOrder.LITTLE_ENDIAN);
        } else if (a instanceof Symbol s) {
            Utf8.write(s.name(), out);
            out.put((byte) 0);
        } else if (a instanceof Name n) {
            Utf8.write(n.name(), out);
            out.put((byte) 0);
        } else if (a instanceof Str s) {
            int p = out.position();
            out.position(p + 8);
            Utf8.write(s.value(), out);
            out.putLong(p, out.position() - p - 8);
        }
    }

    private static void writeVector(Vector v, ByteBuffer out, boolean answer) {
        // the bits the vector came with (the engine's has-nulls bit is sticky), and has-nulls when it holds one
        writeVector(v, out, answer, (byte) (v.wireAttrs() | (v.hasNulls() ? Wire.ATTR_HAS_NULLS : 0)));
    }

    private static void writeVector(Vector v, ByteBuffer out, boolean answer, byte attrs) {
        int n = v.length();
        out.put((byte) v.type().code()).put(attrs).putLong(n);
        if (v instanceof RayList l) {
            for (int i = 0; i < n; i++) {
                write(l.get(i), out, answer);
            }
        } else if (v instanceof SymbolVector s) {
            for (int i = 0; i < n; i++) {
                Utf8.write(s.get(i), out);
                out.put((byte) 0);
            }
        } else if (v instanceof StringVector s) {
            for (int i = 0; i < n; i++) {
                int p = out.position();
                out.position(p + 8);
                Utf8.write(s.get(i), out);
                out.putLong(p, out.position() - p - 8);
            }
        } else {
            v.writeElements(out);
        }
    }
}
