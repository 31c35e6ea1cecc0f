package io.jasyncio.http;

/**
 * A request's start line and header fields, as parsed.
 *
 * @param method    the method token, case preserved ({@code GET})
 * @param target    the request target as sent: origin form ({@code /a?b}), absolute form, authority form
 *                  (CONNECT) or {@code *}
 * @param version   {@code HTTP/1.0} or {@code HTTP/1.1}
 * @param headers   the header fields
 * @param keepAlive whether the connection may carry another request after this one (RFC 9112 §9.3)
 */
public record RequestHead(String method, String target, String version, HttpHeaders headers, boolean keepAlive)
        implements HttpEvent {

    /** True if the client waits for {@code 100 Continue} before it sends the body. */
    public boolean expectsContinue() {
        return "HTTP/1.1".equals(version) && headers.containsToken("Expect", "100-continue");
    }
}
