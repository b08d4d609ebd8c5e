package dev.edgeinfer.edge.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ScoresTest {
    private static final List<String> NAMES = List.of("a", "b", "c", "d");

    @Test
    void softmaxIsStableForLargeLogitsAndSumsToOne() {
        float[] p = Scores.softmax(new float[] {9, 1000, 1001, 1002, 1003}, 1, 4);
        assertThat(p[0] + p[1] + p[2] + p[3]).isCloseTo(1f, within(1e-6f));
        assertThat(p[3]).isCloseTo((float) (1 / (1 + Math.exp(-1) + Math.exp(-2) + Math.exp(-3))), within(1e-6f));
    }

    @Test
    void topKIsBestFirstAndKeepsTheLowerIndexOnTies() {
        List<ClassScore> top = Scores.topK(new float[] {0.2f, 0.4f, 0.2f, 0.2f}, 3, NAMES);
        assertThat(top).extracting(ClassScore::className).containsExactly("b", "a", "c");
        assertThat(Scores.topK(new float[] {1, 0, 0, 0}, 10, NAMES)).hasSize(4);
    }

    @Test
    void topKRanksLikeASortByProbabilityThenIndex() {
        Random random = new Random(42);
        List<String> names = IntStream.range(0, 10).mapToObj(i -> "class" + i).toList();
        for (int trial = 0; trial < 2_000; trial++) {
            float[] p = new float[10];
            for (int i = 0; i < p.length; i++) {
                // Few distinct values, so that most trials have ties.
                p[i] = random.nextInt(4) / 4f;
            }
            int k = 1 + random.nextInt(10);
            List<Integer> expected = IntStream.range(0, p.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> -p[i]).thenComparing(i -> i))
                    .limit(k).toList();
            assertThat(Scores.topK(p, k, names)).extracting(ClassScore::classIndex).as("%s top %d", Arrays.toString(p), k)
                    .containsExactlyElementsOf(expected);
        }
        assertThat(Scores.topK(new float[] {0.5f, 0.5f}, 0, NAMES)).isEmpty();
    }

    @Test
    void predictionsSplitABatchAndUseProbabilitiesAsTheyAre() {
        float[] outputs = {0.1f, 0.7f, 0.1f, 0.1f, 0.6f, 0.2f, 0.1f, 0.1f};
        List<Prediction> predictions = Scores.predictions(outputs, 2, false, 1, NAMES);
        assertThat(predictions).extracting(p -> p.top().className()).containsExactly("b", "a");
        assertThat(predictions.get(1).top().probability()).isEqualTo(0.6f);
    }
}
