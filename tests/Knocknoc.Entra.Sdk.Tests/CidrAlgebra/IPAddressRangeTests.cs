using System.Net;
using FsCheck.Fluent;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using static Knocknoc.Entra.Sdk.Tests.CidrAlgebra.CidrGenerators;

namespace Knocknoc.Entra.Sdk.Tests.CidrAlgebra;

/// <summary>Ranges as public values, range to CIDRs, builder removal by example, and conversions with <see cref="IPNetwork"/>.</summary>
public class IPAddressRangeTests
{
    private static IPAddressRange Range(string first, string last) => new(IPAddress.Parse(first), IPAddress.Parse(last));

    private static string[] Texts(IEnumerable<Cidr> cidrs) => [.. cidrs.Select(c => c.ToString())];

    [Test]
    public void A_range_cuts_into_the_fewest_cidrs()
    {
        Assert.That(Texts(Range("10.0.0.5", "10.0.0.20").ToCidrs()), Is.EqualTo(new[]
        {
            "10.0.0.5/32", "10.0.0.6/31", "10.0.0.8/29", "10.0.0.16/30", "10.0.0.20/32",
        }));
        Assert.That(Texts(Range("0.0.0.0", "255.255.255.255").ToCidrs()), Is.EqualTo(new[] { "0.0.0.0/0" }));
        Assert.That(Texts(Range("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").ToCidrs()), Is.EqualTo(new[] { "::/0" }));
        Assert.That(Texts(Range("2001:db8::ff", "2001:db8::100").ToCidrs()), Is.EqualTo(new[] { "2001:db8::ff/128", "2001:db8::100/128" }));
        Assert.That(Range("0.0.0.1", "255.255.255.254").ToCidrs(), Has.Length.EqualTo(62), "the worst IPv4 case");
    }

    [Test]
    public void A_range_reads_back_its_addresses_and_formats_as_first_dash_last()
    {
        var range = Range("2001:db8::", "2001:db8::ff");
        Assert.That((range.First, range.Last), Is.EqualTo((IPAddress.Parse("2001:db8::"), IPAddress.Parse("2001:db8::ff"))));
        Assert.That((range.IsIPv6, range.IsIPv4, range.AddressFamily), Is.EqualTo((true, false, System.Net.Sockets.AddressFamily.InterNetworkV6)));
        Assert.That(range.ToString(), Is.EqualTo("2001:db8::-2001:db8::ff"));
        Assert.That(Range("10.0.0.5", "10.0.0.5").ToString(), Is.EqualTo("10.0.0.5-10.0.0.5"));
        Assert.That(default(IPAddressRange).ToString(), Is.EqualTo("0.0.0.0-0.0.0.0"));
        Assert.That(Cidr.Parse("10.1.0.0/16").ToRange(), Is.EqualTo(Range("10.1.0.0", "10.1.255.255")));
        Assert.That(Range("10.0.0.1", "10.0.0.2"), Is.Not.EqualTo(Range("10.0.0.1", "10.0.0.3")));
        Assert.That(Range("10.0.0.1", "10.0.0.3"), Is.Not.EqualTo(Range("10.0.0.2", "10.0.0.3")), "only the first address differs");
        Assert.That(Range("10.0.0.1", "10.0.0.3").AddressFamily, Is.EqualTo(System.Net.Sockets.AddressFamily.InterNetwork));
        Assert.That(Range("10.0.0.1", "10.0.0.2") == Range("10.0.0.1", "10.0.0.2"), Is.True);
        Assert.That(Range("10.0.0.1", "10.0.0.2") != Range("::a00:1", "::a00:2"), Is.True, "same bits, other family");
        var (one, same) = (Range("10.0.0.1", "10.0.0.2"), Range("10.0.0.1", "10.0.0.2"));
        Assert.That(one.GetHashCode(), Is.EqualTo(same.GetHashCode()));
    }

    [Test]
    public void A_range_refuses_a_reversed_or_mixed_pair_and_null()
    {
        Assert.That(() => Range("10.0.0.2", "10.0.0.1"), Throws.ArgumentException.With.Message.Contains("comes before"));
        Assert.That(() => Range("10.0.0.1", "::1"), Throws.ArgumentException.With.Message.Contains("one family"));
        Assert.That(() => new IPAddressRange(null!, IPAddress.Any), Throws.ArgumentNullException);
        Assert.That(() => new IPAddressRange(IPAddress.Any, null!), Throws.ArgumentNullException);
        Assert.That(Range("::ffff:10.0.0.1", "::ffff:10.0.0.9").IsIPv6, Is.True, "a mapped address stays IPv6, as in the Cidr constructor");
    }

