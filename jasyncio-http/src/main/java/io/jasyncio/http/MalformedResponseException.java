package io.jasyncio.http;

import java.net.URI;

/** A request failed because the server's bytes are not valid HTTP/1.1, or it closed the connection before the response was complete. */
public class MalformedResponseException extends HttpClientException {
    public MalformedResponseException(URI url, String message, Throwable cause) {
        super(url, message, cause);
    }
}
