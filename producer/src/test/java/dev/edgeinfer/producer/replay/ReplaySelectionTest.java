package dev.edgeinfer.producer.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.FailureStage;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplaySelectionTest {

    private static final Instant T = Instant.parse("2026-12-08T04:00:00Z");

    private static DeadLetter letter(String frameId, FailureStage stage, String reason, Instant time) {
        return DeadLetter.newBuilder().setOriginalTopic("edge.frames.v1").setOriginalPartition(0).setOriginalOffset(1L)
                .setFrameId(frameId).setStage(stage).setErrorClass("E").setReason(reason).setTime(time).build();
    }

    @Test
    void everyConditionMustHoldAndAnyValueOfOne() {
        ReplaySelection selection = new ReplaySelection(List.of("Device Lost", "timeout"), Set.of(FailureStage.INFERENCE),
                T, T.plusSeconds(60), Set.of());
        assertThat(selection.matches(letter("a", FailureStage.INFERENCE, "infer request failed: device lost", T))).isTrue();
        assertThat(selection.matches(letter("a", FailureStage.INFERENCE, "TIMEOUT after 5 s", T.plusSeconds(59)))).isTrue();
        assertThat(selection.matches(letter("a", FailureStage.DECODE, "device lost", T))).as("other stage").isFalse();
        assertThat(selection.matches(letter("a", FailureStage.INFERENCE, "out of memory", T))).as("other reason").isFalse();
        assertThat(selection.matches(letter("a", FailureStage.INFERENCE, "device lost", T.minusMillis(1)))).as("before from").isFalse();
        assertThat(selection.matches(letter("a", FailureStage.INFERENCE, "device lost", T.plusSeconds(60)))).as("to is exclusive")
                .isFalse();
        assertThat(selection.describe()).isEqualTo("reason containing 'device lost' or 'timeout', stage INFERENCE, "
                + "failed from 2026-12-08T04:00:00Z before 2026-12-08T04:01:00Z");
    }

    @Test
    void frameIdsChooseOnlyLettersThatKnowTheirFrame() {
        ReplaySelection selection = new ReplaySelection(List.of(), Set.of(), null, null, Set.of("cam-1"));
        assertThat(selection.matches(letter("cam-1", FailureStage.DECODE, "x", T))).isTrue();
        assertThat(selection.matches(letter("cam-2", FailureStage.DECODE, "x", T))).isFalse();
        assertThat(selection.matches(letter(null, FailureStage.DESERIALIZE, "x", T))).isFalse();
        assertThat(selection.isEverything()).isFalse();
    }

    @Test
    void anEmptySelectionIsEverythingAndAnEmptyRangeIsRefused() {
        ReplaySelection everything = new ReplaySelection(List.of(), Set.of(), null, null, Set.of());
        assertThat(everything.isEverything()).isTrue();
        assertThat(everything.describe()).isEqualTo("every dead letter");
        assertThat(everything.matches(letter(null, FailureStage.UNKNOWN, "x", T))).isTrue();
        assertThatThrownBy(() -> new ReplaySelection(List.of(), Set.of(), T, T, Set.of()))
                .hasMessageContaining("the time range is empty");
        assertThatThrownBy(() -> new ReplaySelection(List.of(" "), Set.of(), null, null, Set.of()))
                .hasMessageContaining("--reason must not be blank");
    }
}
