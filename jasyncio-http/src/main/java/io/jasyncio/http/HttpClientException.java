package io.jasyncio.http;

import java.io.IOException;
import java.net.URI;

/**
 * A request the client could not complete. The subclass says what failed, the message says where and
 * why, {@link #url()} is the URL being fetched (after redirects: the hop that failed), and the cause is the
 * underlying exception when there is one. Catch this type to handle every client failure at once.
 *
 * <ul>
 * <li>{@link HttpDnsException}: the host name did not resolve</li>
 * <li>{@link HttpConnectException}: no TCP connection (refused, unreachable, connect timeout)</li>
 * <li>{@link HttpTlsException}: the TLS handshake failed (certificate, hostname, protocol)</li>
 * <li>{@link HttpTimeoutException}: a read or the whole request took longer than its timeout</li>
 * <li>{@link MalformedResponseException}: the server's bytes are not valid HTTP, or it closed early</li>
 * <li>{@link TooManyRedirectsException}: more redirects than the session allows</li>
 * <li>{@link ClientResponseException}: {@link ClientResponse#raiseForStatus()} found a 4xx or 5xx</li>
 * </ul>
 */
public class HttpClientException extends IOException {
    private final URI url;

    public HttpClientException(URI url, String message, Throwable cause) {
        super(message + ": " + url, cause);
        this.url = url;
    }

    /** The URL whose request failed. */
    public URI url() {
        return url;
    }
}
