#!/usr/bin/env python3
"""The asyncpg peer of SqlWorkloads (S1 point selects, S2 bulk fetch), same table, same output format.

usage: sql_asyncpg.py --url postgresql://user@host:port/db [--queries 10000] [--tasks 16] [--rows 100000] [--rounds 3]
The table bench_kv is created by SqlWorkloads (run it first, as scripts/sql-bench.sh does).
"""
import argparse
import asyncio
import statistics
import time

import asyncpg


class LagProbe:
    """Sleeps 1 ms in a loop and records the worst lateness, as SqlWorkloads' LagProbe."""

    def __init__(self):
        self.worst = 0.0
        self.task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self):
        loop = asyncio.get_running_loop()
        while True:
            asked = loop.time() + 0.001
            await asyncio.sleep(0.001)
            self.worst = max(self.worst, loop.time() - asked)

    def stop(self):
        self.task.cancel()
        return self.worst


async def point_selects(args):
    async with asyncpg.create_pool(args.url, min_size=args.tasks, max_size=args.tasks) as pool:
        per = args.queries // args.tasks

        async def worker(t):
            first = t * per
            count = args.queries - first if t == args.tasks - 1 else per
            total = 0
            for q in range(count):
                total += await pool.fetchval("SELECT a FROM bench_kv WHERE id = $1", 1 + (first + q) % args.rows)
            return total

        lag = LagProbe()
        start = time.perf_counter()
        await asyncio.gather(*(worker(t) for t in range(args.tasks)))
        return time.perf_counter() - start, lag.stop()


async def fetch_all(args):
    conn = await asyncpg.connect(args.url)
    try:
        lag = LagProbe()
        start = time.perf_counter()
        rows = await conn.fetch("SELECT id, a, b, c, d FROM bench_kv")
        assert len(rows) == args.rows, len(rows)
        return time.perf_counter() - start, lag.stop()
    finally:
        await conn.close()


async def cursor_all(args):
    conn = await asyncpg.connect(args.url)
    try:
        lag = LagProbe()
        start = time.perf_counter()
        n = 0
        async with conn.transaction():
            async for _ in conn.cursor("SELECT id, a, b, c, d FROM bench_kv", prefetch=1000):
                n += 1
        assert n == args.rows, n
        return time.perf_counter() - start, lag.stop()
    finally:
        await conn.close()


async def report(name, unit, work, workload, args):
    await workload(args)  # warm-up
    measured = [await workload(args) for _ in range(args.rounds)]
    seconds = statistics.median(m[0] for m in measured)
    lag = max(m[1] for m in measured)
    print(f"{name:<42} {work / seconds:>14,.0f} {unit:<10} loop lag max {lag * 1000:.1f} ms", flush=True)


async def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", required=True)
    p.add_argument("--queries", type=int, default=10_000)
    p.add_argument("--tasks", type=int, default=16)
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    print(f"# asyncpg {asyncpg.__version__} queries={args.queries} tasks={args.tasks} rows={args.rows} rounds={args.rounds}")
    await report("S1 asyncpg point selects", "queries/s", args.queries, point_selects, args)
    await report("S2 asyncpg fetch 5 columns", "rows/s", args.rows, fetch_all, args)
    await report("S2 asyncpg cursor 5 columns", "rows/s", args.rows, cursor_all, args)


if __name__ == "__main__":
    asyncio.run(main())
