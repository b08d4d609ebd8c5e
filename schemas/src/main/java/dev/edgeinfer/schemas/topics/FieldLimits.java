package dev.edgeinfer.schemas.topics;

/**
 * Limits on the string fields of the pipeline's records, shared by everyone who checks them: the edge consumer refuses
 * frames over them at validation, and analytics skips predictions and dead letters over them. Ids and names become
 * keys of records and of state stores: an absurd one (a megabyte of frame id) would make those records larger than
 * their topics accept, and stop whoever has to write them.
 */
public final class FieldLimits {

    /** Longest frame id, producer id, device id, device type, label, data set and label set name, in characters. */
    public static final int MAX_ID_CHARS = 256;
    /** Longest file name of a frame's source, in characters. */
    public static final int MAX_FILE_NAME_CHARS = 1024;

    private FieldLimits() {
    }

    /** True if the text is present and at most {@code limit} characters long. */
    public static boolean fits(CharSequence text, int limit) {
        return text != null && text.length() <= limit;
    }
}
