package dev.mvsim.cloud.rest;

import io.undertow.Undertow;
import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;
import org.xnio.Xnio;

/**
 * Loads XNIO's provider, which Undertow uses, without starting the JVM's platform MBean server.
 *
 * <p>XNIO 3.8.16 registers an MXBean for its provider, each worker and each server. The first
 * registration calls {@code ManagementFactory.getPlatformMBeanServer()}, which creates and
 * introspects the memory, garbage collector, thread and JFR MXBeans. XNIO has no option to skip
 * this: in the 3.8.16 jar, {@code NioXnio}'s constructor always registers, and
 * {@code Xnio.register} always reads the server from the holder class {@code Xnio$MBeanHolder}.
 * It cost about a quarter of serve's start-up CPU time (0.25 s of 1.2 s on a loaded 2-core machine).
 *
 * <p>While the provider loads, the system property {@value #BUILDER_PROPERTY} names
 * {@link UnavailableServerBuilder}, so creating the platform MBean server fails, the holder class
 * fails to initialize, and XNIO, which catches every {@code Throwable} of its registrations, goes
 * on without MBeans. The property is cleared right after, so a later
 * {@code getPlatformMBeanServer()}, for a JMX agent or jconsole, works as usual; only XNIO's own
 * MBeans are missing. When the property was set before, or the platform MBean server exists
 * already, XNIO registers its MBeans as usual.
 * NOTE: the property is global, so a first {@code getPlatformMBeanServer()} call on another
 * thread while XNIO loads fails too.
 *
 * <p>The task pool of XNIO's worker, jboss-threads' {@code EnhancedQueueExecutor}, registers an
 * MBean too. jboss-threads 3.7 reads the system property {@value #THREADS_MBEAN_PROPERTY} once,
 * when that class initializes, and registers none when it is true, so it is set to true here
 * unless it has a value already.
 */
final class XnioLoader {

    /** The system property that {@code javax.management.MBeanServerFactory} reads its builder from. */
    static final String BUILDER_PROPERTY = "javax.management.builder.initial";

    /** The jboss-threads system property that turns off the MBean of each thread pool. */
    static final String THREADS_MBEAN_PROPERTY = "jboss.threads.eqe.disable-mbean";

    private XnioLoader() {
    }

    /** Loads XNIO's provider, or returns it when an earlier call loaded it. */
    static synchronized Xnio load() {
        if (System.getProperty(THREADS_MBEAN_PROPERTY) == null) {
            System.setProperty(THREADS_MBEAN_PROPERTY, "true");
        }

        if (System.getProperty(BUILDER_PROPERTY) != null) {
            return Xnio.getInstance(Undertow.class.getClassLoader());
        }

        System.setProperty(BUILDER_PROPERTY, UnavailableServerBuilder.class.getName());
        try {
            return Xnio.getInstance(Undertow.class.getClassLoader());
        } finally {
            System.clearProperty(BUILDER_PROPERTY);
        }
    }

    /**
     * An MBean server builder that throws instead of building, in place while XNIO loads. It must
     * be public with a public constructor, because {@code MBeanServerFactory} creates it by reflection.
     */
    public static final class UnavailableServerBuilder extends MBeanServerBuilder {

        @Override
        public MBeanServerDelegate newMBeanServerDelegate() {
            throw unavailable();
        }

        @Override
        public MBeanServer newMBeanServer(String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
            throw unavailable();
        }

        private static UnsupportedOperationException unavailable() {
            return new UnsupportedOperationException("mvsim creates no MBean server while XNIO loads, "
                    + "so that XNIO skips its MBeans; see " + XnioLoader.class.getName());
        }
    }
}
