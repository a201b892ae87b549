package io.rayforce.cluster.deploy;

import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.coordinator.store.ZooKeeperUnavailableException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rfc zookeeper}: a standalone ZooKeeper server (the real one, in this JVM) until SIGTERM. */
@Command(name = "zookeeper", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a standalone ZooKeeper server for a local or container cluster (production: a 3- or 5-server ensemble).")
public final class ZooKeeperCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "2181", paramLabel = "P", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: a temporary directory, deleted on exit).")
    Path data;

    @Option(names = "--tick", defaultValue = "500", paramLabel = "MS",
            description = "Tick in milliseconds; sessions may last from 2 ticks to 60 s, so gateways can have 2 s sessions "
                    + "(default: ${DEFAULT-VALUE}).")
    int tick;

    @Override
    public Integer call() {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                done.await(20, java.util.concurrent.TimeUnit.SECONDS); // let the main thread shut down cleanly
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "rfc-zookeeper-shutdown");
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(port, data, tick)) {
            spec.commandLine().getOut().println("ZooKeeper listening on " + zk.connectString() + " (data " + zk.dataDir() + ")");
            spec.commandLine().getOut().flush();
            Runtime.getRuntime().addShutdownHook(hook);
            stop.await();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (ZooKeeperUnavailableException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ControlClient.FAILED;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // shutting down
            }
            done.countDown();
        }
    }
}
