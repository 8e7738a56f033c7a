using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using StackExchange.Redis;

namespace Derp.ServiceDefaults.Redis;

public sealed class LocalFirstRateLimitOptions
{
    /// <summary>How often a replica sends its counts to Redis and reads the others' (ADR-029: the cross-replica slack).</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>
/// A limiter for hot paths (licence validation): every decision is made in this replica's memory, from the last count
/// Redis reported for the key's window plus the hits this replica has not yet sent; a background loop sends the hits
/// (INCRBY) and reads the shared count back every <see cref="LocalFirstRateLimitOptions.SyncInterval"/>, all keys in one
/// round trip. Windows are fixed and aligned on the epoch, so every replica agrees where a window starts.
/// While Redis is unreachable it fails open: every hit is allowed and counted in <c>derp_rate_limit_fail_open_total</c>
/// (the licence clients must keep working). ADR-029 states how far over a limit N replicas can go.
/// </summary>
public sealed class LocalFirstRateLimiter : IRateLimiter, IDisposable
{
    private static readonly Meter Meter = new("Derp.RateLimits");
    private static readonly Counter<long> FailOpen = Meter.CreateCounter<long>("derp_rate_limit_fail_open",
        description: "Hits a local-first (hot path) rate limit allowed without Redis's shared count because Redis was unreachable.");

    // Per key: add ARGV[2i-1] (INCRBY, expiry on creation) or only read, and return every key's shared count.
    private const string SyncScript = """
        local counts = {}
        for i, key in ipairs(KEYS) do
          local add = tonumber(ARGV[2 * i - 1])
          local count
          if add > 0 then
            count = redis.call('INCRBY', key, add)
            if count == add then redis.call('PEXPIRE', key, ARGV[2 * i]) end
          else
            count = tonumber(redis.call('GET', key) or '0')
          end
          counts[i] = count
        end
        return counts
        """;

    private const int KeysPerRoundTrip = 256;

    private readonly RedisConnection _redis;
    private readonly Timer _timer;
    private int _syncing;
    private volatile bool _redisReachable = true;

    public LocalFirstRateLimiter(RedisConnection redis, TimeProvider clock, LocalFirstRateLimitOptions? options = null)
    {
        _redis = redis;
        Windows = new LocalFirstWindows(clock);
        var interval = (options ?? new LocalFirstRateLimitOptions()).SyncInterval;
        // Operational time, not the business clock: a test that stops the clock must not stop the sync.
        _timer = new Timer(_ => _ = SyncAsync(), null, interval, interval);
    }

    public LocalFirstRateLimiter(RedisConnection redis) : this(redis, TimeProvider.System) { }

    /// <summary>The counts this replica decides from (exposed for tests and the sync).</summary>
    public LocalFirstWindows Windows { get; }

    /// <summary>False after a sync that could not reach Redis, until one that could.</summary>
    public bool RedisReachable => _redisReachable;

    public Task<RateLimitDecision> HitAsync(string key, int limit, TimeSpan window) => Task.FromResult(Open(Windows.Hit(key, limit, window)));

    public Task<RateLimitDecision> PeekAsync(string key, int limit) => Task.FromResult(Windows.Peek(key, limit));

    public async Task ResetAsync(string key)
    {
        if (Windows.Reset(key) is { } redisKey)
            await _redis.TryAsync("rate_limit", db => db.KeyDeleteAsync(_redis.KeyPrefix + redisKey));
    }

    private RateLimitDecision Open(RateLimitDecision decision)
    {
        if (_redisReachable)
            return decision;
        FailOpen.Add(1, new KeyValuePair<string, object?>("mode", "local_first"));
        return decision with { Allowed = true, RetryAfter = TimeSpan.Zero };
    }

    /// <summary>
    /// Sends the hits counted since the last sync and reads back the shared counts of the keys hit since then. Runs on
    /// the timer; tests call it to reconcile at a moment of their choosing. Returns false when Redis was unreachable.
    /// </summary>
    public async Task<bool> SyncAsync()
    {
        if (Interlocked.Exchange(ref _syncing, 1) == 1)
            return _redisReachable;
        try
        {
            var changes = Windows.TakeChanges();
            if (changes.Count == 0)
                return _redisReachable; // nothing to send or learn: no round trip, and no news about Redis
            var reachable = true;
            for (var start = 0; start < changes.Count; start += KeysPerRoundTrip)
            {
                var batch = changes.GetRange(start, Math.Min(KeysPerRoundTrip, changes.Count - start));
                var keys = new RedisKey[batch.Count];
                var values = new RedisValue[batch.Count * 2];
                for (var i = 0; i < batch.Count; i++)
                {
                    keys[i] = _redis.KeyPrefix + batch[i].RedisKey;
                    values[2 * i] = batch[i].Sent;
                    values[2 * i + 1] = batch[i].ExpiryMilliseconds;
                }
                var (done, result) = reachable
                    ? await _redis.TryAsync("rate_limit_sync", db => db.ScriptEvaluateAsync(SyncScript, keys, values))
                    : (false, null);
                if (!done)
                {
                    reachable = false;
                    foreach (var change in batch)
                        Windows.Unsent(change);
                    continue;
                }
                var counts = (RedisResult[])result!;
                for (var i = 0; i < batch.Count; i++)
                    Windows.Apply(batch[i], (long)counts[i]);
            }
            _redisReachable = reachable;
            return reachable;
        }
        finally
        {
            Volatile.Write(ref _syncing, 0);
        }
    }

