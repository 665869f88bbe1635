using System.Text;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Tests.CidrAlgebra;

public class CidrParsingTests
{
    [Test]
    public void Every_byte_or_character_in_a_group_of_an_IPv6_CIDR_is_a_hex_digit_or_declined()
    {
        for (var value = 0; value < 256; value++)
        {
            var utf8 = "2001:db8::a1/128"u8.ToArray();
            utf8[^6] = (byte)value;
            var c = (char)value;
            var hex = c is >= '0' and <= '9' or >= 'a' and <= 'f' or >= 'A' and <= 'F';
            var accepted = Cidr.TryParse(utf8, out var cidr);

            Assert.That(accepted, Is.EqualTo(hex), $"byte {value}");
            if (hex)
            {
                Assert.That(cidr.Bits & 0xFFFF, Is.EqualTo((UInt128)Convert.ToUInt16($"{c}1", 16)), $"byte {value}");
            }
        }

        // The general reader (UTF-16) uses the same hex-digit rule: every other character, up to U+FFFF, is declined.
        for (var value = 0; value <= char.MaxValue; value++)
        {
            var c = (char)value;
            var hex = c is >= '0' and <= '9' or >= 'a' and <= 'f' or >= 'A' and <= 'F';
            Assert.That(Cidr.TryParse($"2001:db8::{c}1/128", out _), Is.EqualTo(hex), $"character {value}");
        }
    }

    [TestCase("0.0.0.0/0")]
    [TestCase("203.0.113.0/24")]
    [TestCase("255.255.255.255/32")]
    [TestCase("10.0.0.0/8")]
    [TestCase("::/0")]
    [TestCase("::1/128")]
    [TestCase("2001:db8::/32")]
    [TestCase("2001:db8::1/128")]
    [TestCase("2001:db8:0:1::/64")]
    [TestCase("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128")]
    [TestCase("::ffff:0.0.0.0/96")]
    [TestCase("::ffff:1.2.3.4/128")]
    [TestCase("1:0:0:2::/64")]
    [TestCase("2001:db8::1:0:0:1/128")]
    public void Canonical_text_round_trips_unchanged(string text)
    {
        var cidr = Cidr.Parse(text);
        Assert.That(cidr.ToString(), Is.EqualTo(text));
        Assert.That(Cidr.Parse(Encoding.UTF8.GetBytes(text)), Is.EqualTo(cidr));
    }

    [TestCase("2001:0DB8:0000:0000:0000:0000:0000:0000/32", "2001:db8::/32")]
    [TestCase("2001:0:9d38:90d6:0:0:0:0/63", "2001:0:9d38:90d6::/63")]
    [TestCase("0:0:0:0:0:0:0:1/128", "::1/128")]
    [TestCase("1:0:0:2:0:0:0:3/128", "1:0:0:2::3/128")]
    [TestCase("2001:db8:0:0:1:0:0:0/128", "2001:db8:0:0:1::/128")]
    [TestCase("::ffff:0:0/96", "::ffff:0.0.0.0/96")]
    [TestCase("::ffff:102:304/128", "::ffff:1.2.3.4/128")]
    [TestCase("::1.2.3.4/128", "::102:304/128")]
    [TestCase("1:2:3:4:5:6:7::/128", "1:2:3:4:5:6:7:0/128")]
    [TestCase("2001:db8:0:0:0:0:2:1/128", "2001:db8::2:1/128")]
    [TestCase("2001:db8::1:0:0:0:1/128", "2001:db8:0:1::1/128")]
    public void Uncompressed_or_unusual_IPv6_is_read_strictly_and_formatted_canonically(string text, string canonical)
    {
        Assert.That(Cidr.Parse(text).ToString(), Is.EqualTo(canonical));
    }

