package io.rayforce.cluster.deploy;

import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.security.ClusterSecret;
import io.rayforce.cluster.coordinator.security.ZooKeeperAcls;
import io.rayforce.cluster.coordinator.store.ZooKeeperUnavailableException;
import org.apache.curator.framework.AuthInfo;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import io.rayforce.cluster.coordinator.security.SecretFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rfc secret generate FILE}: a new random secret in a file only its owner can read. */
@Command(name = "secret", mixinStandardHelpOptions = true,
        description = "Make secrets for a secured cluster (docs/security.md).",
        subcommands = {SecretCommand.Generate.class, SecretCommand.Apply.class})
public final class SecretCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: generate or apply");
    }

    /** {@code rfc secret generate FILE}. */
    @Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Write 32 random bytes (base64) to FILE with mode 0600: a cluster secret (--cluster-secret-file, "
                    + "the same file for every member) or an admin token (a coordinator's --admin-token-file, the admin "
                    + "commands' --token-file). The secret is never printed; its fingerprint is.")
    public static final class Generate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "Where to write the secret (must not exist yet).")
        Path file;

        @Option(names = "--force", description = "Replace FILE if it exists (members holding the old secret stop working).")
        boolean force;

        @Override
        public Integer call() {
            try {
                SecretFiles.write(file, SecretFiles.randomText(ClusterSecret.MIN_BYTES), force);
            } catch (RuntimeException e) {
                spec.commandLine().getErr().println("cannot write the secret: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return ControlClient.FAILED;
            }
            spec.commandLine().getOut().println("wrote a new secret to " + file + " (mode 0600, fingerprint "
                    + ClusterSecret.read(file).fingerprint() + ")");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code rfc secret apply}: give a cluster's znodes to the members of a (new) secret. */
    @Command(name = "apply", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Make every znode of a cluster readable and writable by the members of --cluster-secret-file only: "
                    + "secures a cluster that ran without a secret, or moves one to a new secret (give the old one with "
                    + "--old-secret-file). Stop every member first; start them again with the new secret.")
    public static final class Apply implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--zookeeper", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
                description = "ZooKeeper ensemble connect string.")
        String zookeeper;

        @Option(names = "--cluster", defaultValue = "default", paramLabel = "NAME", description = "Cluster name (default: ${DEFAULT-VALUE}).")
        String cluster;

        @Option(names = "--cluster-secret-file", required = true, paramLabel = "FILE", description = "The (new) cluster secret.")
        Path secretFile;

        @Option(names = "--old-secret-file", paramLabel = "FILE",
                description = "The secret the cluster has now (none: the cluster ran without one).")
        Path oldSecretFile;

        @Override
        public Integer call() throws Exception {
            ClusterSecret next = ClusterSecret.read(secretFile);
            CuratorFrameworkFactory.Builder b = CuratorFrameworkFactory.builder().connectString(zookeeper)
                    .sessionTimeoutMs(15_000).connectionTimeoutMs(10_000).retryPolicy(new BoundedExponentialBackoffRetry(100, 2000, 10));
            java.util.List<AuthInfo> auth = new java.util.ArrayList<>();
            if (oldSecretFile != null) {
                auth.add(new AuthInfo("digest", ClusterSecret.read(oldSecretFile).zooKeeperCredentials().authBytes()));
            }
            auth.add(new AuthInfo("digest", next.zooKeeperCredentials().authBytes()));
            try (CuratorFramework curator = b.authorization(auth).build()) {
                curator.start();
                if (!curator.blockUntilConnected(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new ZooKeeperUnavailableException("cannot connect to ZooKeeper at " + zookeeper);
                }
                String root = "/" + ZkPaths.namespace(cluster);
                int n;
                try {
                    if (curator.checkExists().forPath(root) == null) {
                        throw new IllegalArgumentException("there is no cluster " + cluster + " in ZooKeeper at " + zookeeper);
                    }
                    n = new ZooKeeperAcls(next.zooKeeperCredentials()).apply(curator, root);
                } catch (KeeperException.NoAuthException e) {
                    throw new IllegalArgumentException("cluster " + cluster + "'s znodes belong to another secret: give the one "
                            + "they have now with --old-secret-file");
                }
                spec.commandLine().getOut().println("cluster " + cluster + ": " + n + " znode(s) now belong to the members of the "
                        + "secret with fingerprint " + next.fingerprint());
                spec.commandLine().getOut().flush();
                return 0;
            }
        }
    }
}
