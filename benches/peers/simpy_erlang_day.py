#!/usr/bin/env python3
"""The Erlang-equivalent day of omnisim's benchmark, in SimPy.

The same centre `omnisim bench` and `benches/engine.rs` simulate: N agents
who each handle one item at a time, Poisson arrivals at the rate that keeps
them 90% busy (N * 0.9 * 3600 / 300 items an hour), exponential handle
time with a mean of 300 s, first come first served, an 8-hour day from an
empty centre. Written the way the SimPy documentation teaches it: the
agents are a `simpy.Resource` with `capacity=N`, a generator process makes
Poisson arrivals, and each customer is a process that requests the
resource, records its wait and holds the agent for its handle time.

omnisim models more than this (one actor per agent with presence and
capacity, a router choosing the most available agent, an event stream with
a metrics collector); with capacity 1 and auto-accept, "any idle agent"
is what Most Available picks, so the queueing is the same.

Prints one line per size: agents, items, wall seconds, items per second,
and the mean wait and service level (waits within 20 s), to check the
model is the right one (Erlang C gives them for the same centre:
`omnisim erlang --agents N --rate R --aht 300`).
"""

import argparse
import random
import sys
import time

import simpy

AHT_S = 300.0
HOURS = 8.0
OCCUPANCY = 0.9
THRESHOLD_S = 20.0


def customer(env, agents, rng, waits):
    """One work item: waits for an agent, then holds it for its handle time."""
    arrived = env.now
    with agents.request() as request:
        yield request
        waits.append(env.now - arrived)
        yield env.timeout(rng.expovariate(1.0 / AHT_S))


def source(env, agents, rate_per_s, rng, waits, arrivals):
    """Poisson arrivals: exponential gaps, one customer process each."""
    while True:
        yield env.timeout(rng.expovariate(rate_per_s))
        arrivals[0] += 1
        env.process(customer(env, agents, rng, waits))


def simulate(n_agents, seed):
    """Runs one day; returns (items that arrived, waits of answered items, wall s)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=n_agents)
    rate_per_s = n_agents * OCCUPANCY / AHT_S
    waits = []
    arrivals = [0]
    env.process(source(env, agents, rate_per_s, rng, waits, arrivals))
    env.run(until=HOURS * 3600.0)
    wall = time.perf_counter() - started
    return arrivals[0], waits, wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 10000],
                        help="agent counts (default: 100 1000 10000)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    print(f"SimPy {simpy.__version__}, Python {sys.version.split()[0]}")
    print(f"{'agents':>7} {'items':>9} {'wall [s]':>9} {'items/s':>10} "
          f"{'mean wait [s]':>14} {'SL 20 s':>8}")
    for n in args.sizes:
        items, waits, wall = simulate(n, args.seed)
        answered = len(waits)
        mean_wait = sum(waits) / answered if answered else float("nan")
        sl = sum(1 for w in waits if w <= THRESHOLD_S) / answered if answered else float("nan")
        print(f"{n:>7} {items:>9} {wall:>9.3f} {items / wall:>10.0f} "
              f"{mean_wait:>14.2f} {sl:>8.3f}", flush=True)


if __name__ == "__main__":
    main()
