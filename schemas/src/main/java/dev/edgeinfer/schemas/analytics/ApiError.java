package dev.edgeinfer.schemas.analytics;

/**
 * The body of every error answer.
 *
 * @param status  HTTP status
 * @param error   HTTP reason, e.g. {@code Bad Request}
 * @param message what was wrong, for a person
 */
public record ApiError(int status, String error, String message) {
}
