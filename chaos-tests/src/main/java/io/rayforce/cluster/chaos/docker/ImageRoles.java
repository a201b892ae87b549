package io.rayforce.cluster.chaos.docker;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/** Which rfc subcommands the image's launcher has (asked with {@code rfc --help} in a throw-away container). */
public final class ImageRoles {
    private ImageRoles() {
    }

    /** The roles among {@code wanted} that the image's {@code rfc --help} does not list. */
    public static List<String> missing(String image, List<String> wanted) {
        String help;
        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withCommand("--help")
                .withLabels(io.rayforce.cluster.chaos.cluster.DockerCluster.labels("help"))
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
            c.start();
            help = c.getLogs();
        }
        return wanted.stream().filter(r -> !Pattern.compile("(?m)^\\s+" + Pattern.quote(r) + "\\b").matcher(help).find()).toList();
    }
}
