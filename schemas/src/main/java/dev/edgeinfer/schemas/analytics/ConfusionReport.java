package dev.edgeinfer.schemas.analytics;

import java.util.List;

/**
 * The confusion matrix of one device type over one window.
 *
 * @param deviceType            the device type
 * @param view                  the view's name
 * @param windowStart           window start, epoch milliseconds
 * @param windowEnd             window end, epoch milliseconds, exclusive
 * @param labels                class names by class index; the index itself where no prediction named the class
 * @param matrix                {@code matrix[truth][predicted]}: frames of class {@code truth} predicted as {@code predicted}
 * @param framesWithGroundTruth frames counted in the matrix
 * @param correct               the diagonal's sum
 * @param accuracy              correct / framesWithGroundTruth, null when zero
 */
public record ConfusionReport(String deviceType, String view, long windowStart, long windowEnd, List<String> labels,
                              List<List<Long>> matrix, long framesWithGroundTruth, long correct, Double accuracy) {
}
