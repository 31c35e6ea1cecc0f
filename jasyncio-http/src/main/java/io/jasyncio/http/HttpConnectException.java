package io.jasyncio.http;

import java.net.URI;

/** A request failed because no TCP connection could be made (refused, unreachable, or the connect timeout passed). */
public class HttpConnectException extends HttpClientException {
    public HttpConnectException(URI url, String message, Throwable cause) {
        super(url, message, cause);
    }
}
