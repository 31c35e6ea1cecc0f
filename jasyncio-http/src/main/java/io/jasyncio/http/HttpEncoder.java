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
        StringBuilder sb = new StringBuilder(128 + headers.size() * 32);
        sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        return finish(sb, headers);
    }

    /** {@code HTTP/1.1 status reason}, the headers, the blank line. */
    public static byte[] responseHead(int status, String reason, HttpHeaders headers) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status code out of range 100-999: " + status);
        }
        String r = reason == null ? reasonPhrase(status) : reason;
        for (int i = 0; i < r.length(); i++) {
            if (!HttpHeaders.isFieldValueChar(r.charAt(i))) {
                throw new IllegalArgumentException("invalid character " + HttpHeaders.describe(r.charAt(i)) + " in reason phrase");
            }
        }
        StringBuilder sb = new StringBuilder(64 + headers.size() * 32);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(r).append("\r\n");
        return finish(sb, headers);
    }

    private static byte[] finish(StringBuilder sb, HttpHeaders headers) {
        for (int i = 0; i < headers.size(); i++) {
            sb.append(headers.name(i)).append(": ").append(headers.value(i)).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One chunk of a chunked body: size in hex, CRLF, the data, CRLF. Empty data is refused (it would end the body). */
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
