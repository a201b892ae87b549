package io.rayforce.cluster.client.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.client.testing.Hex;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * Live: the engine compresses replies over 2000 bytes to any peer whose address is not 127.x.
 * Connecting to one of this host's own non-loopback addresses is enough to see it, and the
 * decoder must restore what the engine sent.
 */
class NonLoopbackCompressionTest {

    @Test
    void engineCompressesToNonLoopbackPeersAndTheClientDecodesIt() throws Exception {
        String address = nonLoopbackAddress();
        try (NativeServer server = NativeServer.startOnFreePort(ServerOptions.onPort(1).bind(address));
             Socket s = new Socket(address, server.port())) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(new byte[] {3, 0});
            assertThat(in.readUnsignedByte()).isEqualTo(3);
            assertThat(in.readUnsignedByte()).isZero();

            out.write(ValueWriter.frame(MessageType.SYNC, Str.of("(til 5000)")));
            byte[] header = new byte[Wire.HEADER_BYTES];
            in.readFully(header);
            FrameHeader h = FrameHeader.read(java.nio.ByteBuffer.wrap(header));
            byte[] body = new byte[h.size()];
            in.readFully(body);

            assertThat(h.compressed()).as("reply to a non-loopback peer is compressed").isTrue();
            assertThat(body.length).isLessThan(5000 * 8);
            RayValue v = MessageDecoder.decode(new RawFrame(h, body), ValueReader.Mode.RESULT, Wire.MAX_PAYLOAD_BYTES).value();
            long[] expected = new long[5000];
            Arrays.setAll(expected, i -> i);
            assertThat(v).isEqualTo(new I64Vector(expected));

            // the engine also accepts a compressed request
            byte[] payload = ValueWriter.payload(Str.of("(count \"" + "a".repeat(5000) + "\")"));
            byte[] packed = Compression.compress(payload);
            assertThat(packed).isNotNull();
            byte[] frame = new byte[Wire.HEADER_BYTES + packed.length];
            java.nio.ByteBuffer fb = java.nio.ByteBuffer.wrap(frame);
            new FrameHeader(Wire.FLAG_COMPRESSED, MessageType.SYNC, packed.length).write(fb);
            fb.put(packed);
            out.write(frame);
            in.readFully(header);
            h = FrameHeader.read(java.nio.ByteBuffer.wrap(header));
            body = new byte[h.size()];
            in.readFully(body);
            assertThat(Hex.of(body)).isEqualTo("fb008813000000000000"); // i64 5000
        }
    }

    /** A non-loopback IPv4 address of this host (CI machines and containers have one on eth0). */
    static String nonLoopbackAddress() throws Exception {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return a.getHostAddress();
                }
            }
        }
        throw new IllegalStateException("this host has no non-loopback IPv4 address to test compression with");
    }
}
