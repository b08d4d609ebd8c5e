package dev.edgeinfer.litert;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The struct layouts against the sizes and offsets {@code litert/c} asserts: needs JNA only, not LiteRT. */
class StructsTest {
    @Test
    void sizesAreTheHeaders() {
        assertThat(new Structs.Layout().size()).isEqualTo(68);
        assertThat(new Structs.RankedTensorType().size()).isEqualTo(72);
        assertThat(new Structs.QuantizationPerTensor().size()).isEqualTo(16);
        assertThat(new Structs.Any().size()).isEqualTo(16);
        assertThat(new Structs.EnvOption().size()).isEqualTo(24);
    }

    @Test
    void fieldsLandAtTheHeadersOffsets() {
        Structs.RankedTensorType type = new Structs.RankedTensorType();
        type.elementType = 3;
        type.layout.bits = 4;
        type.layout.dimensions[0] = 11;
        type.layout.strides[0] = 22;
        type.write();
        assertThat(type.getPointer().getInt(0)).isEqualTo(3);
        assertThat(type.getPointer().getInt(4)).isEqualTo(4);
        assertThat(type.getPointer().getInt(8)).isEqualTo(11);
        assertThat(type.getPointer().getInt(40)).isEqualTo(22);

        Structs.QuantizationPerTensor q = new Structs.QuantizationPerTensor();
        q.zeroPoint = -7;
        q.write();
        assertThat(q.getPointer().getLong(8)).isEqualTo(-7);

        Structs.EnvOption option = new Structs.EnvOption();
        option.tag = 25;
        option.value.type = 2;
        option.value.value = 3;
        option.write();
        assertThat(option.getPointer().getInt(0)).isEqualTo(25);
        assertThat(option.getPointer().getInt(8)).isEqualTo(2);
        assertThat(option.getPointer().getLong(16)).isEqualTo(3);
    }

    @Test
    void theRankIsTheLowSevenBitsOfTheBitField() {
        Structs.Layout layout = new Structs.Layout();
        layout.bits = 0x80 | 4;
        assertThat(layout.rank()).isEqualTo(4);
    }
}
