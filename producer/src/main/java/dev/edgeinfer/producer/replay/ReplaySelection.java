package dev.edgeinfer.producer.replay;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.FailureStage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which dead letters a replay re-sends: every condition given must hold, and a condition with several values holds
 * when any of them does. An empty selection chooses every dead letter.
 *
 * @param reasons  texts of which the dead letter's reason must contain one, case ignored
 * @param stages   stages of which the failure must be one
 * @param from     earliest failure time ({@code time} of the dead letter), inclusive, or null
 * @param to       latest failure time, exclusive, or null
 * @param frameIds frame ids of which the dead letter's must be one
 */
public record ReplaySelection(List<String> reasons, Set<FailureStage> stages, Instant from, Instant to, Set<String> frameIds) {

    /**
     * @throws IllegalArgumentException when {@code from} is not before {@code to}, or a reason is blank
     */
    public ReplaySelection {
        reasons = reasons.stream().map(r -> r.toLowerCase(Locale.ROOT)).toList();
        stages = Set.copyOf(stages);
        frameIds = Set.copyOf(frameIds);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("the time range is empty: --from " + from + " is not before --to " + to);
        }
        if (reasons.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("a --reason must not be blank");
        }
    }

    /** Whether nothing narrows the selection. */
    public boolean isEverything() {
        return reasons.isEmpty() && stages.isEmpty() && from == null && to == null && frameIds.isEmpty();
    }

    /** Whether the dead letter is chosen. */
    public boolean matches(DeadLetter letter) {
        String reason = letter.getReason().toLowerCase(Locale.ROOT);
        return (reasons.isEmpty() || reasons.stream().anyMatch(reason::contains))
                && (stages.isEmpty() || stages.contains(letter.getStage()))
                && (from == null || !letter.getTime().isBefore(from))
                && (to == null || letter.getTime().isBefore(to))
                && (frameIds.isEmpty() || (letter.getFrameId() != null && frameIds.contains(letter.getFrameId())));
    }

    /** The selection in words, for the report. */
    public String describe() {
        if (isEverything()) {
            return "every dead letter";
        }
        List<String> parts = new ArrayList<>();
        if (!reasons.isEmpty()) {
            parts.add("reason containing " + String.join(" or ", reasons.stream().map(r -> "'" + r + "'").toList()));
        }
        if (!stages.isEmpty()) {
            parts.add("stage " + String.join(" or ", stages.stream().map(Enum::name).sorted().toList()));
        }
        if (from != null || to != null) {
            parts.add("failed " + (from == null ? "" : "from " + from) + (from != null && to != null ? " " : "")
                    + (to == null ? "" : "before " + to));
        }
        if (!frameIds.isEmpty()) {
            parts.add("frame id " + String.join(" or ", frameIds.stream().sorted().toList()));
        }
        return String.join(", ", parts);
    }
}
