using System.Globalization;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using static Knocknoc.Entra.Sdk.Tests.GrantStores.StoreFiles;

namespace Knocknoc.Entra.Sdk.Tests.GrantStores;

/// <summary>Saving and loading whole stores: exact round trips, atomic replacement, cancellation, permissions, limits.</summary>
public class FileGrantStoreTests : StoreFileFixture
{
    [Test]
    public async Task Round_trips_every_field_exactly()
    {
        var store = new FileGrantStore(StorePath);
        await store.SaveAsync(Sample);

        var loaded = await new FileGrantStore(StorePath).LoadAsync();

        Assert.That(loaded.Problems, Is.Empty);
        Assert.That(loaded.IsDamaged, Is.False);
        Assert.That(loaded.Snapshot.Grants, Is.EqualTo(AwkwardGrants));
        Assert.That(loaded.Snapshot.Grants.Select(g => g.GrantId), Is.EqualTo(AwkwardGrants.Select(g => g.GrantId)), "ids compared ordinally, character for character");
        Assert.That(loaded.Snapshot.OwnedRanges, Is.EqualTo(Sample.OwnedRanges));
        Assert.That(loaded.Snapshot.ForeignRanges, Is.EqualTo(Sample.ForeignRanges));
        Assert.That(loaded.Snapshot.PreservedRanges, Is.EqualTo(Sample.PreservedRanges));
        Assert.That(loaded.Snapshot.LastWriteAt, Is.EqualTo(Sample.LastWriteAt));
        Assert.That(loaded.Snapshot.Grants.Select(g => (g.ExpiresAt.Offset, g.GrantedAt.Offset)), Is.All.EqualTo((TimeSpan.Zero, TimeSpan.Zero)));
    }

    [Test]
    public async Task Writes_the_documented_line_format()
    {
        var grant = Grant("bob smith", "203.0.113.8/32", 5);
        await new FileGrantStore(StorePath).SaveAsync(new GrantStoreSnapshot { Grants = [grant], OwnedRanges = [grant.Network] });

        var expected = Header + Line("owned 203.0.113.8/32") + GrantLine(grant) + End(2);
        Assert.That(await File.ReadAllTextAsync(StorePath), Is.EqualTo(expected));
        Assert.That(GrantLine(grant), Does.StartWith("grant bob%20smith 203.0.113.8/32 "));
    }

    [Test]
    public async Task Round_trips_an_empty_snapshot_and_a_last_write_that_is_set_then_cleared()
    {
        var store = new FileGrantStore(StorePath);
        await store.SaveAsync(GrantStoreSnapshot.Empty);
        var empty = await store.LoadAsync();
        Assert.That(empty.Problems, Is.Empty);
        Assert.That(empty.Snapshot.Grants, Is.Empty);
        Assert.That(empty.Snapshot.OwnedRanges, Is.Empty);
        Assert.That(empty.Snapshot.ForeignRanges, Is.Empty);
        Assert.That(empty.Snapshot.LastWriteAt, Is.Null);

        await store.SaveAsync(Sample);
        await store.SaveAsync(Sample with { LastWriteAt = null, Grants = [AwkwardGrants[0]] });
        var cleared = await store.LoadAsync();
        Assert.That(cleared.Problems, Is.Empty);
        Assert.That(cleared.Snapshot.LastWriteAt, Is.Null);
        Assert.That(cleared.Snapshot.Grants, Is.EqualTo(new[] { AwkwardGrants[0] }));
    }

    [Test]
    public async Task Keeps_times_to_the_millisecond_as_the_same_instants_in_UTC()
    {
        var local = new DateTimeOffset(2026, 3, 1, 11, 30, 0, 250, TimeSpan.FromHours(2)).AddTicks(9999);
        var before1970 = new DateTimeOffset(1969, 7, 20, 20, 17, 40, 1, TimeSpan.Zero).AddTicks(5);
        var grant = new StoredGrant("g", Cidr.Parse("192.0.2.1/32"), local, before1970);
        await new FileGrantStore(StorePath).SaveAsync(new GrantStoreSnapshot { Grants = [grant], LastWriteAt = DateTimeOffset.MaxValue });

        var loaded = (await new FileGrantStore(StorePath).LoadAsync()).Snapshot;

        var read = loaded.Grants.Single();
        Assert.That(read.ExpiresAt, Is.EqualTo(new DateTimeOffset(2026, 3, 1, 9, 30, 0, 250, TimeSpan.Zero)));
        Assert.That(read.ExpiresAt.Offset, Is.EqualTo(TimeSpan.Zero));
        Assert.That(read.GrantedAt, Is.EqualTo(new DateTimeOffset(1969, 7, 20, 20, 17, 40, 1, TimeSpan.Zero)));
        Assert.That(loaded.LastWriteAt, Is.EqualTo(new DateTimeOffset(9999, 12, 31, 23, 59, 59, 999, TimeSpan.Zero)));
    }

