package io.rayforce.cluster.client.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line settings of one native server: the port, the address to bind (null = all), the
 * number of cores ({@code -c}, 0 = the engine's choice), a password ({@code -u}, or {@code -U}
 * for restricted clients), a journal base path ({@code -l}/{@code -L}) and a RAM budget
 * ({@code -m}).
 */
public record ServerOptions(int port, String bindHost, int cores, String password, boolean restricted,
                            Path journal, boolean fsyncJournal, String memory, Duration startupTimeout) {
    /** How long a start waits for the engine to listen by default (a journal replay runs first). */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofMinutes(2);

    public ServerOptions {
        if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startup timeout must be positive, got " + startupTimeout);
        }
    }

    public static ServerOptions onPort(int port) {
        return new ServerOptions(port, null, 0, null, false, null, false, null, DEFAULT_STARTUP_TIMEOUT);
    }

    /** How long {@link NativeServer#start} waits for the engine to listen before giving up. */
    public ServerOptions startupTimeout(Duration timeout) {
        return new ServerOptions(port, bindHost, cores, password, restricted, journal, fsyncJournal, memory, timeout);
    }

    public ServerOptions bind(String host) {
        return new ServerOptions(port, host, cores, password, restricted, journal, fsyncJournal, memory, startupTimeout);
    }

    public ServerOptions cores(int n) {
        return new ServerOptions(port, bindHost, n, password, restricted, journal, fsyncJournal, memory, startupTimeout);
    }

    public ServerOptions password(String pw) {
        return new ServerOptions(port, bindHost, cores, pw, false, journal, fsyncJournal, memory, startupTimeout);
    }

    public ServerOptions restrictedPassword(String pw) {
        return new ServerOptions(port, bindHost, cores, pw, true, journal, fsyncJournal, memory, startupTimeout);
    }

    public ServerOptions journal(Path base, boolean fsync) {
        return new ServerOptions(port, bindHost, cores, password, restricted, base, fsync, memory, startupTimeout);
    }

    public ServerOptions memory(String budget) {
        return new ServerOptions(port, bindHost, cores, password, restricted, journal, fsyncJournal, budget, startupTimeout);
    }

    public ServerOptions withPort(int p) {
        return new ServerOptions(p, bindHost, cores, password, restricted, journal, fsyncJournal, memory, startupTimeout);
    }

    /** The engine's arguments (the password among them: see {@link #toString()}). */
    List<String> arguments() {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
        List<String> args = new ArrayList<>();
        if (bindHost != null) {
            args.add("--port");
            args.add(bindHost + ":" + port);
        } else {
            args.add("-p");
            args.add(Integer.toString(port));
        }
        if (cores > 0) {
            args.add("-c");
            args.add(Integer.toString(cores));
        }
        if (password != null) {
            args.add(restricted ? "-U" : "-u");
            args.add(password);
        }
        if (journal != null) {
            args.add(fsyncJournal ? "-L" : "-l");
            args.add(journal.toString());
        }
        if (memory != null) {
            args.add("-m");
            args.add(memory);
        }
        return args;
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "ServerOptions[port=" + port + (bindHost == null ? "" : ", bind=" + bindHost) + ", cores=" + cores
                + (password == null ? "" : restricted ? ", restricted password" : ", password")
                + (journal == null ? "" : ", journal=" + journal) + (memory == null ? "" : ", memory=" + memory) + "]";
    }
}
