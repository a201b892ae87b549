package io.rayforce.cluster.node.journal;

import io.rayforce.cluster.client.ipc.Wire;
import java.util.Arrays;

/**
 * One journaled request: its whole IPC frame as the engine wrote it (the 16-byte header, then
 * the payload exactly as the client sent it), its index among the entries read from its file, and
 * the byte offset where it starts there.
 */
public record JournalEntry(int index, long offset, byte[] frame) {
    public int flags() {
        return frame[5] & 0xFF;
    }

    public int messageType() {
        return frame[7] & 0xFF;
    }

    /** Sent with {@link Wire#FLAG_RESTRICTED}: the sender promised it changes nothing, and replay runs it read-only. */
    public boolean restricted() {
        return (flags() & Wire.FLAG_RESTRICTED) != 0;
    }

    public int length() {
        return frame.length;
    }

    public byte[] payload() {
        return Arrays.copyOfRange(frame, Wire.HEADER_BYTES, frame.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JournalEntry e && e.index == index && e.offset == offset && Arrays.equals(e.frame, frame);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset) * 31 + Arrays.hashCode(frame);
    }

    @Override
    public String toString() {
        return "JournalEntry[#" + index + " at byte " + offset + ", " + frame.length + " bytes, flags " + flags() + "]";
    }
}
