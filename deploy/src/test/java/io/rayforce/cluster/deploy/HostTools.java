package io.rayforce.cluster.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Programs of the host that tests drive (a browser, Prometheus): installed from Debian packages by scripts/test. */
final class HostTools {
    private HostTools() {
    }

    /**
     * The executable named by the environment variable {@code env}, else the first of {@code names}
     * on the PATH; fails saying which Debian package to install.
     */
    static Path find(String env, String debianPackage, String... names) {
        String given = System.getenv(env);
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String name : names) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new AssertionError("no " + names[0] + " on the PATH: install Debian's " + debianPackage + " package "
                + "(scripts/test does), or set " + env + " to its executable");
    }
}
