package dev.pulse.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.ingestion.EventParser;
import dev.pulse.json.Json;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TaobaoUserBehaviorTest {
    private final TaobaoUserBehavior reader = new TaobaoUserBehavior(ZoneId.of("Asia/Shanghai"), "CNY");

    @Test
    void readsAViewAsAValidProductViewInTheBusinessDay() {
        // 1511884800 = 2017-11-28T16:00:00Z = 2017-11-29 00:00 in Shanghai
        ClickEvent c = reader.read("42,1001,7,pv,1511884800", 3).click;
        assertThat(c.eventId).isEqualTo("taobao-3");
        assertThat(c.eventTime).isEqualTo(Instant.parse("2017-11-28T16:00:00Z"));
        assertThat(c.eventType).isEqualTo("product_view");
        assertThat(c.userId).isEqualTo("42");
        assertThat(c.itemId).isEqualTo("1001");
        assertThat(c.categoryId).isEqualTo("7");
        assertThat(c.sessionId).isEqualTo("42-2017-11-29");
        assertThat(EventParser.forStream(Stream.CLICK, "CNY").parse(Json.write(c)).event).isEqualTo(c);
    }

    @Test
    void mapsCartAndFav() {
        assertThat(reader.read("1,2,3,cart,1511884800", 1).click.eventType).isEqualTo("add_to_cart");
        assertThat(reader.read("1,2,3,fav,1511884800", 2).click.eventType).isEqualTo("favorite");
    }

    @Test
    void readsAPurchaseAsAValidOrderCreatedAndPaidAtOnceWithAnUnknownAmountOfZero() {
        TaobaoUserBehavior.Row buy = reader.read("42,1001,7,buy,1511884800", 9);
        assertThat(buy.click).isNull();
        assertThat(buy.orders).extracting(o -> o.status).containsExactly("created", "paid");
        for (OrderEvent o : buy.orders) {
            assertThat(o.orderId).isEqualTo("taobao-order-9");
            assertThat(o.userId).isEqualTo("42");
            assertThat(o.eventTime).isEqualTo(Instant.parse("2017-11-28T16:00:00Z"));
            assertThat(o.amount).isZero();
            assertThat(EventParser.forStream(Stream.ORDER, "CNY").parse(Json.write(o)).event).isEqualTo(o);
        }
        assertThat(buy.orders.get(0).eventId).isNotEqualTo(buy.orders.get(1).eventId);
    }

    @Test
    void passesOverAHeaderOnTheFirstLineOnly() {
        assertThat(reader.read("user_id,item_id,category_id,behavior_type,timestamp", 1).header()).isTrue();
        assertThat(reader.read("User ID,Item ID,Category ID,Behavior,Timestamp", 1).header()).isTrue();
        assertThat(reader.read("user_id,item_id,category_id,behavior_type,timestamp", 2).problem)
                .isEqualTo("timestamp is not a number");
        assertThat(reader.read("1,2,3,pv,1511884800", 1).header()).isFalse();
        assertThat(reader.read("\uFEFF1,2,3,pv,1511884800", 1).click.userId).isEqualTo("1");
    }

    @Test
    void saysWhatIsWrongWithALineThatDoesNotFit() {
        assertThat(reader.read("1,2,3,pv", 1).problem).isEqualTo("expected 5 columns, found 4");
        assertThat(reader.read("1,2,3,pv,yesterday", 1).problem).isEqualTo("timestamp is not a number");
        assertThat(reader.read("1,2,3,share,1511884800", 1).problem).isEqualTo("unknown behavior");
    }
}
