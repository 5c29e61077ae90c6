package dev.pulse.generator;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * One visit through the funnel: landing, browsing (product views, categories, searches, favourites), cart,
 * checkout and the order. Who visits (returning user or newcomer), from which channel and how far they get
 * follow the shares in {@link Channel}; the rest of the order's life is {@link OrderLifecycle}'s.
 */
final class ShopperSession {
    /** Sessions by first-time visitors (anonymous until they register). */
    static final double NEWCOMER_SHARE = 0.30;
    /** Returning users already logged in when the session starts. */
    static final double LOGGED_IN = 0.80;
    /** Newcomers who register while browsing even without buying. */
    static final double REGISTER_WHILE_BROWSING = 0.05;
    /** App and mini-program sessions on a mobile network get another ip than the user's home. */
    static final double MOBILE_NETWORK = 0.40;
    static final double SECOND_ITEM = 0.30;
    static final double REMOVE_FROM_CART = 0.08;
    private static final double THINK_SECONDS = 25;
    /** Newcomers who register come back the next day, and a week later (what D1 and D7 retention measure). */
    static final double BACK_NEXT_DAY = 0.30;
    static final double BACK_A_WEEK_LATER = 0.15;
    private static final long DAY_MS = Duration.ofDays(1).toMillis();
    private static final int MAX_COMEBACKS = 100_000;

    private record CartLine(Catalog.Item item, int quantity) {}

    private record Comeback(long at, Visitor visitor) {}

    private final UserBase users;
    private final Catalog catalog;
    private final AdTraffic ads;
    private final OrderLifecycle orders;
    private final LoadProfile load;
    private final Emitter emitter;
    private final SplittableRandom r;
    /** Registered newcomers due back, earliest first: each takes the next session that starts after its time. */
    private final PriorityQueue<Comeback> comebacks = new PriorityQueue<>(Comparator.comparingLong(Comeback::at));
    /** The time of the session's latest click: every step moves it forward, so a session is in time order. */
    private long now;

    ShopperSession(UserBase users, Catalog catalog, AdTraffic ads, OrderLifecycle orders, LoadProfile load,
                   Emitter emitter, SplittableRandom random) {
        this.users = users;
        this.catalog = catalog;
        this.ads = ads;
        this.orders = orders;
        this.load = load;
        this.emitter = emitter;
        this.r = random;
    }

    void start(long startTime) {
        now = startTime;
        Visitor visitor = !comebacks.isEmpty() && comebacks.peek().at() <= startTime ? comebacks.poll().visitor()
                : Rand.chance(r, NEWCOMER_SHARE) ? UserBase.newcomer(emitter.ids, r) : users.anyKnown(r);
        Channel channel = Channel.pick(r, visitor.registered());
        Campaign campaign = channel == Channel.PAID_ADS ? ads.pickForClick(r) : null;
        boolean mobile = !"web".equals(visitor.platform()) && Rand.chance(r, MOBILE_NETWORK);
        String ip = mobile ? UserBase.ip(r.nextLong()) : visitor.homeIp();
        boolean loggedIn = visitor.registered() && Rand.chance(r, LOGGED_IN);
        Visit visit = new Visit(visitor, emitter.ids.next(Ids.Kind.SESSION), channel,
                campaign == null ? null : campaign.id(), ip, loggedIn ? visitor.userId() : null);

        if (campaign != null) {
            now = ads.clickThrough(now, visit, campaign, r, emitter) + Rand.seconds(r, 0.5, 2);
        }
        if (visitor.registered() && !loggedIn && Rand.chance(r, 0.5)) {
            // half of the logged-out returning users sign in at once, the others only at checkout
            login(visit);
            now += Rand.seconds(r, 2, 8);
        }
        Catalog.Item landedOn = land(visit);
        if (!Rand.chance(r, channel.bounce)) {
            browseAndBuy(visit, landedOn);
        }
    }

    private void browseAndBuy(Visit visit, Catalog.Item landedOn) {
        Visitor visitor = visit.visitor;
        Catalog.Item lastViewed = landedOn;
        int steps = Rand.onePlusGeometric(r, 2.0);
        for (int i = 0; i < steps; i++) {
            think();
            lastViewed = browse(visit, lastViewed);
            if (!visitor.registered() && visit.userId == null && Rand.chance(r, REGISTER_WHILE_BROWSING / steps)) {
                think();
                register(visit);
            }
        }
        if (!Rand.chance(r, visit.channel.cart)) {
            return;
        }
        if (lastViewed == null) {
            think();
            lastViewed = viewItem(visit);
        }
        List<CartLine> cart = new ArrayList<>();
        think();
        cart.add(addToCart(visit, lastViewed));
        if (Rand.chance(r, SECOND_ITEM)) {
            think();
            Catalog.Item other = viewItem(visit);
            think();
            cart.add(addToCart(visit, other));
        }
        if (Rand.chance(r, REMOVE_FROM_CART)) {
            think();
            CartLine removed = cart.remove(r.nextInt(cart.size()));
            emitter.click(now, visit, "remove_from_cart", "/cart", removed.item());
        }
        if (cart.isEmpty() || !Rand.chance(r, visit.channel.checkout)) {
            return;
        }
        think();
        checkout(visit, cart);
    }

