/**
 * The local stack: a real Kafka broker (KRaft, in this JVM) and an Apicurio schema registry (a child JVM) on
 * 127.0.0.1, with the pipeline's topics created, for the demo and for the integration tests of every module.
 *
 * <p>In a test, one stack per test class:
 * <pre>{@code
 * @ExtendWith(LocalStackExtension.class)
 * class FramesIT {
 *     @Test
 *     void roundTrip(LocalStack stack) {
 *         Map<String, Object> config = stack.clientProperties();   // bootstrap.servers, schema.registry.url
 *         ...
 *     }
 * }
 * }</pre>
 * Anywhere else: {@code try (LocalStack stack = LocalStack.builder().start()) { ... }}. As a sandbox:
 * {@code local/bin/local-stack} runs {@link dev.edgeinfer.local.LocalStackCommand} until Ctrl-C.
 *
 * <p>{@code LocalStack.builder().secure(true)} starts the broker with TLS, SASL/SCRAM-SHA-512 and ACLs, one
 * {@link dev.edgeinfer.local.StackPrincipal} per role (see {@link dev.edgeinfer.local.StackSecurity} and
 * {@link dev.edgeinfer.local.StackAcls}).
 *
 * <p>Logs: with {@code LocalStack.builder().logDir(dir)} the in-process broker logs to {@code kafka.log} in that
 * folder, warnings and errors included and nothing on the console, and the registry JVM to
 * {@code apicurio-registry.log}; the demo uses its run's log folder, {@link dev.edgeinfer.local.LocalStackExtension}
 * {@code target/local-stack-logs/<test class>}, the command {@code logs/} in its data folder.
 *
 * <p>Nothing outlives the stack: closing it stops both parts and deletes its temporary data folder; a JVM exit
 * stops the registry through a shutdown hook; a killed JVM takes the registry with it through
 * {@link dev.edgeinfer.local.ParentWatchdog}; data folders of killed runs are swept by the next start.
 */
package dev.edgeinfer.local;
