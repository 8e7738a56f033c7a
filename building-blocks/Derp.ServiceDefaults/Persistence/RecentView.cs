using System.Collections.Concurrent;

namespace Derp.ServiceDefaults.Persistence;

/// <summary>
/// The recently used rows behind a hot decision, in memory, bounded, and never newer-than-the-database-by-mistake:
/// a <see cref="ChangeFeed"/> subscriber calls <see cref="Invalidate"/> / <see cref="InvalidateWhere"/> for each
/// committed change and <see cref="Reset"/> when notifications may have been missed.
/// <para>
/// A miss is loaded by the caller between <see cref="BeginLoad"/> and <see cref="Store"/>; the store is refused when
/// any invalidation happened in between (the loaded row may predate a change whose notification is already
/// handled), so a stale row can never be put back after its notification. While the feed is not live nothing is
/// served or kept: every call reads the database.
/// </para>
/// </summary>
public sealed class RecentView<TKey, TValue>(int capacity) where TKey : notnull where TValue : class
{
    private sealed class Slot(TValue value, long lastUsed)
    {
        public readonly TValue Value = value;
        public long LastUsed = lastUsed;
    }

    private readonly ConcurrentDictionary<TKey, Slot> _slots = new();
    private readonly Lock _trimming = new();
    private long _generation;
    private long _uses;
    private volatile bool _live;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public int Count => _slots.Count;

    public bool IsLive => _live;

    public bool Contains(TKey key) => _slots.ContainsKey(key);

    public bool TryGet(TKey key, out TValue value)
    {
        if (_live && _slots.TryGetValue(key, out var slot))
        {
            slot.LastUsed = Interlocked.Increment(ref _uses);
            value = slot.Value;
            return true;
        }
        value = null!;
        return false;
    }

    /// <summary>Call before reading the database for a miss; hand the result to <see cref="Store"/>.</summary>
    public long BeginLoad() => Interlocked.Read(ref _generation);

    /// <summary>Keeps what was loaded since <paramref name="loadStartedAt"/>, unless a change came in meanwhile.</summary>
    public bool Store(TKey key, TValue value, long loadStartedAt)
    {
        if (!_live || Interlocked.Read(ref _generation) != loadStartedAt)
            return false;
        _slots[key] = new Slot(value, Interlocked.Increment(ref _uses));
        // An invalidation that ran between the check and the write must still win.
        if (Interlocked.Read(ref _generation) != loadStartedAt)
        {
            _slots.TryRemove(key, out _);
            return false;
        }
        if (_slots.Count > Capacity)
            Trim();
        return true;
    }

    /// <summary>Replaces a held value with what this process itself just decided (it stays unless something changed).</summary>
    public bool Replace(TKey key, TValue expected, TValue value)
    {
        if (!_slots.TryGetValue(key, out var slot) || !ReferenceEquals(slot.Value, expected))
            return false;
        return _slots.TryUpdate(key, new Slot(value, slot.LastUsed), slot);
    }

    public void Invalidate(TKey key)
    {
        Interlocked.Increment(ref _generation);
        _slots.TryRemove(key, out _);
    }

    /// <summary>For a change that several held rows depend on (a batch, a renter); scans, so for rare changes.</summary>
    public void InvalidateWhere(Func<TKey, TValue, bool> affected)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (key, slot) in _slots)
            if (affected(key, slot.Value))
                _slots.TryRemove(key, out _);
    }

    public void Reset(bool live)
    {
        if (!live)
            _live = false;
        Interlocked.Increment(ref _generation);
        _slots.Clear();
        if (live)
            _live = true;
    }

    /// <summary>Over capacity: the least recently used quarter goes (approximately: concurrent uses may reorder).</summary>
    private void Trim()
    {
        if (!_trimming.TryEnter())
            return; // another caller trims already
        try
        {
            if (_slots.Count <= Capacity)
                return;
            var keep = Capacity - Capacity / 4;
            var byUse = _slots.Select(pair => (pair.Key, pair.Value.LastUsed)).ToArray();
            if (byUse.Length <= keep)
                return;
            Array.Sort(byUse, (a, b) => a.LastUsed.CompareTo(b.LastUsed));
            foreach (var (key, _) in byUse.AsSpan(0, byUse.Length - keep))
                _slots.TryRemove(key, out _);
        }
        finally
        {
            _trimming.Exit();
        }
    }
}
