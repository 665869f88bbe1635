using Knocknoc.Entra.Sdk.CidrAlgebra;
using static Knocknoc.Entra.Sdk.Tests.GrantStores.StoreFiles;

namespace Knocknoc.Entra.Sdk.Tests.GrantStores;

/// <summary>A fresh directory per test for a store file, deleted afterwards, and a snapshot with every awkward kind of id and network.</summary>
public abstract class StoreFileFixture
{
    protected static readonly StoredGrant[] AwkwardGrants =
    [
        Grant("alice", "203.0.113.7/32", 60),
        Grant("user with spaces", "2001:db8::1/128", 61),
        Grant("line\nbreak\r\nand\ttab", "2001:db8:1:2::/64", 62),
        Grant("ünïcødé 🔐 名前", "198.51.100.9/32", 63),
        Grant("100% sure %41 + & = ?", "2001:db8:ffff:ffff::/64", 64),
        Grant("grant x 192.0.2.1/32 1 2 deadbeef", "192.0.2.1/32", 65),
        Grant("-._~", "::ffff:192.0.2.1/128", 66),
    ];

    protected string StoreDirectory { get; private set; } = null!;

    protected string StorePath { get; private set; } = null!;

    protected static GrantStoreSnapshot Sample => new()
    {
        Grants = [.. AwkwardGrants],
        OwnedRanges = [Cidr.Parse("203.0.113.7/32"), Cidr.Parse("2001:db8:1:2::/64")],
        ForeignRanges = [Cidr.Parse("198.51.100.0/24"), Cidr.Parse("2001:db8:abcd::/48")],
        PreservedRanges = [Cidr.Parse("203.0.113.128/25")],
        LastWriteAt = Epoch.AddMilliseconds(987),
    };

    [SetUp]
    public void CreateDirectory()
    {
        StoreDirectory = Path.Combine(Path.GetTempPath(), "knocknoc-grant-store-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(StoreDirectory);
        StorePath = Path.Combine(StoreDirectory, "grants.store");
    }

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(StoreDirectory))
        {
            if (!OperatingSystem.IsWindows())
            {
                // A test may have made a file unreadable.
                foreach (var file in Directory.EnumerateFiles(StoreDirectory))
                {
                    File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }

            Directory.Delete(StoreDirectory, recursive: true);
        }
    }
}