    private Catalog.Item land(Visit visit) {
        if (Rand.chance(r, visit.channel.deepLink)) {
            return viewItem(visit);
        }
        String page = switch (visit.channel) {
            case PAID_ADS -> "/campaign/" + visit.campaignId;
            case LIVE_STREAM -> "/live/room-" + (1 + r.nextInt(12));
            case PUSH_EMAIL -> "/promo";
            default -> "/home";
        };
        emitter.click(now, visit, "page_view", page, null);
        return null;
    }

    /** One browsing step: a product (62 %), a category page (18 %), a search (16 %) or a favourite (4 %). */
    private Catalog.Item browse(Visit visit, Catalog.Item lastViewed) {
        double x = r.nextDouble();
        if (x < 0.62) {
            return viewItem(visit);
        }
        if (x < 0.80) {
            emitter.click(now, visit, "page_view", "/category/" + catalog.pick(r).categoryId(), null);
            return lastViewed;
        }
        if (x < 0.96 || lastViewed == null) {
            emitter.click(now, visit, "search", "/search", null);
            now += Rand.seconds(r, 3, 10);
            return viewItem(visit);
        }
        emitter.click(now, visit, "favorite", "/item/" + lastViewed.id(), lastViewed);
        return lastViewed;
    }

    private Catalog.Item viewItem(Visit visit) {
        Catalog.Item item = catalog.pick(r);
        emitter.click(now, visit, "product_view", "/item/" + item.id(), item);
        return item;
    }

    private CartLine addToCart(Visit visit, Catalog.Item item) {
        emitter.click(now, visit, "add_to_cart", "/item/" + item.id(), item);
        double x = r.nextDouble();
        return new CartLine(item, x < 0.80 ? 1 : x < 0.95 ? 2 : 3);
    }

    private void checkout(Visit visit, List<CartLine> cart) {
        emitter.click(now, visit, "page_view", "/checkout", null);
        String address;
        if (visit.visitor.registered()) {
            if (visit.userId == null) {
                now += Rand.seconds(r, 5, 20);
                login(visit);
            }
            String[] addresses = visit.visitor.addresses();
            address = addresses[Rand.chance(r, 0.85) ? 0 : addresses.length - 1];
        } else {
            if (visit.userId == null) {
                now += Rand.seconds(r, 20, 60);
                register(visit);
            }
            address = emitter.ids.next(Ids.Kind.ADDRESS);
        }
        BigDecimal subtotal = BigDecimal.ZERO;
        int units = 0;
        for (CartLine line : cart) {
            subtotal = subtotal.add(line.item().price().multiply(BigDecimal.valueOf(line.quantity())));
            units += line.quantity();
        }
        BigDecimal discount = discount(subtotal);
        now += Rand.seconds(r, 5, 40);
        Order order = Order.of(emitter.ids.next(Ids.Kind.ORDER), visit, address, subtotal.subtract(discount),
                discount, units);
        orders.run(now, order, r, emitter);
    }

    /** Coupons: under half the orders normally, most during a promotion, never near the coupon-abuse line. */
    private BigDecimal discount(BigDecimal subtotal) {
        boolean promotion = load.inPromotion(now);
        if (!Rand.chance(r, promotion ? 0.8 : 0.45)) {
            return BigDecimal.ZERO.setScale(2);
        }
        double share = promotion ? 0.10 + 0.20 * r.nextDouble() : 0.05 + 0.15 * r.nextDouble();
        return Rand.money(subtotal.doubleValue() * share);
    }

    private void login(Visit visit) {
        visit.userId = visit.visitor.userId();
        emitter.click(now, visit, "login", "/login", null);
    }

    private void register(Visit visit) {
        visit.userId = emitter.ids.next(Ids.Kind.USER);
        emitter.click(now, visit, "register", "/register", null);
        Visitor newcomer = visit.visitor;
        Visitor registered = new Visitor(visit.userId, newcomer.deviceId(), newcomer.platform(), newcomer.homeIp(),
                new String[] {emitter.ids.next(Ids.Kind.ADDRESS)});
        if (comebacks.size() < MAX_COMEBACKS) {
            if (Rand.chance(r, BACK_NEXT_DAY)) {
                comebacks.add(new Comeback(now + DAY_MS - Rand.seconds(r, 0, 3 * 3600), registered));
            }
            if (Rand.chance(r, BACK_A_WEEK_LATER)) {
                comebacks.add(new Comeback(now + 7 * DAY_MS - Rand.seconds(r, 0, 3 * 3600), registered));
            }
        }
    }

    /** The pause before the next click: exponential around 25 s, between 2 s and 3 min. */
    private void think() {
        now += Math.max(2_000, Math.min(180_000, (long) (Rand.exponential(r, THINK_SECONDS) * 1000)));
    }
}
