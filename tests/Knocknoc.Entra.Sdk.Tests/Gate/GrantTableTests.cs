using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>The grant table against a naive model, including networks of mixed prefix lengths that overlap.</summary>
public class GrantTableTests
{
    private static readonly Cidr[] Networks =
    [
        Cidr.Parse("203.0.113.4/32"), Cidr.Parse("203.0.113.5/32"), Cidr.Parse("203.0.113.6/32"),
        Cidr.Parse("2001:db8:1:2::/64"), Cidr.Parse("2001:db8:1:2::7/128"), Cidr.Parse("2001:db8:1:2::8/128"),
        Cidr.Parse("2001:db8:1:3::/64"), Cidr.Parse("2001:db8:1:3::1/128"), Cidr.Parse("2001:db8:1:2::/63"),
    ];

    [TestCase(1, false)]
    [TestCase(2, false)]
    [TestCase(3, true)]
    [TestCase(4, true)]
    public void The_granted_set_and_counts_always_equal_the_naive_union(int seed, bool mixedPrefixes)
    {
        var random = new Random(seed);
        var pool = mixedPrefixes ? Networks : Networks.Where(n => n.IsHost).ToArray();
        var table = new GrantTable();
        var model = new Dictionary<string, GrantEntry>();
        for (var step = 0; step < 5_000; step++)
        {
            var id = $"g{random.Next(12)}";
            var nowMs = step * 10L;
            switch (random.Next(4))
            {
                case 0:
                case 1:
                    var entry = new GrantEntry(pool[random.Next(pool.Length)], nowMs + random.Next(1, 400), nowMs);
                    table.Set(id, entry);
                    model[id] = entry;
                    break;
                case 2:
                    table.Remove(id, out _);
                    model.Remove(id);
                    break;
                default:
                    var expired = new List<(string, GrantEntry)>();
                    table.RemoveExpired(nowMs, expired);
                    foreach (var gone in model.Where(p => p.Value.ExpiresAtMs <= nowMs).Select(p => p.Key).ToList())
                    {
                        model.Remove(gone);
                    }

                    break;
            }

            var expected = CidrSet.Create(model.Values.Select(e => e.Network));
            Assert.That(table.Granted, Is.EqualTo(expected), $"step {step}");
            Assert.That(table.Count, Is.EqualTo(model.Count));
            Assert.That(table.NetworkCount, Is.EqualTo(model.Values.Select(e => e.Network).Distinct().Count()), $"step {step}");
        }
    }
}
