package io.rayforce.cluster.client.ipc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** UTF-8 length and writing without an intermediate byte array for the common ASCII case. */
final class Utf8 {
    private Utf8() {
    }

    static int length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return bytes;
    }

    static void write(String s, ByteBuffer out) {
        int n = s.length();
        int p = out.position();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                out.position(p);
                out.put(s.getBytes(StandardCharsets.UTF_8));
                return;
            }
            out.put(p + i, (byte) c);
        }
        out.position(p + n);
    }
}
