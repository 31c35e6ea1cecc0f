package io.jasyncio.http;

import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link Handler} answers: a status, header fields and a body, aiohttp.web's {@code Response}
 * and {@code StreamResponse} in one type. The body is one of
 * <ul>
 * <li>none ({@link #of(int)}),</li>
 * <li>bytes in memory ({@link #bytes}, {@link #text}, {@link #html}, {@link #json} through the module's
 *     one Jackson mapper),</li>
 * <li>a file ({@link #file(Path)}): over plain TCP sent zero-copy ({@code FileChannel.transferTo}, the
 *     kernel's sendfile), over TLS read in blocks off the loop thread ({@code Asyncio.toThread}); either
 *     way with backpressure, so a large file costs at most one block of memory,</li>
 * <li>a stream ({@link #stream}): the server calls the {@link BodyWriter} after sending the head; each
 *     {@link ResponseStream#write} waits while the client reads slower than the writer writes. Without a
 *     {@code Content-Length} header the body is sent chunked (HTTP/1.1) or ended by closing the
 *     connection (HTTP/1.0).</li>
 * </ul>
 * The server frames the body ({@code Content-Length} or {@code Transfer-Encoding} are its business and are
 * replaced), adds {@code Date} and {@code Server}, and sends no body for HEAD, 1xx, 204 and 304 (a
 * stream's writer is then not called, and a file is not read).
 *
 * <p>Mutable until the server sends it, and meant to be built per request; not thread-safe.
 */
public final class HttpResponse {
    /** Produces a streamed body; runs in the request's task after the head is sent, and may suspend. */
    @FunctionalInterface
    public interface BodyWriter {
        void writeTo(ResponseStream out) throws Exception;
    }

    /** Takes the connection over after a {@code 101 Switching Protocols} (WebSocket). */
    @FunctionalInterface
    interface Upgrade {
        /**
         * Runs the other protocol; the connection closes when it returns.
         *
         * @param early bytes the client sent after the request head, already read off the socket
         */
        void run(byte[] early, StreamReader reader, StreamWriter writer) throws Exception;
    }

    enum Kind { EMPTY, BYTES, FILE, STREAM, UPGRADE }

    private int status;
    private String reason;
    private final HttpHeaders headers = new HttpHeaders();
    private Kind kind = Kind.EMPTY;
    private byte[] bytes;
    private Path file;
    private BodyWriter writer;
    private Upgrade upgrade;

    private HttpResponse(int status) {
        status(status);
    }

    /** A response with no body. */
    public static HttpResponse of(int status) {
        return new HttpResponse(status);
    }

    /** {@code 200} with a UTF-8 plain-text body. */
    public static HttpResponse text(String text) {
        return text(200, text);
    }

    public static HttpResponse text(int status, String text) {
        return bytes(status, text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    /** {@code 200} with a UTF-8 HTML body. */
    public static HttpResponse html(String html) {
        return bytes(200, html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
    }

    /** {@code 200} with {@code body} (not copied: do not change it afterwards) of that content type. */
    public static HttpResponse bytes(byte[] body, String contentType) {
        return bytes(200, body, contentType);
    }

    public static HttpResponse bytes(int status, byte[] body, String contentType) {
        Objects.requireNonNull(body, "body");
        HttpResponse r = new HttpResponse(status);
        r.kind = Kind.BYTES;
        r.bytes = body;
        if (contentType != null) {
            r.headers.set("Content-Type", contentType);
        }
        return r;
    }

    /** {@code 200} with {@code value} written as JSON by Jackson (records, maps, lists...). */
    public static HttpResponse json(Object value) {
        return json(200, value);
    }

    public static HttpResponse json(int status, Object value) {
        return bytes(status, Json.write(value), "application/json");
    }

    /**
     * {@code 200} with the file's content, its type guessed from the extension. The file is opened when
     * the response is sent; if it cannot be read then, the answer is 404 (missing) or 500.
     */
    public static HttpResponse file(Path path) {
        Objects.requireNonNull(path, "path");
        HttpResponse r = new HttpResponse(200);
        r.kind = Kind.FILE;
        r.file = path;
        r.headers.set("Content-Type", contentTypeOf(path));
        return r;
    }

    /** {@code 200} with a body that {@code writer} produces while it is sent. */
    public static HttpResponse stream(String contentType, BodyWriter writer) {
        Objects.requireNonNull(writer, "writer");
        HttpResponse r = new HttpResponse(200);
        r.kind = Kind.STREAM;
        r.writer = writer;
        if (contentType != null) {
            r.headers.set("Content-Type", contentType);
        }
        return r;
    }

    /** A redirect (301, 302, 303, 307, 308) to {@code location}. */
    public static HttpResponse redirect(int status, String location) {
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            throw new IllegalArgumentException("not a redirect status: " + status);
        }
        return of(status).header("Location", location);
    }

    static HttpResponse switchingProtocols(Upgrade upgrade) {
        HttpResponse r = new HttpResponse(101);
        r.kind = Kind.UPGRADE;
        r.upgrade = upgrade;
        return r;
    }

    /** Sets the status (100-999). */
    public HttpResponse status(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status code out of range 100-999: " + status);
        }
        this.status = status;
        return this;
    }

    public int status() {
        return status;
    }

    /** Sets a reason phrase other than the standard one. */
    public HttpResponse reason(String reason) {
        HttpEncoder.responseHead(status, reason, new HttpHeaders()); // refuses a phrase that would split the head
        this.reason = reason;
        return this;
    }

    /** The reason phrase, or null for the standard one. */
    public String reason() {
        return reason;
    }

    /** Sets a header field (replacing any of that name). */
    public HttpResponse header(String name, String value) {
        headers.set(name, value);
        return this;
    }

    /** The header fields; add repeated ones ({@code Set-Cookie}) here. */
    public HttpHeaders headers() {
        return headers;
    }

    Kind kind() {
        return kind;
    }

    byte[] bodyBytes() {
        return bytes;
    }

    Path file() {
        return file;
    }

    BodyWriter writer() {
        return writer;
    }

    Upgrade upgrade() {
        return upgrade;
    }

    /** The content type of a file, from its extension; {@code application/octet-stream} if unknown. */
    static String contentTypeOf(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        String ext = name.lastIndexOf('.') < 0 ? "" : name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "html", "htm" -> "text/html; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "json" -> "application/json";
            case "txt", "md" -> "text/plain; charset=utf-8";
            case "xml" -> "application/xml";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "jpg", "jpeg" -> "image/jpeg";
            case "gif" -> "image/gif";
            case "webp" -> "image/webp";
            case "ico" -> "image/x-icon";
            case "wasm" -> "application/wasm";
            case "pdf" -> "application/pdf";
            case "woff2" -> "font/woff2";
            default -> "application/octet-stream";
        };
    }

    @Override
    public String toString() {
        return "HttpResponse[" + status + ", " + kind + ", " + headers + "]";
    }
}
