package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xnio.Xnio;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XnioLoaderTest {

    @Test
    void loadClearsBuilderProperty() {
        Xnio xnio = XnioLoader.load();

        assertThat(xnio.getName()).isEqualTo("nio");
        assertThat(System.getProperty(XnioLoader.BUILDER_PROPERTY)).isNull();
    }

    @Test
    void loadKeepsBuilderPropertySetBefore() {
        String standardBuilder = javax.management.MBeanServerBuilder.class.getName();
        System.setProperty(XnioLoader.BUILDER_PROPERTY, standardBuilder);
        try {
            XnioLoader.load();

            assertThat(System.getProperty(XnioLoader.BUILDER_PROPERTY)).isEqualTo(standardBuilder);
        } finally {
            System.clearProperty(XnioLoader.BUILDER_PROPERTY);
        }
    }

    @Test
    void unavailableBuilderThrows() {
        XnioLoader.UnavailableServerBuilder builder = new XnioLoader.UnavailableServerBuilder();

        assertThatThrownBy(builder::newMBeanServerDelegate).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> builder.newMBeanServer("domain", null, null))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    /**
     * Runs {@link Probe} in a new JVM, because in this one another test may have loaded XNIO or
     * started the platform MBean server already.
     */
    @Test
    void freshJvmServesWithoutXnioMBeans() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();

        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("probe exited").isTrue();
        assertThat(child.exitValue()).as("probe exit status; its log is in the test output").isZero();
        assertThat(output).isEqualTo("xnio MBeans: 0, thread pool MBeans: 0, runtime MBean: true");
    }

    /** Starts a REST server, then prints how many MBeans XNIO and its thread pool registered. */
    public static final class Probe {

        public static void main(String[] args) throws MalformedObjectNameException {
            try (LocalCloud cloud = new LocalCloud(dev.mvsim.cloud.SimulatedCloud.inMemory())) {
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                int xnioBeans = server.queryNames(new ObjectName("org.xnio:*"), null).size();
                int threadPoolBeans = server.queryNames(new ObjectName("jboss.threads:*"), null).size();
                boolean runtime = server.isRegistered(new ObjectName(ManagementFactory.RUNTIME_MXBEAN_NAME));
                System.out.println("xnio MBeans: " + xnioBeans + ", thread pool MBeans: " + threadPoolBeans
                        + ", runtime MBean: " + runtime);
            }
        }
    }
}
