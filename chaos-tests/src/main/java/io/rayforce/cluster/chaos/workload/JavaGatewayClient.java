package io.rayforce.cluster.chaos.workload;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import java.time.Duration;
import java.util.List;

/**
 * The project's Java {@link TCPClient} as a workload client, given every gateway: it fails over
 * between them by itself (reads, and writes it can prove were not sent). One client, opened on
 * first use and again after a connection error or a timeout (a timed-out request closes its
 * connection, since answers carry no id). An engine error keeps the connection.
 */
public final class JavaGatewayClient implements GatewayClient {
    private final List<String> gateways;
    private final ClientOptions options;
    private TCPClient client;

    public JavaGatewayClient(List<String> gateways, Duration requestTimeout) {
        this.gateways = List.copyOf(gateways);
        this.options = ClientOptions.DEFAULT.withConnectTimeout(Duration.ofSeconds(3)).withRequestTimeout(requestTimeout);
    }

    @Override
    public Reply execute(String rayfall) {
        if (client == null) {
            try {
                client = new TCPClient(gateways, options);
            } catch (RuntimeException e) {
                return Reply.failed("connect: " + describe(e), false);
            }
        }
        try {
            return Reply.of(client.execute(rayfall));
        } catch (RayforceEvaluationError e) {
            return Reply.failed("error " + describe(e), true);
        } catch (RuntimeException e) {
            close();
            return Reply.failed(describe(e), true);
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.replace('\n', ' '));
    }

    @Override
    public void close() {
        if (client != null) {
            try {
                client.close();
            } catch (RuntimeException ignored) {
                // already broken
            }
            client = null;
        }
    }
}
