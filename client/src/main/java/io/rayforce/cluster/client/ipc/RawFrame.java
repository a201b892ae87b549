package io.rayforce.cluster.client.ipc;

/** One frame as it arrived: its header and its payload bytes (still compressed if flagged). */
public record RawFrame(FrameHeader header, byte[] payload) {
}
