package dev.edgeinfer.openvino;

import static dev.edgeinfer.openvino.NativeTestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Every free path is taken: creating and closing many requests and tensors leaves native memory flat. */
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
        ByteBuffer pixels = ByteBuffer.allocateDirect(32 * 32 * 3);
        ByteBuffer logits = ByteBuffer.allocateDirect(10 * 4);
        try (Core core = Core.create();
             Model model = core.readModel(resource("tiny-u8/openvino/model.xml"));
             CompiledModel compiled = core.compileModel(model, "CPU", Map.of(Core.NUM_STREAMS, "1"))) {
            cycle(compiled, 1_000, pixels, logits);
            long before = residentKb();
            cycle(compiled, REQUESTS, pixels, logits);
            long after = residentKb();
            System.out.printf("VmRSS before %d kB, after %d kB, growth %d kB over %d requests%n", before, after,
                    after - before, REQUESTS);
            assertThat(after - before).as("VmRSS growth in kB").isLessThan(BOUND_KB);
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

    private static long residentKb() throws IOException {
        System.gc();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
