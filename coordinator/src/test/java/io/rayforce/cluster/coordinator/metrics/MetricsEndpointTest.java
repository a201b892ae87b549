package io.rayforce.cluster.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The endpoint over real HTTP: Prometheus text of the global registry's meters, pages beside it, read-only. */
class MetricsEndpointTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesTheGlobalMetersAsPrometheusTextAndItsPages() throws Exception {
        // registered before the endpoint exists, as the members' meters are
        Counter early = Counter.builder("rfc.test.early").tag("kind", "x").register(Metrics.globalRegistry);
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0)) {
            early.increment(3);
            Counter late = Metrics.counter("rfc.test.late");
            late.increment();
            HttpResponse<String> r = get(endpoint.url());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
            assertThat(r.body()).contains("rfc_test_early_total{kind=\"x\"} 3.0").contains("rfc_test_late_total 1.0")
                    .contains("jvm_memory_used_bytes").contains("# TYPE rfc_test_early_total counter");
            assertThat(endpoint.url()).isEqualTo("http://127.0.0.1:" + endpoint.port() + "/metrics");

            endpoint.page("/hello", new MetricsEndpoint.Page("text/html; charset=utf-8", () -> "<p>hi</p>".getBytes(StandardCharsets.UTF_8)));
            assertThat(get(endpoint.url("/hello")).body()).isEqualTo("<p>hi</p>");
            assertThat(get(endpoint.url("/")).body()).as("the first page answers /").isEqualTo("<p>hi</p>");
            HttpResponse<String> missing = get(endpoint.url("/nothing"));
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("/metrics").contains("/hello");
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(endpoint.url()))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        } finally {
            Metrics.globalRegistry.remove(early);
        }
        assertThat(Metrics.globalRegistry.getRegistries()).noneMatch(r -> r.getClass().getSimpleName().equals("PrometheusMeterRegistry"));
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
