using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using static Knocknoc.Entra.Sdk.Tests.CidrAlgebra.CidrGenerators;

namespace Knocknoc.Entra.Sdk.Tests.CidrAlgebra;

/// <summary>
/// The parser's quick paths, each held to exactly the text it is meant to take. Through the public calls a quick path
/// that declines too much is invisible (the general parser reads the text the same, only slower), so the public tests
/// cannot tell it from one that works; these can. And the general parser, driven without the quick path in front of
/// it, reads every text as the whole parser does, though the quick path hides its handling of the common case.
/// </summary>
public class CidrQuickPathTests
{
    private static readonly string[] Fixed =
    [
        "0.0.0.0/0", "255.255.255.255/32", "100.100.100.100/32", "1.2.3.4/32", "10.0.0.0/8", "192.168.0.0/16",
        "9.9.9.9/32", "99.99.99.99/32", "128.0.0.0/1", "0.0.0.0/32", "0.0.0.0/00", "00.0.0.0/0", "0.0.0.0/", "/0",
        "0.0.0.0/33", "0.0.0.0/320", "256.0.0.0/8", "255.255.255.256/32", "1.2.3.4/31", "1.2.3.4/3 ", " 1.2.3.4/32",
        "1.2.3/24", "1.2.3.4.5/32", "1..2.3/24", "1.2.3.4//32", "1.2.3.4/3a", "1.2.3.4/:2", "1.2.3.4/0", "1000.0.0.0/8",
        "::/0", "::/128", "::1/128", "1::/16", "1:2:3:4:5:6:7::/128", "::2:3:4:5:6:7:8/128", "1:2:3:4:5:6:7:8/128",
        "1:2:3:4:5:6:7:8::/128", "1::2::/32", ":1::/16", "1:::/16", "ffff::/16", "FFFF::/16", "fffff::/16", "::/129",
        "::/00", "::/01", "::/1000", "::/", "::", "2001:db8::/32", "2001:db8::/31", "2001:DB8:0:0:0:0:0:0/32",
        "::ffff:1.2.3.4/128", "0000:0000:0000:0000:0000:0000:0000:0000/128", "g::/16", "1:2:3:4:5:6:7:8:9/128",
    ];

    private static Gen<string> Texts { get; } =
        Gen.Frequency((1, Gen.Elements(Fixed)), (3, CanonicalIPv4Text), (4, NearIPv4Text), (4, NearIPv6Text), (1, AnyCidr.Select(c => c.ToString())));

    [Test]
    public void The_quick_IPv4_readers_take_exactly_the_canonical_IPv4_CIDRs()
    {
        Check(Prop.ForAll(Texts.ToArbitrary(), text =>
        {
            var canonical = Cidr.TryParse(text, out var expected) && expected.IsIPv4 && expected.ToString() == text;
            var utf8 = Encoding.UTF8.GetBytes(text);
            var byUtf8 = CidrParser.TryParseCanonicalIPv4Utf8(utf8, out var fromUtf8);
            var byChars = CidrParser.TryParseCanonicalIPv4(text.AsSpan(), out var fromChars);
            var byBytes = CidrParser.TryParseCanonicalIPv4<byte>(utf8, out var fromBytes);
            Assert.Multiple(() =>
            {
                Assert.That(byUtf8, Is.EqualTo(canonical), $"UTF-8 quick path on '{text}'");
                Assert.That(byChars, Is.EqualTo(canonical), $"UTF-16 quick path on '{text}'");
                Assert.That(byBytes, Is.EqualTo(canonical), $"ASCII quick path on '{text}'");
            });
            return !canonical || (fromUtf8 == expected && fromChars == expected && fromBytes == expected);
        }), maxTest: 20000);
    }

    [Test]
    public void The_quick_IPv6_reader_takes_exactly_the_strict_IPv6_CIDRs_written_in_hex_groups()
    {
        Check(Prop.ForAll(Texts.ToArbitrary(), text =>
        {
            // Embedded IPv4 ("::ffff:1.2.3.4/128") is the one strict IPv6 form left to the general parser.
            var taken = Cidr.TryParse(text, out var expected) && expected.IsIPv6 && !text.Contains('.', StringComparison.Ordinal);
            var quick = CidrParser.TryParseQuickIPv6Utf8(Encoding.UTF8.GetBytes(text), out var read);
            Assert.That(quick, Is.EqualTo(taken), $"quick IPv6 path on '{text}'");
            return !taken || read == expected;
        }), maxTest: 20000);
    }

    [Test]
    public void The_quick_line_reader_takes_exactly_a_canonical_IPv4_CIDR_and_its_line_end()
    {
        var windows =
            from line in Texts
            from end in Gen.Elements("\n", "\r\n", "\r", string.Empty, " \n", "\r\r\n", "/\n")
            from padding in Gen.ArrayOf(Gen.Elements("0123456789./\r\n\u00e9\u0661 ".ToCharArray()), CidrParser.QuickLineWindow)
            from damage in Gen.Frequency((3, Gen.Constant(-1)), (1, Gen.Choose(0, 19)))
            from junk in Gen.Choose(0, 255)
            select Window(line + end, new string(padding), damage, (byte)junk);
        Check(Prop.ForAll(windows.ToArbitrary(), window =>
        {
            var newline = Array.IndexOf(window, (byte)'\n');
            var line = newline < 0 ? [] : window[..(newline > 0 && window[newline - 1] == '\r' ? newline - 1 : newline)];
            var expected = default(Cidr);
            var canonical = newline >= 0 && Cidr.TryParse(line, out expected) && expected.IsIPv4
                && Encoding.UTF8.GetBytes(expected.ToString()).AsSpan().SequenceEqual(line);
            var quick = CidrParser.TryReadIPv4Line(window, out var read, out var length);
            Assert.That(quick, Is.EqualTo(canonical), $"quick line reader on '{Encoding.Latin1.GetString(window)}'");
            return !canonical || (read == expected && length == newline + 1);
        }), maxTest: 20000);
    }

    [Test]
    public void The_general_parser_reads_every_text_as_the_whole_parser_does()
    {
        Check(Prop.ForAll(Texts.ToArbitrary(), Gen.Elements(false, true).ToArbitrary(), (text, lenient) =>
        {
            if (text.Length == 0 || text.Trim().Length != text.Length || text.Length > CidrParser.MaxInputLength)
            {
                return true;
            }

            var whole = CidrParser.TryParseCidr(text, lenient, out var expected, out var expectedChanges);
            var chars = CidrNormalizations.None;
            var byChars = CidrParser.TryParseGeneral(text.AsSpan(), lenient, ref chars, out var fromChars);
            var bytes = CidrNormalizations.None;
            var byBytes = CidrParser.TryParseGeneral<byte>(Encoding.ASCII.GetBytes(text), lenient, ref bytes, out var fromBytes);
            Assert.Multiple(() =>
            {
                Assert.That(byChars, Is.EqualTo(whole), $"general parser on '{text}'");
                Assert.That(byBytes, Is.EqualTo(whole), $"general parser on the bytes of '{text}'");
            });
            return whole != CidrParseError.None
                || (fromChars == expected && fromBytes == expected && chars == expectedChanges && bytes == expectedChanges);
        }), maxTest: 20000);
    }

    /// <summary>A 32-byte window: the line, then padding; with <paramref name="damage"/> at or above 0, one byte of it replaced.</summary>
    private static byte[] Window(string line, string padding, int damage, byte junk)
    {
        var window = Encoding.UTF8.GetBytes(line + padding)[..CidrParser.QuickLineWindow];
        if (damage >= 0)
        {
            window[damage] = junk;
        }

        return window;
    }
}
