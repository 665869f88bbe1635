using System.Net;
using FsCheck;
using FsCheck.Fluent;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using static Knocknoc.Entra.Sdk.Tests.CidrAlgebra.CidrGenerators;

namespace Knocknoc.Entra.Sdk.Tests.Grants;

public class GrantAddressPolicyTests
{
    /// <summary>
    /// The oracle: the IANA special-purpose registries (2025-10-09) and the IPv6 address space outside 2000::/3, as
    /// the registries print them, "reachable" being their Globally Reachable column; anything in none is public. Most
    /// specific wins. Transition blocks are decided by what they embed (<see cref="ReferenceClassify"/>).
    /// </summary>
    private static readonly (Cidr Range, AddressCategory Category)[] Reference =
    [
        .. new (string Range, AddressCategory Category)[]
        {
            ("0.0.0.0/8", AddressCategory.ThisNetwork),
            ("0.0.0.0/32", AddressCategory.Unspecified),
            ("10.0.0.0/8", AddressCategory.Private),
            ("100.64.0.0/10", AddressCategory.SharedAddressSpace),
            ("127.0.0.0/8", AddressCategory.Loopback),
            ("169.254.0.0/16", AddressCategory.LinkLocal),
            ("172.16.0.0/12", AddressCategory.Private),
            ("192.0.0.0/24", AddressCategory.SpecialPurpose),
            ("192.0.0.0/29", AddressCategory.SpecialPurpose),
            ("192.0.0.8/32", AddressCategory.SpecialPurpose),
            ("192.0.0.9/32", AddressCategory.Public),
            ("192.0.0.10/32", AddressCategory.Public),
            ("192.0.0.170/31", AddressCategory.SpecialPurpose),
            ("192.0.2.0/24", AddressCategory.Documentation),
            ("192.88.99.0/24", AddressCategory.Reserved),
            ("192.88.99.2/32", AddressCategory.SpecialPurpose),
            ("192.168.0.0/16", AddressCategory.Private),
            ("198.18.0.0/15", AddressCategory.SpecialPurpose),
            ("198.51.100.0/24", AddressCategory.Documentation),
            ("203.0.113.0/24", AddressCategory.Documentation),
            ("224.0.0.0/4", AddressCategory.Multicast),
            ("240.0.0.0/4", AddressCategory.Reserved),
            ("255.255.255.255/32", AddressCategory.Broadcast),
            ("::/0", AddressCategory.Reserved),
            ("2000::/3", AddressCategory.Public),
            ("::/128", AddressCategory.Unspecified),
            ("::1/128", AddressCategory.Loopback),
            ("64:ff9b::/96", AddressCategory.EmbeddedNonPublic),
            ("64:ff9b:1::/48", AddressCategory.SpecialPurpose),
            ("100::/64", AddressCategory.Reserved),
            ("100:0:0:1::/64", AddressCategory.SpecialPurpose),
            ("2001::/23", AddressCategory.SpecialPurpose),
            ("2001::/32", AddressCategory.EmbeddedNonPublic),
            ("2001:1::1/128", AddressCategory.Public),
            ("2001:1::2/127", AddressCategory.Public),
            ("2001:2::/48", AddressCategory.SpecialPurpose),
            ("2001:3::/32", AddressCategory.Public),
            ("2001:4:112::/48", AddressCategory.Public),
            ("2001:10::/28", AddressCategory.Reserved),
            ("2001:20::/27", AddressCategory.Public),
            ("2001:db8::/32", AddressCategory.Documentation),
            ("2002::/16", AddressCategory.EmbeddedNonPublic),
            ("3fff::/20", AddressCategory.Documentation),
            ("5f00::/16", AddressCategory.SpecialPurpose),
            ("fc00::/7", AddressCategory.UniqueLocal),
            ("fe80::/10", AddressCategory.LinkLocal),
            ("ff00::/8", AddressCategory.Multicast),
        }
        .Select(e => (Cidr.Parse(e.Range), e.Category))
        .OrderByDescending(e => e.Item1.PrefixLength),
    ];

    private static readonly Cidr[] SomeAllowedRanges =
    [
        Cidr.Parse("10.1.0.0/16"),
        Cidr.Parse("100.64.5.0/24"),
        Cidr.Parse("192.168.7.128/25"),
        Cidr.Parse("fd12:3456:789a::/48"),
        Cidr.Parse("fd99::/120"),
        Cidr.Parse("198.51.100.0/24"),
        Cidr.Parse("2001:db8:5::/48"),
    ];

    private static readonly GrantAddressPolicy[] Policies =
    [
        GrantAddressPolicy.Default,
        new(ipv6GrantPrefixLength: 64),
        new(SomeAllowedRanges),
        new(SomeAllowedRanges, ipv6GrantPrefixLength: 64),
        new(SomeAllowedRanges, ipv6GrantPrefixLength: 100),
    ];

