#!/usr/bin/python3
"""Per-post follower reach against posts that day, the model's beside the page's: the median
unpaid post's follower reach share (follower reach over followers) on days with 1, 2, 3 and
4+ posts. The model's rows are a replay's posts.csv, one per post of the page's calendar and
replicate, in calendar order (docs/forecasting.md, "Posts that day"). Beside the page's
median, its 90% interval over 2,000 resamples of its posts (a fixed seed): the page has few
unpaid posts on days of 1, 3 and 4+ posts, so their medians are uncertain by a fifth or
more, and a model outside 20% of one may still be inside its interval.

Usage: /usr/bin/python3 scripts/posts_that_day.py POSTS_CSV [DATA_CSV]
"""
import argparse
import pathlib
import sys

import numpy as np
import pandas as pd

here = pathlib.Path(__file__).resolve().parent.parent
parser = argparse.ArgumentParser()
parser.add_argument("posts", help="posts.csv of a replay of the page's calendar")
parser.add_argument("data", nargs="?",
                    default=here / "data/facebook_page_2014/posts_2014_jan_sep.csv")
args = parser.parse_args()

data = pd.read_csv(args.data)
model = pd.read_csv(args.posts)
if model.post.max() + 1 != len(data):
    sys.exit(f"{args.posts}: {model.post.max() + 1} posts per replicate, but {args.data} has "
             f"{len(data)}: the replay must be of this page's calendar")
data["n"] = data.groupby("date").date.transform("size").clip(upper=4)
model["n"] = data.n.to_numpy()[model.post]
model["paid"] = data.paid.fillna(0).to_numpy()[model.post]
unpaid = data[data.paid.fillna(0) == 0].assign(s=lambda d: d.fan_reach / d.page_likes)
stream = np.random.default_rng(2014)


def interval(shares):
    x = shares.to_numpy()
    medians = np.median(stream.choice(x, (2000, len(x))), axis=1)
    return pd.Series({"low": np.quantile(medians, 0.05), "high": np.quantile(medians, 0.95),
                      "posts": len(x)})


table = pd.DataFrame({
    "data": unpaid.groupby("n").s.median(),
    "model": model[model.paid == 0].assign(s=lambda d: d.follower_reach / d.followers)
    .groupby("n").s.median()})
bounds = unpaid.groupby("n").s.apply(interval).unstack()
table.index = table.index.map(lambda n: "4+" if n == 4 else str(n))
bounds.index = table.index
table.index.name = "posts that day"
table["model / data"] = table.model / table.data
table["data 90% interval %"] = [f"{lo * 100:.2f}-{hi * 100:.2f}"
                                for lo, hi in zip(bounds.low, bounds.high)]
table["unpaid posts"] = bounds.posts.astype(int)
table["model inside"] = (table.model >= bounds.low) & (table.model <= bounds.high)
print((table.assign(data=table.data * 100, model=table.model * 100)
       .rename(columns={"data": "data %", "model": "model %"})).round(2).to_string())
