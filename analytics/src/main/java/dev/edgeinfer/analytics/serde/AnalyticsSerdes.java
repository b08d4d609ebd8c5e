package dev.edgeinfer.analytics.serde;

import dev.edgeinfer.analytics.agreement.AgreementCounts;
import dev.edgeinfer.analytics.agreement.FrameVotes;
import dev.edgeinfer.analytics.stats.SliceStats;
import dev.edgeinfer.analytics.stats.SliceStatsCodec;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The serdes of the analytics' internal topics and state stores. */
public final class AnalyticsSerdes {

    private static final byte V1 = 1;
    /** Version 2: histograms as their non-empty buckets in Avro's variable-length integers (version 1: compressed HdrHistogram). */
    private static final byte V2 = 2;

    private AnalyticsSerdes() {
    }

    /** Statistics of one key in one slice. */
    public static CompactSerde<SliceStats> sliceStats() {
        return new CompactSerde<>("slice statistics", V2, SliceStatsCodec::writeSliceStats, SliceStatsCodec::readSliceStats);
    }

    /** Agreement counts of one pair in one slice. */
    public static CompactSerde<AgreementCounts> agreementCounts() {
        return new CompactSerde<>("agreement counts", V1,
                (counts, out) -> {
                    out.writeUTF(counts.firstType());
                    out.writeUTF(counts.secondType());
                    out.writeLong(counts.compared());
                    out.writeLong(counts.differing());
                },
                in -> new AgreementCounts(in.readUTF(), in.readUTF(), in.readLong(), in.readLong()));
    }

    /** Newest slice start of a statistics key in each view. */
    public static CompactSerde<long[]> sliceStarts() {
        return new CompactSerde<>("slice starts", V1,
                (starts, out) -> {
                    out.writeInt(starts.length);
                    for (long start : starts) {
                        out.writeLong(start);
                    }
                },
                in -> {
                    int views = in.readInt();
                    if (views < 0 || views > 16) {
                        throw new IOException("Implausible number of views " + views);
                    }
                    long[] starts = new long[views];
                    for (int i = 0; i < views; i++) {
                        starts[i] = in.readLong();
                    }
                    return starts;
                });
    }

    /** The classes given to one frame so far. */
    public static CompactSerde<FrameVotes> frameVotes() {
        return new CompactSerde<>("frame votes", V1,
                (votes, out) -> {
                    out.writeLong(votes.firstSeen());
                    out.writeInt(votes.classes().size());
                    for (Map.Entry<String, Integer> vote : votes.classes().entrySet()) {
                        out.writeUTF(vote.getKey());
                        out.writeInt(vote.getValue());
                    }
                },
                AnalyticsSerdes::readFrameVotes);
    }

    private static FrameVotes readFrameVotes(DataInputStream in) throws IOException {
        long firstSeen = in.readLong();
        int count = in.readInt();
        Map<String, Integer> classes = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            classes.put(in.readUTF(), in.readInt());
        }
        return new FrameVotes(firstSeen, classes);
    }
}
