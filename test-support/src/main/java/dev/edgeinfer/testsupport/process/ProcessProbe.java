package dev.edgeinfer.testsupport.process;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Samples one JVM process: heap in use right after a full collection, open file descriptors and resident memory.
 *
 * <p>Heap is read after a requested full GC ({@code MemoryMXBean.gc()}) because heap in use at a random instant
 * mostly measures how much garbage the young generation holds; what remains after a full GC is what the process
 * keeps, and it is that which must stay flat. It is the sum of the heap pools' usage as that collection left them
 * ({@code MemoryPoolMXBean.getCollectionUsage()}), so allocations between the GC and the reading do not count. The JMX connection comes from the JDK's attach API, which starts the
 * target's local management agent: a few threads and sockets once, at the first sample's side of the run.
 * Descriptors and resident memory come from {@code /proc}, so the probe needs Linux.
 */
public final class ProcessProbe implements AutoCloseable {

    /** One sample; {@code heapAfterGcBytes} is -1 where the heap is not probed. */
    public record Sample(long heapAfterGcBytes, long openFileDescriptors, long residentBytes) {
    }

    private final String name;
    private final long pid;
    private final JMXConnector connector;
    private final MemoryMXBean memory;
    private final List<MemoryPoolMXBean> heapPools;

    private ProcessProbe(String name, long pid, JMXConnector connector, MemoryMXBean memory, List<MemoryPoolMXBean> pools) {
        this.name = name;
        this.pid = pid;
        this.connector = connector;
        this.memory = memory;
        this.heapPools = pools.stream().filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    }

    /**
     * A probe of another JVM, connected over JMX through the attach API.
     *
     * @throws IOException if the process cannot be attached to or its management agent not reached
     */
    public static ProcessProbe attach(String name, long pid) throws IOException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            throw new IOException("Cannot attach to " + name + " (pid " + pid + ")", e);
        }
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(connector.getMBeanServerConnection(),
                ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        List<MemoryPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(connector.getMBeanServerConnection(), MemoryPoolMXBean.class);
        return new ProcessProbe(name, pid, connector, memory, pools);
    }

    /** A probe of this JVM (which hosts the broker in the tests), heap included. */
    public static ProcessProbe self(String name) {
        return new ProcessProbe(name, ProcessHandle.current().pid(), null, ManagementFactory.getMemoryMXBean(),
                ManagementFactory.getMemoryPoolMXBeans());
    }

    public String name() {
        return name;
    }

    /**
     * Takes a sample; requests a full GC in the process first.
     *
     * @throws java.lang.reflect.UndeclaredThrowableException if the process is gone or its JMX connection broke
     * @throws UncheckedIOException if its {@code /proc} entries cannot be read
     */
    public Sample sample() {
        memory.gc();
        long heap = 0;
        for (MemoryPoolMXBean pool : heapPools) {
            MemoryUsage afterCollection = pool.getCollectionUsage();
            heap += afterCollection == null ? pool.getUsage().getUsed() : afterCollection.getUsed();
        }
        return new Sample(heap, openFileDescriptors(pid), residentBytes(pid));
    }

    /** Entries of {@code /proc/<pid>/fd}: files, sockets and pipes the process holds open. */
    static long openFileDescriptors(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the open files of pid " + pid, e);
        }
    }

    /** {@code VmRSS} of {@code /proc/<pid>/status}, in bytes. */
    static long residentBytes(long pid) {
        return ResidentMemory.of(pid).orElseThrow(() -> new IllegalStateException("no resident memory for pid " + pid));
    }

    @Override
    public void close() throws IOException {
        if (connector != null) {
            connector.close();
        }
    }
}
