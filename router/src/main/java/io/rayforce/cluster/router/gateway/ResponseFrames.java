package io.rayforce.cluster.router.gateway;

import io.rayforce.cluster.client.ipc.Compression;
import io.rayforce.cluster.client.ipc.FrameHeader;
import io.rayforce.cluster.client.ipc.MessageType;
import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Encodes response frames as the engine sends them: one msgtype 2 frame per sync request;
 * payloads over 2000 bytes compressed for peers that want it, when that makes them smaller; with
 * the request's verbose flag, the answer wrapped as {@code (list printed-output answer)}.
 */
final class ResponseFrames {
    /** The verbose request flag: the reply carries what the evaluation printed before the answer. */
    static final int FLAG_VERBOSE = 0x04;

    private final long maxPayloadBytes;

    ResponseFrames(long maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** The frame answering a request; fails with {@link ResultTooLargeError} when the payload exceeds the limit. */
    byte[] encode(RayValue answer, boolean verbose, boolean compress) {
        RayValue v = verbose ? RayList.of(Str.of(""), answer) : answer;
        long size = ValueWriter.sizeOf(v);
        if (size > maxPayloadBytes) {
            throw new ResultTooLargeError(size, maxPayloadBytes);
        }
        byte[] frame = new byte[Wire.HEADER_BYTES + (int) size];
        ByteBuffer out = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        new FrameHeader(0, MessageType.RESPONSE, (int) size).write(out);
        ValueWriter.writeAnswer(v, out);
        if (compress && size > Compression.THRESHOLD_BYTES) {
            byte[] packed = Compression.compress(Arrays.copyOfRange(frame, Wire.HEADER_BYTES, frame.length));
            if (packed != null) {
                return frame(Wire.FLAG_COMPRESSED, packed);
            }
        }
        return frame;
    }

    private static byte[] frame(int flags, byte[] payload) {
        byte[] frame = new byte[Wire.HEADER_BYTES + payload.length];
        ByteBuffer out = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        new FrameHeader(flags, MessageType.RESPONSE, payload.length).write(out);
        out.put(payload);
        return frame;
    }
}
