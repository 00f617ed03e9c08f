package dev.mvsim.jna;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Loads a firmware-under-test shared library, one built against libmvhost, so a Java test can
 * call the firmware's own functions through a JNA interface that mirrors its header.
 *
 * <p>libmvhost is loaded first, with {@code RTLD_GLOBAL}, so the firmware's {@code mv*} calls bind
 * to the copy that {@link InProcessHost} connects to the kernel. The dynamic linker keeps a library
 * loaded for the life of the process, so there is nothing to close.
 */
public final class FirmwareLibrary {

    /** System property naming the example firmware library file, to override the search. */
    public static final String EXAMPLE_PROPERTY = "mvsim.example.library";
    /** Library name of the example firmware; JNA resolves it to {@code libconfig_fetch_example.so}. */
    public static final String EXAMPLE_NAME = "config_fetch_example";

    private FirmwareLibrary() {
    }

    /**
     * Loads the library file and binds {@code binding} to it.
     *
     * @throws IllegalArgumentException when the file does not exist
     */
    public static <T extends Library> T load(Path file, Class<T> binding) {
        Objects.requireNonNull(binding, "binding");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("firmware library " + file + " not found; build it with CMake"
                    + " (mvn process-resources builds the example) or pass the path of your own .so");
        }
        LibMvHost.load();
        T library = Native.load(file.toAbsolutePath().toString(), binding);
        return flushingAfterEachCall(library, binding);
    }

    /**
     * Wraps the binding so that libmvhost sends its queued REPORT frames when each firmware
     * function returns: a test that then inspects the kernel sees every call the firmware made.
     */
    private static <T extends Library> T flushingAfterEachCall(T library, Class<T> binding) {
        InvocationHandler flushing = (proxy, method, arguments) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(library, arguments);
            }
            try {
                return method.invoke(library, arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                LibMvHost.mvhost_flush();
            }
        };
        return binding.cast(Proxy.newProxyInstance(binding.getClassLoader(), new Class<?>[] {binding}, flushing));
    }

    /**
     * Finds the example firmware library: the file named by the {@value #EXAMPLE_PROPERTY}
     * property, else {@code linux-x86-64/libconfig_fetch_example.so} on the class path (extracted
     * to a temporary file when it is inside a jar).
     *
     * @throws IllegalStateException when neither exists
     */
    public static Path exampleLibrary() {
        String configured = System.getProperty(EXAMPLE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try {
            File file = Native.extractFromResourcePath(EXAMPLE_NAME, FirmwareLibrary.class.getClassLoader());
            return file.toPath();
        } catch (IOException e) {
            throw new IllegalStateException("example firmware library lib" + EXAMPLE_NAME + ".so is not on the class"
                    + " path; run mvn process-resources, or set -D" + EXAMPLE_PROPERTY + "=PATH", e);
        }
    }
}
