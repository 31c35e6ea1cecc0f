/**
 * JUnit 5 support for applications' own tests: {@link io.jasyncio.test.AsyncioTest} runs a test
 * method as the main task of a fresh loop on the virtual (autojump) clock, and
 * {@link io.jasyncio.test.AsyncioExtension} fails the test on anything the loop had to report or on a
 * task still pending at its end. {@link io.jasyncio.test.SelfSignedCertificate} makes a throw-away
 * certificate for tests of TLS servers and clients (trusted by the client options it gives).
 */
package io.jasyncio.test;
