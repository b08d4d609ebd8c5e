package dev.edgeinfer.producer.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.avro.Precision;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetSettingsTest {

    @Test
    void generatedTypesAreRealisticCombinationsStartingWithTheAnalyticsReference() {
        List<DeviceType> types = DeviceTypes.generated(12);
        assertThat(types).extracting(DeviceType::name).startsWith("openvino-cpu-fp32", "openvino-cpu-int8",
                "onnxruntime-cpu-fp32", "onnxruntime-cpu-int8", "openvino-cpu-fp16").doesNotHaveDuplicates()
                .endsWith("openvino-cpu-fp32-2", "openvino-cpu-int8-2");
        DeviceType int8 = types.get(1);
        assertThat(int8.engine()).isEqualTo("openvino");
        assertThat(int8.accelerator()).isEqualTo("CPU");
        assertThat(int8.precision()).isEqualTo(Precision.INT8);
        assertThat(int8.artifactId()).isEqualTo("openvino-int8");
    }

    @Test
    void namedTypesBorrowFromTheCatalogOrTheirName() {
        assertThat(DeviceTypes.named("rpi5-onnxruntime-cpu-int8")).satisfies(type -> {
            assertThat(type.name()).isEqualTo("rpi5-onnxruntime-cpu-int8");
            assertThat(type.engine()).isEqualTo("onnxruntime");
            assertThat(type.acceleratorFullName()).isEqualTo("CPUExecutionProvider");
        });
        assertThat(DeviceTypes.named("camera-box-fp16").precision()).isEqualTo(Precision.FP16);
        assertThat(DeviceTypes.named("mystery").precision()).isEqualTo(Precision.UNKNOWN);
        assertThatThrownBy(() -> DeviceTypes.named("a,b")).hasMessageContaining("commas");
    }

    @Test
    void devicesSpreadOverTheTypesAndFramesComeAtTheRateOverTheTypes() {
        FleetSettings settings = FleetSettings.defaults(1000, 5, 1);
        assertThat(settings.devicesOf(0)).isEqualTo(200);
        assertThat(settings.predictionRate()).isEqualTo(10_000);
        assertThat(settings.frameRate()).isEqualTo(2_000);
        FleetSettings uneven = FleetSettings.defaults(7, 3, 1);
        assertThat(List.of(uneven.devicesOf(0), uneven.devicesOf(1), uneven.devicesOf(2))).containsExactly(3, 2, 2);
    }

    @Test
    void impossibleAnswerSharesAreRefusedNamingTheTypeAndTheBound() {
        List<DeviceType> types = DeviceTypes.generated(2);
        TypeProfile reference = TypeProfile.of(types.get(0), 0.92, 0);
        assertThatThrownBy(() -> fleet(reference, TypeProfile.of(types.get(1), 0.85, 0.02)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openvino-cpu-int8").hasMessageContaining("at least 0.0700");
        assertThatThrownBy(() -> fleet(reference, TypeProfile.of(types.get(1), 0.92, 0.2)))
                .hasMessageContaining("at most 0.1600");
        assertThatThrownBy(() -> fleet(TypeProfile.of(types.get(0), 0.92, 0.1), TypeProfile.of(types.get(1), 0.92, 0.02)))
                .hasMessageContaining("cannot disagree with itself");
        assertThatThrownBy(() -> FleetSettings.defaults(2, 3, 1)).hasMessageContaining("every type needs a device");
        // At the bounds it works: the errors never coincide, or all of the gap is disagreement.
        fleet(reference, TypeProfile.of(types.get(1), 0.92, 0.16));
        fleet(reference, TypeProfile.of(types.get(1), 0.85, 0.07));
    }

    @Test
    void perTypeValuesTakeADefaultAndOverridesByName() {
        PerTypeValues values = PerTypeValues.parse("--accuracy", List.of("0.9", "b=0.8"), 0.92);
        assertThat(values.valueFor("a", 0)).isEqualTo(0.9);
        assertThat(values.valueFor("b", 0)).isEqualTo(0.8);
        assertThat(PerTypeValues.parse("--accuracy", null, 0.92).valueFor("a", 0)).isEqualTo(0.92);
        assertThat(PerTypeValues.parse("--x", List.of("b=2"), null).valueFor("a", 5)).isEqualTo(5);
        assertThatThrownBy(() -> PerTypeValues.parse("--accuracy", List.of("high"), null))
                .hasMessageContaining("--accuracy entry 'high'");
        assertThatThrownBy(() -> values.requireKnown(List.of("a"))).hasMessageContaining("'b'");
    }

    private static FleetSettings fleet(TypeProfile... types) {
        return new FleetSettings(10, List.of(types), 100, null, 0, 0, 1, FleetSettings.DEFAULT_HEARTBEAT_INTERVAL,
                FleetSettings.DEFAULT_TRANSPORT, 1);
    }
}
