package io.jasyncio.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The writing half of the codec: message heads and chunked framing as bytes. What it writes is what
 * {@link HttpParser} accepts; a method, target, status or reason that would not be (a space in a target,
 * a CR in a reason) is refused with an {@link IllegalArgumentException} naming it, so that no caller can
 * split a message. Header fields were checked when they entered {@link HttpHeaders}.
 */
public final class HttpEncoder {
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] NO_BYTES = {};
    /** "HTTP/1.1 200 OK" for every status below 600 with a standard reason phrase (index: status); null elsewhere. */
    private static final String[] STATUS_LINES = new String[600];

    static {
        for (int status = 100; status < STATUS_LINES.length; status++) {
            String reason = reasonPhrase(status);
            if (!reason.equals("Unknown")) {
                STATUS_LINES[status] = "HTTP/1.1 " + status + ' ' + reason;
            }
        }
    }

    private HttpEncoder() {}

    /** {@code METHOD target HTTP/1.1}, the headers, the blank line. */
    public static byte[] requestHead(String method, String target, HttpHeaders headers) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        if (method.isEmpty()) {
            throw new IllegalArgumentException("empty method");
        }
        for (int i = 0; i < method.length(); i++) {
            if (!HttpHeaders.isTokenChar(method.charAt(i))) {
                throw new IllegalArgumentException("invalid character " + HttpHeaders.describe(method.charAt(i)) + " in method " + method);
            }
        }
        if (target.isEmpty()) {
            throw new IllegalArgumentException("empty request target");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("invalid character " + HttpHeaders.describe(c) + " in request target (percent-encode it)");
            }
        }
        return encode(method + ' ' + target + " HTTP/1.1", headers, NO_BYTES);
    }

    /** {@code HTTP/1.1 status reason}, the headers, the blank line. */
    public static byte[] responseHead(int status, String reason, HttpHeaders headers) {
        return response(status, reason, headers, NO_BYTES);
    }

    /**
     * {@link #responseHead} followed by {@code body}, in one array: one write and no copy of the head
     * into a second array for a response whose body is already in memory.
     */
    static byte[] response(int status, String reason, HttpHeaders headers, byte[] body) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status code out of range 100-999: " + status);
        }
        String line = reason == null && status < STATUS_LINES.length ? STATUS_LINES[status] : null;
        if (line == null) {
            String r = reason == null ? reasonPhrase(status) : reason;
            for (int i = 0; i < r.length(); i++) {
                if (!HttpHeaders.isFieldValueChar(r.charAt(i))) {
                    throw new IllegalArgumentException("invalid character " + HttpHeaders.describe(r.charAt(i)) + " in reason phrase");
                }
            }
            line = "HTTP/1.1 " + status + ' ' + r;
        }
        return encode(line, headers, body);
    }

    /**
     * The start line, the fields and the blank line, then {@code body}. Implementation note: every
     * character here was checked to be at most 0xFF (token and field-value rules), so a cast is the
     * ISO-8859-1 encoding; writing bytes directly skips the StringBuilder, the String and the encoder
     * copies this would otherwise take per message.
     */
    private static byte[] encode(String startLine, HttpHeaders headers, byte[] body) {
        int n = startLine.length() + 2 + 2;
        for (int i = 0; i < headers.size(); i++) {
            n += headers.name(i).length() + 2 + headers.value(i).length() + 2;
        }
        byte[] out = new byte[n + body.length];
        int p = put(out, 0, startLine);
        out[p++] = '\r';
        out[p++] = '\n';
        for (int i = 0; i < headers.size(); i++) {
            p = put(out, p, headers.name(i));
            out[p++] = ':';
            out[p++] = ' ';
            p = put(out, p, headers.value(i));
            out[p++] = '\r';
            out[p++] = '\n';
        }
        out[p++] = '\r';
        out[p++] = '\n';
        System.arraycopy(body, 0, out, p, body.length);
        return out;
    }

    /**
     * Copies {@code s} into {@code out} at {@code p} as ISO-8859-1. {@code String.getBytes(int, int, byte[], int)}
     * is deprecated because it keeps only the low eight bits of each char: exactly ISO-8859-1 for the
     * checked characters here, and a plain array copy for a Latin-1 string (a per-char loop cost 8 % of
     * W7's server time).
     */
    @SuppressWarnings("deprecation")
    private static int put(byte[] out, int p, String s) {
        s.getBytes(0, s.length(), out, p);
        return p + s.length();
    }

    public static byte[] chunk(byte[] data, int offset, int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("a chunk must not be empty (the empty chunk ends the body)");
        }
        byte[] size = (Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[size.length + length + 2];
        System.arraycopy(size, 0, out, 0, size.length);
        System.arraycopy(data, offset, out, size.length, length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    /** The last chunk and an empty trailer block. */
    public static byte[] lastChunk() {
        return LAST_CHUNK.clone();
    }

    /** The standard reason phrase of a status (RFC 9110 §15), or "Unknown". */
    public static String reasonPhrase(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 417 -> "Expectation Failed";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "Unknown";
        };
    }
}
