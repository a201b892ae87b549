package io.rayforce.cluster.coordinator.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's HTTP endpoint for operators (docs/operations.md): {@code GET /metrics} answers every
 * meter of the process in Prometheus' text format, and read-only pages may be added beside it
 * ({@link #page}), such as the gateway's status page. The meters are those of Micrometer's global
 * registry, where every part of a member registers them; the endpoint adds a Prometheus registry
 * to it (and the JVM's own meters to that), and takes it out again when closed.
 *
 * <p>Plain HTTP, no authentication: bind it to an address only operators and Prometheus reach
 * (the default of the {@code --metrics-bind} flags is 127.0.0.1; docs/security.md).
 */
public final class MetricsEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
    /** The path of the Prometheus text. */
    public static final String METRICS_PATH = "/metrics";

    /** What a page answers: its content type and body, built on each request. */
    public record Page(String contentType, Supplier<byte[]> body) {
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<String, Page> pages = new TreeMap<>();
    private final HttpServer server;
    private final ExecutorService threads;
    private final String host;

    private MetricsEndpoint(String bind, int port) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        } catch (IOException e) {
            gc.close();
            registry.close();
            throw new UncheckedIOException(new IOException("the metrics endpoint cannot listen on " + bind + ":" + port + ": "
                    + e.getMessage(), e));
        }
        threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "rfc-metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        this.host = bind;
        Metrics.globalRegistry.add(registry);
        server.start();
        log.info("metrics on {}", url());
    }

    /** Serves {@code /metrics} on {@code bind:port} (port 0: a free one, see {@link #port()}). */
    public static MetricsEndpoint start(String bind, int port) {
        return new MetricsEndpoint(bind, port);
    }

    /** Answers {@code GET path} with {@code page} (replacing what answered it before). */
    public MetricsEndpoint page(String path, Page page) {
        synchronized (pages) {
            pages.put(path, page);
        }
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The address of the Prometheus text, as printed when a member is ready. */
    public String url() {
        return url(METRICS_PATH);
    }

    /** The address of {@code path} on this endpoint. */
    public String url(String path) {
        String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port() + path;
    }

    /** The registry the endpoint exports: every meter of the process's global registry. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text of every meter now (what a scrape gets). */
    public String scrape() {
        return registry.scrape();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "read-only: GET only\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals(METRICS_PATH)) {
                send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", scrape().getBytes(StandardCharsets.UTF_8));
                return;
            }
            Page page;
            synchronized (pages) {
                page = pages.get(path);
                if (page == null && path.equals("/")) {
                    page = pages.isEmpty() ? null : pages.values().iterator().next();
                }
            }
            if (page == null) {
                send(exchange, 404, "text/plain; charset=utf-8", ("not found; try " + METRICS_PATH + index() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(exchange, 200, page.contentType(), page.body().get());
        } catch (RuntimeException e) {
            log.warn("metrics endpoint: answering {} failed: {}", exchange.getRequestURI(), e.toString());
        }
    }

    private String index() {
        synchronized (pages) {
            return pages.isEmpty() ? "" : ", " + String.join(", ", pages.keySet());
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops serving and takes the Prometheus registry out of the global one. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        Metrics.globalRegistry.remove(registry);
        gc.close();
        registry.close();
    }

    @Override
    public String toString() {
        return "MetricsEndpoint(" + url() + ")";
    }
}
