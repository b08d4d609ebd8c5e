package dev.edgeinfer.local;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that runs one {@link LocalStack} per test class: started before all tests, closed after all,
 * on free ports with its own data folder. Nested test classes share the stack of their outer class.
 *
 * <p>Either declare it and take the stack as a parameter of a test or lifecycle method:
 * <pre>{@code
 * @ExtendWith(LocalStackExtension.class)
 * class FramesIT {
 *     @Test
 *     void roundTrip(LocalStack stack) { ... stack.bootstrapServers() ... }
 * }
 * }</pre>
 * or register it with settings in a static field and call {@link #stack()}:
 * <pre>{@code
 * @RegisterExtension
 * static final LocalStackExtension LOCAL = new LocalStackExtension(LocalStack.builder().registry(false));
 * }</pre>
 *
 * <p>The stack's logs go to {@code target/local-stack-logs/<test class>/} when the tests run in a folder with a
 * {@code target} folder (Maven runs them in the module's): {@code kafka.log}, the broker's, and
 * {@code apicurio-registry.log}, the registry's, kept after the test and replaced by its next run. While the stack
 * runs, the Kafka loggers of the test JVM, its clients' included, write there and not to the console (see
 * {@link LocalStackBuilder#logDir}). A builder with a log folder of its own keeps it; elsewhere the broker logs as
 * the test JVM's logging is configured.
 */
public final class LocalStackExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    /** Where the stacks' log folders go, one per test class, relative to the folder the tests run in. */
    static final Path LOG_PARENT = Path.of("target", "local-stack-logs");

    private final LocalStackBuilder builder;
    /** Whether the builder came with a log folder of its own, which the extension then leaves alone. */
    private final boolean ownLogDir;
    private LocalStack stack;
    private String ownerId;

    /** A stack with the defaults of {@link LocalStack#builder()}. */
    public LocalStackExtension() {
        this(LocalStack.builder());
    }

    /** A stack started from {@code builder}, which must not set fixed ports if test classes run in parallel. */
    public LocalStackExtension(LocalStackBuilder builder) {
        this.builder = builder;
        this.ownLogDir = builder.hasLogDir();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (stack == null) {
            if (!ownLogDir && Files.isDirectory(LOG_PARENT.getParent())) {
                Path logs = LOG_PARENT.resolve(context.getRequiredTestClass().getSimpleName()).toAbsolutePath();
                // The logs of this class's last run only.
                RunDirectories.deleteRecursively(logs);
                builder.logDir(logs);
            }
            stack = builder.start();
            ownerId = context.getUniqueId();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (stack != null && context.getUniqueId().equals(ownerId)) {
            try {
                stack.close();
            } finally {
                stack = null;
                ownerId = null;
            }
        }
    }

    /**
     * The running stack.
     *
     * @throws IllegalStateException if called outside the test class's lifetime
     */
    public LocalStack stack() {
        if (stack == null) {
            throw new IllegalStateException("The local stack runs only between beforeAll and afterAll of the test class");
        }
        return stack;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == LocalStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return stack();
    }
}
