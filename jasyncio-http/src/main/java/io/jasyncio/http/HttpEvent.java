package io.jasyncio.http;

/**
 * What {@link HttpParser#next()} found in the bytes: a message head, a piece of its body, its end, or the
 * peer's clean close between messages. A message is always {@code head (BodyChunk)* MessageEnd}.
 */
public sealed interface HttpEvent permits RequestHead, ResponseHead, HttpEvent.BodyChunk, HttpEvent.MessageEnd, HttpEvent.Closed {

    /** Some bytes of the body, de-chunked. Never empty. The array belongs to the receiver. */
    record BodyChunk(byte[] data) implements HttpEvent {}

    /** The body is complete; {@code trailers} holds a chunked body's trailer fields (usually empty). */
    record MessageEnd(HttpHeaders trailers) implements HttpEvent {}

    /** The peer closed the connection between two messages (not an error). */
    record Closed() implements HttpEvent {}
}
