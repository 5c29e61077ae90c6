package dev.pulse.generator;

/**
 * A person who visits the shop: a registered user ({@code userId} set) or a first-time visitor known only by
 * the device. One device per person keeps the device-to-user mapping clean for the shared-device rule.
 */
record Visitor(String userId, String deviceId, String platform, String homeIp, String[] addresses) {

    boolean registered() {
        return userId != null;
    }
}
