package io.jasyncio.http;

import java.net.URI;

/** A request failed because the TLS handshake failed: an untrusted or expired certificate, a hostname that does not match, no common protocol. */
public class HttpTlsException extends HttpClientException {
    public HttpTlsException(URI url, String message, Throwable cause) {
        super(url, message, cause);
    }
}