    [Test]
    public async Task A_missing_file_orStoreDirectory_is_an_empty_store_without_problems()
    {
        var missingFile = await new FileGrantStore(StorePath).LoadAsync();
        var missingDirectory = await new FileGrantStore(Path.Combine(StoreDirectory, "not", "there", "grants.store")).LoadAsync();

        foreach (var result in new[] { missingFile, missingDirectory })
        {
            Assert.That(result.Problems, Is.Empty);
            Assert.That(result.Snapshot, Is.SameAs(GrantStoreSnapshot.Empty));
        }
    }

    [Test]
    public async Task Save_creates_a_missingStoreDirectory()
    {
        var path = Path.Combine(StoreDirectory, "a", "b", "grants.store");
        await new FileGrantStore(path).SaveAsync(Sample);

        Assert.That((await new FileGrantStore(path).LoadAsync()).Snapshot.Grants, Is.EqualTo(AwkwardGrants));
    }

    [Test]
    public async Task A_save_replaces_a_damaged_file_with_a_clean_one()
    {
        await File.WriteAllBytesAsync(StorePath, [0, 1, 2, 0xFF]);
        var store = new FileGrantStore(StorePath);
        Assert.That((await store.LoadAsync()).IsDamaged, Is.True);

        await store.SaveAsync(Sample);

        var loaded = await store.LoadAsync();
        Assert.That(loaded.Problems, Is.Empty);
        Assert.That(loaded.Snapshot.Grants, Is.EqualTo(AwkwardGrants));
    }

    [Test]
    public async Task A_cancelled_save_leaves_the_previous_file_and_no_temporary_file()
    {
        var store = new FileGrantStore(StorePath);
        await store.SaveAsync(Sample);
        var before = await File.ReadAllBytesAsync(StorePath);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.That(async () => await store.SaveAsync(GrantStoreSnapshot.Empty, cancelled.Token), Throws.InstanceOf<OperationCanceledException>());

        Assert.That(await File.ReadAllBytesAsync(StorePath), Is.EqualTo(before));
        Assert.That(Directory.GetFiles(StoreDirectory), Is.EqualTo(new[] { StorePath }));
    }

