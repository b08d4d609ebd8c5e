package dev.edgeinfer.testsupport.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts of the machine recorded beside figures taken on it, from {@code /proc} (Linux). */
public final class Machine {

    private Machine() {
    }

    /**
     * The machine's cores as {@code "<online> online (<n> available to this JVM)"}: the JVM's count follows CPU
     * affinity and container limits, and on a shared machine it may differ from the cores there are.
     *
     * @throws IOException if {@code /proc/cpuinfo} cannot be read
     */
    public static String cores() throws IOException {
        long online = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("processor")).count();
        return online + " online (" + Runtime.getRuntime().availableProcessors() + " available to this JVM)";
    }

    /**
     * The one-minute load average.
     *
     * @throws IOException if {@code /proc/loadavg} cannot be read
     */
    public static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    /**
     * The CPU's model name, e.g. {@code AMD EPYC 7B13}; {@code unknown} where {@code /proc/cpuinfo} names none.
     *
     * @throws IOException if {@code /proc/cpuinfo} cannot be read
     */
    public static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                .findFirst().map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown");
    }
}
