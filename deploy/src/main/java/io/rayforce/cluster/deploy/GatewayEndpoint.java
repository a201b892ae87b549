package io.rayforce.cluster.deploy;

import io.rayforce.cluster.coordinator.metrics.MetricsEndpoint;
import io.rayforce.cluster.coordinator.metrics.PlacementEvents;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import io.rayforce.cluster.router.ops.StatusPage;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * A gateway's HTTP endpoint (docs/operations.md): the process's metrics at {@code /metrics} and
 * the status page of its cluster client at {@code /status} (its data at {@code /status.json}).
 */
final class GatewayEndpoint implements AutoCloseable {
    private final MetricsEndpoint endpoint;
    private final PlacementEvents events;

    private GatewayEndpoint(MetricsEndpoint endpoint, PlacementEvents events) {
        this.endpoint = endpoint;
        this.events = events;
    }

    /** Serves on {@code bind:port} (0: a free port) for {@code client}, whose placement comes from ZooKeeper. */
    static GatewayEndpoint start(String bind, int port, ClusterClient client) {
        if (!(client.placement() instanceof ZooKeeperPlacement zk)) {
            throw new IllegalArgumentException("the status page needs a cluster client watching ZooKeeper");
        }
        MetricsEndpoint endpoint = MetricsEndpoint.start(bind, port);
        PlacementEvents events = PlacementEvents.watch(zk.view());
        StatusPage page = new StatusPage(zk.view()::snapshot, zk.view()::isConnected, client.queryLog(), events,
                endpoint.registry());
        endpoint.page(StatusPage.PATH, new MetricsEndpoint.Page("text/html; charset=utf-8", page::html));
        endpoint.page(StatusPage.JSON_PATH, new MetricsEndpoint.Page("application/json", page::json));
        return new GatewayEndpoint(endpoint, events);
    }

    /**
     * As {@link #start}, on a free port when {@code port} is taken: for {@code rfc local} and
     * {@code rfc demo}, whose default port another local cluster may hold (they print where it is).
     */
    static GatewayEndpoint startOnAnyPort(String bind, int port, ClusterClient client) {
        try {
            return start(bind, port, client);
        } catch (UncheckedIOException e) {
            if (port == 0) {
                throw e;
            }
            return start(bind, 0, client);
        }
    }

    MetricsEndpoint endpoint() {
        return endpoint;
    }

    /** Prints where the metrics and the status page are (the lines {@code rfc local} and {@code rfc gateway} print when ready). */
    void printReady(PrintStream out) {
        out.println("metrics on " + endpoint.url());
        out.println("status page on " + endpoint.url(StatusPage.PATH));
    }

    @Override
    public void close() {
        events.close();
        endpoint.close();
    }

    @Override
    public String toString() {
        return "GatewayEndpoint(" + endpoint.url() + ")";
    }
}
