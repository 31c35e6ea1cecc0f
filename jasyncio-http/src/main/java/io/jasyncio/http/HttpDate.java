package io.jasyncio.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header's value (RFC 9110 §5.6.7, IMF-fixdate: {@code Sun, 06 Nov 1994 08:49:37 GMT}),
 * formatted at most once per second: a busy server pays a clock read per response, not a format.
 * Thread-safe (the cache is one immutable pair, published through a volatile field).
 */
final class HttpDate {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private record Cached(long second, String text) {}

    private static volatile Cached cached = new Cached(-1, "");

    private HttpDate() {}

    /** {@code epochSecond} as an IMF-fixdate (for Last-Modified). */
    static String format(long epochSecond) {
        return IMF_FIXDATE.format(Instant.ofEpochSecond(epochSecond));
    }

    /**
     * An IMF-fixdate's epoch second, or {@code Long.MIN_VALUE} if {@code text} is not one: a request's
     * invalid date is ignored (RFC 9110 §13.1.3), never an error. The obsolete RFC 850 and asctime forms,
     * which no client has sent for decades, count as invalid.
     */
    static long parse(String text) {
        try {
            return IMF_FIXDATE.parse(text.trim(), Instant::from).getEpochSecond();
        } catch (java.time.DateTimeException e) {
            return Long.MIN_VALUE;
        }
    }

    static String now() {
        long second = System.currentTimeMillis() / 1000;
        Cached c = cached;
        if (c.second() != second) {
            c = new Cached(second, IMF_FIXDATE.format(Instant.ofEpochSecond(second)));
            cached = c;
        }
        return c.text();
    }
}
