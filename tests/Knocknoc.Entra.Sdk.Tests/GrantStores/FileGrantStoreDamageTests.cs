using System.Text;
using static Knocknoc.Entra.Sdk.Tests.GrantStores.StoreFiles;

namespace Knocknoc.Entra.Sdk.Tests.GrantStores;

/// <summary>Reading damaged files: every intact record kept, every damage reported by line, never an exception.</summary>
public class FileGrantStoreDamageTests : StoreFileFixture
{
    [Test]
    public async Task Every_cut_of_the_file_keeps_each_whole_grant_before_it_and_is_reported()
    {
        await new FileGrantStore(StorePath).SaveAsync(Sample);
        var file = await File.ReadAllBytesAsync(StorePath);
        var lines = StoreFiles.Lines(file);
        var lineFeedOf = AwkwardGrants.ToDictionary(g => g.GrantId, g => lines[LineOf(file, g)].LineFeed);

        for (var cut = 0; cut < file.Length; cut++)
        {
            await File.WriteAllBytesAsync(StorePath, file[..cut]);

            var loaded = await new FileGrantStore(StorePath).LoadAsync();

            // A grant whose line is whole up to its checksum is intact, even if the cut took only its line feed.
            var whole = AwkwardGrants.Where(g => lineFeedOf[g.GrantId] <= cut);
            Assert.That(loaded.Snapshot.Grants, Is.EquivalentTo(whole), $"cut at byte {cut}");
            Assert.That(loaded.IsDamaged, Is.True, $"cut at byte {cut}");
            Assert.That(Sample.OwnedRanges.Take(loaded.Snapshot.OwnedRanges.Length), Is.EqualTo(loaded.Snapshot.OwnedRanges), $"cut at byte {cut}");
            Assert.That(Sample.ForeignRanges.Take(loaded.Snapshot.ForeignRanges.Length), Is.EqualTo(loaded.Snapshot.ForeignRanges), $"cut at byte {cut}");
            Assert.That(Sample.PreservedRanges.Take(loaded.Snapshot.PreservedRanges.Length), Is.EqualTo(loaded.Snapshot.PreservedRanges), $"cut at byte {cut}");
        }
    }

    [Test]
    public async Task A_flipped_byte_anywhere_loses_at_most_the_record_on_its_line()
    {
        await new FileGrantStore(StorePath).SaveAsync(Sample);
        var file = await File.ReadAllBytesAsync(StorePath);
        var lines = StoreFiles.Lines(file);
        var grantOnLine = AwkwardGrants.ToDictionary(g => LineOf(file, g));

        for (var line = 0; line < lines.Count; line++)
        {
            for (var position = lines[line].Start; position < lines[line].LineFeed; position++)
            {
                foreach (var flip in new byte[] { 0x01, 0x80 })
                {
                    var damaged = (byte[])file.Clone();
                    damaged[position] ^= flip;
                    await File.WriteAllBytesAsync(StorePath, damaged);

                    var loaded = await new FileGrantStore(StorePath).LoadAsync();

                    var where = $"byte {position} (line {line + 1}) ^ 0x{flip:x2}";
                    var expected = grantOnLine.TryGetValue(line, out var lost) ? AwkwardGrants.Where(g => g != lost) : AwkwardGrants;
                    Assert.That(loaded.Snapshot.Grants, Is.EqualTo(expected), where);
                    Assert.That(loaded.Problems, Is.Not.Empty, where);
                    Assert.That(loaded.Problems[0], Does.StartWith($"line {line + 1}: "), where);
                    if (line < lines.Count - 1)
                    {
                        Assert.That(loaded.Problems, Has.Count.EqualTo(1), where);
                    }
                }
            }
        }
    }

    [Test]
    public async Task A_damaged_record_is_reported_by_line_number_without_its_content()
    {
        var grants = Enumerable.Range(0, 5).Select(i => Grant($"secret-session-{i}", $"192.0.2.{i + 1}/32", 10)).ToArray();
        await new FileGrantStore(StorePath).SaveAsync(new GrantStoreSnapshot { Grants = [.. grants] });
        var text = await File.ReadAllTextAsync(StorePath);
        await File.WriteAllTextAsync(StorePath, text.Replace("secret-session-2", "secret-sessiom-2", StringComparison.Ordinal));

        var loaded = await new FileGrantStore(StorePath).LoadAsync();

        Assert.That(loaded.Snapshot.Grants, Is.EqualTo(grants.Where((_, i) => i != 2)));
        Assert.That(loaded.Problems, Is.EqualTo(new[] { "line 4: checksum mismatch; the line was altered or cut" }));
    }

