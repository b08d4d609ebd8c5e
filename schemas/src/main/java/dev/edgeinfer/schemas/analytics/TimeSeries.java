package dev.edgeinfer.schemas.analytics;

import java.util.List;

/**
 * Consecutive windows of one key, oldest first, each starting one advance after the previous.
 *
 * @param dimension dimension of the key
 * @param key       the key
 * @param view      the view's name
 * @param windows   the windows, the last one being the latest
 */
public record TimeSeries(String dimension, String key, String view, List<WindowStats> windows) {
}
