package io.rayforce.cluster.deploy;

import io.rayforce.cluster.coordinator.store.ZooKeeperUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rfc} command line: one entry point for every role and admin task. */
@Command(name = "rfc", mixinStandardHelpOptions = true, version = "rayforce-cluster 0.1.0",
        description = "Runs and administers a rayforce-cluster: many RayforceDB servers as one database.",
        subcommands = {DemoCommand.class, LocalCommand.class, GatewayCommand.class, NodeCommand.class,
            CoordinatorCommand.class, ZooKeeperCommand.class, StatusCommand.class, TableCommand.class, RebalanceCommand.class,
            SecretCommand.class, UserCommand.class, CommandLine.HelpCommand.class})
public final class Rfc implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--log-format", scope = CommandLine.ScopeType.INHERIT, defaultValue = "${env:RFC_LOG_FORMAT:-text}",
            paramLabel = "text|json", description = "Log lines as text, or as one JSON object per line with the query id "
                    + "and other context as fields (default: ${DEFAULT-VALUE}; $RFC_LOG_FORMAT).")
    void logFormat(String format) {
        if (!format.equalsIgnoreCase("text") && !format.equalsIgnoreCase("json")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--log-format must be text or json, got '" + format + "'");
        }
    }

    public static void main(String[] args) {
        LogFormat.choose(args); // before anything logs: logback reads its configuration at the first log line
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (tests drive it without exiting). */
    public static CommandLine commandLine() {
        // lets an option's value be a word that is also a subcommand: rfc node --cluster drain
        return new CommandLine(new Rfc()).setAllowSubcommandsAsOptionParameters(true)
                .setExecutionExceptionHandler(Rfc::oneLine);
    }

    /**
     * A setting that cannot be used (a missing or malformed secret, certificate or users file, a
     * ZooKeeper that refuses this member) is reported in one line with exit code 1, not a stack
     * trace; anything else is left to picocli.
     */
    private static int oneLine(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof IllegalArgumentException || e instanceof ZooKeeperUnavailableException) {
            cmd.getErr().println("rfc " + cmd.getCommandName() + ": " + e.getMessage());
            cmd.getErr().flush();
            return 1;
        }
        throw e;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
