package io.jasyncio.process;

/** Where a child process's standard stream goes: asyncio's {@code PIPE}, {@code DEVNULL}, {@code STDOUT}, or inherited. */
public enum Redirect {
    /** A pipe to this process: {@link Process#stdin()}, {@link Process#stdout()}, {@link Process#stderr()}. */
    PIPE,
    /** The null device. */
    DEVNULL,
    /** This process's own stream. */
    INHERIT,
    /** For stderr only: into the same pipe as stdout. */
    STDOUT
}
