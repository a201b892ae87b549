package io.rayforce.cluster.router.testing;

import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.QueryOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A router in a child JVM with a small heap, for {@code LowMemoryShapesTest}: reads a cluster's
 * placement (a {@link ClusterState} in protobuf) and queries (one a line), runs each through a
 * {@link ClusterClient} on that fixed placement, and writes each answer ({@code <i>.ipc}, the
 * value's IPC payload) or prints its failure. Prints {@code ANSWER i}, {@code FAILED i <class>
 * <message>} or {@code OOM i}, and the JVM's peak heap after each query ({@code HEAP i bytes}).
 */
public final class LowMemoryRouterMain {
    private LowMemoryRouterMain() {
    }

    public static void main(String[] args) throws Exception {
        ClusterSnapshot snapshot = new ClusterSnapshot(ClusterState.parseFrom(Files.readAllBytes(Path.of(args[0]))));
        List<String> queries = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
        Path out = Path.of(args[2]);
        try (ClusterClient client = new ClusterClient(() -> snapshot)) {
            for (int i = 0; i < queries.size(); i++) {
                System.gc();
                HeapPeaks.reset();
                try {
                    RayValue v = client.query(queries.get(i), QueryOptions.DEFAULT.withTimeout(Duration.ofMinutes(5))).value();
                    Files.write(out.resolve(i + ".ipc"), ValueWriter.payload(v));
                    System.out.println("ANSWER " + i);
                } catch (OutOfMemoryError e) {
                    System.out.println("OOM " + i);
                    System.out.flush();
                    Runtime.getRuntime().halt(3);
                } catch (RuntimeException e) {
                    System.out.println("FAILED " + i + " " + e.getClass().getSimpleName() + " " + e.getMessage().replace('\n', ' '));
                }
                System.out.println("HEAP " + i + " " + HeapPeaks.peak());
                System.out.flush();
            }
        }
        System.out.println("DONE");
    }
}
