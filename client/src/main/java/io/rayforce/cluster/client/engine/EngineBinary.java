package io.rayforce.cluster.client.engine;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the native Rayforce server executable, in one place: the {@code RAYFORCE_BIN}
 * environment variable (or {@code -Drayforce.bin}), else {@code .venv/engine/rayforce} under the
 * project root that {@code scripts/install-engine} fills from the pinned rayforce-py wheel.
 */
public final class EngineBinary {
    /** The rayforce-py release whose wheel ships the engine this project is built and tested on. */
    public static final String PINNED_RAYFORCE_PY = "2.4.0";
    static final String RELATIVE = ".venv/engine/rayforce";

    private EngineBinary() {
    }

    /** The executable; fails with instructions when it cannot be found. */
    public static Path locate() {
        List<String> looked = new ArrayList<>();
        String override = System.getenv("RAYFORCE_BIN");
        if (override == null || override.isBlank()) {
            override = System.getProperty("rayforce.bin");
        }
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            if (Files.isExecutable(p)) {
                return p;
            }
            throw new EngineNotFoundException("RAYFORCE_BIN points to " + p + ", which is not an executable file");
        }
        for (Path root : candidateRoots()) {
            Path p = root.resolve(RELATIVE);
            looked.add(p.toString());
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new EngineNotFoundException("the native Rayforce engine was not found (looked at " + String.join(", ", looked)
                + "). Install it with scripts/install-engine (pip installs rayforce-py==" + PINNED_RAYFORCE_PY
                + " into .venv; any Maven build of this project runs it), or set RAYFORCE_BIN to a rayforce executable");
    }

    private static List<Path> candidateRoots() {
        List<Path> roots = new ArrayList<>();
        String root = System.getProperty("rayforce.root");
        if (root != null && !root.isBlank()) {
            roots.add(Path.of(root));
        }
        addAncestors(Path.of("").toAbsolutePath(), roots);
        try {
            var src = EngineBinary.class.getProtectionDomain().getCodeSource();
            if (src != null) {
                addAncestors(Path.of(src.getLocation().toURI()).toAbsolutePath(), roots);
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException ignored) {
            // no usable code location: the other roots still apply
        }
        return roots;
    }

    private static void addAncestors(Path start, List<Path> roots) {
        for (Path p = start; p != null; p = p.getParent()) {
            if (!roots.contains(p)) {
                roots.add(p);
            }
            if (new File(p.toFile(), ".git").exists() || new File(p.toFile(), "mvnw").exists()) {
                break;
            }
        }
    }

    /** The engine executable is missing; the message says how to install it. */
    public static final class EngineNotFoundException extends IllegalStateException {
        public EngineNotFoundException(String message) {
            super(message);
        }
    }
}
