package dev.mvsim.junit;

import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.VirtualClock;
import dev.mvsim.kernel.client.DeviceClient;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.FaultPlanFiles;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/** The JUnit 5 extension behind {@link Mvsim}. */
public final class MvsimExtension
        implements BeforeEachCallback, AfterEachCallback, ParameterResolver, TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MvsimExtension.class);
    private static final String SESSION = "session";

    /** The objects one test receives; {@link #afterEach} closes its cloud. */
    private record Session(SimulatedCloud cloud, AccountRecord account, TestDevice device, FaultPlan plan) {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Mvsim settings = findSettings(context);
        FaultPlan plan = faultPlan(settings, context);
        long seed = settings.seed() == Mvsim.RANDOM_SEED ? System.nanoTime() : settings.seed();

        SimulatedCloud cloud = SimulatedCloud.inMemory();
        AccountRecord account = cloud.createAccount();
        String deviceSid = cloud.registerDevice(account.sid(), null).sid();
        VirtualClock clock = new VirtualClock();
        DeviceKernel kernel = DeviceKernel.builder(deviceSid, cloud.itemDirectory())
                .clock(clock).seed(seed).faultPlan(plan).build();

        TestDevice device = new TestDevice(cloud, account, deviceSid, kernel, clock);
        context.getStore(NAMESPACE).put(SESSION, new Session(cloud, account, device, plan));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Session session = context.getStore(NAMESPACE).remove(SESSION, Session.class);
        if (session != null) {
            session.cloud().close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == SimulatedCloud.class || type == AccountRecord.class || type == TestDevice.class
                || type == DeviceKernel.class || type == DeviceClient.class || type == VirtualClock.class
                || type == FaultPlan.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Session session = context.getStore(NAMESPACE).get(SESSION, Session.class);
        if (session == null) {
            throw new ParameterResolutionException("mvsim parameters are available to test methods only, not to "
                    + parameter.getDeclaringExecutable());
        }
        Class<?> type = parameter.getParameter().getType();
        if (type == SimulatedCloud.class) {
            return session.cloud();
        } else if (type == AccountRecord.class) {
            return session.account();
        } else if (type == TestDevice.class) {
            return session.device();
        } else if (type == DeviceKernel.class) {
            return session.device().kernel();
        } else if (type == DeviceClient.class) {
            return session.device().client();
        } else if (type == VirtualClock.class) {
            return session.device().clock();
        }
        return session.plan();
    }

    /** Appends the device's system calls, with their statuses and the seed, to the failure message. */
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        Session session = context.getStore(NAMESPACE).get(SESSION, Session.class);
        if (session == null) {
            throw failure;
        }
        String trace = session.device().kernel().formatTrace();
        Throwable explained;
        if (failure instanceof AssertionFailedError assertion) {
            explained = new AssertionFailedError(assertion.getMessage() + "\n" + trace,
                    assertion.getExpected(), assertion.getActual(), assertion.getCause());
        } else if (failure instanceof AssertionError) {
            explained = new AssertionError(failure.getMessage() + "\n" + trace, failure.getCause());
        } else {
            failure.addSuppressed(new DeviceTrace(trace));
            throw failure;
        }
        explained.setStackTrace(failure.getStackTrace());
        for (Throwable suppressed : failure.getSuppressed()) {
            explained.addSuppressed(suppressed);
        }
        throw explained;
    }

    /** Carries the syscall trace of a test that failed with an exception other than an assertion. */
    static final class DeviceTrace extends RuntimeException {
        DeviceTrace(String trace) {
            super(trace, null, false, false);
        }
    }

    private static Mvsim findSettings(ExtensionContext context) {
        Optional<Mvsim> onMethod = AnnotationSupport.findAnnotation(context.getTestMethod(), Mvsim.class);
        if (onMethod.isPresent()) {
            return onMethod.get();
        }
        return AnnotationSupport.findAnnotation(context.getRequiredTestClass(), Mvsim.class)
                .orElseThrow(() -> new ExtensionConfigurationException(
                        "MvsimExtension needs @Mvsim on the test class or method of " + context.getDisplayName()));
    }

    private static FaultPlan faultPlan(Mvsim settings, ExtensionContext context) {
        if (!settings.faultPlan().isEmpty() && !settings.scenario().isEmpty()) {
            throw new ExtensionConfigurationException("@Mvsim on " + context.getDisplayName()
                    + " sets both faultPlan and scenario; set one of them");
        }
        if (!settings.scenario().isEmpty()) {
            return FaultPlanFiles.read(Path.of(settings.scenario()));
        }
        if (!settings.faultPlan().isEmpty()) {
            return invokeFactory(settings.faultPlan(), context);
        }
        return FaultPlan.none();
    }

    private static FaultPlan invokeFactory(String name, ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        Method factory;
        try {
            factory = testClass.getDeclaredMethod(name);
        } catch (NoSuchMethodException e) {
            throw new ExtensionConfigurationException("@Mvsim(faultPlan = \"" + name + "\") names no method without "
                    + "parameters in " + testClass.getName(), e);
        }
        if (factory.getReturnType() != FaultPlan.class) {
            throw new ExtensionConfigurationException("fault plan method " + testClass.getName() + "#" + name
                    + " must return FaultPlan, not " + factory.getReturnType().getName());
        }
        try {
            factory.setAccessible(true);
            Object target = Modifier.isStatic(factory.getModifiers()) ? null : context.getRequiredTestInstance();
            return (FaultPlan) factory.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new ExtensionConfigurationException("fault plan method " + testClass.getName() + "#" + name
                    + " failed", e instanceof InvocationTargetException ite ? ite.getCause() : e);
        }
    }
}
