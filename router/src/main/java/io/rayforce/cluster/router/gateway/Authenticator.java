package io.rayforce.cluster.router.gateway;

/**
 * Decides who a client is from the credentials of its handshake. May block (a password hash
 * check is deliberately slow): the gateway calls it off its network threads.
 */
interface Authenticator {
    /** The principal, or null when the credentials are refused. */
    Principal authenticate(Credentials credentials);

    /** One password for every client, as an engine started with {@code -u}: any user name, read-write. */
    static Authenticator sharedPassword(String password) {
        PasswordCheck check = new PasswordCheck(password);
        return c -> check.accepts(c.raw()) ? new Principal(c.user(), UsersFile.Role.READ_WRITE) : null;
    }
}
