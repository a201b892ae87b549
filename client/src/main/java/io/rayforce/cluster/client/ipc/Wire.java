package io.rayforce.cluster.client.ipc;

/** Constants of the engine's native IPC protocol, wire version 3. */
public final class Wire {
    /** The wire version this client speaks, sent and expected in the handshake and every header. */
    public static final int VERSION = 3;
    /** Header prefix bytes FA DE FA CE, read as a little-endian int. */
    public static final int MAGIC = 0xCEFADEFA;
    public static final int HEADER_BYTES = 16;
    /** The engine refuses frames (and decompressed payloads) larger than this. */
    public static final int MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;
    /** Header flag: the payload is compressed. */
    public static final int FLAG_COMPRESSED = 0x01;
    /**
     * Header flag "restricted": ignored when the engine evaluates the request, but recorded with
     * the request in the engine's journal, whose replay then runs it as a read-only client's
     * ({@code set}, {@code exit}, files and IPC refused with {@code access}). Requests that change
     * nothing carry it, so that replay can never repeat them with effect and a node can drop them
     * from its journal (docs/node.md, The journal).
     */
    public static final int FLAG_RESTRICTED = 0x02;
    /** Nesting depth the decoder accepts (as the engine's). */
    public static final int MAX_DEPTH = 512;

    /** Atom flag: a typed null. */
    public static final int ATOM_NULL = 0x01;
    /** Symbol atom flag: a literal (quoted) symbol rather than a name reference. */
    public static final int ATOM_QUOTED = 0x20;
    /** Vector attribute: the vector holds null sentinels. */
    public static final int ATTR_HAS_NULLS = 0x40;

    private Wire() {
    }
}
