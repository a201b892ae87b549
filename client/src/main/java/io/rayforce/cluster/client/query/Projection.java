package io.rayforce.cluster.client.query;

/** Something a select can output: a column under its own name, or a {@link Named} expression. */
public sealed interface Projection permits Column, Named {
    /** The output name and the expression computing it. */
    Named named();
}
