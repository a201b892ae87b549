package io.rayforce.cluster.coordinator.store;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;

/**
 * Znode payloads: protobuf messages as compact protobuf JSON, so {@code zkCli.sh get} shows
 * readable metadata and fields added later are ignored by older readers.
 */
public final class ProtoJson {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private ProtoJson() {
    }

    /** The message as UTF-8 JSON bytes. */
    public static byte[] write(Message message) {
        try {
            return PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getName(), e);
        }
    }

    /**
     * Parses UTF-8 JSON bytes into {@code builder} and builds it. Fails with
     * {@link CorruptMetadataException} naming {@code path} when the bytes are not such a message.
     */
    @SuppressWarnings("unchecked")
    public static <T extends Message> T read(byte[] bytes, Message.Builder builder, String path) {
        try {
            if (bytes != null && bytes.length > 0) {
                PARSER.merge(new String(bytes, StandardCharsets.UTF_8), builder);
            }
            return (T) builder.build();
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptMetadataException("znode " + path + " does not hold a "
                    + builder.getDescriptorForType().getName() + ": " + e.getMessage(), e);
        }
    }
}
