#!/usr/bin/python3
"""How much of the follower reach forecast hangs on the platform's trend and the posting-rate
response: a per-post forecast outside the simulator, each post's follower reach share =
level * exp(trend * days / 30) * the delivery defaults' format, category and hour
multipliers * min(1, 1 / posts that day) ^ elasticity, its level the median over the fitted
posts, its trend and elasticity given. Errors are the backtest's (held-out months' mean
absolute error of the monthly median of follower reach, per origin), with the followers
taken as observed. docs/forecasting.md, "Where the model stands", quotes it.

Usage: /usr/bin/python3 scripts/follower_reach_levers.py [POSTS_CSV]
"""
import argparse
import pathlib

import numpy as np
import pandas as pd

here = pathlib.Path(__file__).resolve().parent.parent
parser = argparse.ArgumentParser()
parser.add_argument("posts", nargs="?",
                    default=here / "data/facebook_page_2014/posts_2014_jan_sep.csv")
args = parser.parse_args()

d = pd.read_csv(args.posts)
date = pd.to_datetime(d.date)
d["month"] = date.dt.month
d["t"] = (date - date.min()).dt.days / 30
d["n"] = d.groupby("date").date.transform("size")
# The delivery defaults (proto/scenario.proto), estimated from all nine months.
shape = (np.where(d.type == "status", 3.3, np.where(d.type == "link", 1.3, 1.0))
         * np.where(d.category == "action", 1.9, np.where(d.category == "inspiration", 1.4, 1.0))
         * np.where(d.hour >= 16, 0.44, 1.0))
ORIGINS = [3, 4, 5, 6]


def errors(trend, elasticity):
    m = shape * np.minimum(1, 1 / d.n) ** elasticity
    out = []
    for k in ORIGINS:
        fit, held = d[d.month <= k], d[(d.month > k) & (d.month <= k + 3)]
        level = np.median(np.log(fit.fan_reach / fit.page_likes / m[fit.index]) - trend * fit.t)
        forecast = np.exp(level + trend * held.t) * m[held.index] * held.page_likes
        out.append(np.mean([abs(np.median(forecast[held.month == j])
                                / np.median(held.fan_reach[held.month == j]) - 1)
                            for j in range(k + 1, k + 4)]))
    return out


def carry_forward():
    out = []
    for k in ORIGINS:
        last = np.median(d.fan_reach[d.month == k])
        out.append(np.mean([abs(last / np.median(d.fan_reach[d.month == j]) - 1)
                            for j in range(k + 1, k + 4)]))
    return out


rows = {"carry forward": carry_forward()}
for trend in [0, -0.05, -0.08, -0.1, -0.12, -0.17]:
    for elasticity in [0, 0.16, 0.3, 0.6, 1]:
        rows[f"trend {trend:+.2f}, elasticity {elasticity:.2f}"] = errors(trend, elasticity)
table = pd.DataFrame(rows, index=[f"{k} months fitted" for k in ORIGINS]).T * 100
table["mean"] = table.mean(axis=1)
print(table.round(1).to_string())