    [TestCase("0.0.0.0", AddressCategory.Unspecified)]
    [TestCase("0.0.0.1", AddressCategory.ThisNetwork)]
    [TestCase("0.255.255.255", AddressCategory.ThisNetwork)]
    [TestCase("1.0.0.0", AddressCategory.Public)]
    [TestCase("9.255.255.255", AddressCategory.Public)]
    [TestCase("10.0.0.0", AddressCategory.Private)]
    [TestCase("10.255.255.255", AddressCategory.Private)]
    [TestCase("11.0.0.0", AddressCategory.Public)]
    [TestCase("100.63.255.255", AddressCategory.Public)]
    [TestCase("100.64.0.0", AddressCategory.SharedAddressSpace)]
    [TestCase("100.127.255.255", AddressCategory.SharedAddressSpace)]
    [TestCase("100.128.0.0", AddressCategory.Public)]
    [TestCase("126.255.255.255", AddressCategory.Public)]
    [TestCase("127.0.0.0", AddressCategory.Loopback)]
    [TestCase("127.0.0.1", AddressCategory.Loopback)]
    [TestCase("127.255.255.255", AddressCategory.Loopback)]
    [TestCase("128.0.0.0", AddressCategory.Public)]
    [TestCase("169.253.255.255", AddressCategory.Public)]
    [TestCase("169.254.0.0", AddressCategory.LinkLocal)]
    [TestCase("169.254.255.255", AddressCategory.LinkLocal)]
    [TestCase("169.255.0.0", AddressCategory.Public)]
    [TestCase("172.15.255.255", AddressCategory.Public)]
    [TestCase("172.16.0.0", AddressCategory.Private)]
    [TestCase("172.31.255.255", AddressCategory.Private)]
    [TestCase("172.32.0.0", AddressCategory.Public)]
    [TestCase("192.167.255.255", AddressCategory.Public)]
    [TestCase("192.168.0.0", AddressCategory.Private)]
    [TestCase("192.168.255.255", AddressCategory.Private)]
    [TestCase("192.169.0.0", AddressCategory.Public)]
    [TestCase("192.0.2.0", AddressCategory.Documentation)]
    [TestCase("198.51.100.7", AddressCategory.Documentation)]
    [TestCase("203.0.113.255", AddressCategory.Documentation)]
    [TestCase("192.0.1.255", AddressCategory.Public)]
    [TestCase("192.0.0.0", AddressCategory.SpecialPurpose, Description = "IPv4 Service Continuity Prefix")]
    [TestCase("192.0.0.8", AddressCategory.SpecialPurpose, Description = "IPv4 dummy address")]
    [TestCase("192.0.0.9", AddressCategory.Public, Description = "PCP anycast, globally reachable inside 192.0.0.0/24")]
    [TestCase("192.0.0.10", AddressCategory.Public, Description = "TURN anycast, globally reachable inside 192.0.0.0/24")]
    [TestCase("192.0.0.11", AddressCategory.SpecialPurpose)]
    [TestCase("192.0.0.170", AddressCategory.SpecialPurpose)]
    [TestCase("192.0.0.171", AddressCategory.SpecialPurpose)]
    [TestCase("192.0.0.255", AddressCategory.SpecialPurpose)]
    [TestCase("192.31.196.1", AddressCategory.Public, Description = "AS112-v4")]
    [TestCase("192.52.193.1", AddressCategory.Public, Description = "AMT")]
    [TestCase("192.88.99.1", AddressCategory.Reserved, Description = "terminated 6to4 relay anycast")]
    [TestCase("192.88.99.2", AddressCategory.SpecialPurpose, Description = "6a44 relay anycast")]
    [TestCase("192.175.48.1", AddressCategory.Public, Description = "Direct Delegation AS112")]
    [TestCase("198.17.255.255", AddressCategory.Public)]
    [TestCase("198.18.0.1", AddressCategory.SpecialPurpose, Description = "benchmarking")]
    [TestCase("198.19.255.255", AddressCategory.SpecialPurpose)]
    [TestCase("198.20.0.0", AddressCategory.Public)]
    [TestCase("8.8.8.8", AddressCategory.Public)]
    [TestCase("223.255.255.255", AddressCategory.Public)]
    [TestCase("224.0.0.0", AddressCategory.Multicast)]
    [TestCase("239.255.255.255", AddressCategory.Multicast)]
    [TestCase("240.0.0.0", AddressCategory.Reserved)]
    [TestCase("255.255.255.254", AddressCategory.Reserved)]
    [TestCase("255.255.255.255", AddressCategory.Broadcast)]
    [TestCase("::", AddressCategory.Unspecified)]
    [TestCase("::1", AddressCategory.Loopback)]
    [TestCase("::2", AddressCategory.Reserved)]
    [TestCase("::1.2.3.4", AddressCategory.Reserved, Description = "deprecated IPv4-compatible")]
    [TestCase("::8.8.8.8", AddressCategory.Reserved, Description = "deprecated IPv4-compatible, public or not")]
    [TestCase("64:ff9b::808:808", AddressCategory.Public, Description = "NAT64 well-known prefix around a public address")]
    [TestCase("64:ff9b::a00:1", AddressCategory.EmbeddedNonPublic, Description = "NAT64 around 10.0.0.1")]
    [TestCase("64:ff9b::c000:201", AddressCategory.EmbeddedNonPublic, Description = "NAT64 around a documentation address")]
    [TestCase("64:ff9b:1::808:808", AddressCategory.SpecialPurpose, Description = "NAT64 local-use prefix")]
    [TestCase("ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressCategory.Reserved)]
    [TestCase("100::", AddressCategory.Reserved)]
    [TestCase("100::ffff:ffff:ffff:ffff", AddressCategory.Reserved)]
    [TestCase("100:0:0:1::", AddressCategory.SpecialPurpose, Description = "dummy prefix, RFC 9780")]
    [TestCase("100:0:0:2::", AddressCategory.Reserved, Description = "100::/8 is reserved by IETF")]
    [TestCase("1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressCategory.Reserved)]
    [TestCase("2000::", AddressCategory.Public)]
    [TestCase("2001::1", AddressCategory.EmbeddedNonPublic, Description = "Teredo with server 0.0.0.0")]
    [TestCase("2001:0:4136:e378:8000:63bf:f7f7:f7f7", AddressCategory.Public, Description = "Teredo: server 65.54.227.120, client 8.8.8.8")]
    [TestCase("2001:0:4136:e378:8000:63bf:3fff:fdd2", AddressCategory.EmbeddedNonPublic, Description = "RFC 4380's example: client 192.0.2.45")]
    [TestCase("2001:0:a00:1:8000:63bf:f7f7:f7f7", AddressCategory.EmbeddedNonPublic, Description = "Teredo with a private server")]
    [TestCase("2001:0:4136:e378:8000:63bf:f5ff:fffe", AddressCategory.EmbeddedNonPublic, Description = "Teredo with a private client, 10.0.0.1")]
    [TestCase("2001:1::1", AddressCategory.Public, Description = "PCP anycast inside 2001::/23")]
    [TestCase("2001:1::2", AddressCategory.Public, Description = "TURN anycast inside 2001::/23")]
    [TestCase("2001:1::3", AddressCategory.Public, Description = "DNS-SD SRP anycast inside 2001::/23")]
    [TestCase("2001:1::4", AddressCategory.SpecialPurpose)]
    [TestCase("2001:2::1", AddressCategory.SpecialPurpose, Description = "benchmarking")]
    [TestCase("2001:3::1", AddressCategory.Public, Description = "AMT")]
    [TestCase("2001:4:112::1", AddressCategory.Public, Description = "AS112-v6")]
    [TestCase("2001:4:113::1", AddressCategory.SpecialPurpose)]
    [TestCase("2001:10::1", AddressCategory.Reserved, Description = "terminated ORCHID")]
    [TestCase("2001:20::1", AddressCategory.Public, Description = "ORCHIDv2")]
    [TestCase("2001:30::1", AddressCategory.Public, Description = "DETs")]
    [TestCase("2001:40::", AddressCategory.SpecialPurpose)]
    [TestCase("2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", AddressCategory.SpecialPurpose)]
    [TestCase("2001:200::1", AddressCategory.Public)]
    [TestCase("2001:db8::1", AddressCategory.Documentation)]
    [TestCase("2002:808:808::1", AddressCategory.Public, Description = "6to4 around 8.8.8.8")]
    [TestCase("2002:a00:1::1", AddressCategory.EmbeddedNonPublic, Description = "6to4 around 10.0.0.1")]
    [TestCase("2002:c612:1::1", AddressCategory.EmbeddedNonPublic, Description = "6to4 around a benchmarking address")]
    [TestCase("2620:4f:8000::1", AddressCategory.Public)]
    [TestCase("3fff::1", AddressCategory.Documentation)]
    [TestCase("3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", AddressCategory.Documentation)]
    [TestCase("3fff:1000::", AddressCategory.Public)]
    [TestCase("4000::1", AddressCategory.Reserved, Description = "outside 2000::/3")]
    [TestCase("5f00::1", AddressCategory.SpecialPurpose, Description = "SRv6 SIDs")]
    [TestCase("2606:4700:4700::1111", AddressCategory.Public)]
    [TestCase("fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressCategory.Reserved)]
    [TestCase("fc00::", AddressCategory.UniqueLocal)]
    [TestCase("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressCategory.UniqueLocal)]
    [TestCase("fe00::", AddressCategory.Reserved)]
    [TestCase("fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressCategory.Reserved)]
    [TestCase("fe80::", AddressCategory.LinkLocal)]
    [TestCase("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressCategory.LinkLocal)]
    [TestCase("fec0::", AddressCategory.Reserved)]
    [TestCase("feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressCategory.Reserved)]
    [TestCase("ff00::", AddressCategory.Multicast)]
    [TestCase("ff02::1", AddressCategory.Multicast)]
    [TestCase("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressCategory.Multicast)]
    [TestCase("::ffff:0.0.0.0", AddressCategory.Unspecified)]
    [TestCase("::ffff:10.0.0.1", AddressCategory.Private)]
    [TestCase("::ffff:127.0.0.1", AddressCategory.Loopback)]
    [TestCase("::ffff:8.8.8.8", AddressCategory.Public)]
    public void Classifies_each_range_at_its_edges(string address, AddressCategory expected)
    {
        var ip = IPAddress.Parse(address);
        Assert.That(GrantAddressPolicy.Classify(ip), Is.EqualTo(expected));
        Assert.That(GrantAddressPolicy.Classify(new Cidr(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)), Is.EqualTo(expected), "the bit fast path, IPv4-mapped left as IPv6");
        Assert.That(ReferenceClassify(ip), Is.EqualTo(expected), "the reference table agrees");

        var granted = GrantAddressPolicy.Default.TryGetGrantNetwork(ip, out var network, out var category);
        Assert.That((granted, category), Is.EqualTo((expected == AddressCategory.Public, expected)));
        Assert.That(network, granted ? Is.EqualTo(Cidr.Host(ip)) : Is.EqualTo(default(Cidr)));
    }

    [Test]
    public void Every_block_of_the_table_is_classified_as_the_registries_say_at_its_edges()
    {
        foreach (var block in SpecialPurposeAddresses.All.Where(b => b.Range != Cidr.Parse("::ffff:0:0/96")))
        {
            foreach (var bits in new[] { block.Range.Bits, block.Range.LastBits, block.Range.Bits + ((block.Range.LastBits - block.Range.Bits) / 2) })
            {
                var address = AddressBits.ToAddress(block.Range.IsIPv6, bits);
                Assert.That(GrantAddressPolicy.Classify(address), Is.EqualTo(ReferenceClassify(address)), $"{address} in {block.Entry}");
            }
        }
    }

    [Test]
    public void The_table_names_the_registry_entries_and_their_reachability()
    {
        var blocks = SpecialPurposeAddresses.All.ToDictionary(b => b.Range.ToString(), b => b);
        Assert.That(blocks["198.18.0.0/15"], Is.EqualTo(new AddressBlock(Cidr.Parse("198.18.0.0/15"), "Benchmarking", "RFC 2544", false, AddressCategory.SpecialPurpose, EmbeddedIPv4.None)));
        Assert.That(blocks["192.0.0.9/32"].GloballyReachable && blocks["192.0.0.10/32"].GloballyReachable, Is.True);
        Assert.That(blocks["192.0.0.0/24"].GloballyReachable || blocks["2001::/23"].GloballyReachable, Is.False);
        Assert.That(
            new[] { "2001:1::1/128", "2001:1::2/128", "2001:1::3/128", "2001:3::/32", "2001:4:112::/48", "2001:20::/28", "2001:30::/28" }.Select(r => blocks[r].GloballyReachable),
            Is.All.True);
        Assert.That(blocks["2002::/16"].Embeds, Is.EqualTo(EmbeddedIPv4.SixToFour));
        Assert.That(blocks["2001::/32"].Embeds, Is.EqualTo(EmbeddedIPv4.Teredo));
        Assert.That(blocks["64:ff9b::/96"].Embeds, Is.EqualTo(EmbeddedIPv4.Nat64));
        Assert.That(blocks["64:ff9b:1::/48"].GloballyReachable, Is.False);
        Assert.That(SpecialPurposeAddresses.All.Select(b => b.Range).Distinct().Count(), Is.EqualTo(SpecialPurposeAddresses.All.Count), "one row per block");
    }

    [Test]
    public void Documentation_addresses_are_granted_only_where_the_policy_allows_them_by_name()
    {
        Assert.That(
            GrantAddressPolicy.DocumentationRanges.Select(r => r.ToString()),
            Is.EqualTo(new[] { "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32", "3fff::/20" }));
        foreach (var address in new[] { "192.0.2.1", "198.51.100.23", "203.0.113.7", "2001:db8:7::15", "3fff::1" })
        {
            Assert.That(GrantAddressPolicy.Default.TryGetGrantNetwork(IPAddress.Parse(address), out _, out var category), Is.False, address);
            Assert.That(category, Is.EqualTo(AddressCategory.Documentation));
            Assert.That(new GrantAddressPolicy(GrantAddressPolicy.DocumentationRanges).GetGrantNetwork(address), Is.EqualTo(Cidr.Host(IPAddress.Parse(address))));
        }

        var onlyTestNet3 = new GrantAddressPolicy([Cidr.Parse("203.0.113.0/24")]);
        Assert.That(onlyTestNet3.GetGrantNetwork("203.0.113.7"), Is.EqualTo(Cidr.Parse("203.0.113.7/32")));
        var error = Assert.Throws<EntraException>(() => onlyTestNet3.GetGrantNetwork("198.51.100.7"))!;
        Assert.That(error.Message, Does.Contain("198.51.100.7 is a documentation address (198.51.100.0/24, Documentation (TEST-NET-2), RFC 5737: not globally reachable) outside the allowed ranges"));
    }

    [TestCase("2001:1::1", "2001:1::1/128", Description = "public inside 2001::/23: a /64 would take in the rest")]
    [TestCase("2001:3::5", "2001:3::/64", Description = "AMT is a /32: a /64 stays inside")]
    [TestCase("2001:0:4136:e378:8000:63bf:f7f7:f7f7", "2001:0:4136:e378:8000:63bf:f7f7:f7f7/128", Description = "Teredo: a /64 would take in every client of the server")]
    [TestCase("64:ff9b::808:808", "64:ff9b::808:808/128", Description = "NAT64: a /64 would take in every IPv4 address, private ones too")]
    [TestCase("2002:808:808:1:2::3", "2002:808:808:1::/64", Description = "6to4: the /64 keeps the embedded 8.8.8.8")]
    [TestCase("2a01:4f8:1:2::3", "2a01:4f8:1:2::/64")]
    public void A_widened_IPv6_grant_stays_inside_its_block_and_its_embedded_address(string address, string expected)
    {
        Assert.That(new GrantAddressPolicy(ipv6GrantPrefixLength: 64).GetGrantNetwork(address), Is.EqualTo(Cidr.Parse(expected)));
    }

    [Test]
    public void The_default_category_is_not_one_that_is_granted()
    {
        Assert.That(default(AddressCategory), Is.EqualTo(AddressCategory.Unspecified));
    }

    [Test]
    public void An_IPv4_mapped_address_is_granted_as_IPv4()
    {
        var network = GrantAddressPolicy.Default.GetGrantNetwork(IPAddress.Parse("::ffff:8.8.8.8"));
        Assert.That(network, Is.EqualTo(Cidr.Parse("8.8.8.8/32")));
        Assert.That(network.IsIPv4, Is.True);

        // Mapped addresses are read as IPv4 even by a policy that widens IPv6.
        Assert.That(new GrantAddressPolicy(ipv6GrantPrefixLength: 64).GetGrantNetwork("::ffff:8.8.8.8"), Is.EqualTo(Cidr.Parse("8.8.8.8/32")));

        var refused = GrantAddressPolicy.Default.TryGetGrantNetwork(IPAddress.Parse("::ffff:10.0.0.1"), out var none, out var category);
        Assert.That((refused, none, category), Is.EqualTo((false, default(Cidr), AddressCategory.Private)));
        var error = Assert.Throws<EntraException>(() => GrantAddressPolicy.Default.GetGrantNetwork("::ffff:10.0.0.1"))!;
        Assert.That(error.Message, Does.Contain("10.0.0.1 is a private address (10.0.0.0/8, Private-Use, RFC 1918: not globally reachable)"));
    }

    [Test]
    public void IPv6_grants_are_hosts_by_default_and_widen_to_the_configured_prefix()
    {
        var address = IPAddress.Parse("2a01:4f8:1:2:a:b:c:d");
        Assert.That(GrantAddressPolicy.Default.GetGrantNetwork(address), Is.EqualTo(Cidr.Parse("2a01:4f8:1:2:a:b:c:d/128")));
        Assert.That(new GrantAddressPolicy(ipv6GrantPrefixLength: 64).GetGrantNetwork(address), Is.EqualTo(Cidr.Parse("2a01:4f8:1:2::/64")));
        Assert.That(new GrantAddressPolicy(ipv6GrantPrefixLength: 96).GetGrantNetwork(address), Is.EqualTo(Cidr.Parse("2a01:4f8:1:2:a:b::/96")));
        Assert.That(
            new GrantAddressPolicy(ipv6GrantPrefixLength: 64).GetGrantNetwork(IPAddress.Parse("2a01:4f8:1:2:ffff:ffff:ffff:ffff")),
            Is.EqualTo(Cidr.Parse("2a01:4f8:1:2::/64")),
            "a rotated privacy address lands in the same grant");
        Assert.That(new GrantAddressPolicy(ipv6GrantPrefixLength: 64).GetGrantNetwork(IPAddress.Parse("8.8.8.8")), Is.EqualTo(Cidr.Parse("8.8.8.8/32")));
    }

    [TestCase(63)]
    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(129)]
    public void The_IPv6_grant_prefix_is_64_to_128(int prefixLength)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new GrantAddressPolicy(ipv6GrantPrefixLength: prefixLength))!;
        Assert.That(error.ParamName, Is.EqualTo("ipv6GrantPrefixLength"));
    }

    [Test]
    public void The_default_policy_allows_no_private_range_and_grants_IPv6_hosts()
    {
        Assert.That(GrantAddressPolicy.Default.AllowedRanges, Is.Empty);
        Assert.That(GrantAddressPolicy.Default.IPv6GrantPrefixLength, Is.EqualTo(128));
        Assert.That(new GrantAddressPolicy(null).AllowedRanges.IsDefault, Is.False);
    }

    [Test]
    public void Allowed_ranges_are_kept_sorted_without_duplicates()
    {
        var policy = new GrantAddressPolicy([Cidr.Parse("fd00::/64"), Cidr.Parse("10.9.0.0/16"), Cidr.Parse("10.1.0.0/16"), Cidr.Parse("10.9.0.0/16")], 80);
        Assert.That(policy.AllowedRanges.Select(r => r.ToString()), Is.EqualTo(new[] { "10.1.0.0/16", "10.9.0.0/16", "fd00::/64" }));
        Assert.That(policy.IPv6GrantPrefixLength, Is.EqualTo(80));
    }

    [Test]
    public void A_private_address_is_granted_only_inside_an_allowed_range()
    {
        var policy = new GrantAddressPolicy(SomeAllowedRanges);

        Assert.That(policy.TryGetGrantNetwork(IPAddress.Parse("10.1.2.3"), out var network, out var category), Is.True);
        Assert.That((network, category), Is.EqualTo((Cidr.Parse("10.1.2.3/32"), AddressCategory.Private)));
        Assert.That(policy.GetGrantNetwork("10.1.255.255"), Is.EqualTo(Cidr.Parse("10.1.255.255/32")));
        Assert.That(policy.GetGrantNetwork("100.64.5.9"), Is.EqualTo(Cidr.Parse("100.64.5.9/32")));
        Assert.That(policy.GetGrantNetwork("192.168.7.128"), Is.EqualTo(Cidr.Parse("192.168.7.128/32")));
        Assert.That(policy.GetGrantNetwork("fd12:3456:789a:1::5"), Is.EqualTo(Cidr.Parse("fd12:3456:789a:1::5/128")));

        foreach (var outside in new[] { "10.2.0.1", "10.0.255.255", "100.64.6.0", "192.168.7.127", "172.16.0.1", "fd12:3456:789b::1" })
        {
            Assert.That(policy.TryGetGrantNetwork(IPAddress.Parse(outside), out var none, out _), Is.False, outside);
            Assert.That(none, Is.EqualTo(default(Cidr)));
            var error = Assert.Throws<EntraException>(() => policy.GetGrantNetwork(outside))!;
            Assert.That(error.Code, Is.EqualTo(EntraErrorCode.GrantRefused));
            Assert.That(error.Message, Does.Contain($"{outside} is a").And.Contain("outside the allowed ranges"));
        }

        // Allowing private space never opens anything else.
        Assert.That(policy.TryGetGrantNetwork(IPAddress.Loopback, out _, out var loopback), Is.False);
        Assert.That(loopback, Is.EqualTo(AddressCategory.Loopback));
    }

    [Test]
    public void A_widened_IPv6_grant_never_leaves_the_range_that_allowed_it()
    {
        var policy = new GrantAddressPolicy(SomeAllowedRanges, ipv6GrantPrefixLength: 64);
        Assert.That(policy.GetGrantNetwork("fd12:3456:789a:1::5"), Is.EqualTo(Cidr.Parse("fd12:3456:789a:1::/64")));
        Assert.That(policy.GetGrantNetwork("fd99::42"), Is.EqualTo(Cidr.Parse("fd99::/120")), "the allowed /120 is narrower than the /64");
        Assert.That(policy.TryGetGrantNetwork(IPAddress.Parse("fd99::100"), out _, out _), Is.False);
    }

    [TestCase("127.0.0.0/16", "loopback")]
    [TestCase("169.254.1.0/24", "link-local")]
    [TestCase("224.0.0.0/24", "multicast")]
    [TestCase("255.255.255.255/32", "broadcast")]
    [TestCase("8.8.8.0/24", "not wholly inside private or documentation address space")]
    [TestCase("172.0.0.0/10", "not wholly inside private or documentation address space")]
    [TestCase("203.0.112.0/23", "not wholly inside private or documentation address space")]
    [TestCase("198.18.0.0/16", "198.18.0.0/15, Benchmarking, RFC 2544")]
    [TestCase("fe80::/64", "link-local")]
    [TestCase("::1/128", "loopback")]
    [TestCase("10.0.0.0/8", "too wide")]
    [TestCase("0.0.0.0/0", "too wide")]
    [TestCase("::/0", "too wide")]
    [TestCase("fc00::/7", "too wide")]
    [TestCase("fd00::/8", "too wide")]
    [TestCase("::ffff:10.1.0.0/112", "allow 10.1.0.0/16 instead")]
    public void The_constructor_refuses_a_range_that_is_not_private_or_too_wide(string range, string why)
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new GrantAddressPolicy([Cidr.Parse("10.1.0.0/16"), Cidr.Parse(range)]))!;
        Assert.That(error.ParamName, Is.EqualTo("allowedRanges"));
        Assert.That(error.Message, Does.Contain(range).And.Contain(why));
    }

    [TestCase("10.0.0.0/9")]
    [TestCase("10.128.0.0/9")]
    [TestCase("172.16.0.0/12")]
    [TestCase("192.168.0.0/16")]
    [TestCase("100.64.0.0/10")]
    [TestCase("fc00::/9")]
    [TestCase("fd00::1/128")]
    [TestCase("10.1.2.3/32")]
    [TestCase("203.0.113.0/24")]
    [TestCase("198.51.100.128/25")]
    [TestCase("2001:db8::/32")]
    [TestCase("3fff::/20")]
    public void The_constructor_accepts_a_range_inside_private_or_documentation_space(string range)
    {
        Assert.That(new GrantAddressPolicy([Cidr.Parse(range)]).AllowedRanges, Is.EqualTo(new[] { Cidr.Parse(range) }));
    }

    [TestCase("10.1.2.3", "10.1.2.3 is a private address (10.0.0.0/8, Private-Use, RFC 1918: not globally reachable); only public addresses are granted unless the range is allowed in the options")]
    [TestCase("100.64.0.1", "100.64.0.1 is a carrier-grade NAT shared address (100.64.0.0/10, Shared Address Space, RFC 6598: not globally reachable); only public addresses are granted unless")]
    [TestCase("fd00::1", "fd00::1 is a unique local address (fc00::/7, Unique-Local, RFC 4193, RFC 8190: not globally reachable); only public addresses are granted unless")]
    [TestCase("127.0.0.1", "127.0.0.1 is a loopback address (127.0.0.0/8, Loopback, RFC 1122 §3.2.1.3: not globally reachable); only public addresses are granted, and this kind of address never is")]
    [TestCase("::1", "::1 is the loopback address (::1/128, Loopback Address, RFC 4291")]
    [TestCase("0.0.0.0", "0.0.0.0 is the unspecified address (0.0.0.0/32, \"This host on this network\"")]
    [TestCase("::", ":: is the unspecified address (::/128, Unspecified Address")]
    [TestCase("0.1.2.3", "0.1.2.3 is a 'this network' address (0.0.0.0/8, \"This network\", RFC 791 §3.2")]
    [TestCase("169.254.169.254", "169.254.169.254 is a link-local address (169.254.0.0/16, Link Local, RFC 3927")]
    [TestCase("fe80::1", "fe80::1 is a link-local address (fe80::/10, Link-Local Unicast, RFC 4291")]
    [TestCase("239.1.1.1", "239.1.1.1 is a multicast address (224.0.0.0/4, Multicast, RFC 5771")]
    [TestCase("ff02::1", "ff02::1 is a multicast address (ff00::/8, Multicast, RFC 4291")]
    [TestCase("255.255.255.255", "255.255.255.255 is the broadcast address (255.255.255.255/32, Limited Broadcast")]
    [TestCase("240.0.0.1", "240.0.0.1 is a reserved address (240.0.0.0/4, Reserved, RFC 1112 §4")]
    [TestCase("100::1", "100::1 is a reserved address (100::/64, Discard-Only Address Block, RFC 6666")]
    [TestCase("198.18.0.1", "198.18.0.1 is a special-purpose address (198.18.0.0/15, Benchmarking, RFC 2544: not globally reachable); only public addresses are granted, and this kind of address never is")]
    [TestCase("192.0.0.8", "192.0.0.8 is a special-purpose address (192.0.0.8/32, IPv4 dummy address, RFC 7600: not globally reachable)")]
    [TestCase("203.0.113.7", "203.0.113.7 is a documentation address (203.0.113.0/24, Documentation (TEST-NET-3), RFC 5737: not globally reachable); only public addresses are granted unless the range is allowed in the options")]
    [TestCase("3fff::7", "3fff::7 is a documentation address (3fff::/20, Documentation, RFC 9637")]
    [TestCase("2002:a00:1::1", "2002:a00:1::1 is a transition address (2002::/16, 6to4, RFC 3056) whose embedded address 10.0.0.1 is a private address (10.0.0.0/8, Private-Use, RFC 1918: not globally reachable); only public addresses are granted, and this kind of address never is")]
    [TestCase("2001:0:a00:1:8000:63bf:f7f7:f7f7", "is a transition address (2001::/32, TEREDO, RFC 4380, RFC 8190) whose server address 10.0.0.1 is a private address")]
    [TestCase("2001:0:4136:e378:8000:63bf:3fff:fdd2", "whose client address 192.0.2.45 is a documentation address (192.0.2.0/24, Documentation (TEST-NET-1), RFC 5737")]
    [TestCase("64:ff9b::a00:1", "64:ff9b::a00:1 is a transition address (64:ff9b::/96, IPv4-IPv6 Translat., RFC 6052) whose embedded address 10.0.0.1 is a private address")]
    [TestCase("4000::1", "4000::1 is a reserved address (4000::/3, Reserved by IETF, RFC 4291: not globally reachable)")]
    public void A_refusal_names_the_address_and_its_kind(string address, string expected)
    {
        foreach (var refuse in new Func<Cidr>[]
        {
            () => GrantAddressPolicy.Default.GetGrantNetwork(address),
            () => GrantAddressPolicy.Default.GetGrantNetwork(IPAddress.Parse(address)),
        })
        {
            var error = Assert.Throws<EntraException>(() => refuse())!;
            Assert.That(error.Code, Is.EqualTo(EntraErrorCode.GrantRefused));
            Assert.That(error.CodeText, Is.EqualTo("ENTRA059"));
            Assert.That(error.Message, Does.StartWith("(agent error #ENTRA059)").And.Contain(expected));
        }
    }

    [TestCase("203.0.113.7", "203.0.113.7/32")]
    [TestCase("8.8.8.8", "8.8.8.8/32")]
    [TestCase("1.0.0.0", "1.0.0.0/32")]
    [TestCase("223.255.255.255", "223.255.255.255/32")]
    [TestCase("2001:db8::7", "2001:db8::7/128")]
    [TestCase("2001:DB8:0:0:0:0:0:7", "2001:db8::7/128")]
    [TestCase("2606:4700:4700::1111", "2606:4700:4700::1111/128")]
    [TestCase("::ffff:203.0.113.7", "203.0.113.7/32")]
    [TestCase("::ffff:cb00:7107", "203.0.113.7/32")]
    public void Reads_a_bare_address(string text, string expected)
    {
        Assert.That(new GrantAddressPolicy(GrantAddressPolicy.DocumentationRanges).GetGrantNetwork(text), Is.EqualTo(Cidr.Parse(expected)));
    }

    [TestCase("")]
    [TestCase(" ")]
    [TestCase(" 203.0.113.7")]
    [TestCase("203.0.113.7 ")]
    [TestCase("203.0.113.7\n")]
    [TestCase("203.0. 113.7")]
    [TestCase("203.0.113.7/32")]
    [TestCase("203.0.113.0/24")]
    [TestCase("2001:db8::/64")]
    [TestCase("2001:db8::1/128")]
    [TestCase("fe80::1%eth0")]
    [TestCase("2001:db8::1%3")]
    [TestCase("[2001:db8::1]")]
    [TestCase("[2001:db8::1]:443")]
    [TestCase("203.0.113.7:443")]
    [TestCase("1")]
    [TestCase("3405803783")]
    [TestCase("0x7f.1")]
    [TestCase("0x7f000001")]
    [TestCase("127.1")]
    [TestCase("203.0.113")]
    [TestCase("010.0.0.1")]
    [TestCase("203.000.113.7")]
    [TestCase("0177.0.0.1")]
    [TestCase("203.0.113.7.1")]
    [TestCase("256.0.0.1")]
    [TestCase("203.0.113.-7")]
    [TestCase("203.0.113.7.")]
    [TestCase("example.com")]
    [TestCase("localhost")]
    [TestCase("2001:db8::1::2")]
    [TestCase("2001:db8:0:0:0:0:0:0:1")]
    [TestCase("12345::")]
    [TestCase(":::")]
    [TestCase("::ffff:203.0.113.07")]
    [TestCase("\u0662\u0660\u0663.0.113.7")]
    [TestCase("２０３.0.113.7")]
    public void Refuses_text_that_is_not_one_bare_address(string text)
    {
        var error = Assert.Throws<EntraException>(() => GrantAddressPolicy.Default.GetGrantNetwork(text))!;
        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.GrantRefused));
        Assert.That(error.Message, Does.Contain("is not an IP address"));
        Assert.That(error.Message, Does.Not.Contain('\n'));
        Assert.That(error.Message, Does.Not.Contain('\u0662'));
    }

    [Test]
    public void A_refusal_quotes_at_most_64_characters_of_the_text_escaped()
    {
        var hostile = "203.0.113.7\u202e\r\n" + new string('9', 100_000);
        var error = Assert.Throws<EntraException>(() => GrantAddressPolicy.Default.GetGrantNetwork(hostile))!;
        Assert.That(error.Message, Does.Contain("'203.0.113.7\\u202E\\u000D\\u000A" + new string('9', 64 - 29) + "... (100014 characters, #"));
        Assert.That(error.Message, Does.Contain("' is not an IP address"));
        Assert.That(error.Message, Does.Not.Contain(new string('9', 65)));
        Assert.That(error.Message.Length, Is.LessThan(500));
    }

    [Test]
    public void Null_is_a_programming_error()
    {
        Assert.Throws<ArgumentNullException>(() => GrantAddressPolicy.Default.GetGrantNetwork((string)null!));
        Assert.Throws<ArgumentNullException>(() => GrantAddressPolicy.Default.GetGrantNetwork((IPAddress)null!));
        Assert.Throws<ArgumentNullException>(() => GrantAddressPolicy.Default.TryGetGrantNetwork(null!, out _, out _));
        Assert.Throws<ArgumentNullException>(() => GrantAddressPolicy.Classify(null!));
    }

    [Test]
    public void Classify_agrees_with_the_reference_table()
    {
        Check(Prop.ForAll(Addresses(Reference.Select(e => e.Range)).ToArbitrary(), address =>
        {
            var expected = ReferenceClassify(address);
            var bits = address.IsIPv4MappedToIPv6 ? new Cidr(address, 128) : Cidr.Host(address);
            return GrantAddressPolicy.Classify(address) == expected && GrantAddressPolicy.Classify(bits) == expected;
        }), maxTest: 20000);
    }

    [Test]
    public void A_grant_is_always_a_narrow_network_holding_the_address_and_a_refusal_is_never_public()
    {
        var cases = Gen.Zip(Gen.Elements(Policies), Addresses(Reference.Select(e => e.Range).Concat(SomeAllowedRanges))).ToArbitrary();
        Check(Prop.ForAll(cases, c =>
        {
            var (policy, address) = c;
            var host = Cidr.Host(address);
            var granted = policy.TryGetGrantNetwork(address, out var network, out var category);
            var inAllowed = policy.AllowedRanges.Any(r => r.Contains(host));
            var allowable = category is AddressCategory.Private or AddressCategory.SharedAddressSpace or AddressCategory.UniqueLocal or AddressCategory.Documentation;
            var grantable = category == AddressCategory.Public || (allowable && inAllowed);

            if (category != ReferenceClassify(address) || granted != grantable)
            {
                return false;
            }

            // The string reader and the throwing form decide the same.
            var viaText = Decide(() => policy.GetGrantNetwork(address.ToString()));
            var viaAddress = Decide(() => policy.GetGrantNetwork(address));
            if (viaText != viaAddress || viaAddress != (granted ? network : null))
            {
                return false;
            }

            if (!granted)
            {
                return network == default;
            }

            var shape = network.IsIPv4
                ? network.PrefixLength == 32
                : category == AddressCategory.Public
                    ? network.PrefixLength >= policy.IPv6GrantPrefixLength
                        && ReferenceClassify(network.BaseAddress) == AddressCategory.Public
                        && ReferenceClassify(AddressBits.ToAddress(true, network.LastBits)) == AddressCategory.Public
                    : network.PrefixLength >= policy.IPv6GrantPrefixLength && policy.AllowedRanges.Any(r => r.Contains(network));
            return shape
                && network.PrefixLength > 8
                && network.Contains(address)
                && network.IsIPv4 == host.IsIPv4;
        }), maxTest: 20000);
    }

    private static Cidr? Decide(Func<Cidr> grant)
    {
        try
        {
            return grant();
        }
        catch (EntraException error) when (error.Code == EntraErrorCode.GrantRefused)
        {
            return null;
        }
    }

    /// <summary>
    /// The naive classifier: map IPv4-mapped addresses, then the most specific range of the table that holds it; a
    /// transition address is public when every IPv4 address it embeds is (read from the address's bytes).
    /// </summary>
    private static AddressCategory ReferenceClassify(IPAddress address)
    {
        var normalised = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var (range, category) in Reference)
        {
            if (range.Contains(normalised))
            {
                return category == AddressCategory.EmbeddedNonPublic && Embedded(normalised).All(v4 => ReferenceClassify(v4) == AddressCategory.Public)
                    ? AddressCategory.Public
                    : category;
            }
        }

        return AddressCategory.Public;
    }

    /// <summary>The IPv4 addresses a transition address embeds: 6to4 bytes 2-5, Teredo's server bytes 4-7 and its client's inverted last 4, NAT64's last 4.</summary>
    private static IEnumerable<IPAddress> Embedded(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return (bytes[0], bytes[1], bytes[2], bytes[3]) switch
        {
            (0x20, 0x02, _, _) => [new IPAddress(bytes[2..6])],
            (0x20, 0x01, 0x00, 0x00) => [new IPAddress(bytes[4..8]), new IPAddress(bytes[12..16].Select(b => (byte)~b).ToArray())],
            _ => [new IPAddress(bytes[12..16])],
        };
    }

    /// <summary>
    /// Addresses anywhere, and often at or just beside the edges of <paramref name="ranges"/>, some written as
    /// IPv4-mapped IPv6.
    /// </summary>
    private static Gen<IPAddress> Addresses(IEnumerable<Cidr> ranges)
    {
        var edges = ranges.ToArray();
        var word = Gen.Choose(int.MinValue, int.MaxValue).Select(i => (uint)i);
        var any128 =
            from a in word
            from b in word
            from c in word
            from d in word
            select ((UInt128)a << 96) | ((UInt128)b << 64) | ((UInt128)c << 32) | d;
        var anyIPv4 = word.Select(v => AddressBits.ToAddress(false, v));
        var anyIPv6 = any128.Select(v => AddressBits.ToAddress(true, v));
        var nearEdge =
            from range in Gen.Elements(edges)
            from edge in Gen.Choose(0, 2)
            from offset in Gen.Choose(-2, 2)
            from noise in any128
            select NearEdge(range, edge, offset, noise);
        var mapped = Gen.OneOf(anyIPv4, nearEdge.Where(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))
            .Select(a => a.MapToIPv6());
        return Gen.Frequency((2, anyIPv4), (2, anyIPv6), (5, nearEdge), (1, mapped));
    }

    private static IPAddress NearEdge(Cidr range, int edge, int offset, UInt128 noise)
    {
        var width = range.IsIPv6 ? UInt128.MaxValue : uint.MaxValue;
        var hostMask = ~Cidr.NetworkMask(range.IsIPv6, range.PrefixLength) & width;
        var bits = edge switch
        {
            0 => unchecked(range.Bits + (UInt128)(Int128)offset),
            1 => unchecked(range.LastBits + (UInt128)(Int128)offset),
            _ => range.Bits | (noise & hostMask),
        };
        return AddressBits.ToAddress(range.IsIPv6, bits & width);
    }
}
