package io.rayforce.cluster.chaos.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/**
 * Whether the chaos suite can run here: a Docker engine must answer and the cluster image must
 * have been built (deploy/docker/build-images.sh). Gives the reason when it cannot, for the
 * tests to report as the reason they were skipped.
 */
public final class DockerAvailability {
    private DockerAvailability() {
    }

    /** Empty when a Docker engine answers and holds {@code image}; otherwise why not. */
    public static Optional<String> unavailableReason(String image) {
        boolean engine;
        try {
            engine = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            engine = false;
        }
        if (!engine) {
            return Optional.of("no Docker engine answers on this machine (start dockerd; scripts/test does it as root), "
                    + "so the chaos tests cannot run");
        }
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            return Optional.of("a Docker engine runs, but image " + image + " is missing: run deploy/docker/build-images.sh");
        }
        return Optional.empty();
    }
}
