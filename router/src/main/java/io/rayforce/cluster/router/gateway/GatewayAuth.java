package io.rayforce.cluster.router.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's handshake check: runs the {@link Authenticator} off the network threads (on a
 * small pool: a bcrypt check takes a while), and holds back clients that keep failing
 * ({@link FailedLogins}: per client address and user after {@value #FREE_PER_USER} failures, per
 * address after {@value #FREE_PER_ADDRESS}). Every refusal is logged at WARN with the user name
 * and the client's address, never the password, and counted in
 * {@code rfc.gateway.auth.failures}; successes are counted in {@code rfc.gateway.auth.successes}.
 */
final class GatewayAuth implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayAuth.class);
    static final int FREE_PER_USER = 3;
    static final int FREE_PER_ADDRESS = 20;

    private final Authenticator authenticator;
    private final FailedLogins perUser;
    private final FailedLogins perAddress;
    private final ThreadPoolExecutor checks;
    private final ScheduledExecutorService timer;
    private final Counter failures = Metrics.counter("rfc.gateway.auth.failures");
    private final Counter successes = Metrics.counter("rfc.gateway.auth.successes");

    GatewayAuth(Authenticator authenticator) {
        this(authenticator, new FailedLogins(FREE_PER_USER), new FailedLogins(FREE_PER_ADDRESS));
    }

    GatewayAuth(Authenticator authenticator, FailedLogins perUser, FailedLogins perAddress) {
        this.authenticator = authenticator;
        this.perUser = perUser;
        this.perAddress = perAddress;
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.checks = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024),
                new DefaultThreadFactory("rayforce-gateway-auth", true));
        this.timer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("rayforce-gateway-auth-delay", true));
    }

    /** Checks the handshake credentials {@code raw} of the client at {@code remote}; completes with the principal or null. */
    CompletableFuture<Principal> check(byte[] raw, SocketAddress remote) {
        Credentials c = Credentials.parse(raw);
        String address = remote instanceof InetSocketAddress a && a.getAddress() != null ? a.getAddress().getHostAddress()
                : String.valueOf(remote);
        String userKey = address + "\u0000" + c.user();
        Duration wait = max(perUser.admit(userKey), perAddress.admit(address));
        CompletableFuture<Principal> verdict = new CompletableFuture<>();
        Runnable run = () -> {
            try {
                checks.execute(() -> verdict.complete(decide(c, address, userKey)));
            } catch (RejectedExecutionException e) {
                log.warn("gateway refused user '{}' from {}: too many handshakes are being checked", c.userForLogs(), address);
                failures.increment();
                verdict.complete(null);
            }
        };
        if (wait.isZero()) {
            run.run();
        } else {
            timer.schedule(run, wait.toMillis(), TimeUnit.MILLISECONDS);
        }
        return verdict;
    }

    private Principal decide(Credentials c, String address, String userKey) {
        Principal p;
        try {
            p = authenticator.authenticate(c);
        } catch (RuntimeException e) {
            log.error("gateway could not check the credentials of user '{}' from {}: {}", c.userForLogs(), address, e.toString());
            p = null;
        }
        if (p != null) {
            perUser.succeeded(userKey);
            successes.increment();
            log.debug("gateway accepted user '{}' ({}) from {}", c.userForLogs(), p.role().text(), address);
            return p;
        }
        int inARow = perUser.failed(userKey);
        perAddress.failed(address);
        failures.increment();
        Duration next = perUser.delayAfter(inARow);
        log.warn("gateway refused user '{}' from {}: wrong user or password ({} failure(s) in a row{})", c.userForLogs(), address,
                inARow, next.isZero() ? "" : "; the next attempt waits " + next.toMillis() + " ms");
        return null;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        checks.shutdownNow();
    }
}
