package io.jasyncio.http;

import io.jasyncio.Asyncio;
import java.util.HashMap;
import java.util.Map;

/**
 * At most {@code perSecond} requests start per host: each request takes the next free slot, spaced
 * {@code 1/perSecond} apart on the loop's clock, and sleeps until it (a crawler's politeness delay).
 * Slots are handed out in call order, so waiting requests are served first come, first served. A slot
 * taken by a request that is then cancelled is not given back (the host sees one request fewer, never
 * one more).
 *
 * <p>Loop-confined.
 */
final class HostRateLimiter {
    private final double interval;
    private final Map<String, Double> nextSlot = new HashMap<>();

    HostRateLimiter(double perSecond) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("requests per second must be positive and finite: " + perSecond);
        }
        this.interval = 1.0 / perSecond;
    }

    void acquire(String host) {
        double now = Asyncio.getRunningLoop().time();
        double slot = Math.max(now, nextSlot.getOrDefault(host, now));
        nextSlot.put(host, slot + interval);
        if (slot > now) {
            Asyncio.sleep(slot - now);
        }
    }
}
