"""The HTTP client workload's aiohttp peer: N keep-alive GETs of one URL from C tasks sharing one
ClientSession (TCPConnector(limit=C)), body read whole; prints requests/s per round and the median.
Usage: http_client_aiohttp.py --url URL [--requests 20000] [--concurrency 64] [--rounds 3]"""
import argparse, asyncio, statistics, time
import aiohttp


async def once(url, requests, concurrency):
    left = requests
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        async def worker():
            nonlocal left
            while left > 0:
                left -= 1
                async with session.get(url) as r:
                    await r.read()
        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return requests / (time.perf_counter() - t0)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--url", required=True)
    p.add_argument("--requests", type=int, default=20000)
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument("--rounds", type=int, default=3)
    a = p.parse_args()
    asyncio.run(once(a.url, a.requests, a.concurrency))  # warm-up
    figures = []
    for _ in range(a.rounds):
        figures.append(asyncio.run(once(a.url, a.requests, a.concurrency)))
        print("http-client aiohttp          %.0f req/s" % figures[-1], flush=True)
    print("median aiohttp %.0f req/s" % statistics.median(figures))


main()
