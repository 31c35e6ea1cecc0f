package io.jasyncio.http;

import java.net.URI;

/** A request failed because the server redirected more times than the session's maxRedirects. */
public class TooManyRedirectsException extends HttpClientException {
    public TooManyRedirectsException(URI url, String message, Throwable cause) {
        super(url, message, cause);
    }
}
