package io.rayforce.cluster.deploy;

import io.rayforce.cluster.router.gateway.UsersFile;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rfc user add|remove|list}: the gateway's users file (names, roles, bcrypt hashes). A
 * password is read from the terminal (asked twice) or, when stdin is not a terminal, from the
 * first line of stdin; never from a flag, which other local users could see.
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Manage the gateway's users file (rfc gateway --users-file): users with bcrypt-hashed passwords and a "
                + "role, read-write or read-only. A running gateway picks changes up by itself.",
        subcommands = {UserCommand.Add.class, UserCommand.Remove.class, UserCommand.List.class})
public final class UserCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: add, remove or list");
    }

    /** The users file option every subcommand takes. */
    static final class FileOption {
        @Option(names = "--users-file", defaultValue = "${env:RFC_USERS_FILE}", paramLabel = "FILE",
                description = "The gateway's users file (default: $RFC_USERS_FILE; one of them is required).")
        Path file;

        UsersFile read() {
            if (file == null) {
                throw new IllegalArgumentException("name the users file with --users-file FILE or RFC_USERS_FILE");
            }
            return Files.exists(file) ? UsersFile.read(file) : UsersFile.empty();
        }
    }

    /** {@code rfc user add NAME}. */
    @Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Add a user, or set an existing user's password and role. The password comes from the terminal, "
                    + "or from the first line of stdin (e.g. a pipe from a secret store).")
    public static final class Add implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "User name: letters, digits, . _ @ -.")
        String name;

        @CommandLine.Mixin
        FileOption users;

        @Option(names = "--read-only", description = "The user may read but not write (writes get error access).")
        boolean readOnly;

        @Option(names = "--cost", defaultValue = "" + UsersFile.DEFAULT_COST, paramLabel = "N",
                description = "bcrypt cost, 4..31 (default: ${DEFAULT-VALUE}; each step doubles the time of a check).")
        int cost;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            byte[] password = null;
            try {
                UsersFile.checkName(name);
                password = readPassword(err);
                UsersFile.Role role = readOnly ? UsersFile.Role.READ_ONLY : UsersFile.Role.READ_WRITE;
                UsersFile current = users.read();
                boolean existed = current.find(name).isPresent();
                current.with(name, role, password, cost).write(users.file);
                spec.commandLine().getOut().println((existed ? "updated" : "added") + " user " + name + " (" + role.text()
                        + ") in " + users.file);
                spec.commandLine().getOut().flush();
                return 0;
            } catch (IllegalArgumentException | IllegalStateException e) {
                err.println("cannot add user " + name + ": " + e.getMessage());
                err.flush();
                return ControlClient.FAILED;
            } finally {
                if (password != null) {
                    Arrays.fill(password, (byte) 0);
                }
            }
        }

        private static byte[] readPassword(PrintWriter err) {
            Console console = System.console();
            if (console != null) {
                char[] first = console.readPassword("password: ");
                char[] again = console.readPassword("again: ");
                if (first == null || again == null || !Arrays.equals(first, again)) {
                    throw new IllegalArgumentException("the two passwords differ");
                }
                byte[] b = new String(first).getBytes(StandardCharsets.UTF_8);
                Arrays.fill(first, ' ');
                Arrays.fill(again, ' ');
                return b;
            }
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new IllegalArgumentException("no password on stdin: pipe one line, e.g. from a secret store");
                }
                return line.getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the password from stdin: " + e.getMessage());
            }
        }
    }

    /** {@code rfc user remove NAME}. */
    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a user.")
    public static final class Remove implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @CommandLine.Mixin
        FileOption users;

        @Override
        public Integer call() {
            try {
                UsersFile current = users.read();
                if (current.find(name).isEmpty()) {
                    spec.commandLine().getErr().println("no user " + name + " in " + users.file);
                    spec.commandLine().getErr().flush();
                    return ControlClient.FAILED;
                }
                current.without(name).write(users.file);
                spec.commandLine().getOut().println("removed user " + name + " from " + users.file);
                spec.commandLine().getOut().flush();
                return 0;
            } catch (IllegalArgumentException | IllegalStateException e) {
                spec.commandLine().getErr().println("cannot remove user " + name + ": " + e.getMessage());
                spec.commandLine().getErr().flush();
                return ControlClient.FAILED;
            }
        }
    }

    /** {@code rfc user list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users and their roles (never the hashes).")
    public static final class List implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        FileOption users;

        @Override
        public Integer call() {
            try {
                PrintWriter out = spec.commandLine().getOut();
                for (UsersFile.User u : users.read().users()) {
                    out.println(u.name() + " " + u.role().text());
                }
                out.flush();
                return 0;
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("cannot read the users: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return ControlClient.FAILED;
            }
        }
    }
}
