# Separate count of the ordered funnel over the Taobao UserBehavior CSV: per user, rows sorted by time (at equal
# times pv before cart before buy); from each pv, take cart then buy as soon as they come within 24 h; a buy is
# both "order created" and "order paid". Days in China time (UTC+8).
import csv, sys, collections, datetime
STEP = {"pv": 0, "cart": 1, "buy": 2}
by_user = collections.defaultdict(list)
for user, item, cat, behavior, ts in csv.reader(open(sys.argv[1])):
    if behavior in STEP:
        by_user[user].append((int(ts), STEP[behavior]))
reached = collections.defaultdict(lambda: [set(), set(), set(), set()])
for user, rows in by_user.items():
    rows.sort()
    for i, (t1, s) in enumerate(rows):
        if s != 0:
            continue
        depth = 0
        for t, step in rows[i + 1:]:
            if t - t1 > 24 * 3600:
                break
            if step == depth + 1:
                depth = 3 if step == 2 else depth + 1  # a buy is created and paid at once
                if depth == 3:
                    break
        day = datetime.datetime.fromtimestamp(t1, datetime.timezone(datetime.timedelta(hours=8))).date()
        for k in range(depth + 1):
            reached[day][k].add(user)
for day in sorted(reached):
    print(day, [len(s) for s in reached[day]])
