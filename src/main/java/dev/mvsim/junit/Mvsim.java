package dev.mvsim.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives each test a fresh in-memory simulated cloud, an account, a registered device with its
 * kernel on a virtual clock, and a fault plan. Test methods receive them as parameters of these
 * types: {@link dev.mvsim.cloud.SimulatedCloud}, {@link dev.mvsim.cloud.store.AccountRecord},
 * {@link TestDevice}, {@link dev.mvsim.kernel.DeviceKernel},
 * {@link dev.mvsim.kernel.client.DeviceClient}, {@link dev.mvsim.kernel.VirtualClock} and
 * {@link dev.mvsim.link.FaultPlan}.
 *
 * <p>On a method the annotation replaces the one on the class. When a test fails, its failure
 * message ends with the system calls the device made, in order, with their statuses and the seed.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(MvsimExtension.class)
public @interface Mvsim {

    /** The {@link #seed()} value that requests a fresh seed per test. Failure messages show the seed used. */
    long RANDOM_SEED = Long.MIN_VALUE;

    /** The kernel's seed; the default draws a new one for each test. */
    long seed() default RANDOM_SEED;

    /**
     * The name of a method of the test class, static or not, with no parameters, that returns the
     * {@link dev.mvsim.link.FaultPlan}. Empty for none.
     */
    String faultPlan() default "";

    /** Path of a JSON scenario file that contains the fault plan, relative to the working directory. Empty for none. */
    String scenario() default "";
}
