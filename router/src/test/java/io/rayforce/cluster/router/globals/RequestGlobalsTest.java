package io.rayforce.cluster.router.globals;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.I64Atom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One request reads each global once, and reads a name again after its own set or del. */
class RequestGlobalsTest {
    @Test
    void eachNameIsReadOnceUntilTheRequestChangesIt() {
        CountingGlobals shared = new CountingGlobals();
        shared.put("a", I64Atom.of(1));
        RequestGlobals request = new RequestGlobals(shared);
        assertThat(request.current(List.of("a", "nosuch"))).containsOnlyKeys("a");
        assertThat(request.current(List.of("a", "nosuch", "b"))).containsOnlyKeys("a");
        assertThat(shared.lookups).as("a and nosuch once, then only b").containsExactly(List.of("a", "nosuch"), List.of("b"));
        request.put("b", I64Atom.of(2));
        assertThat(request.current(List.of("a", "b"))).containsEntry("b", I64Atom.of(2));
        request.remove("a");
        assertThat(request.current(List.of("a", "b"))).doesNotContainKey("a");
        assertThat(shared.lookups.subList(2, shared.lookups.size())).containsExactly(List.of("b"), List.of("a"));
        assertThat(new RequestGlobals(shared).current(List.of("b"))).as("another request reads again").containsKey("b");
        assertThat(shared.lookups).hasSize(5);
    }
}
