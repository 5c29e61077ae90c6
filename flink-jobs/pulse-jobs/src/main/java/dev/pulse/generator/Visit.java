package dev.pulse.generator;

/** One session's state as it unfolds: the user id appears on login or register; the rest stays fixed. */
final class Visit {
    final Visitor visitor;
    final String sessionId;
    final Channel channel;
    final String campaignId;
    final String platform;
    final String ip;
    String userId;

    Visit(Visitor visitor, String sessionId, Channel channel, String campaignId, String ip, String userId) {
        this.visitor = visitor;
        this.sessionId = sessionId;
        this.channel = channel;
        this.campaignId = campaignId;
        this.platform = visitor.platform();
        this.ip = ip;
        this.userId = userId;
    }

    String deviceId() {
        return visitor.deviceId();
    }

    /** Partition key: the user, or the device while the visitor is anonymous. */
    String key() {
        return userId != null ? userId : visitor.deviceId();
    }
}