    [Test]
    public async Task A_binary_file_is_all_problems_and_no_grants()
    {
        var garbage = new byte[1024 * 1024];
        new Random(20260301).NextBytes(garbage);
        await File.WriteAllBytesAsync(StorePath, garbage);

        var loaded = await new FileGrantStore(StorePath).LoadAsync();

        Assert.That(loaded.Snapshot.Grants, Is.Empty);
        Assert.That(loaded.Snapshot.OwnedRanges, Is.Empty);
        Assert.That(loaded.Snapshot.ForeignRanges, Is.Empty);
        Assert.That(loaded.Snapshot.LastWriteAt, Is.Null);
        Assert.That(loaded.IsDamaged, Is.True);
        AssertProblemsAreShortAndPrintable(loaded.Problems);
    }

    [Test]
    public async Task Many_damaged_lines_list_at_most_100_problems_and_count_the_rest()
    {
        var text = new StringBuilder(Header);
        for (var i = 0; i < 1000; i++)
        {
            text.Append("not a record\n");
        }

        await File.WriteAllTextAsync(StorePath, text.Append(End(1000)).ToString());

        var loaded = await new FileGrantStore(StorePath).LoadAsync();

        Assert.That(loaded.Problems, Has.Count.EqualTo(101));
        Assert.That(loaded.Problems[0], Does.StartWith("line 2: "));
        Assert.That(loaded.Problems[^1], Is.EqualTo("... and 900 more problems not listed"));
    }

    [TestCase(65_537, TestName = "A line one byte over 64 KiB is a problem and the records around it are kept")]
    [TestCase(200_000, TestName = "A 200 KB line is a problem and the records around it are kept")]
    [TestCase(3_000_000, TestName = "A line spanning many reads is a problem and the records around it are kept")]
    public async Task A_line_longer_than_64_KiB_is_a_problem_and_the_records_around_it_are_kept(int length)
    {
        var before = Grant("before", "192.0.2.1/32", 1);
        var after = Grant("after", "192.0.2.2/32", 1);
        await File.WriteAllTextAsync(StorePath, Header + GrantLine(before) + new string('x', length) + "\n" + GrantLine(after) + End(3));

        var loaded = await new FileGrantStore(StorePath).LoadAsync();

        Assert.That(loaded.Snapshot.Grants, Is.EqualTo(new[] { before, after }));
        Assert.That(loaded.Problems, Is.EqualTo(new[] { "line 3: longer than 65,536 bytes; skipped" }));
    }

    [Test]
    public async Task A_line_of_exactly_64_KiB_is_read()
    {
        // Padding the id fills the line to the limit exactly: the limit is inclusive.
        var probe = GrantLine(Grant("x", "192.0.2.1/32", 1));
        var grant = Grant(new string('x', GrantStoreFormat.MaxLineLength - (probe.Length - 1) + 1), "192.0.2.1/32", 1);
        Assert.That(GrantLine(grant), Has.Length.EqualTo(GrantStoreFormat.MaxLineLength + 1));
        await File.WriteAllTextAsync(StorePath, Header + GrantLine(grant) + End(1));

        var loaded = await new FileGrantStore(StorePath).LoadAsync();

        Assert.That(loaded.Problems, Is.Empty);
        Assert.That(loaded.Snapshot.Grants, Is.EqualTo(new[] { grant }));
    }

    [Test]
    public async Task A_file_ending_in_a_huge_unterminated_line_keeps_the_records_before_it()
    {
        var before = Grant("before", "192.0.2.1/32", 1);
        await File.WriteAllTextAsync(StorePath, Header + GrantLine(before) + new string('x', 1_000_000));

        var loaded = await new FileGrantStore(StorePath).LoadAsync();

        Assert.That(loaded.Snapshot.Grants, Is.EqualTo(new[] { before }));
        Assert.That(loaded.Problems, Is.EqualTo(new[] { "line 3: longer than 65,536 bytes; skipped", "no end line after line 3: the file was cut short" }));
    }