    [Test]
    public void Range_contains_maps_a_dual_stack_peer_and_checks_the_family()
    {
        var range = Range("10.0.0.5", "10.0.0.20");
        Assert.That(range.Contains(IPAddress.Parse("::ffff:10.0.0.9")), Is.True);
        Assert.That(range.Contains(IPAddress.Parse("10.0.0.21")), Is.False);
        Assert.That(range.Contains(IPAddress.Parse("10.0.0.4")), Is.False);
        Assert.That(range.Contains(IPAddress.Parse("::a00:9")), Is.False);
        Assert.That(() => range.Contains(null!), Throws.ArgumentNullException);
    }

    [Test]
    public void The_builder_removes_in_call_order()
    {
        var builder = CidrSet.CreateBuilder()
            .Add(Cidr.Parse("10.0.0.0/24"))
            .Remove(Range("10.0.0.10", "10.0.0.200"))
            .Remove(IPAddress.Parse("10.0.0.0"))
            .Add(Cidr.Parse("10.0.0.128/32"));
        Assert.That(builder.ToSet().ToRanges().Select(r => r.ToString()), Is.EqualTo(new[]
        {
            "10.0.0.1-10.0.0.9", "10.0.0.128-10.0.0.128", "10.0.0.201-10.0.0.255",
        }));
        builder.RemoveRange([Cidr.Parse("10.0.0.0/25")]).Remove(CidrSet.Create(Cidr.Parse("10.0.0.128/26")));
        Assert.That(builder.ToSet().ToString(), Is.EqualTo("{10.0.0.201/32, 10.0.0.202/31, 10.0.0.204/30, 10.0.0.208/28, 10.0.0.224/27}"));
        builder.Clear();
        Assert.That(builder.Remove(Cidr.Parse("::/0")).Add(Cidr.Parse("::1/128")).ToSet().ToString(), Is.EqualTo("{::1/128}"), "Clear drops pending removals too");
        Assert.That(() => builder.Remove((CidrSet)null!), Throws.ArgumentNullException);
        Assert.That(() => builder.Intersect(null!), Throws.ArgumentNullException);
        Assert.That(() => builder.RemoveRange(null!), Throws.ArgumentNullException);
    }

    [Test]
    public void Complement_of_the_empty_and_the_full_set()
    {
        Assert.That(CidrSet.Empty.Complement(), Is.EqualTo(CidrSet.All));
        Assert.That(CidrSet.All.Complement(), Is.EqualTo(CidrSet.Empty));
        Assert.That(CidrSet.Create(Cidr.Parse("0.0.0.0/1")).Complement().ToString(), Is.EqualTo("{128.0.0.0/1, ::/0}"));
        Assert.That(() => CidrSet.Empty.Overlaps((CidrSet)null!), Throws.ArgumentNullException);
    }

    [Test]
    public void Conversions_with_IPNetwork_keep_address_and_prefix()
    {
        var cases = Gen.Zip(AnyCidr, Gen.ArrayOf(Probe, 8)).ToArbitrary();
        Check(Prop.ForAll(cases, c =>
        {
            var cidr = c.Item1;
            IPNetwork network = cidr;
            var probes = c.Item2.Select(p => new Cidr(p.IsIPv6, p.Bits, (byte)(p.IsIPv6 ? 128 : 32)).BaseAddress).Append(cidr.BaseAddress);
            return network.BaseAddress.Equals(cidr.BaseAddress)
                && network.PrefixLength == cidr.PrefixLength
                && (Cidr)network == cidr
                && Cidr.FromIPNetwork(cidr.ToIPNetwork()) == cidr
                && probes.All(address => network.Contains(address) == cidr.Contains(address) || address.IsIPv4MappedToIPv6 || cidr.IsIPv6);
        }));
    }

    [Test]
    public void From_IPNetwork_by_example()
    {
        Assert.That(Cidr.FromIPNetwork(IPNetwork.Parse("203.0.113.0/24")), Is.EqualTo(Cidr.Parse("203.0.113.0/24")));
        Assert.That((Cidr)IPNetwork.Parse("2001:db8::/48"), Is.EqualTo(Cidr.Parse("2001:db8::/48")));
        Assert.That(Cidr.FromIPNetwork(IPNetwork.Parse("::ffff:10.0.0.0/104")).IsIPv6, Is.True);
        Assert.That(Cidr.Parse("10.0.0.0/8").ToIPNetwork(), Is.EqualTo(IPNetwork.Parse("10.0.0.0/8")));
        Assert.That(Cidr.FromIPNetwork(default), Is.EqualTo(default(Cidr)), "both defaults are 0.0.0.0/0");
    }
}
