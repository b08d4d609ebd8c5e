package dev.edgeinfer.openvino;

import static dev.edgeinfer.openvino.NativeTestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Every free path is taken: creating and closing many requests and tensors leaves native memory flat.
 * Measured as the resident set of a child JVM whose heap is fixed and pre-touched, so that neither heap growth
 * nor other tests' allocations blur the number; a leak of even one small native object per request (a tensor
 * wrapper, a shape) would exceed the bound.
 */
@EnabledOnOs(OS.LINUX)
class NativeMemoryTest {
    private static final int REQUESTS = 10_000;
    private static final long BOUND_KB = 20 * 1024;

    @BeforeAll
    static void natives() {
        NativeTestSupport.assumeOpenVinoPresent();
    }

    @Test
    void tenThousandRequestsWithTensorsLeaveResidentMemoryFlat() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xms96m", "-Xmx96m", "-XX:+AlwaysPreTouch",
                "-cp", System.getProperty("java.class.path")));
        for (String key : List.of(OpenVinoLibrary.LIB_DIR_PROPERTY, OpenVinoLibrary.VENV_PROPERTY)) {
            if (System.getProperty(key) != null) {
                command.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        command.addAll(List.of(NativeMemoryTest.class.getName(), resource("tiny-u8/openvino/model.xml")
                .toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        System.out.print(output);
        assertThat(child.exitValue()).as(output).isZero();
        String growth = output.lines().filter(l -> l.startsWith("growth ")).findFirst().orElseThrow();
        assertThat(Long.parseLong(growth.split(" ")[1])).as("VmRSS growth in kB").isLessThan(BOUND_KB);
    }

    /** The child: warm up, then measure {@value #REQUESTS} more create/bind/close cycles. */
    public static void main(String[] args) throws Exception {
        ByteBuffer pixels = ByteBuffer.allocateDirect(32 * 32 * 3);
        ByteBuffer logits = ByteBuffer.allocateDirect(10 * 4);
        try (Core core = Core.create();
             Model model = core.readModel(Path.of(args[0]));
             CompiledModel compiled = core.compileModel(model, "CPU", Map.of(Core.NUM_STREAMS, "1"))) {
            cycle(compiled, REQUESTS, pixels, logits);
            long before = residentKb();
            cycle(compiled, REQUESTS, pixels, logits);
            long after = residentKb();
            System.out.printf("VmRSS before %d kB, after %d kB over %d requests%n", before, after, REQUESTS);
            System.out.println("growth " + (after - before));
        }
    }

    private static void cycle(CompiledModel compiled, int count, ByteBuffer pixels, ByteBuffer logits)
            throws OpenVinoException {
        for (int i = 0; i < count; i++) {
            try (InferRequest request = compiled.createInferRequest();
                 Tensor in = Tensor.wrap(ElementType.U8, new long[] {1, 32, 32, 3}, pixels);
                 Tensor out = Tensor.wrap(ElementType.F32, new long[] {1, 10}, logits)) {
                request.setInputTensor(0, in);
                request.setOutputTensor(0, out);
                if (i % 100 == 0) {
                    request.infer();
                }
            }
        }
    }

    private static long residentKb() throws IOException, InterruptedException {
        // JNA frees its small structs through a Cleaner after collection; give it a moment.
        System.gc();
        Thread.sleep(200);
        System.gc();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
