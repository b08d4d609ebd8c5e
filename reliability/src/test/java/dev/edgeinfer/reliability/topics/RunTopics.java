package dev.edgeinfer.reliability.topics;

import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;

/** Topics of one test run on the shared stack, usually the pipeline's own under names of the run. */
public final class RunTopics {

    private RunTopics() {
    }

    /** Creates the topics (those that exist already are left as they are). */
    public static void create(LocalStack stack, TopicSpec... specs) throws InterruptedException {
        try (Admin admin = stack.createAdmin()) {
            new TopicCreator(admin, Duration.ofSeconds(60)).ensureTopics(List.of(specs));
        }
    }
}
