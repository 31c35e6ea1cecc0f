package io.jasyncio.examples.tour;

import io.jasyncio.Asyncio;

/** Elapsed loop time, in seconds since it was created (virtual time when the loop uses it). */
final class Stopwatch {
    private final double start = Asyncio.getRunningLoop().time();

    double seconds() {
        return Asyncio.getRunningLoop().time() - start;
    }

    String text() {
        return String.format("%.3f s", seconds());
    }
}
