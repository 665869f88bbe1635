using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>
/// Grants since the last save are remembered so that a failed save can undo them, but only when there is a store:
/// without one nothing is ever saved, and the memory would grow by one entry per grant for the gate's whole life.
/// </summary>
public class GateCoreUnsavedTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public void With_a_store_a_failed_save_undoes_the_grants_since_the_last_save()
    {
        var core = StartedCore(new InMemoryGrantStore());
        Grant(core, 50);

        core.UndoUnsavedGrants();

        Assert.That(core.Table.Count, Is.Zero);
    }

    [Test]
    public void Without_a_store_grants_are_not_remembered_as_unsaved()
    {
        var core = StartedCore(store: null);
        Grant(core, 50);

        // Nothing was remembered, so nothing is undone (a gate without a store never calls this: it proves the memory empty).
        core.UndoUnsavedGrants();

        Assert.That(core.Table.Count, Is.EqualTo(50));
    }

    private static GateCore StartedCore(IGrantStore? store)
    {
        const string locationId = "00000000-0000-0000-0000-000000000001";
        var options = new NamedLocationGateOptions { LocationId = locationId, AddressPolicy = GateTestBed.DocumentationPolicy, Store = store };
        var core = new GateCore(new GateSettings(options));
        var location = new IpNamedLocation(locationId, "knocknoc_vpn", null, Now.AddHours(-1), false, [Cidr.Parse("192.0.2.0/32")]);
        core.Start(new GrantStoreLoadResult(GrantStoreSnapshot.Empty, []), locationId, location, Now);
        return core;
    }

    private static void Grant(GateCore core, int count)
    {
        for (var i = 0; i < count; i++)
        {
            core.Grant($"user-{i}", Cidr.Parse($"198.51.100.{i}/32"), Now.AddHours(1), Now);
        }
    }
}
