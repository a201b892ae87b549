package io.rayforce.cluster.router.gateway;

import io.rayforce.cluster.client.ipc.FrameHeader;
import io.rayforce.cluster.client.ipc.MessageDecoder;
import io.rayforce.cluster.client.ipc.MessageType;
import io.rayforce.cluster.client.ipc.RawFrame;
import io.rayforce.cluster.client.ipc.ValueReader;
import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.value.RayValue;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A bare socket speaking the wire protocol byte by byte, for what a well-behaved client never sends. */
final class RawConnection implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final OutputStream out;

    RawConnection(String host, int port) throws IOException {
        this(new Socket(host, port));
    }

    /** A connection from the local address {@code from} (another loopback address is another client address). */
    RawConnection(String from, String host, int port) throws IOException {
        this(new Socket(host, port, java.net.InetAddress.getByName(from), 0));
    }

    private RawConnection(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Connects and completes a handshake without a password. */
    static RawConnection open(int port) throws IOException {
        return handshake(new RawConnection("127.0.0.1", port));
    }

    /** As {@link #open(int)}, from the local address {@code from}. */
    static RawConnection openFrom(String from, int port) throws IOException {
        return handshake(new RawConnection(from, "127.0.0.1", port));
    }

    private static RawConnection handshake(RawConnection c) throws IOException {
        c.write(3, 0);
        if (c.in.readUnsignedByte() != 3 || c.in.readUnsignedByte() != 0) {
            throw new IOException("unexpected handshake reply");
        }
        return c;
    }

    void write(int... bytes) throws IOException {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        out.write(b);
        out.flush();
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** A frame with the given header fields around {@code payload}. */
    static byte[] frame(int flags, int type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(Wire.HEADER_BYTES + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(Wire.MAGIC).put((byte) Wire.VERSION).put((byte) flags).put((byte) 0).put((byte) type)
                .putLong(payload.length).put(payload);
        return b.array();
    }

    void sendSync(RayValue v) throws IOException {
        write(ValueWriter.frame(MessageType.SYNC, v));
    }

    /** Reads one response frame: its header and decoded value. */
    RawFrame readFrame() throws IOException {
        byte[] header = new byte[Wire.HEADER_BYTES];
        in.readFully(header);
        FrameHeader h = FrameHeader.read(ByteBuffer.wrap(header), Integer.MAX_VALUE - 8);
        byte[] body = new byte[h.size()];
        in.readFully(body);
        return new RawFrame(h, body);
    }

    RayValue readValue() throws IOException {
        return MessageDecoder.decode(readFrame(), ValueReader.Mode.RESULT, Integer.MAX_VALUE - 8).value();
    }

    /** Whether the peer closed the connection (EOF or reset) within the socket timeout. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
