package io.jasyncio.http;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A response the client received: status and headers at once, the body as it is read. Read the body
 * ({@link #text()}, {@link #bytes()}, {@link #json(Class)}, {@link #body()} for chunks) or {@link #close()}
 * the response: until then it holds its pooled connection. Reading the whole body gives the connection back
 * to the pool; closing early discards it (a half-read connection is never reused).
 *
 * <pre>{@code
 * try (ClientResponse r = client.get("https://example.org/")) {
 *     r.raiseForStatus();
 *     for (byte[] chunk : r.body()) { ... }    // suspends between chunks
 * }
 * }</pre>
 *
 * <p>Loop-confined.
 */
public final class ClientResponse implements AutoCloseable {
    private final URI url;
    private final String method;
    private final ResponseHead head;
    private final HttpBody body;
    private final List<URI> redirects;

    ClientResponse(URI url, String method, ResponseHead head, HttpBody body, List<URI> redirects) {
        this.url = url;
        this.method = method;
        this.head = head;
        this.body = body;
        this.redirects = List.copyOf(redirects);
    }

    /** The URL this response answers (after redirects). */
    public URI url() {
        return url;
    }

    public String method() {
        return method;
    }

    public int status() {
        return head.status();
    }

    public String reason() {
        return head.reason();
    }

    public HttpHeaders headers() {
        return head.headers();
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        return head.headers().get(name);
    }

    /** The URLs redirected from, in order (empty without redirects). */
    public List<URI> redirects() {
        return redirects;
    }

    /** True for 2xx. */
    public boolean ok() {
        return head.status() >= 200 && head.status() < 300;
    }

    /** The charset of the body's text: the Content-Type's charset, or UTF-8. */
    public Charset charset() {
        return HttpBody.charsetOf(head.headers(), StandardCharsets.UTF_8);
    }

    /** The body, read as it is consumed. */
    public HttpBody body() {
        return body;
    }

    public byte[] bytes() throws IOException {
        return body.bytes();
    }

    /** The body as text in {@link #charset()}. */
    public String text() throws IOException {
        return body.text(charset());
    }

    public <T> T json(Class<T> type) throws IOException {
        return body.json(type);
    }

    /**
     * Throws {@link ClientResponseException} for a 4xx or 5xx status (after reading up to 1 KiB of the body
     * into it and closing the response); returns this response otherwise.
     */
    public ClientResponse raiseForStatus() throws IOException {
        if (head.status() < 400) {
            return this;
        }
        String start = "";
        try {
            byte[] first = body.readChunk();
            if (first != null) {
                start = new String(first, 0, Math.min(first.length, 1024), charset());
            }
        } catch (IOException ignored) {
            // the status is the error being reported; a failing body read adds nothing
        } finally {
            close();
        }
        throw new ClientResponseException(url, head.status(), head.reason(), start);
    }

    /** Gives the connection back: to the pool if the body was read to its end, else discarded. */
    @Override
    public void close() {
        if (!body.isComplete()) {
            body.abort();
        }
    }

    @Override
    public String toString() {
        return "ClientResponse[" + method + " " + url + " -> " + head.status() + " " + head.reason() + ", " + body + "]";
    }
}
