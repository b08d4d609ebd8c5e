package dev.edgeinfer.local;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of child JVMs started by the local stack: ends the child when its parent dies, then runs the real main.
 *
 * <p>The parent keeps the child's standard input open as a pipe and never writes to it. When the parent exits in
 * any way, including SIGKILL, the operating system closes the pipe and the read here returns end-of-stream; the
 * child then halts, so no registry JVM outlives the test run or the command that started it. Halting rather than
 * exiting: the parent is gone and the child's state is in memory, so shutdown hooks have nothing worth saving and
 * could hang.
 *
 * <p>This class uses only the JDK, because it runs on the child's class path before the child's own libraries.
 *
 * <p>Usage: {@code java -cp <this class>:<child class path> dev.edgeinfer.local.ParentWatchdog <main class> [args...]}
 */
public final class ParentWatchdog {

    /** Exit status of a child whose parent died; distinct so logs tell it from a crash. */
    static final int PARENT_GONE_STATUS = 3;

    private ParentWatchdog() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: ParentWatchdog <main class> [args...]");
        }
        watch(System.in);
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Starts the daemon thread that halts this JVM when {@code parentPipe} reaches end-of-stream. */
    static void watch(InputStream parentPipe) {
        Thread watcher = new Thread(() -> {
            try {
                while (parentPipe.read() >= 0) {
                    // The parent never writes; anything read is ignored and the wait goes on.
                }
                System.err.println("ParentWatchdog: parent process is gone (stdin closed); halting.");
            } catch (IOException e) {
                System.err.println("ParentWatchdog: reading stdin failed, assuming the parent is gone: " + e);
            }
            Runtime.getRuntime().halt(PARENT_GONE_STATUS);
        }, "parent-watchdog");
        watcher.setDaemon(true);
        watcher.start();
    }
}
