package io.rayforce.cluster.chaos.report;

import io.rayforce.cluster.chaos.workload.Operation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes a run's whole history, one operation per line (tab-separated: id, client, kind, outcome,
 * sent and answered in ms since the first operation, writer and position, the request, and the
 * answer or error, abbreviated), so an anomaly can be traced back to the operations around it.
 */
public final class HistoryFile {
    private HistoryFile() {
    }

    public static void write(Path file, List<Operation> ops) {
        long t0 = ops.stream().mapToLong(Operation::invokedAtNanos).min().orElse(0);
        StringBuilder s = new StringBuilder("id\tclient\tkind\toutcome\tsent_ms\tanswered_ms\twriter\tposition\trequest\tanswer\n");
        for (Operation o : ops) {
            String answer = o.error() != null ? o.error() : String.valueOf(o.value());
            s.append(o.id()).append('\t').append(o.process()).append('\t').append(o.kind().name().toLowerCase(Locale.ROOT))
                    .append('\t').append(o.outcome().name().toLowerCase(Locale.ROOT))
                    .append('\t').append((o.invokedAtNanos() - t0) / 1_000_000).append('\t').append((o.completedAtNanos() - t0) / 1_000_000)
                    .append('\t').append(o.writer()).append('\t').append(o.position())
                    .append('\t').append(o.query()).append('\t').append(flat(answer)).append('\n');
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the history to " + file, e);
        }
    }

    private static String flat(String s) {
        String one = s.replace('\n', ' ').replace('\t', ' ');
        return one.length() <= 400 ? one : one.substring(0, 400) + "...";
    }
}
