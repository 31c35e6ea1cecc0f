package io.jasyncio.http;

import java.net.URI;

/** A request failed because the host name of a URL did not resolve (the cause is the resolver's UnknownHostException). */
public class HttpDnsException extends HttpClientException {
    public HttpDnsException(URI url, String message, Throwable cause) {
        super(url, message, cause);
    }
}
