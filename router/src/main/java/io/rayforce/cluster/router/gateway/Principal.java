package io.rayforce.cluster.router.gateway;

import io.netty.util.AttributeKey;

/**
 * Who a gateway connection belongs to once its handshake passed: the user name the client sent
 * and the role that decides whether it may write ({@link UsersFile.Role}).
 */
record Principal(String user, UsersFile.Role role) {
    /** The channel attribute the handshake sets. */
    static final AttributeKey<Principal> KEY = AttributeKey.valueOf("rayforce-gateway-principal");
    /** A client of a gateway without users: it may do everything a client may. */
    static final Principal ANONYMOUS = new Principal("", UsersFile.Role.READ_WRITE);

    boolean readOnly() {
        return role == UsersFile.Role.READ_ONLY;
    }
}