    [TestCase("", "empty")]
    [TestCase("   ", "empty")]
    [TestCase(" 1.2.3.0/24", "whitespace")]
    [TestCase("1.2.3.4", "prefix-length")]
    [TestCase("2001:db8::1", "prefix-length")]
    [TestCase("1.2.3.0/33", "out of range for IPv4 (0-32)")]
    [TestCase("2001:db8::/129", "out of range for IPv6 (0-128)")]
    [TestCase("1.2.3.0/-1", "prefix length is not a decimal")]
    [TestCase("1.2.3.0/", "prefix length is not a decimal")]
    [TestCase("1.2.3.0/024", "prefix length is not a decimal")]
    [TestCase("1.2.3.0/2x", "prefix length is not a decimal")]
    [TestCase("1.2.3.0/1000", "out of range for IPv4")]
    [TestCase("2001:db8::/99999999999999999999", "out of range for IPv6")]
    [TestCase("12.34.221.11/22", "bits are set after the prefix length")]
    [TestCase("2001:db8::1/64", "bits are set after the prefix length")]
    [TestCase("256.0.0.0/8", "address part")]
    [TestCase("1.2.3/24", "address part")]
    [TestCase("1.2.3.4.5/32", "address part")]
    [TestCase("010.0.0.0/8", "address part")]
    [TestCase("1.2.3.04/32", "address part")]
    [TestCase("0x0A.0.0.0/8", "address part")]
    [TestCase("1.2.3.-4/32", "address part")]
    [TestCase("1..2.3/32", "address part")]
    [TestCase("a.b.c.d/32", "address part")]
    [TestCase("/24", "address part")]
    [TestCase("1:2:3:4:5:6:7:8:9/128", "address part")]
    [TestCase("1:2:3:4:5:6:7/128", "address part")]
    [TestCase("1::2::3/128", "address part")]
    [TestCase(":::/0", "address part")]
    [TestCase(":1::/16", "address part")]
    [TestCase("1::2:/128", "address part")]
    [TestCase("12345::/16", "address part")]
    [TestCase("fe80::1%eth0/128", "address part")]
    [TestCase("g::/16", "address part")]
    [TestCase("::ffff:1.2.3.4.5/128", "address part")]
    [TestCase("1:2:3:4:5:6:7:1.2.3.4/128", "address part")]
    [TestCase("::1.2.3/128", "address part")]
    [TestCase("1.2.3.4/32/32", "prefix length is not a decimal")]
    [TestCase("１.2.3.4/32", "address part")]
    public void Malformed_text_is_refused_with_a_reason(string text, string reason)
    {
        Assert.That(Cidr.TryParse(text, out var result), Is.False);
        Assert.That(result, Is.EqualTo(default(Cidr)));
        var error = Assert.Throws<FormatException>(() => Cidr.Parse(text));
        Assert.That(error!.Message, Does.Contain(reason));
        Assert.That(Cidr.TryParse(Encoding.UTF8.GetBytes(text), out _), Is.False);
    }

    [Test]
    public void Overlong_input_is_refused_without_quoting_all_of_it()
    {
        var text = new string('1', 100_000) + "/32";
        Assert.That(Cidr.TryParse(text, out _), Is.False);
        Assert.That(Cidr.TryParseLenient(text, out _, out _), Is.False);
        var error = Assert.Throws<FormatException>(() => Cidr.Parse(text));
        Assert.That(error!.Message, Does.Contain("longer than 256"));
        Assert.That(error.Message, Has.Length.LessThan(200));
    }

    [Test]
    public void Null_string_is_refused_by_TryParse_and_Parse_throws_FormatException()
    {
        Assert.That(Cidr.TryParse((string?)null, out _), Is.False);
        Assert.Throws<FormatException>(() => Cidr.Parse((string)null!));
    }

    [Test]
    public void Invalid_UTF8_is_refused()
    {
        byte[] text = [(byte)'1', 0xFF, (byte)'/', (byte)'8'];
        Assert.That(Cidr.TryParse(text, out _), Is.False);
        var error = Assert.Throws<FormatException>(() => Cidr.Parse(text));
        Assert.That(error!.Message, Does.Contain("UTF-8"));
    }

