/**
 * JUnit 5 support for applications' own tests: {@link io.jasyncio.test.AsyncioTest} runs a test
 * method as the main task of a fresh loop on the virtual (autojump) clock, and
 * {@link io.jasyncio.test.AsyncioExtension} fails the test on anything the loop had to report or on a
 * task still pending at its end.
 */
package io.jasyncio.test;
