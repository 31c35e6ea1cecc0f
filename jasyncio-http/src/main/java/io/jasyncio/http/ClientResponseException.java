package io.jasyncio.http;

import java.net.URI;

/** {@link ClientResponse#raiseForStatus()} found a 4xx or 5xx status; the body was read and is kept, bounded. */
public class ClientResponseException extends HttpClientException {
    private final int status;
    private final String bodyStart;

    public ClientResponseException(URI url, int status, String reason, String bodyStart) {
        super(url, "HTTP " + status + (reason.isEmpty() ? "" : " " + reason), null);
        this.status = status;
        this.bodyStart = bodyStart;
    }

    public int status() {
        return status;
    }

    /** The first kilobyte of the body, as text, for the error report. */
    public String bodyStart() {
        return bodyStart;
    }
}
