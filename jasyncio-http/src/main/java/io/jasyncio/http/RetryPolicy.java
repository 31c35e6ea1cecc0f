package io.jasyncio.http;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When the client tries a request again: opt-in ({@link #NONE} by default), and only for idempotent methods
 * (GET, HEAD, OPTIONS, PUT, DELETE, TRACE) with a body that can be sent again. A retry follows a connect
 * failure, a timeout of the session's own, a malformed response or a connection lost mid-response, or a
 * status in {@code retryStatuses}.
 *
 * <p>The wait before attempt {@code n+1} is "full jitter" exponential backoff (AWS architecture blog):
 * a uniform random time in {@code [0, min(maxDelay, baseDelay * 2^(n-1))]}, so a crowd of clients that
 * failed together does not come back together. A {@code Retry-After} header (seconds or an HTTP date)
 * replaces it, capped at {@code maxDelay}.
 *
 * @param maxAttempts   attempts in all, the first included (1: no retry)
 * @param baseDelay     the backoff's first ceiling
 * @param maxDelay      the longest wait, whatever the backoff or Retry-After says
 * @param retryStatuses statuses that are tried again (default 429, 500, 502, 503, 504)
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Set<Integer> retryStatuses) {
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Set.of());
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");

    public RetryPolicy {
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        retryStatuses = Set.copyOf(retryStatuses);
        if (maxAttempts < 1 || baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("RetryPolicy needs maxAttempts >= 1 and 0 <= baseDelay <= maxDelay; got "
                    + maxAttempts + ", " + baseDelay + ", " + maxDelay);
        }
    }

    /** {@code attempts} in all, backoff from 0.5 s up to 30 s, retrying 429, 500, 502, 503 and 504. */
    public static RetryPolicy attempts(int attempts) {
        return new RetryPolicy(attempts, Duration.ofMillis(500), Duration.ofSeconds(30), Set.of(429, 500, 502, 503, 504));
    }

    public RetryPolicy withBackoff(Duration base, Duration max) {
        return new RetryPolicy(maxAttempts, base, max, retryStatuses);
    }

    public RetryPolicy withRetryStatuses(Set<Integer> statuses) {
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, statuses);
    }

    boolean allows(String method, int attemptsMade, boolean bodyReplayable) {
        return attemptsMade < maxAttempts && bodyReplayable && IDEMPOTENT.contains(method);
    }

    /** The wait before the next attempt after {@code attemptsMade} failed ones; {@code retryAfter} may be null. */
    Duration delay(int attemptsMade, String retryAfter) {
        Duration fromHeader = parseRetryAfter(retryAfter);
        if (fromHeader != null) {
            return fromHeader.compareTo(maxDelay) > 0 ? maxDelay : fromHeader;
        }
        long ceiling = baseDelay.toNanos() << Math.min(attemptsMade - 1, 30);
        if (ceiling <= 0 || ceiling > maxDelay.toNanos()) {
            ceiling = maxDelay.toNanos();
        }
        return Duration.ofNanos(ceiling == 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.chars().allMatch(Character::isDigit) && v.length() < 10) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        try {
            ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(ZonedDateTime.now(when.getZone()), when);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null; // not a valid Retry-After: fall back to the backoff
        }
    }
}
