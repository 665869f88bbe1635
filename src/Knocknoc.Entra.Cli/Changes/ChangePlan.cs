using Knocknoc.Entra.Cli.Locations;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Cli.Changes;

/// <summary>A range a write adds, and the queued changes that asked for it.</summary>
/// <param name="Network">The range.</param>
/// <param name="Owners">The changes.</param>
internal sealed record PlannedAdd(Cidr Network, IReadOnlyList<QueuedItem> Owners);

/// <summary>
/// One write of a drain: the ranges taken back first, then the queued changes in queue order, each with what it
/// changed, and the changes refused because the location would hold too many ranges.
/// </summary>
internal sealed class ChangePlan
{
    private readonly Dictionary<QueuedItem, CidrSetDiff> _steps;
    private readonly Dictionary<QueuedItem, ChangeFailed> _refused;

    private ChangePlan(CidrSet desired, IReadOnlyList<PlannedAdd> added, Dictionary<QueuedItem, CidrSetDiff> steps, Dictionary<QueuedItem, ChangeFailed> refused)
    {
        Desired = desired;
        Added = added;
        _steps = steps;
        _refused = refused;
    }

    /// <summary>Gets what the location holds after the write.</summary>
    public CidrSet Desired { get; }

    /// <summary>Gets the ranges the write adds for queued changes.</summary>
    public IReadOnlyList<PlannedAdd> Added { get; }

    /// <summary>Plans the write.</summary>
    /// <param name="current">What the location holds (read).</param>
    /// <param name="withdrawals">Ranges to take back first.</param>
    /// <param name="items">The queued changes, in queue order.</param>
    /// <returns>The plan.</returns>
    public static ChangePlan Compose(CidrSet current, CidrSet withdrawals, IReadOnlyList<QueuedItem> items) =>
        Compose(current, withdrawals, items, []);

    /// <summary>
    /// Plans the write when everything would not fit: the additions are refused (ENTRA058; ranges are never widened
    /// to fit), so revocations still go through; if even they do not fit (a removal can split a range), all is refused.
    /// </summary>
    /// <param name="current">What the location holds.</param>
    /// <param name="withdrawals">Ranges to take back first.</param>
    /// <param name="items">The queued changes.</param>
    /// <param name="maxRanges">The most ranges the location may hold.</param>
    /// <returns>The plan.</returns>
    public static ChangePlan WithinCapacity(CidrSet current, CidrSet withdrawals, IReadOnlyList<QueuedItem> items, int maxRanges)
    {
        ArgumentNullException.ThrowIfNull(items);
        var full = ChangeFailed.From(EntraErrorCode.CapacityExceeded, $"the location would hold more than {maxRanges} ranges; nothing was widened to fit");
        var refused = items.Where(item => item.Change.Verb == ChangeVerb.Add).ToDictionary(item => item, _ => full);
        var plan = Compose(current, withdrawals, items, refused);
        return plan.Desired.CidrCount <= maxRanges
            ? plan
            : Compose(current, CidrSet.Empty, items, items.ToDictionary(item => item, _ => full));
    }

    /// <summary>What to tell a change's process.</summary>
    /// <param name="item">The change.</param>
    /// <param name="location">The location as read before the write.</param>
    /// <param name="written">Whether the write was sent.</param>
    /// <returns>The outcome.</returns>
    public ChangeOutcome Outcome(QueuedItem item, IpNamedLocation location, bool written)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (_refused.TryGetValue(item, out var refused))
        {
            return refused;
        }

        var step = _steps[item];
        return new ChangeApplied(location.Id, location.DisplayName, written && !step.IsEmpty, _steps.Count, step.Added, step.Removed, Desired);
    }

    private static ChangePlan Compose(CidrSet current, CidrSet withdrawals, IReadOnlyList<QueuedItem> items, Dictionary<QueuedItem, ChangeFailed> refused)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(withdrawals);
        ArgumentNullException.ThrowIfNull(items);
        var held = withdrawals.IsEmpty ? current : LocationEditor.Desired(current, set => set.Except(withdrawals));
        var steps = new Dictionary<QueuedItem, CidrSetDiff>();
        foreach (var item in items.Where(item => !refused.ContainsKey(item)))
        {
            var next = LocationEditor.Desired(held, item.ApplyTo);
            steps[item] = CidrSet.Diff(held, next);
            held = next;
        }

        var added = items
            .Where(item => steps.ContainsKey(item) && item.Change.Verb == ChangeVerb.Add && held.Contains(item.Network!.Value) && !current.Contains(item.Network!.Value))
            .GroupBy(item => item.Network!.Value)
            .Select(group => new PlannedAdd(group.Key, [.. group]))
            .ToList();
        return new ChangePlan(held, added, steps, refused);
    }
}
