package io.rayforce.cluster.client.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.RayforceError;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** One request encoded once and sent on connections to two real engines: both run it; an oversized one fails on each send. */
class EncodedRequestTest {

    @Test
    void oneEncodingServesEveryConnectionThatSendsIt() throws Exception {
        try (NativeServer a = NativeServer.startOnFreePort(); NativeServer b = NativeServer.startOnFreePort()) {
            IpcConnection ca = IpcConnection.open(a.host(), a.port(), ClientOptions.DEFAULT).get(10, TimeUnit.SECONDS);
            IpcConnection cb = IpcConnection.open(b.host(), b.port(), ClientOptions.DEFAULT).get(10, TimeUnit.SECONDS);
            try {
                RayValue request = RayList.of(RayfallReader.read("sum"), new I64Vector(LongStream.range(0, 100_000).toArray()));
                EncodedRequest once = EncodedRequest.sync(request, 0);
                assertThat(ca.request(once, 10_000).get(10, TimeUnit.SECONDS)).isEqualTo(I64Atom.of(4_999_950_000L));
                byte[] frame = once.frame();
                assertThat(cb.request(once, 10_000).get(10, TimeUnit.SECONDS)).isEqualTo(I64Atom.of(4_999_950_000L));
                assertThat(once.frame()).as("encoded by the first sender only").isSameAs(frame);
                assertThat(frame).isEqualTo(ValueWriter.frame(MessageType.SYNC, request, 0));
            } finally {
                ca.close();
                cb.close();
            }
        }
    }

    @Test
    void aSharedRequestLetsItsFrameGoAfterItsLastSender() {
        EncodedRequest twice = EncodedRequest.shared(RayfallReader.read("(+ 1 2)"), 0, 2);
        byte[] first = twice.frame();
        assertThat(twice.frame()).as("the second sender's").isSameAs(first);
        assertThat(twice.frame()).as("encoded again once both took it").isNotSameAs(first).isEqualTo(first);
        assertThatThrownBy(() -> EncodedRequest.shared(RayfallReader.read("1"), 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRequestTooLargeForTheWireFailsEachSendAndLeavesTheConnectionUsable() throws Exception {
        try (NativeServer a = NativeServer.startOnFreePort()) {
            IpcConnection c = IpcConnection.open(a.host(), a.port(), ClientOptions.DEFAULT).get(10, TimeUnit.SECONDS);
            try {
                I64Vector part = new I64Vector(new long[Wire.MAX_PAYLOAD_BYTES / 8 / 4]); // a quarter of the limit, five times
                EncodedRequest huge = EncodedRequest.sync(RayList.of(part, part, part, part, part), 0);
                assertThatThrownBy(() -> c.request(huge, 10_000).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RayforceError.class)
                        .hasMessageContaining("bytes on the wire");
                assertThat(c.request(RayfallReader.read("(+ 1 2)"), 10_000).get(10, TimeUnit.SECONDS)).isEqualTo(I64Atom.of(3));
            } finally {
                c.close();
            }
        }
    }
}
