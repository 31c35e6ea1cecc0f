package io.jasyncio.internal;

/** Every system property jasyncio reads, declared once, each named {@code jasyncio.<area>.<name>}. */
public final class Config {
    private Config() {}

    /** {@code continuation} or {@code virtual}: force a coroutine engine. Unset: automatic. */
    public static final String ENGINE = "jasyncio.engine";

    /** {@code true}: every new loop starts in debug mode. */
    public static final String DEBUG = "jasyncio.debug";

    /** Read {@link #DEBUG}. */
    public static boolean debugByDefault() {
        return Boolean.getBoolean(DEBUG);
    }
}