    public void Dispose() => _timer.Dispose();
}

/// <summary>
/// The in-memory half of <see cref="LocalFirstRateLimiter"/>: per key, the current fixed window (aligned on the epoch),
/// the shared count Redis last reported for it, the hits sent but not yet answered, and the hits not sent yet.
/// A decision counts all three. No I/O: unit tests drive it with a manual clock.
/// </summary>
public sealed class LocalFirstWindows(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    public RateLimitDecision Hit(string key, int limit, TimeSpan window)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var length = Math.Max(1, (long)window.TotalMilliseconds);
        var index = now / length;
        while (true)
        {
            var counter = _counters.GetOrAdd(key, static _ => new Counter());
            lock (counter)
            {
                if (counter.Removed)
                    continue; // the sweep dropped it between the lookup and the lock: count on its successor
                if (counter.Index != index || counter.Length != length)
                    counter.Start(index, length);
                counter.Unsent++;
                counter.Touched = true;
                var count = counter.Count;
                return new RateLimitDecision(count <= limit, (int)Math.Min(count, int.MaxValue),
                    count <= limit ? TimeSpan.Zero : TimeSpan.FromMilliseconds((index + 1) * length - now));
            }
        }
    }

    public RateLimitDecision Peek(string key, int limit)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (!_counters.TryGetValue(key, out var counter))
            return new RateLimitDecision(true, 0, TimeSpan.Zero);
        lock (counter)
        {
            if (counter.Length == 0 || counter.Index != now / counter.Length)
                return new RateLimitDecision(true, 0, TimeSpan.Zero);
            var count = counter.Count;
            return new RateLimitDecision(count < limit, (int)Math.Min(count, int.MaxValue),
                count < limit ? TimeSpan.Zero : TimeSpan.FromMilliseconds((counter.Index + 1) * counter.Length - now));
        }
    }

    /// <summary>Forgets the key here; returns the Redis key of its current window for the caller to delete.</summary>
    public string? Reset(string key)
    {
        if (!_counters.TryRemove(key, out var counter))
            return null;
        lock (counter)
        {
            counter.Removed = true;
            return counter.Length == 0 ? null : RedisKeyOf(key, counter.Index);
        }
    }

    /// <summary>
    /// The keys hit since the last call, each with the hits to send (moved from unsent to in flight); forgets keys
    /// whose window has ended and that nobody hit since.
    /// </summary>
    public List<Change> TakeChanges()
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var changes = new List<Change>();
        foreach (var (key, counter) in _counters)
        {
            lock (counter)
            {
                if (!counter.Touched)
                {
                    if (counter.Length == 0 || counter.Index < now / counter.Length)
                    {
                        counter.Removed = true;
                        _counters.TryRemove(new KeyValuePair<string, Counter>(key, counter));
                    }
                    continue;
                }
                counter.Touched = false;
                var sent = counter.Unsent;
                counter.InFlight += sent;
                counter.Unsent = 0;
                // Kept one window past its end: a replica whose clock is a little behind still finds it.
                changes.Add(new Change(key, counter, counter.Index, RedisKeyOf(key, counter.Index), sent, counter.Length * 2));
            }
        }
        return changes;
    }

    /// <summary>Redis answered: its count includes the hits just sent.</summary>
    public void Apply(Change change, long sharedCount)
    {
        lock (change.Counter)
        {
            if (change.Counter.Index != change.Index)
                return; // a new window started meanwhile; the answer was about the old one
            change.Counter.InFlight -= change.Sent;
            change.Counter.Shared = Math.Max(change.Counter.Shared, sharedCount);
        }
    }

    /// <summary>Redis did not answer: the hits go back to unsent, for the next sync.</summary>
    public void Unsent(Change change)
    {
        lock (change.Counter)
        {
            if (change.Counter.Index != change.Index)
                return;
            change.Counter.InFlight -= change.Sent;
            change.Counter.Unsent += change.Sent;
            if (change.Sent > 0)
                change.Counter.Touched = true;
        }
    }

    private static string RedisKeyOf(string key, long index) => string.Concat("rlw:", key, ":", index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public sealed record Change(string Key, Counter Counter, long Index, string RedisKey, long Sent, long ExpiryMilliseconds);

    public sealed class Counter
    {
        internal long Index;
        internal long Length;
        /// <summary>The count Redis last reported for this window (every replica's sent hits).</summary>
        internal long Shared;
        internal long InFlight;
        internal long Unsent;
        internal bool Touched;
        internal bool Removed;

        internal long Count => Shared + InFlight + Unsent;

        internal void Start(long index, long length)
        {
            Index = index;
            Length = length;
            Shared = InFlight = Unsent = 0;
        }
    }
}
