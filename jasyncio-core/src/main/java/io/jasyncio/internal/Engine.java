package io.jasyncio.internal;

/**
 * A coroutine engine: what turns a plain Java method into something that can pause.
 * Two implementations exist, chosen once per JVM by {@link Engines#selected()}:
 * {@link ContinuationEngine} (the fast one) and {@link VirtualThreadEngine} (the fallback).
 * Semantics never differ between engines; only costs and thread identity do.
 */
public interface Engine {

    /** {@code "continuation"} or {@code "virtual"}. */
    String name();

    /** A new strand that will run {@code body} on its first {@link Strand#resume()}. */
    Strand newStrand(Runnable body);

    /**
     * Runs an event loop's body on a thread where this engine's switches are cheap, and returns
     * when the body returns (rethrowing what it throws). The calling thread is blocked meanwhile.
     */
    void runLoop(Runnable loopBody);
}
