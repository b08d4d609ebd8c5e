package dev.edgeinfer.schemas.analytics;

import java.util.List;

/**
 * A device type and the devices known to run it.
 *
 * @param deviceType the device type
 * @param devices    devices whose latest heartbeat names this type, sorted by id; empty when none sent one
 */
public record DeviceTypeSummary(String deviceType, List<Device> devices) {

    /**
     * A device as its latest heartbeat describes it.
     *
     * @param deviceId        device id
     * @param engine          inference engine
     * @param precision       model precision
     * @param lastHeartbeat   when the heartbeat was sent, epoch milliseconds, device clock
     * @param framesProcessed frames predicted since the device started
     * @param framesFailed    frames dead-lettered since the device started
     * @param consumerLag     the device's consumer lag, -1 when unknown
     * @param heartbeatIntervalMillis the device's heartbeat period (5,000 for devices that do not say)
     * @param online          whether its latest heartbeat is at most three periods old
     */
    public record Device(String deviceId, String engine, String precision, long lastHeartbeat,
                         long framesProcessed, long framesFailed, long consumerLag, long heartbeatIntervalMillis,
                         boolean online) {
    }
}
