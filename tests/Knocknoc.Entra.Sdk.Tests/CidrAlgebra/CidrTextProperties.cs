using System.Net;
using FsCheck.Fluent;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using static Knocknoc.Entra.Sdk.Tests.CidrAlgebra.CidrGenerators;

namespace Knocknoc.Entra.Sdk.Tests.CidrAlgebra;

/// <summary>Parse and format round trips, and the platform's own parser as a second opinion.</summary>
public class CidrTextProperties
{
    [Test]
    public void Format_then_parse_round_trips_in_chars_and_UTF8()
    {
        Check(Prop.ForAll(AnyCidr.ToArbitrary(), cidr =>
        {
            var text = cidr.ToString();
            return Cidr.Parse(text) == cidr
                && Cidr.Parse(System.Text.Encoding.UTF8.GetBytes(text)) == cidr
                && Cidr.TryParseLenient($" {text}\t", out var lenient, out _) && lenient == cidr;
        }), maxTest: 5000);
    }

    [Test]
    public void The_platform_reads_our_text_as_the_same_network_and_writes_IPv6_the_same_way()
    {
        Check(Prop.ForAll(AnyCidr.ToArbitrary(), cidr =>
        {
            var text = cidr.ToString();
            var platform = IPNetwork.Parse(text);
            var same = platform.BaseAddress.Equals(cidr.BaseAddress) && platform.PrefixLength == cidr.PrefixLength;

            // RFC 5952 and the platform agree except on embedded-IPv4 forms (::/96 and ::ffff:0:0/96).
            var upper96 = cidr.Bits >> 32;
            var comparable = !cidr.IsIPv6 || (upper96 != 0 && upper96 != 0xFFFF);
            return same && (!comparable || platform.ToString() == text);
        }), maxTest: 5000);
    }

    [Test]
    public void Uncompressed_upper_case_IPv6_with_host_bits_reads_leniently_as_the_canonical_network()
    {
        var cases = Gen.Zip(AnyCidr.Where(c => c.IsIPv6), Gen.Choose(0, int.MaxValue)).ToArbitrary();
        Check(Prop.ForAll(cases, c =>
        {
            var (cidr, noise) = c;
            var hostBits = ~Cidr.NetworkMask(true, cidr.PrefixLength) & (UInt128)(uint)noise;
            var words = Enumerable.Range(0, 8).Select(i => ((ushort)((cidr.Bits | hostBits) >> (112 - (16 * i)))).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            var text = $"{string.Join(':', words)}/{cidr.PrefixLength}";
            var ok = Cidr.TryParseLenient(text, out var read, out var changes);
            var expected = hostBits == 0 ? CidrNormalizations.None : CidrNormalizations.HostBitsCleared;
            return ok && read == cidr && changes == expected && Cidr.TryParse(text, out _) == (hostBits == 0);
        }));
    }

    [Test]
    public void Arbitrary_text_never_throws_and_what_is_accepted_the_platform_accepts_too()
    {
        var alphabet = "0123456789abcdefABCDEF:./ %-x\u0661".ToCharArray();
        var texts = Gen.ArrayOf(Gen.Elements(alphabet)).Select(chars => new string(chars))
            .Or(AnyCidr.SelectMany(c => Gen.Choose(0, 40), (c, cut) => Mutate(c.ToString(), cut)))
            .ToArbitrary();
        Check(Prop.ForAll(texts, text =>
        {
            var strict = Cidr.TryParse(text, out var cidr);
            var lenient = Cidr.TryParseLenient(text, out var normalised, out _);
            if (!strict)
            {
                Assert.Throws<FormatException>(() => Cidr.Parse(text));
                return !lenient || Cidr.TryParse(normalised.ToString(), out _);
            }

            return lenient && normalised == cidr && IPNetwork.TryParse(text, out var platform)
                && platform.BaseAddress.Equals(cidr.BaseAddress) && platform.PrefixLength == cidr.PrefixLength;
        }), maxTest: 10000);
    }

    [Test]
    public void UTF8_text_near_an_IPv4_CIDR_reads_as_its_UTF16_form_does()
    {
        // The UTF-8 quick path for canonical IPv4 must accept exactly what the general parser accepts as such.
        Check(Prop.ForAll(NearIPv4Text.ToArbitrary(), ReadsInUTF8AsInUTF16), maxTest: 10000);
    }

    [Test]
    public void UTF8_text_near_an_IPv6_CIDR_reads_as_its_UTF16_form_does()
    {
        // The same for the UTF-8 quick path for IPv6.
        Check(Prop.ForAll(NearIPv6Text.ToArbitrary(), ReadsInUTF8AsInUTF16), maxTest: 10000);
    }

    /// <summary>Strict and lenient reading of the text's UTF-8 bytes agree with reading its UTF-16 form.</summary>
    private static bool ReadsInUTF8AsInUTF16(string text)
    {
        var utf8 = System.Text.Encoding.UTF8.GetBytes(text);
        var strict = Cidr.TryParse(utf8, out var fromBytes) == Cidr.TryParse(text, out var fromChars) && fromBytes == fromChars;
        var lenient = Cidr.TryParseLenient(utf8, out var leniently, out var changes) == Cidr.TryParseLenient(text, out var expected, out var expectedChanges)
            && leniently == expected && changes == expectedChanges;
        return strict && lenient;
    }
}
