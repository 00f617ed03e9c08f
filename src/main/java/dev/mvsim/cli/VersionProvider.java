package dev.mvsim.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Reads the version from the {@code pom.properties} that Maven puts into the jar. */
final class VersionProvider implements IVersionProvider {

    private static final String POM_PROPERTIES = "/META-INF/maven/dev.mvsim/mvsim/pom.properties";

    @Override
    public String[] getVersion() throws IOException {
        try (InputStream in = Main.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return new String[] {"mvsim (version unknown: not run from the built jar)"};
            }
            Properties properties = new Properties();
            properties.load(in);
            return new String[] {"mvsim " + properties.getProperty("version", "(version unknown)")};
        }
    }
}
