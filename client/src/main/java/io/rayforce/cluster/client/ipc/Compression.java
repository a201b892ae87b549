package io.rayforce.cluster.client.ipc;

import io.rayforce.cluster.client.RayforceProtocolError;
import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The engine's payload compression: a byte-wise delta (each byte minus the one before), then a
 * run-length code, behind a u32 little-endian uncompressed length. In the run-length code a
 * signed count byte {@code c > 0} repeats the next byte c times, and {@code c <= 0} copies the
 * next {@code -c} bytes (0x80 copies 128). The engine only compresses payloads over 2000 bytes to
 * non-loopback peers, and only when that makes them smaller.
 */
public final class Compression {
    /** Payloads of at most this many bytes are never compressed. */
    public static final int THRESHOLD_BYTES = 2000;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Compression() {
    }

    /** Restores the payload of a frame whose header has the compressed flag (engine limit 256 MiB). */
    public static byte[] decompress(byte[] frame) {
        return decompress(frame, Wire.MAX_PAYLOAD_BYTES);
    }

    /** Restores a compressed payload of at most {@code maxBytes} uncompressed bytes. */
    public static byte[] decompress(byte[] frame, int maxBytes) {
        if (frame.length < 4) {
            throw new RayforceProtocolError("compressed payload of " + frame.length + " bytes has no length prefix");
        }
        long size = Integer.toUnsignedLong(ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
        if (size < 1 || size > maxBytes) {
            throw new RayforceProtocolError("compressed payload declares " + size + " bytes uncompressed; allowed 1.."
                    + maxBytes);
        }
        // a run of at most 127 bytes costs 2 input bytes: this bounds what the input can produce
        long producible = (long) (frame.length - 4) * 64;
        if (size > producible) {
            throw new RayforceProtocolError("compressed payload of " + frame.length + " bytes cannot expand to "
                    + size + " bytes");
        }
        byte[] out = new byte[(int) size];
        int o = 0;
        int i = 4;
        while (o < out.length) {
            if (i >= frame.length) {
                throw new RayforceProtocolError("compressed payload ends after " + o + " of " + size + " bytes");
            }
            int c = frame[i++];
            if (c > 0) {
                if (i >= frame.length) {
                    throw new RayforceProtocolError("compressed run has no byte to repeat");
                }
                if (o + c > out.length) {
                    throw new RayforceProtocolError("compressed run overflows the declared " + size + " bytes");
                }
                byte b = frame[i++];
                if (b != 0) {
                    Arrays.fill(out, o, o + c, b); // the array starts zeroed
                }
                o += c;
            } else {
                int n = c == 0 ? 0 : -c;
                if (c == -128) {
                    n = 128;
                }
                if (i + n > frame.length) {
                    throw new RayforceProtocolError("compressed literal run of " + n + " bytes is truncated");
                }
                if (o + n > out.length) {
                    throw new RayforceProtocolError("compressed literal run overflows the declared " + size + " bytes");
                }
                System.arraycopy(frame, i, out, o, n);
                i += n;
                o += n;
            }
        }
        if (i != frame.length) {
            throw new RayforceProtocolError((frame.length - i) + " bytes after the end of the compressed payload");
        }
        undoDelta(out);
        return out;
    }

    /**
     * Turns the byte-wise differences back into bytes, in place: each byte plus all those before
     * it, mod 256. Eight bytes at a time: the running sums within a word take three lane-wise
     * additions (no carry between bytes), then the last byte of the word before is added to all.
     */
    static void undoDelta(byte[] out) {
        int n = out.length;
        int k = 0;
        long before = 0;
        for (; k + 8 <= n; k += 8) {
            long w = (long) LONG_LE.get(out, k);
            w = addBytes(w, w << 8);
            w = addBytes(w, w << 16);
            w = addBytes(w, w << 32);
            w = addBytes(w, before * 0x0101010101010101L);
            LONG_LE.set(out, k, w);
            before = w >>> 56;
        }
        for (; k < n; k++) {
            out[k] = (byte) (out[k] + before);
            before = out[k] & 0xFF;
        }
    }

    /** The eight byte-wise sums of {@code a} and {@code b}, each mod 256. */
    private static long addBytes(long a, long b) {
        return ((a & 0x7F7F7F7F7F7F7F7FL) + (b & 0x7F7F7F7F7F7F7F7FL)) ^ ((a ^ b) & 0x8080808080808080L);
    }

    /**
     * Compresses {@code payload} as the engine does, or returns null when that would not make it
     * smaller (the engine then sends it uncompressed).
     */
    public static byte[] compress(byte[] payload) {
        int n = payload.length;
        byte[] delta = new byte[n];
        for (int k = 0; k < n; k++) {
            delta[k] = (byte) (payload[k] - (k == 0 ? 0 : payload[k - 1]));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n / 2 + 16);
        out.write(n);
        out.write(n >>> 8);
        out.write(n >>> 16);
        out.write(n >>> 24);
        int i = 0;
        int literalStart = 0;
        while (i < n) {
            int run = 1;
            while (i + run < n && run < 127 && delta[i + run] == delta[i]) {
                run++;
            }
            if (run >= 2) {
                flushLiterals(delta, literalStart, i, out);
                out.write(run);
                out.write(delta[i]);
                i += run;
                literalStart = i;
            } else {
                i++;
            }
        }
        flushLiterals(delta, literalStart, n, out);
        return out.size() < n ? out.toByteArray() : null;
    }

    private static void flushLiterals(byte[] src, int from, int to, ByteArrayOutputStream out) {
        while (from < to) {
            int len = Math.min(128, to - from);
            out.write(-len);
            out.write(src, from, len);
            from += len;
        }
    }
}
