package dev.edgeinfer.producer.replay;

import java.util.ArrayList;
import java.util.List;

/**
 * What a replay did with the dead letters it read: every chosen one is sent, was sent by an earlier run, or is named
 * with the reason it cannot be sent. Filled by the replaying thread only.
 */
public final class ReplayReport {

    /** One chosen dead letter and what became of it. */
    public record Entry(String deadLetter, String frame, String frameId, String outcome) {
        @Override
        public String toString() {
            return deadLetter + " (frame " + (frameId == null ? "id unknown" : frameId) + ", read at " + frame + "): " + outcome;
        }
    }

    private final String selection;
    private final boolean dryRun;
    private long scanned;
    private final List<Entry> sent = new ArrayList<>();
    private final List<Entry> alreadyReplayed = new ArrayList<>();
    private final List<Entry> notReplayable = new ArrayList<>();

    ReplayReport(String selection, boolean dryRun) {
        this.selection = selection;
        this.dryRun = dryRun;
    }

    void countScanned() {
        scanned++;
    }

    void sent(Entry entry) {
        sent.add(entry);
    }

    void alreadyReplayed(Entry entry) {
        alreadyReplayed.add(entry);
    }

    void notReplayable(Entry entry) {
        notReplayable.add(entry);
    }

    /** Dead letters read. */
    public long scanned() {
        return scanned;
    }

    /** The chosen dead letters whose frames were sent by this run (or, in a dry run, would be). */
    public List<Entry> sent() {
        return List.copyOf(sent);
    }

    /** The chosen dead letters whose frames an earlier run (or another letter of this run) already sent. */
    public List<Entry> alreadyReplayed() {
        return List.copyOf(alreadyReplayed);
    }

    /** The chosen dead letters that cannot be sent, each with why: the frame's bytes are not in it, or it is unreadable. */
    public List<Entry> notReplayable() {
        return List.copyOf(notReplayable);
    }

    /** The report for a person: the counts, then one line per chosen dead letter. */
    public String format() {
        StringBuilder out = new StringBuilder();
        out.append(dryRun ? "Dry run, nothing sent: " : "Replayed ").append(sent.size()).append(" frame(s)")
                .append(" chosen by ").append(selection).append("; read ").append(scanned).append(" dead letter(s), ")
                .append(alreadyReplayed.size()).append(" already replayed, ")
                .append(notReplayable.size()).append(" not replayable\n");
        sent.forEach(e -> out.append(dryRun ? "  would send " : "  sent ").append(e).append('\n'));
        alreadyReplayed.forEach(e -> out.append("  skipped ").append(e).append('\n'));
        notReplayable.forEach(e -> out.append("  NOT REPLAYABLE ").append(e).append('\n'));
        return out.toString();
    }
}
