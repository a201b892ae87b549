package io.rayforce.cluster.router.gateway;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many requests each user has running or waiting for a worker, against
 * {@link GatewayLimits#maxQueriesPerUser()}. A user is the name a client logged in with when the
 * gateway has a users file; with one password for everyone (or none) the name proves nothing,
 * so it is the client's address instead.
 */
final class QueryQuota {
    private final int perUser;
    private final boolean byUser;
    private final ConcurrentHashMap<String, Integer> active = new ConcurrentHashMap<>();

    /** @param perUser the limit (zero: none); {@code byUser}: key by user name rather than address */
    QueryQuota(int perUser, boolean byUser) {
        this.perUser = perUser;
        this.byUser = byUser;
    }

    /** The key {@code ch}'s requests count under. */
    String keyOf(Channel ch) {
        Principal p = ch.attr(Principal.KEY).get();
        if (byUser && p != null) {
            return "user '" + p.user() + "'";
        }
        return ch.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? "address " + a.getAddress().getHostAddress() : "address " + ch.remoteAddress();
    }

    /** Takes a slot for {@code key}; false when it already has the limit's worth. */
    boolean tryAcquire(String key) {
        if (perUser == 0) {
            return true;
        }
        boolean[] got = {false};
        active.compute(key, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= perUser) {
                return n;
            }
            got[0] = true;
            return now + 1;
        });
        return got[0];
    }

    /** Gives back a slot taken by {@link #tryAcquire}. */
    void release(String key) {
        if (perUser != 0) {
            active.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    int limit() {
        return perUser;
    }

    /** Requests {@code key} has running or waiting for a worker now. */
    int active(String key) {
        return active.getOrDefault(key, 0);
    }
}
