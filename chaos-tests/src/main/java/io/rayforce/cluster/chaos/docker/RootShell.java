package io.rayforce.cluster.chaos.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;

/**
 * Runs a command as root inside a running container (the roles themselves run as an
 * unprivileged user): how the fault injectors use iptables and tc, which the containers may use
 * because they were given the NET_ADMIN capability.
 */
public final class RootShell {
    private RootShell() {
    }

    /** The result of one command. */
    public record Result(long exitCode, String output) {
    }

    /** Runs {@code bash -c script} as root in {@code containerId}; fails when it exits non-zero. */
    public static String run(String containerId, String script) {
        Result r = tryRun(containerId, script);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("as root in " + containerId.substring(0, Math.min(12, containerId.length()))
                    + ": `" + script + "` exited " + r.exitCode() + ": " + r.output().strip());
        }
        return r.output();
    }

    /** Runs {@code bash -c script} as root in {@code containerId} and gives its exit code and output. */
    public static Result tryRun(String containerId, String script) {
        DockerClient docker = DockerClientFactory.instance().client();
        ExecCreateCmdResponse exec = docker.execCreateCmd(containerId).withUser("0")
                .withAttachStdout(true).withAttachStderr(true).withCmd("bash", "-c", script).exec();
        StringBuilder out = new StringBuilder();
        try (ResultCallback.Adapter<Frame> cb = docker.execStartCmd(exec.getId()).exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (out) {
                    out.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        })) {
            if (!cb.awaitCompletion(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("`" + script + "` did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        InspectExecResponse done = docker.inspectExecCmd(exec.getId()).exec();
        Long code = done.getExitCodeLong();
        synchronized (out) {
            return new Result(code == null ? -1 : code, out.toString());
        }
    }
}
