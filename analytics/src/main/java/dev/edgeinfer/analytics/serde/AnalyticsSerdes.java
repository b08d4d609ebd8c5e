package dev.edgeinfer.analytics.serde;

import dev.edgeinfer.analytics.agreement.AgreementCounts;
import dev.edgeinfer.analytics.agreement.AgreementVote;
import dev.edgeinfer.analytics.agreement.FrameVotes;
import dev.edgeinfer.analytics.stats.Observation;
import dev.edgeinfer.analytics.stats.SliceStats;
import dev.edgeinfer.analytics.stats.SliceStatsCodec;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The serdes of the analytics' internal topics and state stores. */
public final class AnalyticsSerdes {

    private static final byte V1 = 1;

    private AnalyticsSerdes() {
    }

    /** Observations on their way to the statistics of a key. */
    public static CompactSerde<Observation> observation() {
        return new CompactSerde<>("observation", V1, SliceStatsCodec::writeObservation, SliceStatsCodec::readObservation);
    }

    /** Statistics of one key in one slice. */
    public static CompactSerde<SliceStats> sliceStats() {
        return new CompactSerde<>("slice statistics", V1, SliceStatsCodec::writeSliceStats, SliceStatsCodec::readSliceStats);
    }

    /** One comparison of two device types on one frame. */
    public static CompactSerde<AgreementVote> agreementVote() {
        return new CompactSerde<>("agreement vote", V1,
                (vote, out) -> {
                    out.writeUTF(vote.firstType());
                    out.writeUTF(vote.secondType());
                    out.writeBoolean(vote.differs());
                },
                in -> new AgreementVote(in.readUTF(), in.readUTF(), in.readBoolean()));
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
