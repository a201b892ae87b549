package io.rayforce.cluster.router.globals;

import io.rayforce.cluster.client.value.RayValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request's view of the cluster's globals: each name is read from {@code shared} once (it
 * is or is not a global, with its value then), and every later read in the request (finding the
 * functions that write, inlining) reuses that answer; the request's own {@code set} and
 * {@code del} go through, and the name is read again after them. A request of its own (each statement of a
 * {@code do}) gets a fresh view, so it reads every statement acknowledged before it.
 */
public final class RequestGlobals implements Globals {
    private final Globals shared;
    private final Map<String, Optional<RayValue>> read = new HashMap<>();

    public RequestGlobals(Globals shared) {
        this.shared = shared;
    }

    @Override
    public Map<String, RayValue> current(Collection<String> names) {
        List<String> unread = new ArrayList<>();
        for (String n : names) {
            if (!read.containsKey(n)) {
                unread.add(n);
            }
        }
        if (!unread.isEmpty()) {
            Map<String, RayValue> found = shared.current(unread);
            for (String n : unread) {
                read.put(n, Optional.ofNullable(found.get(n)));
            }
        }
        Map<String, RayValue> out = new HashMap<>();
        for (String n : names) {
            read.get(n).ifPresent(v -> out.put(n, v));
        }
        return out;
    }

    @Override
    public void put(String name, RayValue value) {
        read.remove(name); // read again as stored
        shared.put(name, value);
    }

    @Override
    public boolean remove(String name) {
        read.remove(name);
        return shared.remove(name);
    }

    @Override
    public List<String> names(Collection<String> tables) {
        return shared.names(tables);
    }

    @Override
    public int maxValueBytes() {
        return shared.maxValueBytes();
    }

    /** The shared globals outlive the request: closing its view closes nothing. */
    @Override
    public void close() {
    }
}