    [Test]
    public async Task An_empty_file_is_damaged_and_empty()
    {
        await File.WriteAllBytesAsync(StorePath, []);

        var loaded = await new FileGrantStore(StorePath).LoadAsync();

        Assert.That(loaded.Snapshot.Grants, Is.Empty);
        Assert.That(loaded.Problems, Has.Count.EqualTo(1));
        Assert.That(loaded.Problems[0], Does.Contain("empty"));
    }

    [Test]
    public async Task A_file_that_is_not_a_store_is_damaged_and_empty()
    {
        await File.WriteAllTextAsync(StorePath, "hello world\nthis is not a grant store\n");

        var loaded = await new FileGrantStore(StorePath).LoadAsync();

        Assert.That(loaded.Snapshot.Grants, Is.Empty);
        Assert.That(loaded.IsDamaged, Is.True);
        Assert.That(loaded.Problems[0], Does.StartWith("line 1: "));
    }

    [Test]
    public async Task A_header_with_a_valid_checksum_but_another_word_says_it_is_not_a_store()
    {
        var grant = Grant("g", "192.0.2.1/32", 1);
        await File.WriteAllTextAsync(StorePath, Line("some-other-format 1") + GrantLine(grant) + End(1));

        var loaded = await new FileGrantStore(StorePath).LoadAsync();

        Assert.That(loaded.Problems[0], Is.EqualTo("line 1: not a grant store header: the file starts with 'some-other-format', expected 'knocknoc-entra-grants'"));
        Assert.That(loaded.Snapshot.Grants, Is.EqualTo(new[] { grant }), "each record carries its own checksum, so intact ones are still kept");
    }

    [Test]
    public async Task A_newer_format_version_is_not_guessed_at()
    {
        var grant = Grant("g", "192.0.2.1/32", 1);
        await File.WriteAllTextAsync(StorePath, Line("knocknoc-entra-grants 2") + GrantLine(grant) + End(1));

        var loaded = await new FileGrantStore(StorePath).LoadAsync();

        Assert.That(loaded.Snapshot.Grants, Is.Empty);
        Assert.That(loaded.Problems, Is.EqualTo(new[] { "line 1: the store is format version '2'; this library reads version 1, so nothing was read" }));
    }

    [Test]
    public async Task A_missing_header_is_reported_and_the_records_are_kept()
    {
        var grant = Grant("g", "192.0.2.1/32", 1);
        await File.WriteAllTextAsync(StorePath, GrantLine(grant) + End(1));

        var loaded = await new FileGrantStore(StorePath).LoadAsync();

        Assert.That(loaded.Snapshot.Grants, Is.EqualTo(new[] { grant }));
        Assert.That(loaded.Problems, Has.Count.EqualTo(1));
        Assert.That(loaded.Problems[0], Does.StartWith("line 1: the header line is missing"));
    }

    [Test]
    public async Task A_duplicate_grant_id_keeps_the_later_expiry_whichever_comes_first()
    {
        var early = Grant("same id", "192.0.2.1/32", 10);
        var late = Grant("same id", "192.0.2.2/32", 20);
        var other = Grant("other", "192.0.2.3/32", 5);

        foreach (var (first, second) in new[] { (early, late), (late, early) })
        {
            await File.WriteAllTextAsync(StorePath, Header + GrantLine(first) + GrantLine(other) + GrantLine(second) + End(3));

            var loaded = await new FileGrantStore(StorePath).LoadAsync();

            Assert.That(loaded.Snapshot.Grants, Is.EquivalentTo(new[] { late, other }));
            Assert.That(loaded.Problems, Has.Count.EqualTo(1));
            Assert.That(loaded.Problems[0], Does.StartWith("line 4: grant id 'same%20id' already appeared on line 2; kept the one expiring later"));
        }
    }

    [Test]
    public async Task A_whole_line_removed_is_caught_by_the_record_count()
    {
        var grants = Enumerable.Range(0, 4).Select(i => Grant($"g{i}", $"192.0.2.{i + 1}/32", 10)).ToArray();
        await File.WriteAllTextAsync(StorePath, Header + GrantLine(grants[0]) + GrantLine(grants[1]) + GrantLine(grants[3]) + End(4));

        var loaded = await new FileGrantStore(StorePath).LoadAsync();

        Assert.That(loaded.Snapshot.Grants, Is.EqualTo(new[] { grants[0], grants[1], grants[3] }));
        Assert.That(loaded.Problems, Is.EqualTo(new[] { "line 5: the end line counts 4 records but 3 lines were found; lines were lost or added" }));
    }

