package io.jasyncio.http;

import java.net.URI;

/** A request failed because a timeout of the session or request passed: between two reads, or for the whole request (an enclosing jasyncio timeout scope raises its own TimeoutException instead). */
public class HttpTimeoutException extends HttpClientException {
    public HttpTimeoutException(URI url, String message, Throwable cause) {
        super(url, message, cause);
    }
}
