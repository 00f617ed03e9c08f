/**
 * The JUnit 5 extension: annotate a test class or method with {@link dev.mvsim.junit.Mvsim} and
 * take a {@link dev.mvsim.junit.TestDevice} or the other supported types as test parameters.
 */
package dev.mvsim.junit;
