package io.jasyncio.http;

/**
 * A response's status line and header fields, as parsed.
 *
 * @param version   {@code HTTP/1.0} or {@code HTTP/1.1}
 * @param status    the status code, 100-999
 * @param reason    the reason phrase (may be empty; carries no meaning)
 * @param headers   the header fields
 * @param keepAlive whether the connection may carry another request after this response
 */
public record ResponseHead(String version, int status, String reason, HttpHeaders headers, boolean keepAlive)
        implements HttpEvent {

    /** 1xx: an interim response, followed by the final one. */
    public boolean isInformational() {
        return status < 200;
    }
}
