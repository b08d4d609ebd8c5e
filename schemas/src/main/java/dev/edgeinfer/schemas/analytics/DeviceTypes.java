package dev.edgeinfer.schemas.analytics;

import java.util.List;

/**
 * Every device type known to any instance.
 *
 * @param deviceTypes the device types, sorted, each with its devices
 * @param instances   the instances that answered, {@code host:port}
 */
public record DeviceTypes(List<DeviceTypeSummary> deviceTypes, List<String> instances) {
}
