#!/usr/bin/python3
"""The least-squares fit behind the delivery defaults in proto/scenario.proto (Audience,
"Delivery of a page's post"): log(fan_reach / page_likes) and log((interactions + 1) /
reach) of the cosmetics page's posts on the day (per 30 days), format, category, paid flag,
hour block and log posts that day, with standard errors. docs/forecasting.md quotes it.

Usage: /usr/bin/python3 scripts/delivery_fit.py [POSTS_CSV] [--through YYYY-MM-DD]
"""
import argparse
import pathlib

import numpy as np
import pandas as pd

here = pathlib.Path(__file__).resolve().parent.parent
parser = argparse.ArgumentParser()
parser.add_argument("posts", nargs="?",
                    default=here / "data/facebook_page_2014/posts_2014_jan_sep.csv")
parser.add_argument("--through", help="fit only posts on or before this date")
args = parser.parse_args()

d = pd.read_csv(args.posts)
d["date"] = pd.to_datetime(d.date)
if args.through:
    d = d[d.date <= pd.Timestamp(args.through)]
d["day"] = (d.date - d.date.min()).dt.days
d["n"] = d.groupby("date").date.transform("size")
d = d.dropna(subset=["fan_reach", "page_likes", "reach", "interactions"])
d["paid"] = d.paid.fillna(0)
x = pd.DataFrame({
    "intercept": 1.0, "per 30 days": d.day / 30,
    "status": (d.type == "status") * 1.0, "link": (d.type == "link") * 1.0,
    "video": (d.type == "video") * 1.0,
    "action": (d.category == "action") * 1.0, "inspiration": (d.category == "inspiration") * 1.0,
    "paid": d.paid, "night 00-07": (d.hour < 8) * 1.0, "evening 16-23": (d.hour >= 16) * 1.0,
    "log posts that day": np.log(d.n)})
# A format or category absent from the posts fitted (no video before April) cannot be fitted.
x = x.loc[:, (x != 0).any()]
for name, y in [("log follower reach share", np.log(d.fan_reach / d.page_likes)),
                ("log interactions per reach", np.log(d.interactions + 1) - np.log(d.reach))]:
    b, *_ = np.linalg.lstsq(x.values, y.values, rcond=None)
    r = y.values - x.values @ b
    s2 = r @ r / (len(y) - x.shape[1])
    se = np.sqrt(np.diag(s2 * np.linalg.inv(x.values.T @ x.values)))
    print(f"{name} ({len(y)} posts, residual sd {np.sqrt(s2):.2f})")
    for c, bb, ss in zip(x.columns, b, se):
        print(f"  {c:<20} {bb:+.2f} ± {ss:.2f}   (x {np.exp(bb):.2f})")