    [TestCase("12.34.221.11/22", "12.34.220.0/22", CidrNormalizations.HostBitsCleared)]
    [TestCase("  203.0.113.7/32\t", "203.0.113.7/32", CidrNormalizations.SurroundingWhitespaceRemoved)]
    [TestCase(" 2001:0DB8:0:0:0:0:0:1/64 ", "2001:db8::/64", CidrNormalizations.SurroundingWhitespaceRemoved | CidrNormalizations.HostBitsCleared)]
    [TestCase("2001:0:9d38:90d6:0:0:0:0/63", "2001:0:9d38:90d6::/63", CidrNormalizations.None)]
    [TestCase("255.255.255.255/0", "0.0.0.0/0", CidrNormalizations.HostBitsCleared)]
    public void Lenient_reader_accepts_what_Entra_may_hold_and_reports_it_normalised(string text, string canonical, CidrNormalizations expected)
    {
        Assert.That(Cidr.TryParseLenient(text, out var cidr, out var changes), Is.True);
        Assert.That(cidr.ToString(), Is.EqualTo(canonical));
        Assert.That(changes, Is.EqualTo(expected));
        Assert.That(Cidr.TryParseLenient(Encoding.UTF8.GetBytes(text), out var fromUtf8, out var utf8Changes), Is.True);
        Assert.That((fromUtf8, utf8Changes), Is.EqualTo((cidr, changes)));
        Assert.That(Cidr.ParseLenient(text), Is.EqualTo(cidr));
    }

    [TestCase("1.2.3.4")]
    [TestCase(" ")]
    [TestCase("1.2.3.0/33")]
    [TestCase("not a cidr")]
    public void Lenient_reader_still_refuses_what_is_not_a_CIDR(string text)
    {
        Assert.That(Cidr.TryParseLenient(text, out _, out _), Is.False);
        Assert.Throws<FormatException>(() => Cidr.ParseLenient(text));
    }

    [Test]
    public void Generic_parsing_interfaces_use_the_strict_reader()
    {
        Assert.That(ParseVia<Cidr>("192.0.2.0/24"), Is.EqualTo(Cidr.Parse("192.0.2.0/24")));
        Assert.That(TryParseVia<Cidr>("192.0.2.1/24"), Is.False);
    }

    private static T ParseVia<T>(string text)
        where T : ISpanParsable<T> => T.Parse(text.AsSpan(), null);

    private static bool TryParseVia<T>(string text)
        where T : ISpanParsable<T> => T.TryParse(text.AsSpan(), null, out _);
    // Texts shaped like a canonical IPv4 CIDR in every way but one: the quick path must not take them.
    [TestCase("00.00.00.00/0", "address part")]
    [TestCase("0a0a0a0a0", "prefix-length")]
    [TestCase("0.0.0.0.0", "prefix-length")]
    [TestCase("0/0/0/0/0", "address part")]
    [TestCase("0.0.0.0//", "prefix length is not a decimal")]
    [TestCase("0.0.0.0/0/", "prefix length is not a decimal")]
    [TestCase("0.0.0.0/00", "prefix length is not a decimal")]
    [TestCase("10.0.0.0/08", "prefix length is not a decimal")]
    [TestCase("0.0.0.0/4294967296", "out of range for IPv4")]
    [TestCase("1.2.3.0/4294967320", "out of range for IPv4")]
    [TestCase("::/4294967296", "out of range for IPv6")]
    [TestCase("0.0.0.0/33", "out of range for IPv4")]
    [TestCase("255.255.255.255/33", "out of range for IPv4")]
    [TestCase("255.255.255.256/32", "address part")]
    [TestCase("::/129", "out of range for IPv6")]
    [TestCase("::/1280", "out of range for IPv6")]
    [TestCase("\u0131.2.3.4/32", "address part")]
    [TestCase("1.2.3.\u0134/32", "address part")]
    [TestCase("1.2.3.0\u012f24", "prefix-length")]
    public void Near_canonical_text_is_refused_with_the_exact_reason(string escaped, string reason)
    {
        var text = System.Text.RegularExpressions.Regex.Unescape(escaped);
        Assert.That(Cidr.TryParse(text, out var result), Is.False);
        Assert.That(result, Is.EqualTo(default(Cidr)));
        var error = Assert.Throws<FormatException>(() => Cidr.Parse(text));
        Assert.That(error!.Message, Does.Contain(reason));
        var utf8 = Encoding.UTF8.GetBytes(text);
        Assert.That(Cidr.TryParse(utf8, out _), Is.False);
        Assert.That(Assert.Throws<FormatException>(() => Cidr.Parse(utf8))!.Message, Does.Contain(reason));
        Assert.That(Cidr.TryParseLenient(text, out _, out _), Is.False);
    }

