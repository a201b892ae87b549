package io.rayforce.cluster.router.gateway;

import io.rayforce.cluster.client.ipc.Wire;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What the gateway must do with a byte stream, by the rules of docs/gateway.md, worked out on
 * the client side as a test oracle: how many sync requests it must answer, and whether it must
 * close the connection (a bad handshake or a bad frame header), and whether that header is only
 * over the size limit (then an answer {@code limit} may come first). A byte where a frame would start
 * that is not {@code FA} is a cancel and is skipped; a message type above 2 is async; a frame
 * cut short at the end is waited for.
 */
record WireModel(int syncRequests, boolean mustClose, boolean oversized) {
    /** The expectation for {@code bytes}, sent after a handshake ({@code handshakeDone}) or including it. */
    static WireModel of(byte[] bytes, boolean handshakeDone, int maxRequestBytes) {
        int i = 0;
        if (!handshakeDone) {
            if (bytes.length < 2) {
                return new WireModel(0, false, false);
            }
            if (bytes[0] != Wire.VERSION) {
                return new WireModel(0, true, false);
            }
            i = 2;
        }
        int sync = 0;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (i < bytes.length) {
            if ((bytes[i] & 0xFF) != 0xFA) {
                i++;
                continue;
            }
            if (bytes.length - i < Wire.HEADER_BYTES) {
                break;
            }
            int type = bytes[i + 7] & 0xFF;
            long size = b.getLong(i + 8);
            boolean malformed = b.getInt(i) != Wire.MAGIC || bytes[i + 4] != Wire.VERSION || bytes[i + 6] != 0;
            if (malformed || size < 1 || size > maxRequestBytes) {
                // a well-formed header that is only too big may be answered with error limit first
                return new WireModel(sync, true, !malformed && size > maxRequestBytes);
            }
            if (bytes.length - i - Wire.HEADER_BYTES < size) {
                break;
            }
            if (type == 1) {
                sync++;
            }
            i += Wire.HEADER_BYTES + (int) size;
        }
        return new WireModel(sync, false, false);
    }
}
