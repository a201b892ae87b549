package io.rayforce.cluster.client.ipc;

import io.rayforce.cluster.client.RayforceProtocolError;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 16-byte frame header: prefix FA DE FA CE, version, flags, endianness (0 = little), message
 * type and the i64 payload size (excluding the header).
 */
public record FrameHeader(int flags, MessageType type, int size) {
    /** The largest payload a Java array can hold. */
    public static final int MAX_JAVA_FRAME = Integer.MAX_VALUE - 8;
    /** The first byte of every frame (the prefix FA DE FA CE read in order). */
    public static final int FIRST_BYTE = 0xFA;
    /** Where the message type byte stands in the header. */
    public static final int TYPE_OFFSET = 7;
    /** Where the little-endian i64 payload size starts in the header. */
    public static final int SIZE_OFFSET = 8;

    /** The header's fields as they are, unchecked (for scanners that judge a header before decoding it). */
    public record Fields(int magic, int version, int flags, int endian, int type, long size) {
        /** Prefix, version and byte order are the protocol's (the type and size are not judged). */
        public boolean wellFormedExceptSize() {
            return magic == Wire.MAGIC && version == Wire.VERSION && endian == 0;
        }
    }

    /** Reads the 16 header bytes at the buffer's position without checking them. */
    public static Fields fields(ByteBuffer in) {
        ByteBuffer le = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new Fields(le.getInt(), le.get() & 0xFF, le.get() & 0xFF, le.get() & 0xFF, le.get() & 0xFF, le.getLong());
    }

    public boolean compressed() {
        return (flags & Wire.FLAG_COMPRESSED) != 0;
    }

    /** Writes this header at the buffer's position. */
    public void write(ByteBuffer out) {
        ByteBuffer le = out.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        le.putInt(Wire.MAGIC).put((byte) Wire.VERSION).put((byte) flags).put((byte) 0).put((byte) type.code())
                .putLong(size);
        out.position(le.position());
    }

    /** Reads and checks a header with the engine's 256 MiB payload limit. */
    public static FrameHeader read(ByteBuffer in) {
        return read(in, Wire.MAX_PAYLOAD_BYTES);
    }

    /**
     * Reads and checks a header; any field outside the protocol, or a payload over
     * {@code maxPayloadBytes}, is a {@link RayforceProtocolError}.
     */
    public static FrameHeader read(ByteBuffer in, int maxPayloadBytes) {
        Fields f = fields(in);
        in.position(in.position() + Wire.HEADER_BYTES);
        int magic = f.magic();
        int version = f.version();
        int flags = f.flags();
        int endian = f.endian();
        int type = f.type();
        long size = f.size();
        if (magic != Wire.MAGIC) {
            throw new RayforceProtocolError(String.format(
                    "bad frame prefix %08x (expected fadeface): the peer does not speak Rayforce IPC",
                    Integer.reverseBytes(magic)));
        }
        if (version != Wire.VERSION) {
            throw new RayforceProtocolError("frame has wire version " + version + ", this client speaks " + Wire.VERSION);
        }
        if (endian != 0) {
            throw new RayforceProtocolError("frame declares big-endian payload (endian byte " + endian + "); only little-endian is supported");
        }
        MessageType mt = MessageType.ofCode(type);
        if (mt == null) {
            throw new RayforceProtocolError("frame has unknown message type " + type);
        }
        if (size < 1 || size > maxPayloadBytes) {
            throw new RayforceProtocolError("frame declares a payload of " + size + " bytes; this side accepts 1.."
                    + maxPayloadBytes + (size > maxPayloadBytes && size <= MAX_JAVA_FRAME
                    ? " (the engine sends results over 256 MiB; raise ClientOptions.maxFrameBytes to accept them)" : ""));
        }
        return new FrameHeader(flags, mt, (int) size);
    }
}
