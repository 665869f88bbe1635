using System.Net;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Tests.CidrAlgebra;

public class CidrSetTests
{
    private static CidrSet Set(params string[] cidrs) => CidrSet.Create(cidrs.Select(Cidr.Parse));

    private static string[] Cover(CidrSet set) => [.. set.ToCidrs().Select(c => c.ToString())];

    [Test]
    public void Empty_set_is_valid_and_equal_to_an_empty_build()
    {
        Assert.That(CidrSet.Empty.IsEmpty, Is.True);
        Assert.That(CidrSet.Empty.ToCidrs(), Is.Empty);
        Assert.That((CidrSet.Empty.RangeCount, CidrSet.Empty.CidrCount), Is.EqualTo((0, 0)));
        Assert.That(Set(), Is.EqualTo(CidrSet.Empty));
        Assert.That(CidrSet.Empty.ToString(), Is.EqualTo("{}"));
    }

    [Test]
    public void Full_space_sets_are_valid()
    {
        Assert.That(Cover(CidrSet.All), Is.EqualTo(new[] { "0.0.0.0/0", "::/0" }));
        Assert.That(Set("0.0.0.0/1", "128.0.0.0/1", "::/1", "8000::/1"), Is.EqualTo(CidrSet.All));
        Assert.That(CidrSet.All.Contains(IPAddress.Parse("255.255.255.255")), Is.True);
        Assert.That(CidrSet.All.Except(Set("0.0.0.0/0")).ToCidrs().Single().ToString(), Is.EqualTo("::/0"));
        Assert.That(CidrSet.All.Except(CidrSet.All), Is.EqualTo(CidrSet.Empty));
    }

    [Test]
    public void Adjacent_hosts_merge_across_an_octet_boundary()
    {
        var set = Set("10.0.0.255/32", "10.0.1.0/32");
        Assert.That(set.RangeCount, Is.EqualTo(1));
        Assert.That(Cover(set), Is.EqualTo(new[] { "10.0.0.255/32", "10.0.1.0/32" }), "never widened to 10.0.0.254/31 or beyond");

        var block = Set("10.0.0.254/31", "10.0.1.0/31");
        Assert.That(Cover(block), Is.EqualTo(new[] { "10.0.0.254/31", "10.0.1.0/31" }));

        var aligned = Set("10.0.0.0/25", "10.0.0.128/25", "10.0.1.0/24");
        Assert.That(Cover(aligned), Is.EqualTo(new[] { "10.0.0.0/23" }));
    }

    [Test]
    public void Adjacent_networks_merge_across_a_64_bit_boundary()
    {
        var set = Set("2001:db8:0:1:ffff:ffff:ffff:ffff/128", "2001:db8:0:2::/128");
        Assert.That(set.RangeCount, Is.EqualTo(1));
        Assert.That(Cover(set), Is.EqualTo(new[] { "2001:db8:0:1:ffff:ffff:ffff:ffff/128", "2001:db8:0:2::/128" }));
        Assert.That(Cover(Set("2001:db8:0:2::/64", "2001:db8:0:3::/64")), Is.EqualTo(new[] { "2001:db8:0:2::/63" }));
    }

