package io.rayforce.cluster.node.journal;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.client.ipc.MessageType;
import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.node.engine.EngineSupervisor;
import io.rayforce.cluster.node.engine.SupervisorSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Helpers of the journal tests: real engines, real files. */
final class JournalTesting {
    /** Fast supervision; no upkeep on its own (a health check every hour), so a test decides when the journal changes. */
    static final SupervisorSettings QUIET = SupervisorSettings.DEFAULTS
            .withHealth(Duration.ofHours(1), Duration.ofMillis(500), Duration.ofHours(2))
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(60))
            .withRequestTimeout(Duration.ofSeconds(30));
    /** Fast supervision with restarts, as the node runs it. */
    static final SupervisorSettings FAST = SupervisorSettings.DEFAULTS
            .withHealth(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5))
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(60))
            .withRequestTimeout(Duration.ofSeconds(30));

    private JournalTesting() {
    }

    static EngineSupervisor supervisor(Path data, SupervisorSettings settings) {
        return new EngineSupervisor(null, ServerOptions.onPort(NativeServer.freePort()), data, settings);
    }

    static EngineSupervisor supervisor(Path data, SupervisorSettings settings, EntryCheck check) {
        return new EngineSupervisor(null, ServerOptions.onPort(NativeServer.freePort()), data, settings, null, check);
    }

    /** The entries of a journal file (an engine log, a segment or the quarantine). */
    static List<JournalEntry> entries(Path file) {
        long from = file.getFileName().toString().endsWith(".seg") ? JournalSegment.HEADER_BYTES
                : JournalFormat.probe(file).framesStart();
        List<JournalEntry> out = new ArrayList<>();
        try (JournalReader r = JournalReader.open(file, from)) {
            for (JournalEntry e = r.next(); e != null; e = r.next()) {
                out.add(e);
            }
        }
        return out;
    }

    /** A journal frame of a sync request with source text {@code text}, as a client sends it. */
    static byte[] frame(String text, int flags) {
        return ValueWriter.frame(MessageType.SYNC, new Str(text), flags);
    }

    static byte[] frame(RayValue request) {
        return ValueWriter.frame(MessageType.SYNC, request, 0);
    }

    /** Appends frames to a journal no engine has open, as a disk editor would. */
    static void append(Path journal, byte[]... frames) throws IOException {
        for (byte[] f : frames) {
            Files.write(journal, f, StandardOpenOption.APPEND);
        }
    }

    static long count(EngineSupervisor s, String global) {
        return ((I64Atom) s.client().execute("(count " + global + ")")).value();
    }

    static long sum(EngineSupervisor s, String global, String column) {
        return ((I64Atom) s.client().execute("(sum (at " + global + " '" + column + "))")).value();
    }

    static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
    }

    /** What a test started (supervisors, engines), closed after it, last first. */
    static final class Started implements AutoCloseable {
        private final List<AutoCloseable> all = new ArrayList<>();

        <T extends AutoCloseable> T add(T c) {
            all.add(c);
            return c;
        }

        /** Starts {@code s}, to be closed after the test. */
        EngineSupervisor start(EngineSupervisor s) {
            add(s).start();
            return s;
        }

        @Override
        public void close() throws Exception {
            for (int i = all.size() - 1; i >= 0; i--) {
                all.get(i).close();
            }
        }
    }

    /** Collects what a logger logs while it is open. */
    static final class LogCapture implements AutoCloseable {
        private final Logger logger;
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        LogCapture(Class<?> of) {
            logger = (Logger) LoggerFactory.getLogger(of);
            appender.start();
            logger.addAppender(appender);
        }

        List<String> lines() {
            List<String> out = new ArrayList<>();
            synchronized (appender.list) {
                appender.list.forEach(e -> out.add(e.getFormattedMessage()));
            }
            return out;
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
        }
    }
}
