package io.jasyncio.http;

/**
 * The bounds {@link HttpParser} enforces, so that no peer can make it buffer without end.
 *
 * @param maxLineLength  the longest request line, status line, header line or chunk-size line, in bytes
 *                       (aiohttp: 8190)
 * @param maxHeadBytes   the largest head (start line and every header, or the trailers), in bytes
 * @param maxHeaderCount the most header fields in one head (or in the trailers)
 * @param maxBodyBytes   the largest body, in bytes, however it is framed ({@code Long.MAX_VALUE}: no limit)
 */
public record HttpLimits(int maxLineLength, int maxHeadBytes, int maxHeaderCount, long maxBodyBytes) {
    /** Server defaults: 8 KiB lines, 64 KiB heads, 100 fields, 1 MiB bodies (aiohttp's client_max_size). */
    public static final HttpLimits SERVER_DEFAULTS = new HttpLimits(8190, 64 * 1024, 100, 1024 * 1024);
    /** Client defaults: as the server's, but no limit on a response body (stream it instead of buffering). */
    public static final HttpLimits CLIENT_DEFAULTS = new HttpLimits(8190, 64 * 1024, 100, Long.MAX_VALUE);

    public HttpLimits {
        if (maxLineLength < 64 || maxHeadBytes < maxLineLength || maxHeaderCount < 1 || maxBodyBytes < 0) {
            throw new IllegalArgumentException("HttpLimits need maxLineLength >= 64, maxHeadBytes >= maxLineLength, "
                    + "maxHeaderCount >= 1, maxBodyBytes >= 0; got " + maxLineLength + ", " + maxHeadBytes + ", "
                    + maxHeaderCount + ", " + maxBodyBytes);
        }
    }

    public HttpLimits withMaxBodyBytes(long bytes) {
        return new HttpLimits(maxLineLength, maxHeadBytes, maxHeaderCount, bytes);
    }

    public HttpLimits withMaxHeadBytes(int bytes) {
        return new HttpLimits(maxLineLength, bytes, maxHeaderCount, maxBodyBytes);
    }

    public HttpLimits withMaxLineLength(int bytes) {
        return new HttpLimits(bytes, maxHeadBytes, maxHeaderCount, maxBodyBytes);
    }

    public HttpLimits withMaxHeaderCount(int count) {
        return new HttpLimits(maxLineLength, maxHeadBytes, count, maxBodyBytes);
    }
}
