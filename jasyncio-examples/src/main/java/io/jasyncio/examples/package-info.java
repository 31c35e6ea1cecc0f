/**
 * The {@code jasyncio} command-line program ({@link io.jasyncio.examples.Main}, picocli): the tour
 * ({@code tour}: one class per chapter, each a running program whose output its test asserts), the
 * demos ({@code demo}) and the benchmark runner ({@code bench}).
 */
package io.jasyncio.examples;
