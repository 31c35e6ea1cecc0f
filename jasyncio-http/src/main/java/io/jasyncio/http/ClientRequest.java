package io.jasyncio.http;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * A request being built for an {@link HttpClient}: {@code client.request("PUT", url).header(...)
 * .body(RequestBody.ofJson(x)).send()}. Not sent until {@link #send()}; can be sent again (a fresh request
 * each time) when its body is replayable.
 */
public final class ClientRequest {
    private final HttpClient client;
    final String method;
    final URI url;
    final HttpHeaders headers = new HttpHeaders();
    RequestBody body;
    Duration timeout;
    boolean expectContinue;

    ClientRequest(HttpClient client, String method, URI url) {
        this.client = client;
        this.method = checkMethod(method);
        this.url = Objects.requireNonNull(url, "url");
        Origin.of(url); // a clear error now for a URL the client can not fetch
    }

    private static String checkMethod(String method) {
        Objects.requireNonNull(method, "method");
        if (method.isEmpty() || !method.chars().allMatch(HttpHeaders::isTokenChar)) {
            throw new IllegalArgumentException("invalid HTTP method: \"" + method + "\"");
        }
        return method;
    }

    /** Adds a header (checked now: no CR/LF injection). */
    public ClientRequest header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    public ClientRequest headers(HttpHeaders more) {
        for (int i = 0; i < more.size(); i++) {
            headers.add(more.name(i), more.value(i));
        }
        return this;
    }

    public ClientRequest body(RequestBody body) {
        this.body = body;
        return this;
    }

    /** This request's total timeout, replacing the session's (redirects, retries and body included). */
    public ClientRequest timeout(Duration total) {
        if (total != null && !total.isPositive()) {
            throw new IllegalArgumentException("timeout must be positive: " + total);
        }
        this.timeout = total;
        return this;
    }

    /**
     * Sends the head with {@code Expect: 100-continue} and the body only once the server agrees (or after
     * one second of silence, as curl does), so a server that refuses the request is not sent a large body.
     */
    public ClientRequest expectContinue() {
        this.expectContinue = true;
        return this;
    }

    /** Sends the request and returns once the response's head has arrived. Suspends. */
    public ClientResponse send() throws IOException {
        return client.send(this);
    }

    @Override
    public String toString() {
        return "ClientRequest[" + method + " " + url + (body == null ? "" : ", " + body) + "]";
    }
}
