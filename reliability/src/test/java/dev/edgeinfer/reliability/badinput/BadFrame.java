package dev.edgeinfer.reliability.badinput;

import dev.edgeinfer.avro.FailureStage;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * One generated bad record for the frames topic and what a device must make of it.
 *
 * @param kind           what is wrong with it
 * @param variant        how, within the kind (e.g. {@code lying-header})
 * @param key            record key, unique per generated record, naming the kind and variant
 * @param value          record value exactly as sent; null for a record without value
 * @param expectedStage  stage the device's dead letter must name
 * @param expectedReason what the dead letter's reason must contain
 * @param valueKept      whether the dead letter carries the value (false only beyond the dead-letter size limit)
 */
public record BadFrame(BadFrameKind kind, String variant, String key, byte[] value, FailureStage expectedStage,
                       Pattern expectedReason, boolean valueKept) {

    public byte[] keyBytes() {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return key + " (" + (value == null ? "no value" : value.length + " bytes") + ", expects " + expectedStage + " /"
                + expectedReason + "/)";
    }
}
