package io.rayforce.cluster.client.testing;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real native Rayforce server for a test class: started before the first test on a free
 * port, stopped after the last. {@code @RegisterExtension static EngineExtension engine = new EngineExtension();}
 */
public final class EngineExtension implements BeforeAllCallback, AfterAllCallback {
    private final ServerOptions options;
    private final List<TCPClient> clients = new ArrayList<>();
    private NativeServer server;
    private TCPClient shared;

    public EngineExtension() {
        this(ServerOptions.onPort(1));
    }

    /** A server with these options (the port is chosen at start). */
    public EngineExtension(ServerOptions options) {
        this.options = options;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = NativeServer.startOnFreePort(options);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        clients.forEach(TCPClient::close);
        clients.clear();
        shared = null;
        if (server != null) {
            server.close();
        }
    }

    public NativeServer server() {
        return server;
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    /** One client shared by the class's tests (opened on first use). */
    public synchronized TCPClient client() {
        if (shared == null || !shared.isAlive()) {
            shared = newClient();
        }
        return shared;
    }

    /** A new client, closed after the class. */
    public synchronized TCPClient newClient() {
        return newClient(ClientOptions.DEFAULT.withCredentials("", options.password()));
    }

    public synchronized TCPClient newClient(ClientOptions clientOptions) {
        TCPClient c = new TCPClient(host(), port(), clientOptions);
        clients.add(c);
        return c;
    }
}