    [Test]
    public async Task Malformed_fields_with_valid_checksums_are_each_reported()
    {
        var good = Grant("good", "192.0.2.1/32", 10);
        var text = Header
            + Line("grant bad-cidr 192.0.2.1/24 1 2")
            + Line("grant bad-time 192.0.2.1/32 soon 2")
            + Line("grant out-of-range 192.0.2.1/32 999999999999999999 2")
            + Line("grant bad%escape 192.0.2.1/32 1 2")
            + Line("grant not%FFutf8 192.0.2.1/32 1 2")
            + Line("grant too-few 192.0.2.1/32 1")
            + Line("owned 192.0.2.1/32 extra")
            + Line("foreign not-a-network")
            + Line("lastwrite")
            + Line("mystery 1")
            + Line("grant  double-space 192.0.2.1/32 1 2")
            + GrantLine(good)
            + End(12);
        await File.WriteAllTextAsync(StorePath, text);

        var loaded = await new FileGrantStore(StorePath).LoadAsync();

        Assert.That(loaded.Snapshot.Grants, Is.EqualTo(new[] { good }));
        Assert.That(loaded.Snapshot.OwnedRanges, Is.Empty);
        Assert.That(loaded.Snapshot.ForeignRanges, Is.Empty);
        Assert.That(loaded.Problems, Is.EqualTo(new[]
        {
            "line 2: the network '192.0.2.1/24' is not a strict CIDR",
            "line 3: the expiry 'soon' is not a time in Unix milliseconds",
            "line 4: the expiry '999999999999999999' is not a time in Unix milliseconds",
            "line 5: the grant id is not validly percent-escaped UTF-8",
            "line 6: the grant id is not validly percent-escaped UTF-8",
            "line 7: the grant record has 3 fields after its keyword, expected 4",
            "line 8: the owned record has 2 fields after its keyword, expected 1",
            "line 9: the network 'not-a-network' is not a strict CIDR",
            "line 10: the lastwrite record has 0 fields after its keyword, expected 1",
            "line 11: unknown record type 'mystery'",
            "line 12: empty field (two separators in a row, or one at the start)",
        }));
    }

    [Test]
    public async Task A_second_lastwrite_keeps_the_later_time()
    {
        await File.WriteAllTextAsync(StorePath, Header + Line("lastwrite 2000") + Line("lastwrite 1000") + End(2));

        var loaded = await new FileGrantStore(StorePath).LoadAsync();

        Assert.That(loaded.Snapshot.LastWriteAt, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(2000)));
        Assert.That(loaded.Problems, Is.EqualTo(new[] { "line 3: a second lastwrite record (the first on line 2); kept the later time" }));
    }

    [Test]
    public async Task Lines_after_the_end_line_are_ignored_and_reported()
    {
        var kept = Grant("kept", "192.0.2.1/32", 1);
        await File.WriteAllTextAsync(StorePath, Header + GrantLine(kept) + End(1) + GrantLine(Grant("late", "192.0.2.2/32", 1)) + "junk\n");

        var loaded = await new FileGrantStore(StorePath).LoadAsync();

        Assert.That(loaded.Snapshot.Grants, Is.EqualTo(new[] { kept }));
        Assert.That(loaded.Problems, Is.EqualTo(new[] { "line 4: 2 lines after the end line were ignored" }));
    }

    [Test]
    public async Task A_store_converted_to_CRLF_line_ends_still_reads_cleanly()
    {
        await new FileGrantStore(StorePath).SaveAsync(Sample);
        var text = await File.ReadAllTextAsync(StorePath);
        await File.WriteAllTextAsync(StorePath, text.Replace("\n", "\r\n", StringComparison.Ordinal));

        var loaded = await new FileGrantStore(StorePath).LoadAsync();

        Assert.That(loaded.Problems, Is.Empty);
        Assert.That(loaded.Snapshot.Grants, Is.EqualTo(AwkwardGrants));
    }

    private static void AssertProblemsAreShortAndPrintable(IReadOnlyList<string> problems)
    {
        Assert.That(problems, Has.Count.LessThanOrEqualTo(GrantStoreFormat.MaxProblems + 4));
        Assert.That(problems, Has.All.Length.LessThan(300));
        Assert.That(problems.SelectMany(p => p).Where(char.IsControl), Is.Empty);
    }
}
