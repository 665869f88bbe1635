using System.Net;
using System.Net.Sockets;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Tests.CidrAlgebra;

public class CidrTests
{
    [Test]
    public void Orders_IPv4_before_IPv6_then_by_address_then_by_prefix()
    {
        string[] sorted =
        [
            "0.0.0.0/0", "0.0.0.0/8", "10.0.0.0/8", "10.0.0.0/16", "255.255.255.255/32",
            "::/0", "::/128", "2001:db8::/32", "2001:db8::/48", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
        ];
        var shuffled = sorted.Reverse().Select(Cidr.Parse).ToList();
        shuffled.Sort();
        Assert.That(shuffled.Select(c => c.ToString()), Is.EqualTo(sorted));
        Assert.That(Cidr.Parse("10.0.0.0/8") < Cidr.Parse("::/0"), Is.True);
        Assert.That(Cidr.Parse("10.0.0.0/16") >= Cidr.Parse("10.0.0.0/8"), Is.True);
    }

    [Test]
    public void Equality_is_by_family_address_and_prefix()
    {
        var text = "10.0.0.0/8";
        Assert.That(Cidr.Parse(text), Is.EqualTo(Cidr.Parse(text.ToString())));
        Assert.That(Cidr.Parse("10.0.0.0/8") == Cidr.Parse("10.0.0.0/16"), Is.False);
        Assert.That(Cidr.Parse("0.0.0.0/0") != Cidr.Parse("::/0"), Is.True);
        Assert.That(Cidr.Parse("::ffff:1.2.3.4/128"), Is.Not.EqualTo(Cidr.Parse("1.2.3.4/32")));
        Assert.That(Cidr.Parse(text).GetHashCode(), Is.EqualTo(Cidr.Parse("10.0.0.0/8").GetHashCode()));
    }

    [Test]
    public void Exposes_its_parts()
    {
        var v6 = Cidr.Parse("2001:db8::/48");
        Assert.That(v6.BaseAddress, Is.EqualTo(IPAddress.Parse("2001:db8::")));
        Assert.That((v6.PrefixLength, v6.IsIPv6, v6.IsIPv4, v6.IsHost, v6.AddressFamily), Is.EqualTo((48, true, false, false, AddressFamily.InterNetworkV6)));
        var v4 = Cidr.Parse("192.0.2.1/32");
        Assert.That(v4.BaseAddress, Is.EqualTo(IPAddress.Parse("192.0.2.1")));
        Assert.That((v4.IsHost, v4.AddressFamily), Is.EqualTo((true, AddressFamily.InterNetwork)));
    }

