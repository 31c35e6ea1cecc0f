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

    /** {@code true}: every loop measures lag and step rate from the start (see LoopMetrics). */
    public static final String METRICS = "jasyncio.metrics";

    /** {@code false}: loops register no management bean (default: they do). */
    public static final String JMX = "jasyncio.jmx";

    /** Milliseconds a debug-mode loop may sit idle with pending tasks and nothing to wake them before it logs the wait-for graph (default 1000; 0: never). */
    public static final String IDLE_REPORT_MILLIS = "jasyncio.debug.idleReportMillis";

    /** Milliseconds between debug mode's samples for blocking calls inside tasks (default 0: off). */
    public static final String BLOCKING_SAMPLE_MILLIS = "jasyncio.debug.blockingSampleMillis";

    /** Read {@link #BLOCKING_SAMPLE_MILLIS}. */
    public static long blockingSampleMillis() {
        return Long.getLong(BLOCKING_SAMPLE_MILLIS, 0L);
    }

    /** Read {@link #METRICS}. */
    public static boolean metricsByDefault() {
        return Boolean.getBoolean(METRICS);
    }

    /** Read {@link #JMX}. */
    public static boolean jmxEnabled() {
        return !"false".equalsIgnoreCase(System.getProperty(JMX));
    }

    /** Read {@link #IDLE_REPORT_MILLIS}. */
    public static long idleReportMillis() {
        return Long.getLong(IDLE_REPORT_MILLIS, 1000L);
    }
}
