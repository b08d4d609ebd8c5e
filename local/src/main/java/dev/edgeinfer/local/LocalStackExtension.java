package dev.edgeinfer.local;

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
 */
public final class LocalStackExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private final LocalStack.Builder builder;
    private LocalStack stack;
    private String ownerId;

    /** A stack with the defaults of {@link LocalStack#builder()}. */
    public LocalStackExtension() {
        this(LocalStack.builder());
    }

    /** A stack started from {@code builder}, which must not set fixed ports if test classes run in parallel. */
    public LocalStackExtension(LocalStack.Builder builder) {
        this.builder = builder;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (stack == null) {
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