    [TestCase("0.0.0.0/32", "0.0.0.0/32")]
    [TestCase("255.255.255.255/32", "255.255.255.255/32")]
    [TestCase("0.0.0.0/9", "0.0.0.0/9")]
    [TestCase("1:2:3:4:5:6:1.2.3.4/128", "1:2:3:4:5:6:102:304/128")]
    [TestCase("::1:2:3:4:5:1.2.3.4/128", "0:1:2:3:4:5:102:304/128")]
    [TestCase("1::1.2.3.4/128", "1::102:304/128")]
    [TestCase("::ffff:255.255.255.255/128", "::ffff:255.255.255.255/128")]
    [TestCase("::/128", "::/128")]
    [TestCase("ffff::/128", "ffff::/128")]
    [TestCase("0:0:0:0:ffff:0:0:0/128", "::ffff:0:0:0/128")]
    [TestCase("1:0:0:0:0:0:0:0/128", "1::/128")]
    [TestCase("1:0:1:0:1:0:1:0/128", "1:0:1:0:1:0:1:0/128")]
    [TestCase("0:0:1:0:0:1:0:0/128", "::1:0:0:1:0:0/128")]
    [TestCase("1:0:0:1:0:0:0:1/128", "1:0:0:1::1/128")]
    [TestCase("1:2:3:4:5:6:0:0/128", "1:2:3:4:5:6::/128")]
    [TestCase("0:1:2:3:4:5:6:7/128", "0:1:2:3:4:5:6:7/128")]
    public void Boundary_addresses_parse_and_format_canonically(string text, string canonical)
    {
        var cidr = Cidr.Parse(text);
        Assert.That(cidr.ToString(), Is.EqualTo(canonical));
        Assert.That(Cidr.Parse(Encoding.UTF8.GetBytes(text)), Is.EqualTo(cidr));
        Assert.That(Cidr.Parse(canonical), Is.EqualTo(cidr));
    }

    [Test]
    public void Strict_UTF8_parse_refuses_what_only_the_lenient_reader_accepts()
    {
        var error = Assert.Throws<FormatException>(() => Cidr.Parse("12.34.221.11/22"u8));
        Assert.That(error!.Message, Does.Contain("bits are set"));
        Assert.Throws<FormatException>(() => Cidr.Parse(" 10.0.0.0/8"u8));
        Assert.That(Cidr.Parse("10.0.0.0/8"u8), Is.EqualTo(Cidr.Parse("10.0.0.0/8")));
    }

    [Test]
    public void Input_of_exactly_the_length_limit_is_read_and_one_more_is_too_long()
    {
        var limit = new string(' ', 256 - "10.0.0.0/8".Length) + "10.0.0.0/8";
        Assert.That(limit, Has.Length.EqualTo(256));
        Assert.That(Cidr.TryParseLenient(limit, out var cidr, out var changes), Is.True);
        Assert.That((cidr.ToString(), changes), Is.EqualTo(("10.0.0.0/8", CidrNormalizations.SurroundingWhitespaceRemoved)));
        Assert.That(Cidr.TryParseLenient(Encoding.UTF8.GetBytes(limit), out var fromUtf8, out _), Is.True);
        Assert.That(fromUtf8, Is.EqualTo(cidr));

        var over = " " + limit;
        Assert.That(Cidr.TryParseLenient(over, out _, out _), Is.False);
        Assert.That(Cidr.TryParseLenient(Encoding.UTF8.GetBytes(over), out _, out _), Is.False);
        Assert.That(Assert.Throws<FormatException>(() => Cidr.Parse(Encoding.UTF8.GetBytes(over)))!.Message, Does.Contain("longer than 256"));
    }

    [Test]
    public void Error_message_quotes_up_to_64_characters_whole_and_cuts_longer_text()
    {
        var exactly64 = new string('x', 64);
        var message = Assert.Throws<FormatException>(() => Cidr.Parse(exactly64))!.Message;
        Assert.That(message, Does.StartWith("'" + exactly64 + "'"));

        var longer = new string('y', 65);
        message = Assert.Throws<FormatException>(() => Cidr.Parse(longer))!.Message;
        Assert.That(message, Does.StartWith("'" + new string('y', 64) + "...'"));
    }
}
