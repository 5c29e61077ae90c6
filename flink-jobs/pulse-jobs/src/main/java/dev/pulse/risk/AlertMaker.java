package dev.pulse.risk;

import dev.pulse.model.AlertRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes alert records. The key a rule fired on is personal data (a user, a device, an ip): the record carries
 * {@code <kind>:<HMAC-SHA256 of it under the configured salt>}, which a reviewer with the salt can match and
 * nobody else can reverse. The alert id is a hash of the rule, the key and the evidence, so the same firing has
 * the same id on the fast path and on the exactly-once topic, and after a replay: receivers de-duplicate by it.
 * Not serializable: each operator makes one in {@code open}.
 */
final class AlertMaker {
    private static final HexFormat HEX = HexFormat.of();
    private final Mac mac;

    AlertMaker(String salt) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            // an empty salt still gives a keyed hash; the job warns that it is guessable
            mac.init(new SecretKeySpec(("pulse-risk:" + salt).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** The key as alert records show it. */
    String key(RiskRule.KeyKind kind, String raw) {
        return kind.code() + ":" + hash(kind.code() + "|" + raw);
    }

    AlertRecord alert(RiskRule rule, RuleSettings settings, String key, long windowStart, long windowEnd,
                      long firedAt, List<String> orderIds, long count, BigDecimal amount, String detail) {
        AlertRecord a = new AlertRecord();
        a.rule = rule.code();
        a.severity = settings.severity().code();
        a.key = key;
        a.windowStart = Instant.ofEpochMilli(windowStart).toString();
        a.windowEnd = Instant.ofEpochMilli(windowEnd).toString();
        a.firedAt = Instant.ofEpochMilli(firedAt).toString();
        a.evidence.orderIds = orderIds;
        a.evidence.count = count;
        a.evidence.amount = amount;
        a.evidence.detail = detail;
        a.alertId = hash(rule.code() + "|" + key + "|" + windowStart + "|" + String.join(",", orderIds));
        return a;
    }

    private String hash(String text) {
        byte[] digest = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(digest, 0, 16);
    }
}