    [Test]
    public async Task A_save_cancelled_between_writes_stops_there()
    {
        var snapshot = new GrantStoreSnapshot { Grants = [.. ManyGrants(20_000)] };
        using var cancellation = new CancellationTokenSource();
        using var stream = new CancelAfterFirstWrite(cancellation);

        Assert.That(async () => await GrantStoreWriter.WriteAsync(stream, snapshot, cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(stream.Writes, Is.EqualTo(1), "the writer notices the cancellation at its next write");
    }

    [Test]
    public async Task A_save_that_fails_at_the_rename_leaves_no_temporary_file()
    {
        // A directory where the file should be: everything succeeds until the rename over it.
        Directory.CreateDirectory(StorePath);

        Assert.That(async () => await new FileGrantStore(StorePath).SaveAsync(Sample), Throws.InstanceOf<IOException>().Or.InstanceOf<UnauthorizedAccessException>());

        Assert.That(Directory.GetFiles(StoreDirectory), Is.Empty);
        Assert.That(Directory.Exists(StorePath), Is.True);
    }

    [Test]
    public async Task Saves_leave_no_temporary_files_behind()
    {
        var store = new FileGrantStore(StorePath);
        for (var i = 0; i < 5; i++)
        {
            await store.SaveAsync(Sample with { Grants = [.. AwkwardGrants.Take(i)] });
        }

        Assert.That(Directory.GetFileSystemEntries(StoreDirectory), Is.EqualTo(new[] { StorePath }));
    }

    [Test]
    public async Task The_file_is_readable_and_writable_by_its_owner_only_on_Unix()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix file modes do not apply on Windows.");
            return;
        }

        // Even when replacing a file anyone could read.
        await File.WriteAllTextAsync(StorePath, "old");
        File.SetUnixFileMode(StorePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await new FileGrantStore(StorePath).SaveAsync(Sample);

        Assert.That(File.GetUnixFileMode(StorePath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void A_file_that_cannot_be_opened_is_ENTRA062_naming_the_file()
    {
        // A directory in the file's place cannot be read as a file, whoever runs the tests (even root).
        Directory.CreateDirectory(StorePath);

        var exception = Assert.ThrowsAsync<EntraException>(async () => await new FileGrantStore(StorePath).LoadAsync());

        Assert.That(exception!.Code, Is.EqualTo(EntraErrorCode.GrantStoreDamaged));
        Assert.That(exception.Message, Does.Contain(StorePath));
        Assert.That(exception.InnerException, Is.InstanceOf<UnauthorizedAccessException>().Or.InstanceOf<IOException>());
    }

    [Test]
    public void A_file_that_cannot_be_opened_is_ENTRA062_naming_the_path()
    {
        // A name longer than any file system allows: it cannot be opened by anyone, root included.
        var unopenable = Path.Combine(Path.GetDirectoryName(StorePath)!, new string('g', 300));

        var exception = Assert.ThrowsAsync<EntraException>(async () => await new FileGrantStore(unopenable).LoadAsync());

        Assert.That(exception!.Code, Is.EqualTo(EntraErrorCode.GrantStoreDamaged));
        Assert.That(exception.Message, Does.Contain(unopenable));
    }

    [Test]
    public void Load_honours_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.That(async () => await new FileGrantStore(StorePath).LoadAsync(cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Refuses_ids_it_could_not_store_unaltered_and_writes_nothing()
    {
        var store = new FileGrantStore(StorePath);
        await store.SaveAsync(Sample);
        var before = await File.ReadAllBytesAsync(StorePath);
        string[] unstorable = ["", "lone \uD800 surrogate", "\uDC00 reversed \uD800", new string('a', 64_513), new string('é', 10_753)];

        foreach (var id in unstorable)
        {
            var snapshot = new GrantStoreSnapshot { Grants = [Grant(id, "192.0.2.1/32", 1)] };
            Assert.That(async () => await store.SaveAsync(snapshot), Throws.ArgumentException, id.Length > 20 ? id[..20] : id);
        }

        var duplicate = new GrantStoreSnapshot { Grants = [Grant("twice", "192.0.2.1/32", 1), Grant("twice", "192.0.2.2/32", 2)] };
        Assert.That(async () => await store.SaveAsync(duplicate), Throws.ArgumentException.With.Message.Contains("twice"));
        Assert.That(async () => await store.SaveAsync(null!), Throws.ArgumentNullException);

        Assert.That(await File.ReadAllBytesAsync(StorePath), Is.EqualTo(before));
        Assert.That(Directory.GetFiles(StoreDirectory), Is.EqualTo(new[] { StorePath }));
    }

    [Test]
    public async Task Stores_the_longest_ids_the_line_limit_allows()
    {
        var longest = new[]
        {
            Grant(new string('a', 64_512), "192.0.2.1/32", 1),
            Grant(new string('%', 21_504), "192.0.2.2/32", 1),
            Grant(new string('é', 10_752), "192.0.2.3/32", 1),
            Grant(new string('名', 7_168), "192.0.2.4/32", 1),
            Grant(string.Concat(Enumerable.Repeat("🔐", 5_376)), "192.0.2.5/32", 1),
        };
        await new FileGrantStore(StorePath).SaveAsync(new GrantStoreSnapshot { Grants = [.. longest] });

        var loaded = await new FileGrantStore(StorePath).LoadAsync();

        Assert.That(loaded.Problems, Is.Empty);
        Assert.That(loaded.Snapshot.Grants, Is.EqualTo(longest));
    }

    [Test]
    public void TheStorePath_is_resolved_once_and_must_name_a_file()
    {
        Assert.That(new FileGrantStore("relative.store").Path, Is.EqualTo(Path.GetFullPath("relative.store")));
        Assert.That(new FileGrantStore(StorePath).Path, Is.EqualTo(StorePath));
        Assert.That(() => new FileGrantStore(null!), Throws.ArgumentNullException);
        Assert.That(() => new FileGrantStore(""), Throws.ArgumentException);
        Assert.That(() => new FileGrantStore("  "), Throws.ArgumentException);
        Assert.That(() => new FileGrantStore(StoreDirectory + Path.DirectorySeparatorChar), Throws.ArgumentException);
    }

    [Test]
    public async Task Round_trips_100000_grants()
    {
        var grants = ManyGrants(100_000);
        var snapshot = new GrantStoreSnapshot
        {
            Grants = [.. grants],
            OwnedRanges = [.. grants.Select(g => g.Network).Take(2_000)],
            LastWriteAt = Epoch,
        };
        var store = new FileGrantStore(StorePath);

        await store.SaveAsync(snapshot);
        var loaded = await store.LoadAsync();

        Assert.That(loaded.Problems, Is.Empty);
        Assert.That(loaded.Snapshot.Grants, Is.EqualTo(grants));
        Assert.That(loaded.Snapshot.OwnedRanges, Is.EqualTo(snapshot.OwnedRanges));
        Assert.That(loaded.Snapshot.LastWriteAt, Is.EqualTo(Epoch));
    }

    private static StoredGrant[] ManyGrants(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new StoredGrant(
            i % 10 == 0 ? $"user {i} ✓" : $"session-{i:x8}",
            i % 3 == 0
                ? Cidr.Parse(string.Create(CultureInfo.InvariantCulture, $"2001:db8:{i >> 16:x}:{i & 0xFFFF:x}::/64"))
                : Cidr.Parse(string.Create(CultureInfo.InvariantCulture, $"198.{(i >> 16) & 0xFF}.{(i >> 8) & 0xFF}.{i & 0xFF}/32")),
            Epoch.AddMilliseconds(i * 1_001L),
            Epoch.AddMilliseconds(-i)))];

    /// <summary>A stream that cancels the save's token on the first write, to stop a save midway without timing.</summary>
    private sealed class CancelAfterFirstWrite(CancellationTokenSource cancellation) : MemoryStream
    {
        public int Writes { get; private set; }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            await base.WriteAsync(buffer, cancellationToken);
            await cancellation.CancelAsync();
        }
    }
}
