package io.rayforce.cluster.router.corpus;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The plainest Rayforce client: sends Rayfall text as a STR atom in a sync frame and returns the
 * answer's payload bytes exactly as they came, so two servers' answers can be compared byte for
 * byte. No compression (loopback peers never get it).
 */
final class WireClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    WireClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(120_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        out.write(new byte[] {3, 0});
        out.flush();
        byte[] hs = new byte[2];
        in.readFully(hs);
        if (hs[0] != 3) {
            throw new IOException("handshake answered " + hs[0]);
        }
    }

    /** The answer's payload to {@code text}. */
    byte[] request(String text) throws IOException {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer f = ByteBuffer.allocate(16 + 10 + t.length).order(ByteOrder.LITTLE_ENDIAN);
        f.putInt(0xCEFADEFA).put((byte) 3).put((byte) 0).put((byte) 0).put((byte) 1).putLong(10 + t.length);
        f.put((byte) -13).put((byte) 0).putLong(t.length).put(t);
        out.write(f.array());
        out.flush();
        byte[] header = new byte[16];
        in.readFully(header);
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        if (h.getInt(0) != 0xCEFADEFA || (header[5] & 1) != 0) {
            throw new IOException("unexpected answer header (or a compressed answer)");
        }
        byte[] payload = new byte[(int) h.getLong(8)];
        in.readFully(payload);
        return payload;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