    [Test]
    public void Ends_of_the_address_spaces_do_not_overflow()
    {
        var top = Set("255.255.255.254/32", "255.255.255.255/32", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127");
        Assert.That(Cover(top), Is.EqualTo(new[] { "255.255.255.254/31", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127" }));
        var bottom = Set("0.0.0.0/32", "0.0.0.1/32", "::/128");
        Assert.That(Cover(bottom), Is.EqualTo(new[] { "0.0.0.0/31", "::/128" }));
        Assert.That(Cover(Set("255.255.255.255/32").Union(Set("0.0.0.0/32"))), Is.EqualTo(new[] { "0.0.0.0/32", "255.255.255.255/32" }));
        Assert.That(Cover(CidrSet.All.Except(Set("255.255.255.255/32", "::/128"))), Has.Length.EqualTo(32 + 128), "0.0.0.0-255.255.255.254 is /1 to /32; ::1-ffff:...:ffff is /128 to /1");
    }

    [Test]
    public void IPv4_and_IPv6_never_merge_with_each_other()
    {
        var set = Set("0.0.0.0/0", "::/0");
        Assert.That(set.RangeCount, Is.EqualTo(2));
        var mapped = Set("::ffff:0.0.0.0/96", "0.0.0.0/0");
        Assert.That(Cover(mapped), Is.EqualTo(new[] { "0.0.0.0/0", "::ffff:0.0.0.0/96" }));
        Assert.That(mapped.Except(Set("0.0.0.0/0")).Contains(Cidr.Parse("::ffff:1.2.3.4/128")), Is.True);
    }

    [Test]
    public void An_IPv4_mapped_address_added_to_a_set_is_IPv4()
    {
        var set = CidrSet.CreateBuilder().Add(IPAddress.Parse("::ffff:203.0.113.5")).ToSet();
        Assert.That(Cover(set), Is.EqualTo(new[] { "203.0.113.5/32" }));
        Assert.That(set.Contains(IPAddress.Parse("203.0.113.5")), Is.True);
        Assert.That(set.Contains(IPAddress.Parse("::ffff:203.0.113.5")), Is.True);
        Assert.That(set.Contains(Cidr.Parse("::ffff:203.0.113.5/128")), Is.False, "a network keeps the family it was written in");
    }

    [Test]
    public void Overlapping_and_duplicate_input_collapses()
    {
        var set = Set("10.0.0.0/8", "10.1.0.0/16", "10.1.2.3/32", "10.0.0.0/8", "11.0.0.0/8", "9.255.255.255/32");
        Assert.That(Cover(set), Is.EqualTo(new[] { "9.255.255.255/32", "10.0.0.0/7" }));
        Assert.That(set.RangeCount, Is.EqualTo(1));
        Assert.That(set.CidrCount, Is.EqualTo(2));
    }

    [Test]
    public void Cover_is_exact_and_never_wider_than_the_set()
    {
        // 10.0.0.1 - 10.0.0.6 needs 4 CIDRs; any fewer would cover 10.0.0.0 or 10.0.0.7.
        var set = Set("10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32");
        Assert.That(Cover(set), Is.EqualTo(new[] { "10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32" }));
        Assert.That(set.Contains(IPAddress.Parse("10.0.0.0")), Is.False);
        Assert.That(set.Contains(IPAddress.Parse("10.0.0.7")), Is.False);
    }

    [Test]
    public void Set_operations_on_examples()
    {
        var a = Set("10.0.0.0/24", "2001:db8::/64");
        var b = Set("10.0.0.128/25", "10.0.1.0/24", "2001:db8::/65");
        Assert.That(Cover(a.Union(b)), Is.EqualTo(new[] { "10.0.0.0/23", "2001:db8::/64" }));
        Assert.That(Cover(a.Intersect(b)), Is.EqualTo(new[] { "10.0.0.128/25", "2001:db8::/65" }));
        Assert.That(Cover(a.Except(b)), Is.EqualTo(new[] { "10.0.0.0/25", "2001:db8:0:0:8000::/65" }));
        Assert.That(Cover(b.Except(a)), Is.EqualTo(new[] { "10.0.1.0/24" }));
        Assert.That(a.Intersect(b).IsSubsetOf(a), Is.True);
        Assert.That(a.IsSubsetOf(b), Is.False);
        Assert.That(a.Union(b).IsSupersetOf(b), Is.True);
    }

    [Test]
    public void Except_handles_a_subtrahend_that_spans_several_ranges()
    {
        var a = Set("10.0.0.0/24", "10.0.2.0/24", "10.0.4.0/24");
        var b = Set("10.0.0.128/25", "10.0.1.0/24", "10.0.2.0/25", "10.0.4.10/32");
        Assert.That(Cover(a.Except(b)), Is.EqualTo(new[]
        {
            "10.0.0.0/25", "10.0.2.128/25", "10.0.4.0/29", "10.0.4.8/31", "10.0.4.11/32", "10.0.4.12/30", "10.0.4.16/28",
            "10.0.4.32/27", "10.0.4.64/26", "10.0.4.128/25",
        }));
    }

    [Test]
    public void Equal_sets_compare_equal_however_they_were_written()
    {
        var a = Set("10.0.0.0/23");
        var b = Set("10.0.1.0/24", "10.0.0.0/24", "10.0.0.7/32");
        Assert.That(a.SetEquals(b), Is.True);
        Assert.That(a == b, Is.True);
        Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
        Assert.That(a != Set("10.0.0.0/24"), Is.True);
        Assert.That(a.SetEquals(null), Is.False);
        Assert.That(a.Equals((object?)null), Is.False);
    }

    [Test]
    public void Contains_a_network_only_when_wholly_inside()
    {
        var set = Set("10.0.0.0/24", "10.0.2.0/24");
        Assert.That(set.Contains(Cidr.Parse("10.0.0.128/25")), Is.True);
        Assert.That(set.Contains(Cidr.Parse("10.0.0.0/22")), Is.False);
        Assert.That(set.Contains(Cidr.Parse("10.0.1.0/32")), Is.False);
        Assert.That(set.Contains(Cidr.Parse("9.0.0.0/8")), Is.False);
    }

    [Test]
    public void Diff_gives_exactly_what_to_add_and_remove()
    {
        var from = Set("192.0.2.0/32", "203.0.113.1/32", "203.0.113.2/32", "2001:db8::1/128");
        var to = Set("203.0.113.2/32", "203.0.113.3/32", "2001:db8::1/128", "2001:db8::2/128");
        var diff = CidrSet.Diff(from, to);
        Assert.That(Cover(diff.Added), Is.EqualTo(new[] { "203.0.113.3/32", "2001:db8::2/128" }));
        Assert.That(Cover(diff.Removed), Is.EqualTo(new[] { "192.0.2.0/32", "203.0.113.1/32" }));
        Assert.That(diff.IsEmpty, Is.False);
        Assert.That(CidrSet.Diff(to, Set("2001:db8::2/128", "203.0.113.2/31", "2001:db8::1/128")).IsEmpty, Is.True);
    }

    [Test]
    public void Builder_keeps_its_content_after_ToSet_and_can_be_cleared()
    {
        var builder = CidrSet.CreateBuilder().Add(Cidr.Parse("10.0.0.1/32")).Add(Cidr.Parse("10.0.0.0/32"));
        var first = builder.ToSet();
        builder.Add(Cidr.Parse("10.0.0.2/31"));
        Assert.That(Cover(first), Is.EqualTo(new[] { "10.0.0.0/31" }));
        Assert.That(Cover(builder.ToSet()), Is.EqualTo(new[] { "10.0.0.0/30" }));
        builder.Add(first);
        Assert.That(Cover(builder.ToSet()), Is.EqualTo(new[] { "10.0.0.0/30" }));
        builder.Clear();
        Assert.That(builder.ToSet(), Is.SameAs(CidrSet.Empty));
    }

    [Test]
    public void Large_unsorted_input_is_sorted_correctly()
    {
        // Enough ranges to take the radix path, with keys that differ in every byte.
        var random = new Random(20261122);
        var hosts = Enumerable.Range(0, 5000).Select(_ => (uint)random.NextInt64(0, 1L << 32)).ToArray();
        var builder = CidrSet.CreateBuilder();
        foreach (var host in hosts)
        {
            builder.Add(Cidr.Host(new IPAddress(BitConverter.IsLittleEndian ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(host) : host)));
        }

        var set = builder.ToSet();
        var expected = hosts.Distinct().Order().ToArray();
        var actual = set.ToCidrs().SelectMany(Expand).ToArray();
        Assert.That(actual, Is.EqualTo(expected));

        static IEnumerable<uint> Expand(Cidr cidr)
        {
            var first = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(cidr.BaseAddress.GetAddressBytes());
            for (var i = 0L; i < 1L << (32 - cidr.PrefixLength); i++)
            {
                yield return (uint)(first + i);
            }
        }
    }

    [Test]
    public void ToString_lists_the_cover_and_cuts_long_sets()
    {
        Assert.That(Set("10.0.0.0/24", "2001:db8::/48").ToString(), Is.EqualTo("{10.0.0.0/24, 2001:db8::/48}"));
        var many = CidrSet.Create(Enumerable.Range(0, 20).Select(i => Cidr.Parse($"10.0.{2 * i}.0/24")));
        Assert.That(many.ToString(), Is.EqualTo("{" + string.Join(", ", Enumerable.Range(0, 16).Select(i => $"10.0.{2 * i}.0/24")) + ", ... 4 more}"));

        // Ranges of two CIDRs each: the first 16 ranges give 32 CIDRs, of which still only 16 are shown.
        var pairs = CidrSet.Create(Enumerable.Range(0, 20).SelectMany(i => new[] { Cidr.Parse($"10.0.{4 * i}.0/24"), Cidr.Parse($"10.0.{(4 * i) + 1}.0/25") }));
        var shown = Enumerable.Range(0, 8).SelectMany(i => new[] { $"10.0.{4 * i}.0/24", $"10.0.{(4 * i) + 1}.0/25" });
        Assert.That(pairs.ToString(), Is.EqualTo("{" + string.Join(", ", shown) + ", ... 24 more}"));
    }

    [Test]
    public void Null_arguments_are_refused()
    {
        var set = Set("10.0.0.0/8");
        Assert.Throws<ArgumentNullException>(() => set.Union(null!));
        Assert.Throws<ArgumentNullException>(() => set.Intersect(null!));
        Assert.Throws<ArgumentNullException>(() => set.Except(null!));
        Assert.Throws<ArgumentNullException>(() => set.IsSubsetOf(null!));
        Assert.Throws<ArgumentNullException>(() => CidrSet.Diff(set, null!));
        Assert.Throws<ArgumentNullException>(() => set.Contains((IPAddress)null!));
        Assert.Throws<ArgumentNullException>(() => CidrSet.Create((IEnumerable<Cidr>)null!));
    }
    [Test]
    public void Null_arguments_are_refused_with_the_parameter_named()
    {
        var set = Set("10.0.0.0/8");
        Assert.That(Assert.Throws<ArgumentNullException>(() => set.IsSupersetOf(null!))!.ParamName, Is.EqualTo("other"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => CidrSet.Diff(null!, set))!.ParamName, Is.EqualTo("from"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => CidrSet.Diff(set, null!))!.ParamName, Is.EqualTo("to"));
        var builder = CidrSet.CreateBuilder();
        Assert.That(Assert.Throws<ArgumentNullException>(() => builder.Add((CidrSet)null!))!.ParamName, Is.EqualTo("set"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => builder.AddRange((IEnumerable<Cidr>)null!))!.ParamName, Is.EqualTo("cidrs"));
    }

    [Test]
    public void Builder_adds_both_families_of_a_set()
    {
        var source = Set("192.0.2.0/24", "2001:db8::/48");
        var built = CidrSet.CreateBuilder().Add(Cidr.Parse("198.51.100.0/24")).Add(source).ToSet();
        Assert.That(Cover(built), Is.EqualTo(new[] { "192.0.2.0/24", "198.51.100.0/24", "2001:db8::/48" }));
    }

    [Test]
    public void Builder_clear_forgets_both_families()
    {
        var builder = CidrSet.CreateBuilder().Add(Cidr.Parse("192.0.2.0/24")).Add(Cidr.Parse("2001:db8::/48"));
        builder.Clear();
        Assert.That(builder.ToSet().IsEmpty, Is.True);
        builder.Add(Cidr.Parse("2001:db8:1::/48"));
        Assert.That(Cover(builder.ToSet()), Is.EqualTo(new[] { "2001:db8:1::/48" }));
    }

    [Test]
    public void Equality_operators_handle_null_on_either_side()
    {
        CidrSet? none = null;
        var set = Set("10.0.0.0/8");
        Assert.That(none == null, Is.True);
        Assert.That(none != null, Is.False);
        Assert.That(none == set, Is.False);
        Assert.That(set == none, Is.False);
        Assert.That(set != none, Is.True);
        Assert.That(set == Set("10.0.0.0/9", "10.128.0.0/9"), Is.True);
    }

    [Test]
    public void Hash_code_depends_on_the_addresses_of_each_family()
    {
        Assert.That(Set("10.0.0.0/8").GetHashCode(), Is.Not.EqualTo(Set("11.0.0.0/8").GetHashCode()));
        Assert.That(Set("10.0.0.0/8", "2001:db8::/32").GetHashCode(), Is.Not.EqualTo(Set("10.0.0.0/8", "2001:db9::/32").GetHashCode()));
        Assert.That(Set("2001:db8::/32").GetHashCode(), Is.Not.EqualTo(Set("2001:db9::/32").GetHashCode()));
        Assert.That(Set("10.0.0.0/9", "10.128.0.0/9").GetHashCode(), Is.EqualTo(Set("10.0.0.0/8").GetHashCode()));
    }

    [Test]
    public void ToString_shows_16_CIDRs_and_counts_the_rest()
    {
        var sixteen = CidrSet.Create(Enumerable.Range(0, 16).Select(i => Cidr.Parse($"10.0.{2 * i}.0/24")));
        var text = sixteen.ToString();
        Assert.That(text, Does.EndWith("10.0.30.0/24}"));
        Assert.That(text, Does.Not.Contain("more"));
        Assert.That(text.Split(", "), Has.Length.EqualTo(16));

        var seventeen = CidrSet.Create(Enumerable.Range(0, 17).Select(i => Cidr.Parse($"10.0.{2 * i}.0/24")));
        text = seventeen.ToString();
        Assert.That(text, Does.EndWith("10.0.30.0/24, ... 1 more}"));
        Assert.That(text.Split(", "), Has.Length.EqualTo(17));

        var mixed = CidrSet.Create([.. Enumerable.Range(0, 10).Select(i => Cidr.Parse($"10.0.{2 * i}.0/24")),
            .. Enumerable.Range(0, 10).Select(i => Cidr.Parse($"2001:db8:{2 * i}::/48"))]);
        text = mixed.ToString();
        Assert.That(text, Does.Contain("10.0.18.0/24, 2001:db8::/48"));
        Assert.That(text, Does.EndWith("2001:db8:10::/48, ... 4 more}"));
    }
}