    [Test]
    public void Constructor_refuses_host_bits_and_bad_prefix_lengths()
    {
        Assert.That(new Cidr(IPAddress.Parse("10.1.0.0"), 16).ToString(), Is.EqualTo("10.1.0.0/16"));
        Assert.Throws<ArgumentException>(() => _ = new Cidr(IPAddress.Parse("10.1.0.1"), 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Cidr(IPAddress.Parse("10.1.0.0"), 33));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Cidr(IPAddress.Parse("::"), 129));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Cidr(IPAddress.Parse("::"), -1));
        Assert.Throws<ArgumentNullException>(() => _ = new Cidr(null!, 8));
        Assert.That(new Cidr(IPAddress.Parse("::ffff:1.2.3.4"), 128).IsIPv6, Is.True, "a network keeps the family it was written in");
    }

    [Test]
    public void Host_maps_IPv4_mapped_IPv6_to_IPv4()
    {
        Assert.That(Cidr.Host(IPAddress.Parse("::ffff:1.2.3.4")).ToString(), Is.EqualTo("1.2.3.4/32"));
        Assert.That(Cidr.Host(IPAddress.Parse("2001:db8::1")).ToString(), Is.EqualTo("2001:db8::1/128"));
        Assert.That(Cidr.Host(IPAddress.Parse("203.0.113.9")).ToString(), Is.EqualTo("203.0.113.9/32"));
    }

    [TestCase("10.0.0.0/8", "10.255.255.255", true)]
    [TestCase("10.0.0.0/8", "11.0.0.0", false)]
    [TestCase("0.0.0.0/0", "255.255.255.255", true)]
    [TestCase("0.0.0.0/0", "::1", false)]
    [TestCase("1.2.3.0/24", "::ffff:1.2.3.4", true)]
    [TestCase("::ffff:0.0.0.0/96", "::ffff:1.2.3.4", false)]
    [TestCase("2001:db8::/32", "2001:db8:ffff::1", true)]
    [TestCase("2001:db8::/32", "2001:db9::", false)]
    [TestCase("::/0", "1.2.3.4", false)]
    [TestCase("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    public void Contains_an_address(string cidr, string address, bool expected)
    {
        Assert.That(Cidr.Parse(cidr).Contains(IPAddress.Parse(address)), Is.EqualTo(expected));
    }

    [TestCase("10.0.0.0/8", "10.1.0.0/16", true)]
    [TestCase("10.1.0.0/16", "10.0.0.0/8", false)]
    [TestCase("10.0.0.0/8", "10.0.0.0/8", true)]
    [TestCase("0.0.0.0/0", "::/0", false)]
    [TestCase("::/0", "2001:db8::/32", true)]
    public void Contains_a_network(string outer, string inner, bool expected)
    {
        Assert.That(Cidr.Parse(outer).Contains(Cidr.Parse(inner)), Is.EqualTo(expected));
    }

    [TestCase("10.0.0.0/8", "10.1.0.0/16", true)]
    [TestCase("10.1.0.0/16", "10.0.0.0/8", true)]
    [TestCase("10.1.0.0/16", "10.2.0.0/16", false)]
    [TestCase("10.0.0.0/8", "::a00:0/104", false)]
    [TestCase("2001:db8::/64", "2001:db8::5/128", true)]
    public void Overlaps_in_either_direction(string left, string right, bool expected)
    {
        Assert.That(Cidr.Parse(left).Overlaps(Cidr.Parse(right)), Is.EqualTo(expected));
    }

    [Test]
    public void Formats_into_spans_of_chars_and_UTF8_bytes()
    {
        var cidr = Cidr.Parse("2001:db8::/48");
        Span<char> chars = stackalloc char[64];
        Assert.That(cidr.TryFormat(chars, out var written), Is.True);
        Assert.That(chars[..written].ToString(), Is.EqualTo("2001:db8::/48"));
        Assert.That(cidr.TryFormat(chars[..5], out _), Is.False);
        Span<byte> bytes = stackalloc byte[64];
        Assert.That(cidr.TryFormat(bytes, out var bytesWritten), Is.True);
        Assert.That(System.Text.Encoding.UTF8.GetString(bytes[..bytesWritten]), Is.EqualTo("2001:db8::/48"));
        Assert.That(cidr.TryFormat(bytes[..12], out _), Is.False);
        Assert.That($"{cidr}", Is.EqualTo("2001:db8::/48"));
    }

    [Test]
    public void Default_is_the_whole_IPv4_space()
    {
        Assert.That(default(Cidr).ToString(), Is.EqualTo("0.0.0.0/0"));
    }
    [Test]
    public void Comparison_operators_agree_with_CompareTo_including_on_equal_networks()
    {
        var low = Cidr.Parse("10.0.0.0/8");
        var same = Cidr.Parse("10.0.0.0/8");
        var high = Cidr.Parse("10.0.0.0/16");
        Assert.That((low < high, low <= high, low > high, low >= high), Is.EqualTo((true, true, false, false)));
        Assert.That((high < low, high <= low, high > low, high >= low), Is.EqualTo((false, false, true, true)));
        Assert.That((low < same, low <= same, low > same, low >= same), Is.EqualTo((false, true, false, true)));
    }

    [Test]
    public void Non_generic_CompareTo_sorts_null_first_and_refuses_other_types()
    {
        IComparable cidr = Cidr.Parse("10.0.0.0/8");
        Assert.That(cidr.CompareTo(null), Is.Positive);
        Assert.That(cidr.CompareTo(Cidr.Parse("10.0.0.0/16")), Is.Negative);
        var error = Assert.Throws<ArgumentException>(() => cidr.CompareTo("10.0.0.0/8"));
        Assert.That(error!.ParamName, Is.EqualTo("obj"));
        Assert.That(error.Message, Does.Contain("not a Cidr"));
    }

    [Test]
    public void Equality_compares_both_halves_of_an_IPv6_address()
    {
        var a = Cidr.Parse("::1/128");
        var b = Cidr.Parse("1::1/128");
        var c = Cidr.Parse("1::/128");
        Assert.That(a.Equals(b) || a == b, Is.False);
        Assert.That(b.Equals(c) || b == c, Is.False);
        Assert.That(a.Equals(Cidr.Parse("0:0::1/128")), Is.True);
    }

    [TestCase("::/32", false)]
    [TestCase("::1/128", true)]
    [TestCase("1.2.3.4/32", true)]
    [TestCase("1.2.3.0/31", false)]
    [TestCase("2001:db8::/127", false)]
    public void IsHost_uses_the_width_of_the_family(string text, bool isHost)
    {
        Assert.That(Cidr.Parse(text).IsHost, Is.EqualTo(isHost));
    }

    [Test]
    public void Contains_address_refuses_null_with_ArgumentNullException()
    {
        var error = Assert.Throws<ArgumentNullException>(() => Cidr.Parse("10.0.0.0/8").Contains((IPAddress)null!));
        Assert.That(error!.ParamName, Is.EqualTo("address"));
    }

    [Test]
    public void Constructor_names_the_prefix_and_address_when_host_bits_are_set()
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new Cidr(IPAddress.Parse("10.1.0.0"), 8));
        Assert.That(error!.ParamName, Is.EqualTo("baseAddress"));
        Assert.That(error.Message, Does.Contain("/8").And.Contain("10.1.0.0"));
    }

    [Test]
    public void UTF16_formatting_fits_a_destination_of_exactly_the_text_length()
    {
        var cidr = Cidr.Parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
        var exact = new char[43];
        Assert.That(cidr.TryFormat(exact, out var written), Is.True);
        Assert.That((written, new string(exact)), Is.EqualTo((43, cidr.ToString())));
        Assert.That(cidr.TryFormat(new char[42], out var none), Is.False);
        Assert.That(none, Is.Zero);
    }

    [Test]
    public void UTF8_formatting_fits_exactly_and_writes_nothing_past_the_text()
    {
        var cidr = Cidr.Parse("192.0.2.0/24");
        var exact = new byte[12];
        Assert.That(cidr.TryFormat(exact, out var written), Is.True);
        Assert.That(written, Is.EqualTo(12));
        Assert.That(System.Text.Encoding.ASCII.GetString(exact), Is.EqualTo("192.0.2.0/24"));

        var roomy = Enumerable.Repeat((byte)0xAA, 20).ToArray();
        Assert.That(cidr.TryFormat(roomy, out written), Is.True);
        Assert.That(roomy[12..], Is.All.EqualTo((byte)0xAA));

        Assert.That(cidr.TryFormat(new byte[11], out var none), Is.False);
        Assert.That(none, Is.Zero);
    }
}
