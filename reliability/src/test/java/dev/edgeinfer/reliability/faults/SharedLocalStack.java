package dev.edgeinfer.reliability.faults;

import dev.edgeinfer.local.LocalStack;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One local stack (broker and registry) for all fault test classes of a test run, started by the first class that
 * needs it and stopped when the run ends: a start costs half a minute, and every fault test leaves the stack as it
 * found it (each run has its own topics, device types and application ids; a stopped broker is started again).
 */
final class SharedLocalStack implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedLocalStack.class);

    private LocalStack stack;

    /** Closes the stack when the root context closes, at the end of the test run. */
    private record Running(LocalStack stack) implements AutoCloseable, ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            stack.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        stack = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Running.class,
                key -> new Running(LocalStack.builder().startupTimeout(Duration.ofMinutes(4)).start()), Running.class).stack();
    }

    /**
     * The running stack.
     *
     * @throws IllegalStateException before the test class started
     */
    LocalStack stack() {
        if (stack == null) {
            throw new IllegalStateException("The shared local stack is started in beforeAll of the test class");
        }
        return stack;
    }
}
